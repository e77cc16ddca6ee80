"""duban figures rebuild
duban figures check
duban figures ranking YYYY-MM [--tier TIER] [--json]

`rebuild` replaces the counters per unit per day with what the event log says (after a restore,
or when the counting rules change). `check` compares the stored counters with the log without
writing, and exits 1 naming the first differences. `ranking` prints a month's ranking.
"""
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.figures import counters
from duban.figures.figures import PeriodError, Period, ranking
from duban.org.models import Unit


def percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"


class Command(BaseCommand):
    help = "The counters per unit per day and the rankings made of them (三率, 排名)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("rebuild", help="recompute the counters from the event log")
        actions.add_parser("check", help="compare the counters with the event log")
        ranked = actions.add_parser("ranking", help="print a month's ranking")
        ranked.add_argument("month", help="YYYY-MM")
        ranked.add_argument("--tier", choices=Unit.Tier.values, help="only units of this tier")
        ranked.add_argument("--json", action="store_true", help="every figure, as JSON")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action)(**options)

    def do_rebuild(self, **options):
        units, areas = counters.rebuild()
        self.stdout.write(_("Rebuilt from the event log: %(units)d unit-days, %(areas)d area-days.")
                          % {"units": units, "areas": areas})

    def do_check(self, **options):
        stored, logged = counters.nonzero(counters.stored()), counters.nonzero(counters.from_log())
        wrong = [(key, stored[0].get(key), logged[0].get(key)) for key in sorted(set(stored[0]) | set(logged[0]))
                 if stored[0].get(key) != logged[0].get(key)]
        wrong += [(key, stored[1].get(key), logged[1].get(key)) for key in sorted(set(stored[1]) | set(logged[1]))
                  if stored[1].get(key) != logged[1].get(key)]
        if not wrong:
            self.stdout.write(_("The counters agree with the event log."))
            return
        lines = [f"  {key}: {have} ≠ {want}" for key, have, want in wrong[:20]]
        raise CommandError("\n".join([_("The counters differ from the event log (run `duban figures rebuild`):"),
                                      *lines]))

    def do_ranking(self, month, tier=None, json=False, **options):
        try:
            period = Period.month(month)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        rows = ranking(period, tiers=[tier] if tier else None)
        if json:
            self.stdout.write(_dumps([row.as_dict() for row in rows]))
            return
        self.stdout.write("\t".join([_("Tier"), _("Rank"), _("Unit"), _("Composite"), _("Response rate"),
                                     _("Resolution rate"), _("Satisfaction rate"), _("Sample")]))
        for row in rows:
            self.stdout.write("\t".join([str(Unit.Tier(row.tier).label), str(row.rank or row.rank_note), row.name,
                                         percent(row.composite), percent(row.response), percent(row.resolution),
                                         percent(row.satisfaction), str(row.sample)]))


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, indent=1)

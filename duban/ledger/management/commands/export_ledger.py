"""duban export_ledger OUT.{xlsx,csv} [--state S] [--unit NAME] [--since DATE] [--until DATE] [--as USERNAME]

Exports the tickets the person may see (with --as), reporters masked where they may not see them;
without --as, every ticket with every reporter masked. Dates are local days, both ends included.
"""
from argparse import ArgumentTypeError
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.ledger import export
from duban.ledger.models import State, Ticket
from duban.org.cli import person_named
from duban.org.models import Unit

WRITERS = {".csv": export.write_csv, ".xlsx": export.write_xlsx}


class Command(BaseCommand):
    help = "Export the ledger, or part of it, to an .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("out")
        parser.add_argument("--state", choices=State.values)
        parser.add_argument("--unit", help="the lead unit, by name or alias")
        parser.add_argument("--since", type=_day, help="received on or after this day (YYYY-MM-DD)")
        parser.add_argument("--until", type=_day, help="received on or before this day (YYYY-MM-DD)")
        parser.add_argument("--as", dest="username", help="export what this person may see")

    def handle(self, *args, **options):
        out = Path(options["out"])
        writer = WRITERS.get(out.suffix.lower())
        if writer is None:
            raise CommandError(_("Export to a file ending in .xlsx or .csv."))
        viewer = person_named(options["username"])
        queryset = _filtered(Ticket.objects.all(), options)
        with open(out, "wb") as handle:
            writer(queryset, handle, viewer)
        self.stdout.write(_("Written to %(path)s.") % {"path": out})


def _filtered(queryset, options):
    if options["state"]:
        queryset = queryset.filter(state=options["state"])
    if options["unit"]:
        queryset = queryset.filter(lead_unit=_unit(options["unit"]))
    if options["since"]:
        queryset = queryset.filter(created_at__gte=_start_of(options["since"]))
    if options["until"]:
        queryset = queryset.filter(created_at__lt=_start_of(options["until"] + timedelta(days=1)))
    return queryset


def _unit(name):
    """The unit by name or alias (the table of units is small)."""
    for unit in Unit.objects.only("pk", "name", "aliases"):
        if name == unit.name or name in (unit.aliases or []):
            return unit
    raise CommandError(_("Unknown unit “%(name)s”.") % {"name": name})


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _day(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(_("Write the date as YYYY-MM-DD, not “%(text)s”.") % {"text": text}) from None



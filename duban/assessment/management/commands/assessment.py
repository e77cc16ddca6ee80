"""duban assessment score SCHEME YYYY-MM [--publish] [--as USERNAME]

Prints a scheme's table for the month (the published one when the month is published, else as
computed now); with --publish, publishes it first: the results are stored and every unit on the
black list gets its reflection ticket.
"""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.assessment import scoring
from duban.assessment.models import Scheme
from duban.org.cli import person_named


class Command(BaseCommand):
    help = "Assessments (考核): print a month's table, publish it."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        score = actions.add_parser("score", help="print a scheme's table for a month")
        score.add_argument("scheme", help="the scheme's id")
        score.add_argument("month", help="YYYY-MM")
        score.add_argument("--publish", action="store_true", help="publish the month and open the reflection tickets")
        score.add_argument("--as", dest="username", help="the person recorded as publishing")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action)(**options)

    def do_score(self, scheme, month, publish=False, username=None, **options):
        actor = person_named(username)
        found = Scheme.objects.filter(pk=int(scheme)).first() if scheme.isdigit() else None
        if found is None:
            raise CommandError(_("No assessment scheme with the id “%(id)s”.") % {"id": scheme})
        try:
            period = scoring.as_period(month)
            if publish:
                scoring.publish(found, period, actor)
        except scoring.AssessmentError as error:
            raise CommandError(" ".join(error.messages)) from None
        rows = scoring.published(found, period)
        self.stdout.write(table_text(found, period, rows or scoring.score(found, period), bool(rows)))
        for reflection in scoring.reflections(found, period):
            self.stdout.write(_("Reflection of %(unit)s: ticket %(number)s, due %(due)s") % {
                "unit": reflection.result.unit.name, "number": reflection.ticket.number,
                "due": f"{reflection.due:%Y-%m-%d %H:%M}"})


def table_text(scheme, period, rows, published):
    """The table as lines of text: rank, unit, each dimension's points, total, list."""
    dims = scoring.dimensions(scheme)
    status = _("published") if published else _("not published")
    lines = [f"{scheme.name} {period.label} ({status})",
             "\t".join([_("Rank"), _("Unit"), *(d.name for d in dims), _("Total"), _("List")])]
    marks = {scoring.RED: _("Red list"), scoring.BLACK: _("Black list")}
    for row in rows:
        cells = ["—" if c.points is None else f"{c.points:g}" + ("*" if c.missing else "") for c in row.cells]
        lines.append("\t".join([str(row.rank), row.name, *cells, f"{row.total:g}", marks.get(row.mark, "")]).rstrip())
    return "\n".join(lines)

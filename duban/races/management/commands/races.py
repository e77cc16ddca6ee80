"""duban races import FILE [--as USERNAME]
duban races board INDICATOR YYYY-MM
duban races template FILE [--month YYYY-MM]


`import` reads the whole workbook and writes nothing unless every row is good; importing a month
again replaces its values. `board` prints the race board of an indicator (by code or name) for a
month. `template` writes the workbook to fill in.
"""
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from duban.org.cli import person_named
from duban.races import race, sheets
from duban.races.models import Indicator


class Command(BaseCommand):
    help = "Indicator races (赛马): import values, print a board, write the template."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        imports = actions.add_parser("import", help="import indicator values from an .xlsx file")
        imports.add_argument("file")
        imports.add_argument("--as", dest="username", help="the person recorded as entering the values")
        boards = actions.add_parser("board", help="print the race board of an indicator for a month")
        boards.add_argument("indicator", help="the indicator's code or name")
        boards.add_argument("month", help="YYYY-MM")
        template = actions.add_parser("template", help="write the workbook to fill in")
        template.add_argument("file")
        template.add_argument("--month", help="YYYY-MM, filled in on every row")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action)(**options)

    def do_import(self, file, username=None, **options):
        actor = person_named(username)
        try:
            with open(file, "rb") as handle:
                outcome = sheets.import_workbook(handle, file, actor)
        except OSError as error:
            raise CommandError(_("Cannot open “%(path)s”: %(error)s") % {"path": file, "error": error.strerror})
        except sheets.SheetInvalid as invalid:
            raise CommandError(_("Nothing was written:") + "\n" + str(invalid)) from None
        self.stdout.write(str(outcome))

    def do_board(self, indicator, month, **options):
        found = Indicator.objects.filter(Q(code=indicator) | Q(name=indicator)).first()
        if found is None:
            raise CommandError(_("No indicator “%(name)s”.") % {"name": indicator})
        try:
            month = race.parse_month(month)
        except ValueError:
            raise CommandError(_("“%(text)s” is not a month (write it like 2026-10).") % {"text": month}) from None
        self.stdout.write(board_text(race.board(found, month)))

    def do_template(self, file, month=None, **options):
        try:
            sheets.export_template(file, race.parse_month(month) if month else None)
        except ValueError:
            raise CommandError(_("“%(text)s” is not a month (write it like 2026-10).") % {"text": month}) from None
        self.stdout.write(file)


def board_text(board):
    """The board as lines of text: rank, district, value, growth, change, streak."""
    indicator = board.indicator
    lines = [f"{indicator.name} {board.month:%Y-%m}" + (f" ({indicator.measure})" if indicator.measure else "")]
    for row in board.rows:
        change = "" if row.rank_change is None else ("▲%d" % row.rank_change if row.rank_change > 0
                                                     else "▼%d" % -row.rank_change if row.rank_change < 0 else "=")
        cells = [str(row.rank) if row.rank else "-", row.district.name, row.value_text]
        if board.shows_growth:
            cells.append(row.growth_text)
        cells += [change, row.streak_label]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)

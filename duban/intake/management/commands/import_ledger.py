"""duban import_ledger FILE [--dry-run] [--json] [--as USERNAME] [--yes]

Reads the whole file first and shows a preview (rows per sheet, the first rows, every error and
warning); writes nothing unless accepted at the prompt or with --yes; then writes every good row
in one transaction. With --json it prints one JSON object and nothing else on stdout, and writes
only with --yes. Exits 1 when the file cannot be read or writing fails (then nothing is written).
"""
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from duban.intake import sheets
from duban.org.cli import person_named

PREVIEW_ROWS = 5


class Command(BaseCommand):
    help = "Import a ledger of matters (问题整改台账) from an .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        parser.add_argument("--as", dest="username", help="the person recorded as importing the rows")
        parser.add_argument("--yes", action="store_true", help="write without asking")

    def handle(self, *args, **options):
        as_json = options["json"]
        actor = person_named(options["username"])
        try:
            preview = self.read(options["file"], quiet=as_json)
        except sheets.UnreadableFile as error:
            if as_json:
                self.stdout.write(json.dumps({"ok": 0, "errors": [{"sheet": None, "row": None,
                                  "message": str(error)}], "warnings": [], "written": False}, ensure_ascii=False))
            raise CommandError(str(error)) from None
        if not as_json:
            self.show(preview)
        written, warnings = False, []
        if preview.rows and not options["dry_run"] and self.accepted(preview, options):
            try:
                result = self.write(preview, actor, quiet=as_json)
            except sheets.ImportFailed as failure:
                return self.failed(preview, failure, as_json)
            written, warnings = True, result.warnings
        if as_json:
            outcome = preview.as_dict(written)
            outcome["warnings"] += [w.as_dict() for w in warnings]
            self.stdout.write(json.dumps(outcome, ensure_ascii=False))
            return
        for warning in warnings:
            self.stdout.write(f"  ! {warning}")
        if written:
            self.stdout.write(_("%(count)s rows written.") % {"count": len(preview.rows)})
        else:
            self.stdout.write(_("Nothing written."))

    def read(self, path, quiet):
        try:
            handle = open(path, "rb")
        except OSError as error:
            raise sheets.UnreadableFile(_("Cannot open “%(path)s”: %(error)s") % {"path": path,
                                                                                 "error": error.strerror})
        with handle, _bar(_("Reading"), None, quiet) as bar:
            return sheets.read(handle, path, progress=bar.update)

    def write(self, preview, actor, quiet):
        with _bar(_("Writing"), len(preview.rows), quiet) as bar:
            return sheets.write(preview, actor, progress=bar.update)

    def accepted(self, preview, options):
        if options["yes"]:
            return True
        if options["json"] or not sys.stdin.isatty():
            return False
        answer = input(_("Write %(count)s rows? [y/N] ") % {"count": len(preview.rows)})
        return answer.strip().lower() in ("y", "yes", "是")

    def show(self, preview):
        for sheet in preview.sheets.values():
            self.stdout.write(_("Sheet “%(sheet)s”: header on row %(header)s, %(rows)s good rows, %(errors)s "
                                "errors, %(warnings)s warnings")
                              % {"sheet": sheet.name, "header": sheet.header_row or "-", "rows": sheet.rows,
                                 "errors": sheet.errors, "warnings": sheet.warnings})
        for row in preview.rows[:PREVIEW_ROWS]:
            unit = row.lead_unit.name if row.lead_unit else "-"
            due = row.due.isoformat() if row.due else "-"
            self.stdout.write(f"  {row.sheet}:{row.row}  {unit}  {due}  {row.description[:40]}")
        for error in preview.errors:
            self.stdout.write(f"  ✗ {error}")
        for warning in preview.warnings:
            self.stdout.write(f"  ! {warning}")
        self.stdout.write(_("%(ok)s rows can be imported, %(errors)s errors.")
                          % {"ok": len(preview.rows), "errors": len(preview.errors)})

    def failed(self, preview, failure, as_json):
        message = _("Nothing was written: %(error)s") % {"error": failure.error}
        if as_json:
            outcome = preview.as_dict(False)
            outcome["errors"].append(failure.error.as_dict())
            self.stdout.write(json.dumps(outcome, ensure_ascii=False))
        raise CommandError(message)


def _bar(label, total, quiet):
    """A progress bar on stderr, silent with --json or when stderr is not a terminal."""
    return tqdm(total=total, desc=label, unit=_("rows"), file=sys.stderr,
                disable=quiet or not sys.stderr.isatty())

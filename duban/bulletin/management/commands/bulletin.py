"""duban bulletin YYYY-MM [--format docx|pdf|xlsx] [--out FILE]

Writes the month's bulletin (通报) as a Word document or a PDF, or its figures as a workbook.
The format defaults to the suffix of --out, else PDF; the file to the bulletin's own name in the
current folder. The file is written only once the whole bulletin is made.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.bulletin import files
from duban.bulletin.fonts import FontMissing
from duban.figures.figures import Period, PeriodError


class Command(BaseCommand):
    help = "Write a month's bulletin (通报) as .docx or PDF, or its figures as .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("month", help="the month, YYYY-MM")
        parser.add_argument("--format", choices=files.FORMATS, help="docx, pdf or xlsx (default: from --out, else pdf)")
        parser.add_argument("--out", help="the file to write (default: the bulletin's title in this folder)")

    def handle(self, *args, month, format=None, out=None, **options):
        try:
            period = Period.month(month)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        suffix = Path(out).suffix.lower().lstrip(".") if out else ""
        fmt = format or (suffix if suffix in files.FORMATS else "pdf")
        out = Path(out or files.filename(period, fmt))
        if not out.parent.is_dir():
            raise CommandError(_("There is no folder %(folder)s to write into.") % {"folder": out.parent})
        try:
            data = files.render(period, fmt)
        except FontMissing as error:
            raise CommandError(str(error)) from None
        try:
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(_("Cannot write “%(path)s”: %(error)s") % {"path": out, "error": error.strerror})
        self.stdout.write(_("Wrote %(path)s") % {"path": out.resolve()})

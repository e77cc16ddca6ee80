"""duban bulletin YYYY-MM --format docx|pdf|xlsx --out FILE"""
import io
import tempfile
from pathlib import Path

import openpyxl
from django.core.management import CommandError, call_command
from docx import Document

from tests.bulletin.base import BulletinTestCase


def run(*args):
    out = io.StringIO()
    call_command("bulletin", *args, stdout=out)
    return out.getvalue()


class CommandTests(BulletinTestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())

    def test_it_writes_each_format_and_says_where(self):
        for fmt in ("docx", "pdf", "xlsx"):
            path = self.folder / f"bulletin.{fmt}"
            said = run("2025-10", "--format", fmt, "--out", str(path))
            self.assertIn(str(path), said)
            self.assertGreater(path.stat().st_size, 1000)
        self.assertTrue((self.folder / "bulletin.pdf").read_bytes().startswith(b"%PDF-"))
        self.assertIn("江城市12345热线办理情况通报（2025年10月）",
                      Document(self.folder / "bulletin.docx").paragraphs[0].text)
        self.assertIn("超期事项", openpyxl.load_workbook(self.folder / "bulletin.xlsx").sheetnames)

    def test_the_format_follows_the_suffix_of_the_file(self):
        path = self.folder / "十月.xlsx"
        run("2025年10月", "--out", str(path))
        self.assertEqual(openpyxl.load_workbook(path).sheetnames, ["排名与数据", "超期事项"])

    def test_a_bad_month_fails_with_the_message_and_writes_nothing(self):
        path = self.folder / "bulletin.pdf"
        with self.assertRaisesMessage(CommandError, "2025-13"):
            run("2025-13", "--format", "pdf", "--out", str(path))
        self.assertFalse(path.exists())

    def test_a_missing_folder_is_named(self):
        with self.assertRaisesMessage(CommandError, "nowhere"):
            run("2025-10", "--out", str(self.folder / "nowhere" / "bulletin.pdf"))

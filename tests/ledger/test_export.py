import csv
import io
import tempfile
from datetime import datetime
from pathlib import Path

import openpyxl
from django.core.management import call_command

from duban.ledger import export
from duban.ledger.models import Ticket
from tests.base import DubanTestCase


def as_text(value):
    return value.strftime(export.TIME_FORMAT) if isinstance(value, datetime) else ("" if value is None else value)


class ExportTests(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.complaint = cls.dispatched_ticket()
        cls.whistle = cls.dispatched_ticket(kind="report", reporter_name="吴举报", reporter_phone="13900001111",
                                            description="=HYPERLINK(\"http://evil\")某单位违规发放福利")

    def exported(self, viewer):
        return list(export.rows(Ticket.objects.all(), viewer=viewer))

    def reporters(self, viewer):
        return {row[0]: (row[-2], row[-1]) for row in self.exported(viewer)[1:]}

    def test_the_header_comes_first_and_each_visible_ticket_follows(self):
        rows = self.exported(self.supervisor)
        self.assertEqual(rows[0], [str(h) for h in export.HEADERS])
        self.assertEqual({r[0] for r in rows[1:]}, {self.complaint.number, self.whistle.number})
        self.assertEqual(len(rows[1]), len(rows[0]))

    def test_a_whistle_blower_is_masked_for_a_supervisor_without_the_permission(self):
        reporters = self.reporters(self.supervisor)
        self.assertEqual(reporters[self.complaint.number], ("周大爷", "13812345678"))
        self.assertEqual(reporters[self.whistle.number], ("吴**", "139****1111"))

    def test_a_whistle_blower_is_shown_to_whoever_has_the_permission(self):
        self.assertEqual(self.reporters(self.whistle_reader)[self.whistle.number], ("吴举报", "13900001111"))

    def test_an_outsider_exports_nothing(self):
        self.assertEqual(self.exported(self.outsider)[1:], [])

    def test_without_a_viewer_every_reporter_is_masked(self):
        self.assertEqual(self.reporters(None)[self.complaint.number], ("周**", "138****5678"))

    def test_csv_round_trips_the_rows_and_opens_in_excel(self):
        out = io.BytesIO()
        export.write_csv(Ticket.objects.all(), out, self.supervisor)
        data = out.getvalue()
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        expected = [[export._csv_cell(v) for v in row] for row in self.exported(self.supervisor)]
        self.assertEqual(read, [[str(as_text(v)) for v in row] for row in expected])

    def test_text_that_looks_like_a_formula_stays_text(self):
        out = io.BytesIO()
        export.write_csv(Ticket.objects.filter(pk=self.whistle.pk), out, self.supervisor)
        self.assertIn("'=HYPERLINK", out.getvalue().decode("utf-8-sig"))
        out = io.BytesIO()
        export.write_xlsx(Ticket.objects.filter(pk=self.whistle.pk), out, self.supervisor)
        cell = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active.cell(2, 6)
        self.assertEqual((cell.data_type, cell.value[:10]), ("s", "=HYPERLINK"))

    def test_xlsx_round_trips_the_rows(self):
        out = io.BytesIO()
        export.write_xlsx(Ticket.objects.all(), out, self.supervisor)
        sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True).active
        read = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]
        expected = [[("" if v is None else v) for v in row] for row in self.exported(self.supervisor)]
        self.assertEqual(read, expected)

    def test_the_command_filters_by_state_and_unit_and_masks_for_the_viewer(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "out.csv"
            call_command("export_ledger", str(path), "--state", "dispatched", "--unit", "城管局",
                         "--since", "2025-01-01", "--as", self.supervisor.username, stdout=io.StringIO())
            read = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            self.assertEqual(len(read), 3)
            self.assertIn("139****1111", read[2] + read[1])
            call_command("export_ledger", str(path), "--until", "2025-01-01", stdout=io.StringIO())
            self.assertEqual(len(path.read_text(encoding="utf-8-sig").splitlines()), 1)

"""A reporter's phone and name, written into the title, the description and the unit's reply, never
leave in an export, a public page or a bulletin to someone who may not see them."""
import csv
import io
import tempfile
from datetime import date
from pathlib import Path

import openpyxl
from django.core.management import call_command
from django.test import Client

from duban.bulletin.files import render
from duban.campaigns import service as campaigns
from duban.catalogue.models import RequestKind
from tests.bulletin.base import OCTOBER, BulletinTestCase, at
from tests.bulletin.test_files import docx_text
from tests.security.city import NAME, PHONE, SECRET_TEXT, SecurityCity

MASKED = "138****5678"


def xlsx_text(data):
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True)
                     for value in row if value is not None)


def pdf_text(data):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


class ExportTests(SecurityCity):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report = cls.closed_ticket(kind=RequestKind.REPORT)

    def rows(self, person, fmt="csv"):
        """The export's rows by ticket number, each row's cells as text."""
        client = Client()
        client.force_login(person)
        answer = client.get(f"/api/v1/tickets.{fmt}")
        data = b"".join(answer.streaming_content)
        if fmt == "csv":
            found = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        else:
            found = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)
        return {row[0]: ["" if v is None else str(v) for v in row] for row in found}

    def test_a_whistle_blower_is_masked_in_the_text_of_an_export_for_those_without_the_permission(self):
        for person in (self.handler, self.supervisor, self.dispatcher):
            for fmt in ("csv", "xlsx"):
                with self.subTest(person=person.username, fmt=fmt):
                    report_row = " ".join(self.rows(person, fmt)[self.report.number])
                    self.assertNotIn(PHONE, report_row)
                    self.assertNotIn(NAME, report_row)
                    self.assertIn(MASKED, report_row)

    def test_the_whistle_reader_gets_the_report_in_clear(self):
        row = self.rows(self.whistle_reader)[self.report.number]
        self.assertIn(PHONE, row[-1])
        self.assertIn(PHONE, row[5])  # the description

    def test_the_unit_sees_its_own_reporters_in_the_export(self):
        row = self.rows(self.handler)[self.closed.number]
        self.assertEqual(row[-2:], [NAME, PHONE])

    def test_the_command_line_export_masks_every_reporter_and_the_text(self):
        with tempfile.TemporaryDirectory() as folder:
            for suffix in (".csv", ".xlsx"):
                out = Path(folder) / f"ledger{suffix}"
                call_command("export_ledger", str(out), stdout=io.StringIO())
                text = out.read_text("utf-8-sig") if suffix == ".csv" else xlsx_text(out.read_bytes())
                with self.subTest(suffix=suffix):
                    self.assertIn(self.closed.number, text)
                    self.assertNotIn(PHONE, text)
                    self.assertNotIn(NAME, text)


class PublicPageTests(SecurityCity):
    def assert_clean(self, text):
        self.assertNotIn(PHONE, text)
        self.assertNotIn(NAME, text)

    def test_the_board_shows_no_reporter(self):
        self.assert_clean(Client().get("/board/").content.decode())

    def test_the_public_status_page_masks_phone_and_name_in_title_and_reply(self):
        client = Client()
        answer = client.post("/track/", {"number": self.closed.number, "last4": PHONE[-4:]}, follow=True)
        html = answer.content.decode()
        self.assertIn(self.closed.number, html)
        self.assertIn("已拖离", html)  # the unit's reply is there …
        self.assert_clean(html)  # … without the phone or the name

    def test_open311_requests_mask_phone_and_name(self):
        for path in ("/open311/v2/requests.json", "/open311/v2/requests.xml",
                     f"/open311/v2/requests/{self.closed.number}.json",
                     f"/open311/v2/requests/{self.open_ticket.number}.xml"):
            with self.subTest(path=path):
                answer = Client().get(path)
                self.assertEqual(answer.status_code, 200)
                self.assertIn(self.closed.number if "requests." in path or self.closed.number in path
                              else self.open_ticket.number, answer.content.decode())
                self.assert_clean(answer.content.decode())

    def test_open311_does_not_show_a_whistle_blowers_report(self):
        report = self.dispatched_ticket(kind=RequestKind.REPORT, title="举报")
        self.assertEqual(Client().get(f"/open311/v2/requests/{report.number}.json").status_code, 404)
        self.assertNotIn(report.number, Client().get("/open311/v2/requests.json").content.decode())

    def test_the_public_pledges_mask_a_phone_in_an_update(self):
        campaigns.update_pledge(self.pledge, self.handler, 40, f"已完成四成，联系电话{PHONE}", public=True)
        html = Client().get("/pledges/").content.decode()
        self.assertIn("已完成四成", html)
        self.assertNotIn(PHONE, html)


class BulletinTests(BulletinTestCase):
    """The month's bulletin names an overdue matter whose title carries the reporter's phone and name."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.named = cls.parking_matter(at(10, 9), due=date(2025, 10, 20), title=f"僵尸车 {SECRET_TEXT}")

    def test_no_format_of_the_bulletin_carries_the_reporter(self):
        readers = {"docx": docx_text, "pdf": pdf_text, "xlsx": xlsx_text}
        texts = {fmt: read(render(OCTOBER, fmt)) for fmt, read in readers.items()}  # `make test` installs the fonts
        for fmt, text in texts.items():
            with self.subTest(fmt=fmt):
                self.assertNotIn(PHONE, text)
                self.assertNotIn(NAME, text)
        overdue = " ".join(texts.values())
        self.assertIn("僵尸车 联系人周**", overdue)  # the overdue matter is named, masked

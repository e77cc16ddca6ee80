import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.intake import keys
from duban.catalogue.models import Channel
from duban.ledger.models import Ticket
from tests.api.test_api import ApiTestCase
from tests.intake.test_sheets import messy_workbook, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A key acting for the hotline centre (a dispatcher over the city) may import.
        cls.hotline_key, cls.hotline_raw = keys.create("台账导入", Channel.objects.get(code="import"))

    def upload(self, raw, accept=None, data=None, name="台账.xlsx"):
        body = {"file": SimpleUploadedFile(name, (data or xlsx_bytes(messy_workbook())).read(), content_type=XLSX)}
        if accept is not None:
            body["accept"] = "true" if accept else "false"
        return self.client.post("/api/v1/imports", body, HTTP_AUTHORIZATION=f"Bearer {raw}")

    def test_a_preview_names_the_bad_rows_and_writes_nothing(self):
        response = self.upload(self.hotline_raw)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertFalse(body["written"])
        self.assertGreater(body["ok"], 0)
        self.assertIn({"sheet": "作风问题", "row": 7}, [{"sheet": e["sheet"], "row": e["row"]} for e in body["errors"]])
        self.assertEqual(Ticket.objects.count(), 0)

    def test_accepting_writes_every_good_row_in_one_go(self):
        preview = self.upload(self.hotline_raw).json()
        response = self.upload(self.hotline_raw, accept=True)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertTrue(body["written"])
        self.assertEqual(len(body["tickets"]), preview["ok"])
        self.assertEqual(Ticket.objects.filter(channel__code="import").count(), preview["ok"])

    def test_a_unit_key_may_not_import(self):
        self.assertEqual(self.upload(self.unit_raw, accept=True).status_code, 403)
        self.assertEqual(Ticket.objects.count(), 0)

    def test_a_broken_workbook_is_a_field_error(self):
        response = self.upload(self.hotline_raw, data=io.BytesIO(b"PK\x03\x04 not really a workbook"))
        self.assertEqual(response.status_code, 422)
        self.assertIn("file", response.json()["errors"])


class ExportTests(ApiTestCase):
    def setUp(self):
        self.mine = self.dispatched_ticket()
        self.other = self.dispatched_ticket(category=self.sanitation, area=self.jiangbei_community,
                                            description="柳浪社区垃圾没人清运", title="垃圾清运不及时")
        self.whistle = self.dispatched_ticket(kind="report", reporter_name="匿名", reporter_phone="13900001111",
                                              title="举报违规占道经营", description="有人长期占道经营")

    def test_csv_streams_what_the_caller_may_see_with_whistle_blowers_masked(self):
        response = self.client.get("/api/v1/tickets.csv", HTTP_AUTHORIZATION=f"Bearer {self.unit_raw}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        numbers = [r[0] for r in rows[1:]]
        self.assertEqual(numbers, [self.mine.number, self.whistle.number])
        self.assertIn("13812345678", text)  # the lead unit may call its reporter back
        self.assertNotIn("13900001111", text)
        self.assertIn("139****1111", text)

    def test_xlsx_takes_the_same_filters_as_the_list(self):
        response = self.client.get("/api/v1/tickets.xlsx", {"category": self.sanitation.pk},
                                   HTTP_AUTHORIZATION=f"Bearer {self.raw}")
        self.assertEqual(response.status_code, 200)
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        values = [row for row in workbook.active.iter_rows(values_only=True)]
        self.assertEqual([v[0] for v in values[1:]], [self.other.number])

    def test_an_unknown_format_is_404(self):
        self.assertEqual(self.client.get("/api/v1/tickets.pdf", HTTP_AUTHORIZATION=f"Bearer {self.raw}").status_code,
                         404)

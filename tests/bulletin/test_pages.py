"""/bulletins/ for the supervision office, leaders and dispatchers, and the downloads."""
import io
from urllib.parse import quote

import openpyxl
from django.urls import reverse
from docx import Document

from tests.bulletin.base import BulletinTestCase


def download(month, fmt):
    return reverse("bulletin:download", kwargs={"month": month, "format": fmt})


class PageTests(BulletinTestCase):
    def test_a_supervisor_sees_the_month_with_its_downloads(self):
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("bulletin:page"), {"month": "2025-10"})
        self.assertContains(page, "江城市12345热线办理情况通报（2025年10月）")
        for fmt in ("docx", "pdf", "xlsx"):
            self.assertContains(page, f'data-testid="download-{fmt}" href="/bulletins/2025-10.{fmt}"')
        self.assertContains(page, "有效回访65件")

    def test_a_bad_month_is_told_in_the_users_language(self):
        self.client.force_login(self.dispatcher)
        page = self.client.get(reverse("bulletin:page"), {"month": "十月"})
        self.assertContains(page, "十月", status_code=400)
        self.assertContains(page, 'id="bulletin-error"', status_code=400)

    def test_a_leader_downloads_the_word_document_under_its_chinese_name(self):
        self.client.force_login(self.steward)
        response = self.client.get(download("2025-10", "docx"))
        self.assertEqual(response.status_code, 200)
        name = "江城市12345热线办理情况通报（2025年10月）.docx"
        self.assertEqual(response["Content-Disposition"], f"attachment; filename*=utf-8''{quote(name)}")
        self.assertIn("江城市12345热线办理情况通报（2025年10月）", Document(io.BytesIO(response.content)).paragraphs[0].text)

    def test_a_dispatcher_downloads_the_pdf_and_the_figures(self):
        self.client.force_login(self.dispatcher)
        pdf = self.client.get(download("2025-10", "pdf"))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF-"))
        xlsx = self.client.get(download("2025-10", "xlsx"))
        self.assertIn("filename*=utf-8''", xlsx["Content-Disposition"])
        self.assertEqual(openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames, ["排名与数据", "超期事项"])

    def test_a_handler_may_not_download_a_bulletin(self):
        self.client.force_login(self.handler)
        for fmt in ("docx", "pdf", "xlsx"):
            self.assertEqual(self.client.get(download("2025-10", fmt)).status_code, 403)
        self.assertEqual(self.client.get(reverse("bulletin:page")).status_code, 403)

    def test_someone_signed_out_is_sent_to_sign_in(self):
        response = self.client.get(download("2025-10", "pdf"))
        self.assertEqual(response.status_code, 302)

    def test_a_month_that_does_not_exist_is_not_found(self):
        self.client.force_login(self.supervisor)
        self.assertEqual(self.client.get("/bulletins/2025-13.pdf").status_code, 404)

"""A NUL or broken Unicode in an address or a query string: refused with 400 in the interface's own
format before any view looks it up (on PostgreSQL the lookup itself would fail: text cannot hold a NUL)."""
import json

from tests.base import DubanTestCase


class UnstorableAddressTests(DubanTestCase):
    def test_a_nul_in_a_page_address_or_query_is_a_400_page_in_both_languages(self):
        self.client.force_login(self.supervisor)
        for path in (f"/tickets/{self.dispatched_ticket().number}%00/", "/track/JC%00/", "/work/?q=%00",
                     "/rankings/?tier=%00"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 400)
                self.assertIn("无法保存", response.content.decode())
                self.assertIn("cannot be stored", response.content.decode())

    def test_the_api_and_open311_answer_in_their_own_error_formats(self):
        response = self.client.get("/api/v1/tickets/JC%00")
        self.assertEqual(response.status_code, 400)
        self.assertIn("无法保存", response.json()["detail"])
        response = self.client.get("/open311/v2/requests/JC%00.json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(str(json.loads(response.content)[0]["code"]), "400")
        response = self.client.get("/open311/v2/requests/JC%00.xml")
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"<code>400</code>", response.content)

    def test_an_ordinary_address_with_chinese_passes(self):
        self.client.force_login(self.supervisor)
        self.assertEqual(self.client.get("/work/?q=僵尸车").status_code, 200)

import json

from django.test import Client

from duban.catalogue.models import Channel
from duban.intake import keys
from duban.ledger.models import State, Ticket
from tests.base import DubanTestCase, png_bytes

COMPLAINT = {"description": "富强小区东门有辆白色轿车停了半年，落满灰尘，占了消防通道。", "area": None,
             "category": None, "reporter_name": "周大爷", "reporter_phone": "13812345678"}


class ApiTestCase(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.key, cls.raw = keys.create("市民App", Channel.objects.get(code="app"))
        cls.unit_key, cls.unit_raw = keys.create("城管系统", Channel.objects.get(code="app"), cls.chengguan)
        cls.outsider_key, cls.outsider_raw = keys.create("江北系统", Channel.objects.get(code="app"),
                                                         cls.jiangbei_street)

    def post(self, path, body, raw=None, **headers):
        raw = raw or self.raw
        return self.client.post(path, json.dumps(body), content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)

    def get(self, path, raw=None, **params):
        return self.client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {raw or self.raw}")

    def complaint(self, **fields):
        return {**COMPLAINT, "category": self.zombie_car.pk, "area": self.grid.pk, **fields}


class CreateTests(ApiTestCase):
    def test_a_key_files_a_matter_that_is_dispatched_on_its_channel(self):
        response = self.post("/api/v1/tickets", self.complaint())
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        ticket = Ticket.objects.get(number=body["number"])
        self.assertEqual((ticket.channel.code, ticket.state, body["dispatched"]), ("app", State.DISPATCHED, True))
        self.assertEqual(body["lead_unit"]["name"], "城市管理行政执法局")
        self.assertEqual(ticket.created_by, self.key.person)
        self.assertEqual(ticket.events.get(seq=1).payload["source"], {"api_key": "市民App"})

    def test_a_retry_with_the_same_idempotency_key_returns_the_first_ticket(self):
        first = self.post("/api/v1/tickets", self.complaint(), HTTP_IDEMPOTENCY_KEY="call-2025-001")
        again = self.post("/api/v1/tickets", self.complaint(), HTTP_IDEMPOTENCY_KEY="call-2025-001")
        self.assertEqual(first.json()["number"], again.json()["number"])
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(Ticket.objects.count(), 1)
        other = self.post("/api/v1/tickets", self.complaint(description="另一件事：路灯不亮"),
                          HTTP_IDEMPOTENCY_KEY="call-2025-001")
        self.assertEqual(other.status_code, 422)
        self.assertEqual(Ticket.objects.count(), 1)

    def test_errors_name_each_field_in_chinese_or_english(self):
        response = self.post("/api/v1/tickets", {"category": "僵尸车", "latitude": 200})
        self.assertEqual(response.status_code, 422)
        errors = response.json()["errors"]
        self.assertEqual(errors["description"], ["这个字段是必填项。"])
        self.assertIn("category", errors)
        self.assertIn("latitude", errors)
        english = self.post("/api/v1/tickets", {}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(english.json()["errors"]["description"], ["This field is required."])

    def test_an_unknown_category_is_a_field_error_and_nothing_is_written(self):
        response = self.post("/api/v1/tickets", self.complaint(category=999999))
        self.assertEqual(response.status_code, 422)
        self.assertIn("category", response.json()["errors"])
        self.assertEqual(Ticket.objects.count(), 0)

    def test_xml_where_json_was_promised_is_refused(self):
        response = self.client.post("/api/v1/tickets", "<ticket><description>x</description></ticket>",
                                    content_type="application/xml", HTTP_AUTHORIZATION=f"Bearer {self.raw}")
        self.assertEqual(response.status_code, 400)
        self.assertIn("JSON", response.json()["detail"])

    def test_without_a_key_or_with_a_revoked_one_it_is_401(self):
        self.assertEqual(self.client.post("/api/v1/tickets", "{}", content_type="application/json").status_code, 401)
        keys.revoke(self.key)
        response = self.post("/api/v1/tickets", self.complaint())
        self.assertEqual(response.status_code, 401)
        self.assertIn("API", response.json()["detail"])

    def test_a_session_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.dispatcher)
        response = client.post("/api/v1/tickets", json.dumps(self.complaint()), content_type="application/json")
        self.assertEqual(response.status_code, 403)


class ReadTests(ApiTestCase):
    def test_a_unit_key_lists_only_its_units_tickets_and_cannot_guess_others(self):
        mine = self.dispatched_ticket()
        theirs = self.dispatched_ticket(category=self.sanitation, area=self.jiangbei_community)
        numbers = [t["number"] for t in self.get("/api/v1/tickets", self.unit_raw).json()["results"]]
        self.assertEqual(numbers, [mine.number])
        self.assertEqual(self.get(f"/api/v1/tickets/{theirs.number}", self.unit_raw).status_code, 404)
        self.assertEqual(self.get(f"/api/v1/tickets/{mine.number}", self.outsider_raw).status_code, 404)

    def test_search_and_filters_narrow_the_list(self):
        self.dispatched_ticket()
        lamp = self.new_ticket(title="路灯不亮", description="西山街道路灯连续三晚不亮", category=self.sanitation)
        found = self.get("/api/v1/tickets", q="路燈").json()["results"]
        self.assertEqual([t["number"] for t in found], [lamp.number])
        received = self.get("/api/v1/tickets", state=["received"]).json()["results"]
        self.assertEqual([t["number"] for t in received], [lamp.number])
        self.assertEqual(self.get("/api/v1/tickets", since="yesterday").status_code, 422)

    def test_a_handler_sees_the_reporter_but_not_a_whistle_blower(self):
        ticket = self.dispatched_ticket()
        self.assertEqual(self.get(f"/api/v1/tickets/{ticket.number}", self.unit_raw).json()["reporter"]["phone"],
                         "13812345678")
        report = self.dispatched_ticket(kind="report", description="举报某店铺占道经营，联系我13912345678")
        body = self.get(f"/api/v1/tickets/{report.number}", self.unit_raw).json()
        self.assertEqual(body["reporter"]["phone"], "138****5678")
        self.assertNotIn("13912345678", body["description"])

    def test_the_history_and_the_openapi_document_are_served(self):
        ticket = self.dispatched_ticket()
        events = self.get(f"/api/v1/tickets/{ticket.number}/events").json()
        self.assertEqual([e["action"] for e in events], ["receive", "dispatch"])
        self.assertNotIn("reporter", events[0]["payload"])
        spec = self.client.get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/tickets/{number}/actions/{action}", spec["paths"])


class ActionTests(ApiTestCase):
    def test_the_unit_acknowledges_and_resolves_with_evidence_through_the_api(self):
        ticket = self.dispatched_ticket()
        path = f"/api/v1/tickets/{ticket.number}"
        acknowledged = self.post(f"{path}/actions/acknowledge", {}, self.unit_raw)
        self.assertEqual(acknowledged.json()["state"], "acknowledged")
        refused = self.post(f"{path}/actions/resolve", {"text": "已拖离"}, self.unit_raw)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("佐证材料", refused.json()["detail"])
        upload = self.client.post(f"{path}/attachments", {"files": [_png("拖离后.png")], "text": "现场照片"},
                                  HTTP_AUTHORIZATION=f"Bearer {self.unit_raw}")
        self.assertEqual(upload.status_code, 201, upload.content)
        attachment = upload.json()["attachments"][0]
        download = self.client.get(f"{path}/attachments/{attachment['id']}", HTTP_AUTHORIZATION=f"Bearer {self.unit_raw}")
        self.assertEqual(b"".join(download.streaming_content), png_bytes())

    def test_a_key_may_not_do_what_its_role_may_not(self):
        ticket = self.dispatched_ticket()
        response = self.post(f"/api/v1/tickets/{ticket.number}/actions/close", {}, self.unit_raw)
        self.assertEqual(response.status_code, 400)
        response = self.post(f"/api/v1/tickets/{ticket.number}/actions/teleport", {}, self.unit_raw)
        self.assertEqual(response.status_code, 422)


class MessageTests(ApiTestCase):
    def test_a_group_chat_message_becomes_a_wechat_ticket_answered_with_its_number(self):
        wechat_key, raw = keys.create("服务群机器人", Channel.objects.get(code="wechat"))
        message = {"sender": "富强社区-周大爷", "text": "东门那辆僵尸车还在，麻烦处理一下 13812345678",
                   "group": "富强社区秒接秒应服务群", "message_id": "wx-0001"}
        response = self.post("/api/v1/messages", message, raw)
        self.assertEqual(response.status_code, 201, response.content)
        ticket = Ticket.objects.get(number=response.json()["number"])
        self.assertEqual((ticket.channel.code, ticket.reporter_phone), ("wechat", "13812345678"))
        self.assertIn(ticket.number, response.json()["reply"])
        again = self.post("/api/v1/messages", message, raw)
        self.assertEqual((again.status_code, again.json()["number"]), (200, ticket.number))
        self.assertEqual(Ticket.objects.count(), 1)


def _png(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


class BadInputTests(ApiTestCase):
    def test_an_oversized_body_is_refused_in_the_documented_format_and_nothing_is_written(self):
        body = json.dumps({**self.complaint(), "description": "很" * 1_500_000})
        for headers in ({}, {"HTTP_IDEMPOTENCY_KEY": "big-1"}):
            response = self.client.post("/api/v1/tickets", body, content_type="application/json",
                                        HTTP_AUTHORIZATION=f"Bearer {self.raw}", **headers)
            self.assertEqual(response.status_code, 413)
            self.assertIn("过大", response.json()["detail"])
        self.assertEqual(Ticket.objects.count(), 0)

    def test_text_that_cannot_be_stored_is_refused_in_the_documented_format_and_nothing_is_written(self):
        # PostgreSQL's text and jsonb refuse NUL; UTF-8 cannot encode a lone surrogate.
        for text in ("东门\x00僵尸车", "东门\ud800僵尸车"):
            for body in (self.complaint(description=text), {"text": "僵尸车", "sender": text}):
                path = "/api/v1/tickets" if "description" in body else "/api/v1/messages"
                with self.subTest(path=path, text=repr(text)):
                    response = self.client.post(path, json.dumps(body), content_type="application/json",
                                                HTTP_AUTHORIZATION=f"Bearer {self.raw}")
                    self.assertEqual(response.status_code, 400)
                    self.assertIn("无法保存", response.json()["detail"])
        response = self.get("/api/v1/tickets", q="僵尸\x00车")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Ticket.objects.count(), 0)

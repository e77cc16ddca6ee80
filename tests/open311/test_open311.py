"""Open311 GeoReport v2: every answer in both formats, JSON checked against the schemas beside this file."""
import json
from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import jsonschema
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from duban.catalogue.models import Category, Channel
from duban.intake import keys
from duban.ledger.machine import perform
from duban.ledger.models import Ticket
from tests.base import DubanTestCase, png_bytes

PREFIX = "/open311/v2/"
SCHEMAS = Path(__file__).parent / "schemas"
XML_TYPE, JSON_TYPE = "text/xml; charset=utf-8", "application/json; charset=utf-8"
FORM = "application/x-www-form-urlencoded"
NOW = timezone.now


def schema(name):
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


class Open311TestCase(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.key, cls.raw = keys.create("FixMyStreet", Channel.objects.get(code="open311"))

    def get(self, path, **params):
        return self.client.get(PREFIX + path, params)

    def post(self, fmt="json", raw=None, **fields):
        body = {"api_key": raw or self.raw, "service_code": str(self.zombie_car.pk), "lat": "30.5", "long": "114.3",
                "description": "富强小区东门有辆白色轿车停了半年，落满灰尘。", **fields}
        return self.client.post(f"{PREFIX}requests.{fmt}", urlencode(body, doseq=True), content_type=FORM)

    def json(self, response, name, status=200):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], JSON_TYPE)
        body = json.loads(response.content.decode("utf-8"))
        jsonschema.validate(body, schema(name), format_checker=jsonschema.FormatChecker())
        return body

    def xml(self, response, root, status=200):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], XML_TYPE)
        self.assertTrue(response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'))
        tree = ElementTree.fromstring(response.content)
        self.assertEqual(tree.tag, root)
        for node in tree.iter():
            self.assertEqual(node.attrib, {}, node.tag)
            self.assertNotIn("{", node.tag)
        return tree

    def assertError(self, response, status, text):
        body = self.json(response, "errors", status)
        self.assertEqual(body[0]["code"], str(status))
        self.assertIn(text, " ".join(e["description"] for e in body))

    def assertXmlError(self, response, status, text):
        tree = self.xml(response, "errors", status)
        errors = tree.findall("error")
        self.assertTrue(errors)
        self.assertEqual([child.tag for child in errors[0]], ["code", "description"])
        self.assertEqual(errors[0].findtext("code"), str(status))
        self.assertIn(text, " ".join(e.findtext("description") for e in errors))


class DiscoveryAndServiceTests(Open311TestCase):
    def test_discovery_names_the_specification_and_both_formats(self):
        body = self.json(self.get("discovery.json"), "discovery")
        endpoint = body["endpoints"][0]
        self.assertEqual(endpoint["url"], "http://testserver/open311/v2/")
        self.assertEqual(endpoint["formats"], ["text/xml", "application/json"])
        tree = self.xml(self.get("discovery.xml"), "discovery")
        self.assertEqual([f.text for f in tree.findall("endpoints/endpoint/formats/format")],
                         ["text/xml", "application/json"])
        self.assertEqual(tree.findtext("endpoints/endpoint/specification"), "http://wiki.open311.org/GeoReport_v2")
        self.assertRegex(tree.findtext("changeset"), r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

    def test_services_are_the_active_categories_grouped_under_their_parent(self):
        Category.objects.create(name="已停用", parent=self.city_management, active=False)
        body = self.json(self.get("services.json"), "services")
        by_code = {s["service_code"]: s for s in body}
        self.assertEqual(set(by_code), {str(c.pk) for c in (self.city_management, self.parking, self.zombie_car,
                                                             self.sanitation, self.policy)})
        zombie = by_code[str(self.zombie_car.pk)]
        self.assertEqual((zombie["service_name"], zombie["group"], zombie["type"], zombie["metadata"]),
                         ("僵尸车", "停车秩序", "realtime", False))
        self.assertEqual(zombie["description"], "城市管理 › 停车秩序 › 僵尸车")
        tree = self.xml(self.get("services.xml"), "services")
        service = next(s for s in tree.findall("service") if s.findtext("service_code") == str(self.zombie_car.pk))
        self.assertEqual([child.tag for child in service],
                         ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"])
        self.assertEqual(service.findtext("metadata"), "false")

    def test_a_service_definition_has_no_attributes_under_either_spelling_of_the_path(self):
        code = str(self.zombie_car.pk)
        for path in (f"services/{code}.json", f"service/{code}.json"):
            self.assertEqual(self.json(self.get(path), "service_definition"), {"service_code": code, "attributes": []})
        for path in (f"services/{code}.xml", f"service/{code}.xml"):
            tree = self.xml(self.get(path), "service_definition")
            self.assertEqual(tree.findtext("service_code"), code)
            self.assertEqual(list(tree.find("attributes")), [])

    def test_an_unknown_or_inactive_service_is_404_in_both_formats(self):
        retired = Category.objects.create(name="已停用", active=False)
        self.assertError(self.get("services/999999.json"), 404, "Service Code 999999 not found")
        self.assertXmlError(self.get(f"services/{retired.pk}.xml"), 404, "not found")
        self.assertError(self.get("services/abc.json"), 404, "not found")

    def test_the_format_comes_from_the_extension_alone(self):
        response = self.client.get(PREFIX + "services.xml", HTTP_ACCEPT="application/json")
        self.xml(response, "services")
        self.assertEqual(self.get("services.html").status_code, 404)
        self.assertEqual(self.get("services").status_code, 404)
        self.assertEqual(self.get("services.json/").status_code, 404)  # no redirect to a slash, either way
        self.assertError(self.get("nothing.json"), 404, "Not found")

    def test_an_unknown_jurisdiction_is_404_and_an_empty_one_is_none(self):
        self.assertError(self.get("services.json", jurisdiction_id="elsewhere.gov"), 404, "elsewhere.gov")
        self.json(self.get("services.json", jurisdiction_id=""), "services")
        self.json(self.get("services.json", jurisdiction_id="duban"), "services")
        with override_settings(OPEN311_JURISDICTION="city.gov"):
            self.json(self.get("services.json", jurisdiction_id="city.gov"), "services")

    def test_a_wrong_method_is_refused_in_the_open311_format(self):
        response = self.client.post(PREFIX + "services.json", {})
        self.assertError(response, 405, "POST")
        self.assertIn("GET", response["Allow"])


class PostTests(Open311TestCase):
    @override_settings(OPEN311_JURISDICTION="city.gov")
    def test_the_specs_test_vector_makes_one_request(self):
        body = (f"api_key={self.raw}&jurisdiction_id=city.gov&service_code={self.zombie_car.pk}"
                "&lat=37.76524078&long=-122.4212043&address_string=1234+5th+street"
                "&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001")
        response = self.client.post(PREFIX + "requests.xml", body, content_type=FORM)
        tree = self.xml(response, "service_requests")
        requests = tree.findall("request")
        self.assertEqual(len(requests), 1)
        self.assertIsNone(requests[0].find("token"))
        ticket = Ticket.objects.get()
        self.assertEqual(requests[0].findtext("service_request_id"), ticket.number)
        self.assertEqual((ticket.channel.code, ticket.category, ticket.address, ticket.latitude, ticket.longitude),
                         ("open311", self.zombie_car, "1234 5th street", 37.76524078, -122.4212043))
        self.assertEqual(ticket.created_by, self.key.person)
        source = ticket.events.get(seq=1).payload["source"]
        self.assertEqual(source, {"api_key": "FixMyStreet",
                                  "open311": {"attributes": {"WHISPAWN": "123456", "WHISDORN": "COISL001"}}})
        self.assertIn("1234 5th street", ticket.description)  # no description sent: the service and place

    def test_a_json_post_answers_a_bare_array_and_the_matter_is_dispatched(self):
        response = self.post(service_code=str(self.parking.pk), first_name="大爷", last_name="周",
                             phone="13812345678", email="zhou@example.cn", deviceid="ios-42", account_id="u-7",
                             media_url="https://img.example.org/1.jpg")
        body = self.json(response, "created")
        ticket = Ticket.objects.get(number=body[0]["service_request_id"])
        self.assertEqual((ticket.lead_unit, ticket.reporter_name, ticket.reporter_phone, ticket.reporter_email),
                         (self.chengguan, "周大爷", "13812345678", "zhou@example.cn"))
        self.assertEqual((body[0]["account_id"], body[0]["service_notice"]),
                         ("u-7", "Sent to 城市管理行政执法局."))
        sent = ticket.events.get(seq=1).payload["source"]["open311"]
        self.assertEqual(sent, {"device_id": "ios-42", "account_id": "u-7",
                                "media_url": ["https://img.example.org/1.jpg"]})

    def test_a_multipart_post_carries_a_photo_onto_the_receipt(self):
        photo = ("pothole.png", png_bytes(), "image/png")
        response = self.client.post(PREFIX + "requests.json", {
            "api_key": self.raw, "service_code": str(self.sanitation.pk), "address_string": "西山街道路口",
            "description": "路口垃圾三天没人清", "media": SimpleUploadedFile(*photo)})
        ticket = Ticket.objects.get(number=self.json(response, "created")[0]["service_request_id"])
        self.assertEqual(ticket.attachment_set.get().event.seq, 1)

    def test_attributes_with_several_values_are_kept_as_lists(self):
        self.json(self.post(**{"attribute[SIDE][]": ["north", "east"], "attribute[NOTE]": "", "attribute[N]": "3"}),
                  "created")
        sent = Ticket.objects.get().events.get(seq=1).payload["source"]["open311"]
        self.assertEqual(sent["attributes"], {"SIDE": ["north", "east"], "N": "3"})

    def test_without_a_key_or_with_a_bad_or_revoked_one_it_is_403(self):
        self.assertError(self.post(raw="dbk_wrong"), 403, "Invalid api_key received")
        no_key = self.client.post(PREFIX + "requests.xml", {"service_code": str(self.zombie_car.pk), "lat": "1",
                                                              "long": "2"})
        self.assertXmlError(no_key, 403, "Invalid api_key")
        keys.revoke(self.key)
        self.assertError(self.post(), 403, "api_key")
        self.assertEqual(Ticket.objects.count(), 0)

    def test_the_key_may_come_in_the_query_string(self):
        body = urlencode({"service_code": self.zombie_car.pk, "address_string": "富强小区东门"})
        response = self.client.post(f"{PREFIX}requests.json?api_key={self.raw}", body, content_type=FORM)
        self.json(response, "created")

    def test_empty_optional_parameters_are_the_same_as_absent_ones(self):
        response = self.post(jurisdiction_id="", email="", phone="", description="", device_id="", media_url="")
        self.json(response, "created")
        self.assertEqual(Ticket.objects.get().reporter_email, "")

    def test_an_unknown_jurisdiction_or_service_is_404_and_no_service_400(self):
        self.assertError(self.post(jurisdiction_id="city.gov"), 404, "Jurisdiction city.gov not found")
        self.assertError(self.post(service_code="999999"), 404, "Service Code 999999 not found")
        self.assertXmlError(self.post("xml", service_code=""), 400,
                            "Service Code cannot be null -- can't proceed with the request.")
        self.assertEqual(Ticket.objects.count(), 0)

    def test_bad_input_is_a_clear_400_and_nothing_is_written(self):
        xml_body = self.client.post(f"{PREFIX}requests.xml?api_key={self.raw}",
                                    "<request><service_code>1</service_code></request>", content_type="text/xml")
        self.assertXmlError(xml_body, 400, "x-www-form-urlencoded")
        self.assertError(self.post(description="堵" * 4001), 400, "4000")
        self.assertError(self.post(lat="north", long="114.3"), 400, "lat and long")
        self.assertError(self.post(lat="95", long="114.3"), 400, "lat and long")
        self.assertError(self.post(lat="", long=""), 400, "Send a location")
        self.assertError(self.post(media_url="javascript:alert(1)"), 400, "media_url")
        self.assertError(self.post(email="not an address"), 400, "email:")
        several = self.json(self.post(description="堵" * 4001, lat="x"), "errors", 400)
        self.assertEqual(len(several), 2)
        self.assertEqual(Ticket.objects.count(), 0)

    def test_a_retry_with_the_same_idempotency_key_gets_the_same_request(self):
        first = self.json(self._post_with_key("fms-1"), "created")
        again = self._post_with_key("fms-1")
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(self.json(again, "created"), first)
        self.assertEqual(Ticket.objects.count(), 1)

    def _post_with_key(self, idempotency_key):
        body = urlencode({"api_key": self.raw, "service_code": self.zombie_car.pk, "address_string": "富强小区东门"})
        return self.client.post(PREFIX + "requests.json", body, content_type=FORM,
                                HTTP_IDEMPOTENCY_KEY=idempotency_key)

    def test_no_csrf_token_is_needed(self):
        client = Client(enforce_csrf_checks=True)
        body = urlencode({"api_key": self.raw, "service_code": self.zombie_car.pk, "address_string": "富强小区东门"})
        self.json(client.post(PREFIX + "requests.json", body, content_type=FORM), "created")


class ReadTests(Open311TestCase):
    def test_a_request_reads_back_in_both_formats_without_personal_data(self):
        ticket = self.dispatched_ticket(description="东门白色轿车停了半年，车主电话13900001111。",
                                        reporter_email="zhou@example.cn", latitude=30.5, longitude=114.3)
        body = self.json(self.get(f"requests/{ticket.number}.json"), "requests")
        self.assertEqual(len(body), 1)
        request = body[0]
        self.assertEqual((request["service_request_id"], request["status"], request["service_code"],
                          request["agency_responsible"], request["lat"]),
                         (ticket.number, "open", str(self.zombie_car.pk), "城市管理行政执法局", 30.5))
        self.assertIn("139****1111", request["description"])
        self.assertIsNotNone(request["expected_datetime"])
        xml = self.get(f"requests/{ticket.number}.xml")
        tree = self.xml(xml, "service_requests")
        self.assertEqual([r.findtext("service_request_id") for r in tree.findall("request")], [ticket.number])
        for response in (xml, self.get(f"requests/{ticket.number}.json"), self.get("requests.json")):
            content = response.content.decode()
            for secret in ("周大爷", "13812345678", "13900001111", "zhou@example.cn"):
                self.assertNotIn(secret, content)

    def test_an_unknown_request_is_404_not_an_empty_list(self):
        self.assertError(self.get("requests/JC2025-9999999.json"), 404, "JC2025-9999999")
        self.assertXmlError(self.get("requests/JC2025-9999999.xml"), 404, "not found")

    def test_a_whistle_blowing_report_is_never_shown(self):
        report = self.dispatched_ticket(kind="report", description="举报某店铺占道经营")
        perform(report, "acknowledge", self.handler)
        self.assertEqual(self.json(self.get("requests.json"), "requests"), [])
        self.assertEqual(self.json(self.get("requests.json", service_request_id=report.number), "requests"), [])
        self.assertError(self.get(f"requests/{report.number}.json"), 404, "not found")
        self.assertError(self.get(f"tokens/{report.number}.json"), 404, "not found")
        self.assertEqual(self.json(self.get("servicerequestupdates.json"), "updates"), [])

    def test_the_list_answers_in_both_formats_newest_first(self):
        older = self.new_ticket(at=NOW() - timedelta(days=2))
        newer = self.new_ticket(title="路灯不亮", description="西山街道路灯连续三晚不亮", category=self.sanitation)
        body = self.json(self.get("requests.json"), "requests")
        self.assertEqual([r["service_request_id"] for r in body], [newer.number, older.number])
        tree = self.xml(self.get("requests.xml"), "service_requests")
        self.assertEqual([r.findtext("service_request_id") for r in tree.findall("request")],
                         [newer.number, older.number])
        self.assertEqual([child.tag for child in tree.find("request")], [
            "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
            "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
            "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"])

    def test_without_dates_the_list_stops_at_the_first_thousand(self):
        tickets = [self.new_ticket(at=NOW() - timedelta(hours=h)) for h in (3, 2, 1)]
        with mock.patch("duban.open311.views.LIST_MAX", 2):
            body = self.json(self.get("requests.json"), "requests")
        self.assertEqual([r["service_request_id"] for r in body], [tickets[2].number, tickets[1].number])

    def test_service_request_id_overrides_every_other_filter(self):
        old = self.new_ticket(at=NOW() - timedelta(days=200))
        lamp = self.new_ticket(description="路灯不亮", category=self.sanitation)
        self.new_ticket(description="另一辆车")
        body = self.json(self.get("requests.json", service_request_id=f"{old.number},{lamp.number}",
                                  service_code=str(self.policy.pk), status="closed"), "requests")
        self.assertEqual({r["service_request_id"] for r in body}, {old.number, lamp.number})

    def test_service_code_and_status_take_comma_lists(self):
        car = self.new_ticket()
        lamp = self.new_ticket(description="路灯不亮", category=self.sanitation)
        question = self.new_ticket(description="采暖费补贴怎么申请", category=self.policy, kind="inquiry")
        perform(question, "decline", self.dispatcher, decline_reason="no_substance")
        codes = f"{self.zombie_car.pk},{self.sanitation.pk}"
        found = {r["service_request_id"] for r in self.json(self.get("requests.json", service_code=codes), "requests")}
        self.assertEqual(found, {car.number, lamp.number})
        closed = self.json(self.get("requests.json", status="closed"), "requests")
        self.assertEqual([(r["service_request_id"], r["status"]) for r in closed], [(question.number, "closed")])
        self.assertEqual(len(self.json(self.get("requests.json", status="open,closed"), "requests")), 3)
        self.assertError(self.get("requests.json", status="pending"), 400, "pending")

    def test_dates_filter_requested_datetime_within_at_most_90_days(self):
        old = self.new_ticket(at=NOW() - timedelta(days=100))
        month = self.new_ticket(at=NOW() - timedelta(days=30), description="路灯不亮", category=self.sanitation)
        today = self.new_ticket(description="另一辆车")

        def listed(**query):
            return [r["service_request_id"] for r in self.json(self.get("requests.json", **query), "requests")]

        self.assertEqual(listed(), [today.number, month.number])  # no dates: the last 90 days
        start, end = NOW() - timedelta(days=120), NOW() - timedelta(days=31)
        self.assertEqual(listed(start_date=start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                end_date=end.strftime("%Y-%m-%dT%H:%M:%S+00:00")), [old.number])
        local = timezone.localtime(NOW() - timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
        self.assertEqual(listed(start_date=local), [today.number, month.number])
        self.assertError(self.get("requests.json", start_date="yesterday"), 400, "start_date")
        self.assertError(self.get("requests.json", start_date="2025-01-01T00:00:00Z",
                                  end_date="2025-06-01T00:00:00Z"), 400, "90 days")
        self.assertError(self.get("requests.json", start_date="2025-06-01T00:00:00Z",
                                  end_date="2025-05-01T00:00:00Z"), 400, "before")

    def test_an_offset_sent_unencoded_still_reads(self):
        ticket = self.new_ticket()
        at = timezone.localtime(ticket.created_at - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
        response = self.client.get(PREFIX + "requests.json?start_date=" + at)  # "+" arrives as a space
        self.assertEqual([r["service_request_id"] for r in self.json(response, "requests")], [ticket.number])

    def test_closed_declined_and_merged_are_closed_with_their_notes(self):
        resolved = self.resolved_ticket()
        perform(resolved, "verify", self.supervisor)
        perform(resolved, "close", self.supervisor)
        declined = self.new_ticket(description="问一个与本市无关的问题", category=self.policy)
        perform(declined, "decline", self.dispatcher, decline_reason="no_substance")
        merged = self.new_ticket(description="另一位市民说的同一辆车")
        perform(merged, "merge", self.dispatcher, target=self.new_ticket())
        listed = {r["service_request_id"]: r for r in self.json(self.get("requests.json"), "requests")}
        self.assertEqual((listed[resolved.number]["status"], listed[resolved.number]["status_notes"]),
                         ("closed", "已联系车主将车辆拖离"))
        self.assertEqual((listed[declined.number]["status"], listed[declined.number]["status_notes"]),
                         ("closed", "no substance, cannot be verified"))
        self.assertNotIn(merged.number, listed)  # the ticket it joined is listed instead
        alone = self.json(self.get(f"requests/{merged.number}.json"), "requests")[0]
        self.assertEqual(alone["status"], "closed")
        self.assertRegex(alone["status_notes"], r"^Merged into ticket JC\d{4}-\d+\.$")

    def test_a_token_answers_with_the_request_number(self):
        ticket = self.new_ticket()
        self.assertEqual(self.json(self.get(f"tokens/{ticket.number}.json"), "tokens"),
                         [{"service_request_id": ticket.number, "token": ticket.number}])
        tree = self.xml(self.get(f"tokens/{ticket.number}.xml"), "service_requests")
        self.assertEqual([child.tag for child in tree.find("request")], ["service_request_id", "token"])
        self.assertError(self.get("tokens/nothing.json"), 404, "nothing")

    def test_a_request_sent_with_a_media_url_shows_it(self):
        self.post(media_url=["https://img.example.org/1.jpg", "https://img.example.org/2.jpg"])
        body = self.json(self.get("requests.json"), "requests")
        self.assertEqual(body[0]["media_url"], "https://img.example.org/1.jpg")


class UpdateTests(Open311TestCase):
    def test_updates_are_the_changes_of_state_within_the_window(self):
        ticket = self.new_ticket(at=NOW() - timedelta(days=3))
        dispatch = perform(ticket, "dispatch", self.dispatcher, at=NOW() - timedelta(days=2))
        perform(ticket, "note", self.handler, text="车主电话13900001111，已联系")
        acknowledge = perform(ticket, "acknowledge", self.handler)
        start = (NOW() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        end = (NOW() + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = self.json(self.get("servicerequestupdates.json", start_date=start, end_date=end), "updates")
        self.assertEqual([u["update_id"] for u in body], [str(acknowledge.pk)])  # the dispatch is outside
        self.assertEqual((body[0]["service_request_id"], body[0]["status"], body[0]["description"],
                          body[0]["external_status_code"]), (ticket.number, "open", "acknowledged", "acknowledged"))
        everything = self.json(self.get("servicerequestupdates.json"), "updates")
        self.assertEqual([u["update_id"] for u in everything], [str(dispatch.pk), str(acknowledge.pk)])
        self.assertEqual(everything[0]["description"], "Sent to 城市管理行政执法局.")
        self.assertNotIn("13900001111", json.dumps(everything, ensure_ascii=False))  # notes stay inside
        tree = self.xml(self.get("servicerequestupdates.xml", start_date=start, end_date=end),
                        "service_request_updates")
        self.assertEqual([u.findtext("update_id") for u in tree.findall("request_update")], [str(acknowledge.pk)])
        self.assertEqual([child.tag for child in tree.find("request_update")], [
            "update_id", "service_request_id", "status", "updated_datetime", "description", "media_url",
            "external_status_code"])

    def test_a_resolution_and_a_close_are_told_as_they_were(self):
        ticket = self.resolved_ticket()
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        body = self.json(self.get("servicerequestupdates.json"), "updates")
        self.assertEqual([(u["status"], u["description"]) for u in body][-3:],
                         [("open", "已联系车主将车辆拖离"), ("open", "verified"), ("closed", "closed")])
        self.assertEqual(len({u["update_id"] for u in body}), len(body))

    def test_the_window_is_at_most_90_days(self):
        self.assertError(self.get("servicerequestupdates.json", start_date="2025-01-01T00:00:00Z",
                                  end_date="2025-12-01T00:00:00Z"), 400, "90 days")
        self.assertXmlError(self.get("servicerequestupdates.xml", end_date="soon"), 400, "end_date")


class LanguageTests(Open311TestCase):
    def test_answers_are_in_english_unless_the_caller_asks_for_chinese(self):
        ticket = self.dispatched_ticket()
        perform(ticket, "acknowledge", self.handler)
        english = self.json(self.get("servicerequestupdates.json"), "updates")
        self.assertEqual(english[-1]["description"], "acknowledged")
        chinese = self.client.get(PREFIX + "servicerequestupdates.json", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertEqual(self.json(chinese, "updates")[-1]["description"], "已签收")

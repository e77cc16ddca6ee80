"""Open311 GeoReport v2 under arbitrary input (hypothesis): never a 500, always its own error format.

POSTed requests get arbitrary form fields and values — Chinese, control characters, huge values,
numbers where text belongs and text where numbers belong, coordinates out of range, unknown
service codes, bad api keys, foreign jurisdictions — and GETs get arbitrary query parameters and
path segments, in .json and .xml. Every answer is 200 in the requested format, or a 4xx whose body
is Open311's list of {code, description} with the status as code; a refused POST writes nothing.
"""
import json
from urllib.parse import quote, urlencode

from defusedxml import ElementTree
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from django.test import override_settings
from hypothesis.extra.django import TestCase

from duban.catalogue.models import Channel
from duban.intake import keys
from duban.ledger.models import Ticket
from tests.base import build_city

PREFIX = "/open311/v2/"
FORM = "application/x-www-form-urlencoded"
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Any text a form can carry (UTF-8 cannot carry lone surrogates), Chinese, and the nasty ones.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
CHINESE = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=30)
NASTY = st.sampled_from([
    "", " ", "\x00", "\x1b[31m", "\r\n", "NaN", "inf", "-inf", "1e309", "-0", "0x1F", "99999999999999999999999",
    "-1", "1.5", "true", "null", "[]", "{}", "<a>&amp;</a>", "'; DROP TABLE ledger_ticket; --", "%s%n",
    "2025-13-45T99:99:99Z", "2025-11-24", "2025-11-24T09:00:00 08:00", "1970-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z", "JC2025-0000001", ",,,,", "1," * 2000, "啊" * 5000, "x" * 100_000,
    "http://", "javascript:alert(1)", "https://例子.测试/图.jpg", "\u202e\ufeff\u200b",
])
VALUE = st.one_of(ANY_TEXT, CHINESE, NASTY, st.integers().map(str), st.floats().map(str))
FIELDS = ["api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id",
          "email", "device_id", "account_id", "first_name", "last_name", "phone", "description",
          "media_url", "attribute[WHERE]", "attribute[WHEN][]", "attribute[]", "attribute[[x]]"]
NAME = st.one_of(st.sampled_from(FIELDS), ANY_TEXT.filter(bool))
QUERY = ["jurisdiction_id", "service_request_id", "service_code", "start_date", "end_date", "status",
         "api_key", "page", "format"]
FORMATS = st.sampled_from(["json", "xml"])


def errors_of(response, fmt):
    """The (code, description) pairs of an Open311 error answer, checking its format on the way."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        body = json.loads(response.content.decode("utf-8"))
        assert isinstance(body, list) and body, body
        assert all(isinstance(e, dict) and set(e) == {"code", "description"} for e in body), body
        return [(e["code"], e["description"]) for e in body]
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    tree = ElementTree.fromstring(response.content)
    assert tree.tag == "errors" and len(tree), response.content
    assert all([child.tag for child in error] == ["code", "description"] for error in tree), response.content
    return [(error.findtext("code"), error.findtext("description")) for error in tree]


# The fuzz posts far more than a client may in an hour: the rate limit is not what is tested here.
@override_settings(OPEN311_POSTS_PER_HOUR=1_000_000)
class Open311FuzzTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_city(cls)
        cls.key, cls.raw = keys.create("FixMyStreet", Channel.objects.get(code="open311"))

    def assert_open311_answer(self, response, fmt):
        """200 in the format asked for, or a 4xx in Open311's error format whose codes are the status."""
        self.assertLess(response.status_code, 500, response.content[:500])
        if response.status_code >= 400:
            for code, description in errors_of(response, fmt):
                self.assertEqual(code, str(response.status_code))
                self.assertTrue(description.strip())
            return
        self.assertEqual(response.status_code, 200, response.content[:500])
        if fmt == "json":
            json.loads(response.content.decode("utf-8"))
        else:
            ElementTree.fromstring(response.content)

    def codes(self):
        return st.one_of(st.just(str(self.zombie_car.pk)), st.just(str(self.policy.pk)), VALUE)


class PostedRequestTests(Open311FuzzTestCase):
    @FUZZ
    @given(data=st.data(), fmt=FORMATS)
    @example(data=None, fmt="json")
    def test_any_posted_form_is_a_request_or_an_open311_error_and_a_refusal_writes_nothing(self, data, fmt):
        fields = self.draw_fields(data)
        before = Ticket.objects.count()
        response = self.client.post(f"{PREFIX}requests.{fmt}", urlencode(fields, doseq=True), content_type=FORM)
        self.assert_open311_answer(response, fmt)
        written = Ticket.objects.count() - before
        self.assertEqual(written, 1 if response.status_code == 200 else 0, response.content[:500])

    def draw_fields(self, data):
        """Mostly a plausible request with some fields spoiled; sometimes only noise."""
        fields = {"api_key": [self.raw], "service_code": [str(self.zombie_car.pk)], "lat": ["30.5"],
                  "long": ["114.3"], "description": ["富强小区东门有辆白色轿车停了半年。"]}
        if data is None:
            return fields
        if data.draw(st.booleans()):
            fields["api_key"] = [data.draw(st.one_of(st.just(self.raw), VALUE))]
            fields["service_code"] = [data.draw(self.codes())]
        for name in data.draw(st.lists(NAME, max_size=6)):
            fields[name] = data.draw(st.lists(VALUE, min_size=1, max_size=3))
        if data.draw(st.booleans()):
            fields = {name: values for name, values in fields.items() if data.draw(st.booleans())}
        return fields

    @settings(FUZZ, max_examples=15)
    @given(field=st.sampled_from(["api_key", "service_code", "jurisdiction_id", "lat"]), fmt=FORMATS, data=st.data())
    def test_each_wrong_field_gets_the_status_the_spec_gives_it(self, field, fmt, data):
        """A bad api_key is 403, an unknown service or jurisdiction 404, coordinates out of range 400."""
        wrong, status = {
            "api_key": (VALUE.filter(lambda v: v.strip() and v.strip() != self.raw), 403),
            "service_code": (st.one_of(st.integers(10**6, 10**30).map(str), CHINESE), 404),
            "jurisdiction_id": (CHINESE, 404),
            "lat": (st.floats(allow_nan=False).filter(lambda x: abs(x) > 90).map(str), 400),
        }[field]
        fields = {**self.draw_fields(None), field: [data.draw(wrong)]}
        response = self.client.post(f"{PREFIX}requests.{fmt}", urlencode(fields, doseq=True), content_type=FORM)
        self.assert_open311_answer(response, fmt)
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(Ticket.objects.count(), 0)

    @FUZZ
    @given(body=st.one_of(st.binary(max_size=200), st.just(b'{"service_code": 1}'), st.just(b"<a/>")),
           content_type=st.sampled_from([FORM, "application/json", "text/xml", "multipart/form-data; boundary=x",
                                         "multipart/form-data", "text/plain; charset=gb18030", ""]),
           fmt=FORMATS)
    def test_a_body_that_is_not_a_proper_form_is_refused_in_the_open311_format(self, body, content_type, fmt):
        response = self.client.generic("POST", f"{PREFIX}requests.{fmt}?api_key={self.raw}", body,
                                       content_type=content_type)
        self.assert_open311_answer(response, fmt)
        self.assertEqual(Ticket.objects.count(), 0)


class ReadingTests(Open311FuzzTestCase):
    @FUZZ
    @given(params=st.dictionaries(st.one_of(st.sampled_from(QUERY), NAME), VALUE, max_size=5), fmt=FORMATS,
           path=st.sampled_from(["requests", "services", "discovery", "servicerequestupdates"]))
    @example(params={"service_code": "9" * 30}, fmt="json", path="requests")
    @example(params={"service_request_id": "JC2025-1," * 40_000}, fmt="xml", path="requests")
    @example(params={"start_date": "9999-12-31T23:59:59Z"}, fmt="json", path="requests")
    @example(params={"end_date": "0001-01-01"}, fmt="json", path="servicerequestupdates")
    @example(params={"start_date": "2025-11-24T09:00:00+99:00"}, fmt="xml", path="requests")
    @example(params={"jurisdiction_id": "\x00别处"}, fmt="xml", path="services")
    def test_any_query_string_is_answered_or_refused_in_the_open311_format(self, params, fmt, path):
        response = self.client.get(f"{PREFIX}{path}.{fmt}", params)
        self.assert_open311_answer(response, fmt)

    @FUZZ
    @given(segment=st.one_of(ANY_TEXT.filter(bool), CHINESE, NASTY.filter(bool)), fmt=FORMATS,
           path=st.sampled_from(["services", "service", "requests", "tokens"]))
    @example(segment="9" * 30, fmt="json", path="services")
    @example(segment="9" * 30, fmt="xml", path="service")
    def test_any_path_segment_is_answered_or_refused_in_the_open311_format(self, segment, fmt, path):
        response = self.client.get(f"{PREFIX}{path}/{quote(segment[:2000], safe='')}.{fmt}")
        self.assert_open311_answer(response, fmt)

    @FUZZ
    @given(method=st.sampled_from(["put", "patch", "delete", "options", "trace"]), fmt=FORMATS,
           path=st.sampled_from(["requests", "services", "discovery", "servicerequestupdates", "services/1"]))
    def test_other_methods_are_refused_with_405_in_the_open311_format(self, method, fmt, path):
        response = getattr(self.client, method)(f"{PREFIX}{path}.{fmt}")
        self.assert_open311_answer(response, fmt)
        self.assertEqual(response.status_code, 405)

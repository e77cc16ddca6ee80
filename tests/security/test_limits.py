"""Public submission is limited per address, logins lock after repeated failures, every form POST
needs its CSRF token, and production sends secure cookies and HSTS."""
import json
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client, override_settings

from duban.catalogue.models import Channel
from duban.intake import keys
from duban.ledger.models import Ticket
from tests.base import DubanTestCase
from tests.deploy.conftest import SECRET, child_env, production_env, python
from tests.security.routes import site_routes

FORM = "application/x-www-form-urlencoded"


class RateLimitTests(DubanTestCase):
    def citizen_report(self, address):
        return Client(REMOTE_ADDR=address).post("/report/", {"kind": "complaint", "description": "路灯不亮已经一周了"})

    @override_settings(PUBLIC_REPORTS_PER_HOUR=3)
    def test_the_citizen_form_answers_429_with_a_clear_message_past_the_limit_of_an_address(self):
        for _ in range(3):
            self.assertEqual(self.citizen_report("203.0.113.7").status_code, 302)
        refused = self.citizen_report("203.0.113.7")
        self.assertEqual(refused.status_code, 429)
        self.assertContains(refused, 'id="too-many"', status_code=429)
        self.assertContains(refused, "12345", status_code=429)  # … and where else to turn
        self.assertTrue(0 < int(refused["Retry-After"]) <= 3600)
        self.assertEqual(Ticket.objects.count(), 3)
        self.assertEqual(self.citizen_report("203.0.113.8").status_code, 302)  # another address is not held

    @override_settings(OPEN311_POSTS_PER_HOUR=2)
    def test_open311_posts_answer_429_in_the_open311_format_past_the_limit_of_an_address(self):
        raw = keys.create("FixMyStreet", Channel.objects.get(code="open311"))[1]
        body = urlencode({"api_key": raw, "service_code": str(self.zombie_car.pk), "lat": "30.5", "long": "114.3",
                          "description": "富强小区东门有辆白色轿车停了半年。"})
        client = Client(REMOTE_ADDR="198.51.100.4")
        answers = [client.post("/open311/v2/requests.json", body, content_type=FORM) for _ in range(3)]
        self.assertEqual([a.status_code for a in answers], [200, 200, 429])
        self.assertEqual(answers[-1].json()[0]["code"], "429")
        self.assertIn("Too many requests", Client(REMOTE_ADDR="198.51.100.4", HTTP_ACCEPT_LANGUAGE="en").post(
            "/open311/v2/requests.json", body, content_type=FORM).json()[0]["description"])
        self.assertEqual(Ticket.objects.count(), 2)

    def test_the_admin_login_locks_after_repeated_failures_too(self):
        type(self.handler).objects.create_superuser("root", password="right-password-1")
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post("/admin/login/", {"username": "root", "password": "wrong"})
        locked = client.post("/admin/login/", {"username": "root", "password": "right-password-1"})
        self.assertEqual(locked.status_code, 429)
        self.assertNotIn("_auth_user_id", client.session)


class CsrfTests(DubanTestCase):
    # The only POSTs taken without the token: machine clients that authenticate with a key, not a cookie.
    EXEMPT = {"open311/v2/requests.<open311_format:fmt>", "open311/v2/servicerequestupdates.<open311_format:fmt>",
              "open311/v2/discovery.<open311_format:fmt>", "open311/v2/services.<open311_format:fmt>",
              "open311/v2/services/<str:code>.<open311_format:fmt>",
              "open311/v2/service/<str:code>.<open311_format:fmt>",
              "open311/v2/requests/<str:number>.<open311_format:fmt>",
              "open311/v2/tokens/<str:token>.<open311_format:fmt>", "open311/v2/^(?P<path>.*)$"}

    def test_every_post_without_the_csrf_token_is_refused_for_a_signed_in_person(self):
        from tests.security.test_matrix import POLICY

        ticket = self.dispatched_ticket()
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.supervisor)
        refused, taken = [], []
        for route in sorted(site_routes()):
            path = POLICY[route][0](_Ids(self, ticket))
            answer = client.post(path, {"text": "x"})
            if answer.status_code == 403:
                refused.append(route)
            elif answer.status_code != 405:  # a GET-only address takes no POST at all
                taken.append(route)
        self.assertEqual(sorted(set(taken) - self.EXEMPT), [])
        self.assertGreater(len(refused), 80)
        self.assertEqual(ticket.events.count(), 2)

    def test_the_api_refuses_a_session_post_without_the_token_but_takes_a_key(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.dispatcher)
        body = {"title": "路灯不亮", "description": "路灯不亮已经一周了", "kind": "complaint"}
        self.assertEqual(client.post("/api/v1/tickets", body, content_type="application/json").status_code, 403)
        raw = keys.create("市民App", self.hotline_channel)[1]
        keyed = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
        self.assertEqual(keyed.post("/api/v1/tickets", body, content_type="application/json").status_code, 201)


class _Ids:
    """Enough of the security city's ids for the CSRF walk: every object id is the ticket's or 1
    (the middleware refuses before the view looks anything up)."""

    def __init__(self, case, ticket):
        self.case, self.ticket = case, ticket

    def __getattr__(self, name):
        if name == "closed":
            return self.ticket
        if hasattr(self.case, name):
            return getattr(self.case, name)
        return _One()


class _One:
    pk = 1
    code = "x"
    number = "x"


PRODUCTION_REQUEST = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="12345.example.gov.cn", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="203.0.113.9")
answer = client.get("/login/")
plain = Client(HTTP_HOST="12345.example.gov.cn").get("/login/")
cookie = answer.cookies[settings.CSRF_COOKIE_NAME]
print(json.dumps({"status": answer.status_code, "hsts": answer.get("Strict-Transport-Security"),
                  "plain": [plain.status_code, plain.get("Location")],
                  "csrf_cookie": {"secure": bool(cookie["secure"]), "samesite": cookie["samesite"]},
                  "settings": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
                               settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE]}))
"""


def test_a_production_response_carries_hsts_and_secure_cookies(collected_static):
    env = child_env(**{**production_env(), "SECRET_KEY": SECRET, "DJANGO_SETTINGS_MODULE": "duban.settings",
                       "STATIC_ROOT": str(collected_static)})
    done = python("-c", PRODUCTION_REQUEST, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["status"] == 200
    assert found["hsts"] == "max-age=31536000; includeSubDomains"
    assert found["plain"] == [301, "https://12345.example.gov.cn/login/"]
    assert found["csrf_cookie"] == {"secure": True, "samesite": "Lax"}
    assert found["settings"] == [True, True, True, "Lax"]

"""Logging in: Argon2 hashes, a lock after repeated failures, safe cookies; each person's front door."""
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from tests.base import DubanTestCase

PASSWORD = "correct-horse-battery-staple"


class LoginTests(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.handler.set_password(PASSWORD)
        cls.handler.save()

    def log_in(self, password=PASSWORD, username="huang"):
        return self.client.post(reverse("web:login"), {"username": username, "password": password})

    def test_passwords_are_hashed_with_argon2(self):
        self.handler.refresh_from_db()
        self.assertEqual(identify_hasher(self.handler.password).algorithm, "argon2")

    def test_handler_logs_in_and_lands_on_the_units_queue(self):
        self.assertRedirects(self.log_in(), "/", fetch_redirect_response=False)
        self.assertRedirects(self.client.get("/"), reverse("web:work"))

    def test_each_role_has_its_front_door(self):
        for person, page in ((self.dispatcher, "web:hotline"), (self.supervisor, "web:oversight"),
                             (self.steward, "web:steward"), (self.unit_head, "web:work")):
            self.client.force_login(person)
            self.assertRedirects(self.client.get("/"), reverse(page), msg_prefix=person.username)

    def test_login_locks_after_repeated_failures(self):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.assertEqual(self.log_in("wrong").status_code, 200)
        locked = self.log_in("wrong")
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, 'id="locked-out"', status_code=429)
        right = self.log_in()
        self.assertEqual(right.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lock_is_for_that_name_from_that_address_only(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.log_in("wrong")
        elsewhere = self.client.post(reverse("web:login"), {"username": "huang", "password": PASSWORD},
                                     REMOTE_ADDR="10.9.8.7")
        self.assertEqual(elsewhere.status_code, 302)

    def test_session_cookie_is_http_only_and_same_site(self):
        self.log_in()
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")

    def test_the_login_form_needs_the_csrf_token(self):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        response = strict.post(reverse("web:login"), {"username": "huang", "password": PASSWORD})
        self.assertEqual(response.status_code, 403)

    def test_logging_out_takes_a_post(self):
        self.client.force_login(self.handler)
        self.assertEqual(self.client.get(reverse("web:logout")).status_code, 405)
        self.client.post(reverse("web:logout"))
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_staff_pages_send_strangers_to_the_login(self):
        for name in ("web:work", "web:hotline", "web:oversight", "web:steward"):
            response = self.client.get(reverse(name))
            self.assertRedirects(response, reverse("web:login") + "?next=" + reverse(name),
                                 fetch_redirect_response=False)

    def test_a_handler_cannot_open_the_hotline_console(self):
        self.client.force_login(self.handler)
        self.assertEqual(self.client.get(reverse("web:hotline")).status_code, 403)
        self.assertEqual(self.client.get(reverse("web:received")).status_code, 403)

    def test_admin_api_and_open311_still_answer(self):
        self.assertEqual(self.client.get("/admin/login/").status_code, 200)
        self.assertEqual(self.client.get("/api/v1/openapi.json").status_code, 200)
        self.assertEqual(self.client.get("/open311/v2/discovery.json").status_code, 200)

    def test_the_pages_switch_to_english(self):
        page = self.client.get(reverse("web:report"))
        self.assertContains(page, 'lang="zh-hans"')
        self.client.post(reverse("set_language"), {"language": "en", "next": "/report/"})
        page = self.client.get(reverse("web:report"))
        self.assertContains(page, 'lang="en"')
        self.assertContains(page, "Report a matter")


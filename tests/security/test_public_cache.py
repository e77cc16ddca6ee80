"""Pages a shared cache may keep (Cache-Control: public) carry no CSRF token and set no cookie, so one
visitor's token or session never reaches another; the language is switched by a plain link."""
from django.test import Client

from tests.security.city import SecurityCity

PUBLIC_PAGES = ("/board/", "/pledges/")


class PublicCacheTests(SecurityCity):
    def test_public_cacheable_pages_carry_no_csrf_token_and_set_no_cookie(self):
        for path in PUBLIC_PAGES:
            with self.subTest(path=path):
                answer = Client().get(path)
                self.assertEqual(answer.status_code, 200)
                self.assertIn("public", answer["Cache-Control"])
                html = answer.content.decode()
                self.assertNotIn("csrfmiddlewaretoken", html)
                self.assertNotIn("X-CSRFToken", html)
                self.assertEqual(dict(answer.cookies), {})
                self.assertFalse(answer.has_header("Set-Cookie"))

    def test_every_page_that_says_public_is_one_of_them(self):
        from tests.security.test_matrix import POLICY

        anonymous = Client()
        cached = set()
        for route, (path, _expected) in POLICY.items():
            answer = anonymous.get(path(self))
            if "public" in answer.get("Cache-Control", ""):
                cached.add(path(self).split("?")[0])
        self.assertEqual(cached, set(PUBLIC_PAGES))

    def test_the_language_link_sets_the_language_and_goes_back(self):
        client = Client()
        answer = client.get("/language/en/?next=/board/")
        self.assertEqual((answer.status_code, answer["Location"]), (302, "/board/"))
        self.assertEqual(answer.cookies["django_language"].value, "en")
        self.assertEqual(client.get("/board/")["Content-Language"], "en")
        self.assertIn('id="language-zh-hans"', client.get("/board/").content.decode())

    def test_the_language_link_goes_nowhere_else_and_ignores_unknown_languages(self):
        answer = Client().get("/language/xx/?next=https://evil.example/")
        self.assertEqual(answer["Location"], "/")
        self.assertNotIn("django_language", answer.cookies)

    def test_a_signed_in_page_still_has_its_csrf_token_for_htmx(self):
        client = Client()
        client.force_login(self.dispatcher)
        self.assertIn("X-CSRFToken", client.get("/hotline/").content.decode())

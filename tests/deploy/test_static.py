"""Static files: WhiteNoise serves them from the app itself — in development and tests straight from
the apps' folders, in production the collected copies under hashed names, cached for ten years."""
import json
from pathlib import Path

from django.template import engines
from django.test import Client

import duban.web
from tests.deploy.conftest import SECRET, child_env, production_env, python

TEN_YEARS = "max-age=315360000"
STYLESHEET = Path(duban.web.__file__).parent / "static" / "web" / "web.css"


def static_url(name):
    return engines["django"].from_string("{% load static %}{% static name %}").render({"name": name})


def test_without_collected_files_a_static_url_is_the_plain_name():
    assert static_url("web/web.css") == "/static/web/web.css"


def test_without_collected_files_whitenoise_serves_the_file_from_its_app():
    response = Client().get("/static/web/web.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == STYLESHEET.read_bytes()
    assert "Cookie" not in response.get("Vary", "")  # answered before any session is read


PRODUCTION_CLIENT = """
import json, django
django.setup()
from django.test import Client
from django.template import engines
client = Client()
url = engines["django"].from_string("{% load static %}{% static 'web/web.css' %}").render({})
hashed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
plain = client.get("/static/web/web.css")
print(json.dumps({"url": url, "status": hashed.status_code, "cache": hashed["Cache-Control"],
                  "encoding": hashed.get("Content-Encoding", ""), "plain_cache": plain["Cache-Control"]}))
"""


def test_in_production_pages_link_the_hashed_copy_which_is_cached_for_ten_years(collected_static):
    env = child_env(**{**production_env(), "SECRET_KEY": SECRET, "STATIC_ROOT": str(collected_static),
                       "SECURE_SSL_REDIRECT": "false", "ALLOWED_HOSTS": "testserver",
                       "DATABASE_URL": "sqlite:///:memory:", "DATABASE_REPLICA_URL": "",
                       "DJANGO_SETTINGS_MODULE": "duban.settings"})
    done = python("-c", PRODUCTION_CLIENT, env=env)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["url"].startswith("/static/web/web.") and seen["url"] != "/static/web/web.css"
    assert seen["status"] == 200
    assert TEN_YEARS in seen["cache"] and "immutable" in seen["cache"]
    assert seen["encoding"] == "gzip"
    assert TEN_YEARS not in seen["plain_cache"]  # the unhashed name may change: cached briefly

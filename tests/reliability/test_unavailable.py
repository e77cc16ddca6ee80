"""duban/web/unavailable.py: while the database cannot be reached every interface answers 503 with
Retry-After in its own error format, never a 500; and the next request after it is back is served."""
import json
from contextlib import contextmanager
from xml.etree import ElementTree

import pytest
from django.db import connections
from django.test import Client, override_settings
from django.utils import translation

from duban.catalogue.models import Channel
from duban.intake import keys
from duban.web.unavailable import MESSAGE


@pytest.fixture
def api_key(db):
    return keys.create("市民App", Channel.objects.get(code="app"))[1]


@contextmanager
def out_of_reach(tmp_path):
    """The database out of reach for the block: the default connection replaced by one to a SQLite file in
    a folder that does not exist (on PostgreSQL, to a port where nothing listens); put back afterwards.
    (The test database itself cannot be closed: an in-memory SQLite database would be lost.)"""
    real = connections["default"]
    settings = dict(real.settings_dict)
    if real.vendor == "sqlite":
        settings["NAME"] = str(tmp_path / "no-such-folder" / "duban.sqlite3")
    else:
        settings["PORT"] = "1"
    broken = type(real)(settings, "default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = real


@pytest.fixture
def unreachable(db, tmp_path):
    with out_of_reach(tmp_path):
        yield


def client():
    return Client(raise_request_exception=False)


@override_settings(UNAVAILABLE_RETRY_SECONDS=7)
def test_a_page_answers_503_with_retry_after_and_a_bilingual_page(unreachable):
    response = client().get("/board/")

    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    page = response.content.decode()
    with translation.override("en"):
        english = str(MESSAGE)
    with translation.override("zh-hans"):
        chinese = str(MESSAGE)
    assert english in page and chinese in page
    assert "The service is briefly unavailable" in english


def test_the_api_answers_503_in_its_json_error_format(api_key, unreachable):
    response = client().get("/api/v1/categories", HTTP_AUTHORIZATION=f"Bearer {api_key}")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"detail": str(MESSAGE)}


def test_an_idempotent_post_answers_503_when_the_middleware_cannot_read_its_records(api_key, unreachable):
    """The idempotency middleware reads the database before any view runs: that 500 becomes a 503 too."""
    response = client().post("/api/v1/tickets", {"description": "路灯不亮"}, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {api_key}", HTTP_IDEMPOTENCY_KEY="unavailable-1")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert json.loads(response.content) == {"detail": str(MESSAGE)}


def test_open311_answers_503_in_the_open311_error_format_of_the_url(unreachable):
    as_json = client().get("/open311/v2/services.json")
    as_xml = client().get("/open311/v2/services.xml")

    assert as_json.status_code == as_xml.status_code == 503
    assert as_json["Retry-After"] == as_xml["Retry-After"] == "5"
    with translation.override("en"):
        english = str(MESSAGE)
    assert json.loads(as_json.content) == [{"code": "503", "description": english}]
    assert ElementTree.fromstring(as_xml.content).find("error/description").text == english


def test_the_app_serves_again_once_the_database_is_back(api_key, tmp_path):
    with out_of_reach(tmp_path):
        assert client().get("/api/v1/categories", HTTP_AUTHORIZATION=f"Bearer {api_key}").status_code == 503

    response = client().get("/api/v1/categories", HTTP_AUTHORIZATION=f"Bearer {api_key}")

    assert response.status_code == 200


def test_other_server_errors_stay_500(db):
    """Only the database's absence is a 503: a bug is still a 500, not hidden behind a retry hint."""
    with override_settings(ROOT_URLCONF="tests.reliability.broken_urls"):
        response = client().get("/broken/")

    assert response.status_code == 500
    assert "Retry-After" not in response

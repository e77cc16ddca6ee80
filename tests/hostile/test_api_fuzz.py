"""The REST API fuzzed from its own OpenAPI document (schemathesis), in process, on the WSGI app.

Every operation gets bounded, repeatable examples (valid and invalid), once with a real API key of a
dispatcher over the city and once with no credentials. Two things must hold for every answer:
no 5xx, and every 4xx is the documented error body {"detail": "…", "errors": {"field": ["…"]}}.
"""
import json
from types import SimpleNamespace

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from duban.api.api import api
from duban.catalogue.models import Channel
from duban.intake import keys
from duban.lib.text import storable
from duban.ledger.machine import perform, receive
from tests.base import build_city, photo

# One city per operation (a function-scoped fixture) serves all its examples, on purpose.
FUZZ = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = get_wsgi_application()


def documented_error_format(ctx, response, case):
    """A 4xx is JSON {"detail": str, "errors"?: {field: [str, …]}} and nothing else."""
    if not 400 <= response.status_code < 500:
        return None
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), response.headers
    body = json.loads(response.content)
    assert isinstance(body, dict) and set(body) <= {"detail", "errors"}, body
    assert isinstance(body.get("detail"), str) and body["detail"].strip(), body
    for field, messages in body.get("errors", {}).items():
        assert isinstance(field, str) and field, body
        assert isinstance(messages, list) and messages and all(isinstance(m, str) and m for m in messages), body
    return None


CHECKS = [not_a_server_error, documented_error_format]


@pytest.fixture
def city(db):
    """The test city and a key acting as a dispatcher over it; requests share the test's transaction.

    The WSGI handler closes "old" connections when a request starts and finishes, which would end the
    test's transaction; Django's own test client disconnects the same receivers while it calls the app.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        place = SimpleNamespace()
        build_city(place)
        place.key, place.raw = keys.create("模糊测试", Channel.objects.get(code="app"))
        place.ticket = receive(actor=place.dispatcher, kind="complaint", category=place.zombie_car,
                               channel=place.hotline_channel, title="僵尸车占道", description="白色轿车停了半年",
                               area=place.grid, reporter_name="周大爷", reporter_phone="13812345678")
        perform(place.ticket, "dispatch", place.dispatcher)
        perform(place.ticket, "acknowledge", place.handler)
        perform(place.ticket, "resolve", place.handler, text="已拖离", files=[photo()])
        place.attachment = place.ticket.attachment_set.get()
        yield place
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@schema.given(real=st.booleans())
@FUZZ
def test_no_operation_answers_5xx_or_an_undocumented_error_with_a_key(case, real, city):
    """Half the examples name the real ticket, attachment, action and format, so they get past the 404."""
    real_values = {"number": city.ticket.number, "pk": city.attachment.pk,
                   "action": "note", "fmt": "csv"}
    if real and case.path_parameters:
        case.path_parameters.update({name: real_values[name] for name in case.path_parameters})
    response = case.call(headers={"Authorization": f"Bearer {city.raw}"})
    case.validate_response(response, checks=CHECKS)
    assert response.status_code != 401, "the key must authenticate"


@schema.parametrize()
@settings(FUZZ, max_examples=5)
def test_without_credentials_every_operation_answers_401_in_the_documented_format(case, city):
    """401, or 405 for another method; an address no database can store (a NUL) is refused with 400 at
    the door, before anyone asks who is calling."""
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    expected = {401 if case.method.upper() == case.operation.method.upper() else 405}
    if not storable([case.path_parameters, case.query]):  # whether it reaches the server depends on the encoding
        expected.add(400)
    assert response.status_code in expected, response.content

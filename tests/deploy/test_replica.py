"""The heavy read pages read from the replica when one is configured; writes never go there."""
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connections, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.catalogue.models import RequestKind
from duban.ledger.machine import perform, receive
from duban.ledger.models import State
from duban.lib.replica import REPLICA, reads_replica
from duban.org.models import Unit
from tests.base import build_city

pytestmark = [pytest.mark.usefixtures("replica"),
              pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", REPLICA])]


def city():
    people = SimpleNamespace()
    build_city(people)
    return people


def queries_on_both(do):
    """Run `do()`; the SQL it sent to default and to the replica."""
    with CaptureQueriesContext(connections["default"]) as on_default:
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            result = do()
    return result, [q["sql"] for q in on_default], [q["sql"] for q in on_replica]


def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


def test_the_dashboard_reads_its_figures_from_the_replica():
    people = city()
    client = signed_in(people.supervisor)
    page, on_default, on_replica = queries_on_both(lambda: client.get(reverse("figures:dashboard")))
    assert page.status_code == 200
    assert any("figures_unitday" in sql for sql in on_replica), on_default
    # The primary only hears who is asking: the session and the signed-in person.
    assert on_default and all("django_session" in sql or "org_person" in sql for sql in on_default), on_default
    assert not any("figures_" in sql for sql in on_default)


def test_the_public_board_reads_from_the_replica():
    city()
    page, on_default, on_replica = queries_on_both(lambda: Client().get(reverse("figures:board")))
    assert page.status_code == 200
    assert on_replica, on_default
    assert on_default == []


def test_a_write_page_reads_and_writes_the_primary_only():
    people = city()
    ticket = receive(actor=people.dispatcher, kind=RequestKind.COMPLAINT, category=people.zombie_car,
                     channel=people.hotline_channel, title="小区门口僵尸车占道", description="白色轿车停了半年。",
                     address="江南区富强小区东门", area=people.grid)
    perform(ticket, "dispatch", people.dispatcher)
    client = signed_in(people.handler)
    page, on_default, on_replica = queries_on_both(
        lambda: client.post(reverse("web:act", args=[ticket.number, "acknowledge"])))
    assert page.status_code == 302
    assert any(sql.startswith("INSERT") and "ledger_event" in sql for sql in on_default)
    assert on_replica == []
    ticket.refresh_from_db()
    assert ticket.state == State.ACKNOWLEDGED


@reads_replica
def count_then_open_a_unit(request):
    """A marked page that also writes: it reads, then opens a unit and reads it back in the same
    transaction."""
    before = Unit.objects.count()
    with transaction.atomic():
        unit = Unit.objects.create(name="新区筹备组", tier="department")
        again = Unit.objects.get(pk=unit.pk)
    return HttpResponse(f"{before} {again.name}")


def test_a_marked_page_that_writes_writes_to_the_primary_and_reads_its_own_write_there():
    city()
    request = RequestFactory().get("/")
    page, on_default, on_replica = queries_on_both(lambda: count_then_open_a_unit(request))
    assert page.status_code == 200 and page.content.decode().endswith("新区筹备组")
    assert any(sql.startswith("SELECT COUNT(*)") for sql in on_replica)
    assert any(sql.startswith("INSERT") and "org_unit" in sql for sql in on_default)
    assert not any(sql.startswith("INSERT") for sql in on_replica)
    # The read-back inside the transaction is on the primary (the replica may not have the row yet).
    assert sum(sql.startswith("SELECT") and "org_unit" in sql for sql in on_default) == 1
    assert Unit.objects.filter(name="新区筹备组").exists()


def test_the_replica_connection_refuses_a_write():
    with pytest.raises(DatabaseError):
        Unit.objects.using(REPLICA).create(name="不应写入", tier="department")

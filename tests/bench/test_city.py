"""The bench city (bench/city.py): a small one is a ledger the application accepts whole — intact hash
chains, counters equal to the log, call-backs that match their verdicts, histories the state machine
allows — and the same seed makes it again byte for byte."""
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from duban.ledger.integrity import verify
from duban.ledger.machine import TRANSITIONS
from duban.ledger.models import Event, Ticket, TicketCounter
from duban.org.models import Person
from duban.verdict.models import CallBack

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import city  # noqa: E402

SIZE = 2000
SMALL = 300  # for the runs that only compare digests


def quiet(text):
    pass


def digest():
    """One digest of every row the generator writes with its own ids, in id order."""
    parts = []
    with connection.cursor() as cursor:
        for table in ("ledger_ticket", "ledger_event", "ledger_attachment", "verdict_callback", "clock_clockrequest"):
            cursor.execute(f"SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.id)) FROM {table} t")
            parts.append(cursor.fetchone()[0])
    return parts


def catalogue():
    """Every index and constraint of the tables the generator loads, as PostgreSQL describes them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 2",
                       [list(city.BIG_TABLES)])
        indexes = cursor.fetchall()
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = ANY(%s::regclass[]) ORDER BY 2", [list(city.BIG_TABLES)])
        return indexes, cursor.fetchall()


def made_and_undone(size, seed):
    """Generate a city in a savepoint, take its digest and the catalogue's indexes, and undo it all."""
    with transaction.atomic():
        before = catalogue()
        city.generate(size, seed, log=quiet)
        after = catalogue()
        found = digest(), before, after
        transaction.set_rollback(True)
    return found


@pytest.fixture(scope="module")
def runs(django_db_setup, django_db_blocker):
    """Three small cities (two from one seed, one from another), each undone; then the city of SIZE
    tickets, kept for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        found = {"first": made_and_undone(SMALL, 7), "again": made_and_undone(SMALL, 7),
                 "other": made_and_undone(SMALL, 8)}
        found["made"] = city.generate(SIZE, log=quiet)
        yield found
        transaction.set_rollback(True)


pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.usefixtures("runs")]


def test_it_makes_the_tickets_asked_for_numbered_per_year():
    assert Ticket.objects.count() == SIZE
    assert sum(TicketCounter.objects.values_list("value", flat=True)) == SIZE
    for year, value in TicketCounter.objects.values_list("year", "value"):
        assert Ticket.objects.filter(number=f"JC{year}-{value:07d}").exists()
        assert not Ticket.objects.filter(number=f"JC{year}-{value + 1:07d}").exists()


def test_a_closed_matter_takes_six_events_at_least_so_a_ticket_has_about_seven(runs):
    events = Event.objects.count()
    assert runs["made"]["events"] == events
    assert 6 < events / SIZE < 9
    closed = Ticket.objects.filter(state="closed")
    assert closed.count() > SIZE * 0.8
    assert not closed.filter(event_count__lt=6).exists()


def test_verify_ledger_finds_the_ledger_intact():
    report = verify()
    assert report.ok, report.problems[:5]
    assert report.tickets == SIZE
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert "ledger intact" in out.getvalue()


def test_the_counters_are_what_figures_rebuild_would_make():
    out = StringIO()
    call_command("figures", "check", stdout=out)  # raises CommandError naming the first differences
    assert out.getvalue().strip()
    assert connection.cursor().execute("SELECT sum(resolved) FROM figures_unitday").fetchone()[0] \
        == Event.objects.filter(action="resolve").count()


def test_every_step_is_one_the_machine_allows_to_someone_in_that_role():
    roles = dict(Person.objects.values_list("pk", "role"))
    seen = Counter()
    for action, before, after, actor in Event.objects.values_list("action", "from_state", "to_state", "actor"):
        seen[action] += 1
        if action == "receive":
            assert (before, after) == ("", "received")
            continue
        if action == "merge_in":
            assert before == after
            continue
        transition = TRANSITIONS[action]
        assert before in transition.sources, (action, before)
        assert after == (transition.target or before), (action, before, after)
        if actor is None:
            assert transition.system or transition.relation == "system", action
        else:
            assert roles[actor] in transition.roles, (action, roles[actor])
    for action in ("dispatch", "acknowledge", "resolve", "verify", "close", "rate", "escalate", "reopen", "return",
                   "reassign", "unreached", "request_extension", "approve_request", "decline", "merge"):
        assert seen[action], action


def test_the_ticket_row_caches_its_last_event():
    for ticket in Ticket.objects.all()[:200]:
        last = Event.objects.filter(ticket=ticket).order_by("-seq").first()
        assert (ticket.state, ticket.updated_at, ticket.event_count, ticket.head_hash) == \
            (last.to_state, last.at, last.seq, last.hash)


def test_open_matters_are_on_the_clock_some_yellow_some_overdue():
    from duban.clock.deadlines import warning

    open_ones = Ticket.objects.filter(state__in=city.CLOCKED)
    assert open_ones.exists()
    colours = Counter(warning(t, city.NOW) for t in open_ones)
    assert colours["red"] and colours["green"], colours
    assert not open_ones.filter(clock_started_at__isnull=True).exists()


def test_call_backs_follow_the_closings_and_their_verdicts():
    with_phone = Ticket.objects.filter(state="closed").exclude(reporter_phone="")
    assert with_phone.exists()
    assert not with_phone.exclude(call_backs__kind="ordinary").exists()
    assert not CallBack.objects.filter(ticket__reporter_phone="").exists()
    statuses = Counter(CallBack.objects.values_list("status", flat=True))
    assert statuses["done"] > statuses["unreached"] > 0, statuses
    verdicts = {(t, s): a for t, s, a in Event.objects.filter(action__in=("rate", "sample_rate"))
                .values_list("ticket", "seq", "action")}
    for call in CallBack.objects.all():
        if call.status in ("done", "answered"):
            action = verdicts[call.ticket_id, call.verdict_seq]
            assert action == ("sample_rate" if call.kind == "sampled" else "rate")
        else:
            assert call.verdict_seq is None
        if call.status == "unreached":
            assert call.attempts == 3
    unreached = Event.objects.filter(action="unreached").count()
    assert unreached == sum(CallBack.objects.values_list("attempts", flat=True))


def test_the_same_seed_makes_the_same_city_and_another_seed_another(runs):
    assert runs["first"][0] == runs["again"][0]
    assert all(a != b for a, b in zip(runs["first"][0], runs["other"][0]))


def test_indexes_and_constraints_are_made_again_exactly(runs):
    _digest, before, after = runs["first"]
    assert before == after
    indexes, constraints = before
    assert len(indexes) > 30 and len(constraints) > 30
    assert "ticket_unit_queue" in {name for _table, name, _definition in indexes}

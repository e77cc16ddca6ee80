"""The demo city: loaded once, it covers the whole state machine and keeps the ledger intact."""
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from duban.catalogue.dispatch import choose_units
from duban.catalogue.models import Category, Channel, RequestKind
from duban.demo.city import CITY_NAME, LOGINS, PASSWORD
from duban.ledger.integrity import verify
from duban.ledger.machine import TERMINAL_STATES
from duban.ledger.models import Checkpoint, Event, State, Ticket
from duban.org.models import Person, Unit

TICKETS = 300


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--seed-only", "--tickets", str(TICKETS), stdout=StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def stats_json():
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    return json.loads(out.getvalue())


def opened_by_the_programmes():
    """Matters the programmes opened: rectifications of bad ratings, reflections, projects' blockers,
    campaigns' tasks, pledges, inspections' findings, firms' requests."""
    from duban.assessment.models import Reflection
    from duban.campaigns.models import Pledge, Task
    from duban.enterprises.models import EnterpriseRequest
    from duban.inspections.models import Finding
    from duban.projects.models import Blocker
    from duban.verdict.models import Rectification
    return {model.__name__: model.objects.count()
            for model in (Rectification, Reflection, Blocker, Task, Pledge, Finding, EnterpriseRequest)}


def test_it_loads_the_requested_number_of_tickets_and_the_programmes_open_their_own():
    opened = opened_by_the_programmes()
    assert all(opened.values()), opened  # every programme opened matters
    assert Ticket.objects.count() == TICKETS + sum(opened.values())


def test_stats_counts_every_programme():
    stats = stats_json()
    assert sum(stats["projects_by_stage"].values()) > 0
    assert stats["campaigns"]["campaigns"] > 0
    assert stats["pledges"]["pledges"] > 0
    assert stats["inspections"]["rounds"] > 0
    assert sum(stats["surveys_by_status"].values()) > 0
    assert stats["enterprises"]["firms"] > 0


def test_closed_matters_are_called_back_and_rated_and_the_month_is_ranked():
    from duban.figures.figures import Period, ranking
    from duban.verdict.models import CallBack, Sample
    assert CallBack.objects.filter(status=CallBack.Status.DONE).count() > 20
    assert Event.objects.filter(action="rate").count() > 30
    assert Event.objects.filter(action__in=["uphold_appeal", "reject_appeal"]).exists()
    sample = Sample.objects.get()
    assert sample.size > 0 and Event.objects.filter(action="sample_rate").exists()
    now = timezone.localdate()
    month = Period.of_month(now.year, now.month).previous()
    assert any(f.rank for f in ranking(month, min_sample=3))


def test_the_races_and_the_assessments_are_there():
    from duban.assessment.models import Result, Scheme
    from duban.races.models import Indicator, IndicatorValue
    assert Indicator.objects.count() == 3 and IndicatorValue.objects.count() > 100
    assert Scheme.objects.count() == 2 and Result.objects.filter(mark="black").exists()


def test_every_state_of_the_machine_occurs():
    assert set(Ticket.objects.values_list("state", flat=True)) == set(State.values)


def test_every_channel_has_tickets():
    empty = Channel.objects.annotate(n=Count("tickets")).filter(n=0).values_list("code", flat=True)
    assert list(empty) == []


def test_all_five_kinds_occur():
    assert set(Ticket.objects.values_list("kind", flat=True)) == set(RequestKind.values)


def test_most_tickets_are_closed():
    assert Ticket.objects.filter(state=State.CLOSED).count() > TICKETS / 2


def test_some_tickets_fall_back_to_their_district_government():
    fallback = Ticket.objects.filter(dispatch_fallback=True)
    assert fallback.exists()
    assert set(fallback.values_list("lead_unit__tier", flat=True)) <= set(Unit.AREA_GOVERNMENTS)


def test_the_most_specific_dispatch_rule_wins():
    garbage = Category.objects.get(name="垃圾清理")
    in_xishan = Unit.objects.get(name="富强社区第一网格")
    in_wenhua = Unit.objects.get(name="柳浪社区第一网格")
    in_the_zone = Unit.objects.get(name="创新社区第一网格")
    assert choose_units(garbage, in_xishan).lead_unit.name == "西山街道"  # street rule
    assert choose_units(garbage, in_wenhua).lead_unit.name == "江南区城市管理局"  # district rule
    assert choose_units(garbage, in_the_zone).lead_unit.name == "环境卫生管理处"  # category rule


def test_the_ledger_verifies_and_a_checkpoint_covers_every_event():
    report = verify()
    assert report.ok, report.problems
    assert report.tickets == TICKETS + sum(opened_by_the_programmes().values())
    last = Checkpoint.objects.order_by("-upto_event_id").first()
    assert last.upto_event_id == Event.objects.aggregate(Max("pk"))["pk__max"]


def test_no_event_comes_before_the_one_before_it_and_none_is_in_the_future():
    previous = {}
    for ticket_id, at in Event.objects.order_by("ticket_id", "seq").values_list("ticket_id", "at"):
        assert at >= previous.get(ticket_id, at)  # the sweep may climb several steps in one instant
        previous[ticket_id] = at
    assert max(previous.values()) <= timezone.now()


def test_tickets_span_six_months():
    first = Ticket.objects.order_by("created_at").first().created_at
    assert timezone.now() - first > timedelta(days=150)


def test_merged_tickets_point_to_an_open_original():
    merged = Ticket.objects.filter(state=State.MERGED).select_related("merged_into")
    assert merged.exists()
    for ticket in merged:
        assert ticket.merged_into.state not in TERMINAL_STATES


def test_tickets_are_verified_by_a_supervisor_outside_the_lead_unit_who_did_not_resolve_them():
    verifications = Event.objects.filter(action="verify").select_related("actor", "ticket")
    for event in verifications:
        assert event.actor.role == Person.Role.SUPERVISOR
        assert event.actor.unit_id != event.ticket.lead_unit_id
        assert event.actor_id != event.payload["resolver"]


def test_every_demo_person_shares_the_demo_password():
    assert Person.objects.values("password").distinct().count() == 1
    assert Person.objects.get(username=LOGINS[1][0]).check_password(PASSWORD)
    assert not Person.objects.filter(is_staff=False).exists()


def test_only_one_supervisor_may_see_whistle_blowers():
    readers = [p for p in Person.objects.filter(role=Person.Role.SUPERVISOR) if p.has_perm("ledger.view_whistleblower")]
    assert len(readers) == 1


def test_stats_json_counts_match_the_database():
    stats = stats_json()
    assert stats["ledger"] == {"tickets": Ticket.objects.count(), "events": Event.objects.count(),
                               "checkpoints": Checkpoint.objects.count()}
    for state in State.values:
        assert stats["tickets_by_state"][state] == Ticket.objects.filter(state=state).count()
    for kind in RequestKind.values:
        assert stats["tickets_by_kind"][kind] == Ticket.objects.filter(kind=kind).count()
    for channel in Channel.objects.all():
        assert stats["tickets_by_channel"][channel.code] == channel.tickets.count()
    for tier in Unit.Tier.values:
        assert stats["units_by_tier"][tier] == Unit.objects.filter(tier=tier).count()
    for role in Person.Role.values:
        assert stats["people_by_role"][role] == Person.objects.filter(role=role).count()


def test_stats_shows_chinese_labels_first():
    out = StringIO()
    call_command("stats", stdout=out)
    assert "已销号 closed" in out.getvalue()
    assert "工单（按状态） Tickets by state" in out.getvalue()


def test_a_second_load_does_not_duplicate_anything():
    before = stats_json()
    out = StringIO()
    call_command("demo", "--seed-only", "--tickets", str(TICKETS), stdout=out)
    assert "已加载" in out.getvalue()
    assert Unit.objects.filter(name=CITY_NAME).count() == 1
    assert stats_json() == before


def test_the_demo_shows_the_clock_at_work():
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"request_extension", "request_pause", "approve_request", "escalate"} <= actions

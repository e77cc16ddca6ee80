"""The escalation ladder: remind at the deadline, supervise and summon later, each once."""
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from duban.clock.escalation import sweep
from duban.ledger.machine import TransitionError, perform
from duban.ledger.models import Event, Ticket
from duban.notify.models import Outbox
from duban.org.models import Stewardship
from tests import child
from tests.base import DubanTestCase, build_city, photo

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


class LadderCase(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.unit_head.email, cls.unit_head.phone = "zhou@chengguan.example.cn", "13900001111"
        cls.unit_head.save()
        cls.chengguan.head = cls.unit_head
        cls.chengguan.save()
        cls.steward.email = "yu@jiangnan.example.cn"
        cls.steward.save()

    def overdue_ticket(self):
        """Dispatched Monday 3 Nov 2025 09:00 as an inquiry: due Wednesday 5 Nov 17:30."""
        ticket = self.new_ticket(kind="inquiry", at=at("2025-11-03T08:50"))
        perform(ticket, "dispatch", self.dispatcher, at=at("2025-11-03T09:00"))
        self.assertEqual(ticket.resolve_due_at, at("2025-11-05T17:30"))
        return ticket

    def steps(self, ticket):
        return list(ticket.events.filter(action="escalate").values_list("payload__step", flat=True))


class LadderTests(LadderCase):
    def test_nothing_happens_before_the_deadline(self):
        ticket = self.overdue_ticket()
        self.assertEqual(sweep(at("2025-11-05T17:00")), 0)
        self.assertEqual(self.steps(ticket), [])

    def test_the_ladder_climbs_remind_supervise_summon(self):
        ticket = self.overdue_ticket()
        self.assertEqual(sweep(at("2025-11-06T09:00")), 1)
        self.assertEqual(self.steps(ticket), ["remind"])
        self.assertEqual(sweep(at("2025-11-10T17:00")), 0)  # 3 working days after is the 10th's close
        self.assertEqual(sweep(at("2025-11-10T17:31")), 1)
        self.assertEqual(sweep(at("2025-11-12T17:31")), 1)
        self.assertEqual(self.steps(ticket), ["remind", "supervise", "summon"])
        self.assertEqual(sweep(at("2025-12-31T17:31")), 0)
        ticket.refresh_from_db()
        self.assertEqual((ticket.escalation_level, ticket.next_escalation_at), (3, None))

    def test_a_far_overdue_ticket_climbs_every_step_it_missed(self):
        ticket = self.overdue_ticket()
        self.assertEqual(sweep(at("2025-11-28T09:00")), 3)
        self.assertEqual(self.steps(ticket), ["remind", "supervise", "summon"])

    def test_running_the_sweep_twice_never_escalates_or_notifies_twice(self):
        ticket = self.overdue_ticket()
        sweep(at("2025-11-06T09:00"))
        messages = Outbox.objects.count()
        self.assertEqual(sweep(at("2025-11-06T09:00")), 0)
        self.assertEqual(self.steps(ticket), ["remind"])
        self.assertEqual(Outbox.objects.count(), messages)

    def test_each_step_tells_the_unit_head_and_the_steward(self):
        ticket = self.overdue_ticket()
        sweep(at("2025-11-06T09:00"))
        event = ticket.events.get(action="escalate")
        addresses = set(Outbox.objects.filter(event=event).values_list("transport", "address"))
        self.assertEqual(addresses, {("email", "zhou@chengguan.example.cn"), ("sms", "13900001111"),
                                     ("email", "yu@jiangnan.example.cn")})
        body = Outbox.objects.filter(event=event).first().body
        self.assertIn(ticket.number, body)
        self.assertNotIn("13812345678", body)  # never the reporter's phone

    def test_an_ended_stewardship_is_not_told(self):
        Stewardship.objects.filter(person=self.steward).update(ends_on=date(2025, 1, 1))
        ticket = self.overdue_ticket()
        sweep(at("2025-11-06T09:00"))
        self.assertFalse(Outbox.objects.filter(address="yu@jiangnan.example.cn").exists())

    def test_a_resolved_ticket_is_not_escalated(self):
        ticket = self.overdue_ticket()
        perform(ticket, "acknowledge", self.handler, at=at("2025-11-03T10:00"))
        perform(ticket, "resolve", self.handler, text="已答复", at=at("2025-11-05T10:00"))
        self.assertEqual(sweep(at("2025-11-20T09:00")), 0)

    def test_a_paused_ticket_is_not_escalated_and_resumes_later(self):
        ticket = self.overdue_ticket()
        perform(ticket, "request_pause", self.handler, reason="等待法院判决", at=at("2025-11-04T09:00"))
        perform(ticket, "approve_request", self.supervisor, at=at("2025-11-04T10:00"))
        self.assertEqual(sweep(at("2025-11-20T09:00")), 0)
        perform(ticket, "resume", self.supervisor, at=at("2025-11-20T10:00"))
        self.assertGreater(ticket.resolve_due_at, at("2025-11-20T10:00"))

    def test_an_extension_after_a_reminder_starts_the_ladder_again(self):
        ticket = self.overdue_ticket()
        sweep(at("2025-11-06T09:00"))
        perform(ticket, "request_extension", self.handler, reason="需协调供热集团", days=5, at=at("2025-11-06T10:00"))
        perform(ticket, "approve_request", self.supervisor, at=at("2025-11-06T11:00"))
        ticket.refresh_from_db()
        self.assertEqual(ticket.escalation_level, 0)
        self.assertEqual(sweep(at("2025-11-12T09:00")), 0)

    def test_nobody_may_escalate_by_hand(self):
        ticket = self.overdue_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "escalate", self.supervisor, at=at("2025-11-06T09:00"))

    def test_a_leader_supervises_by_hand_with_a_written_demand_and_its_own_deadline(self):
        ticket = self.overdue_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "supervise", self.steward, text="三日内清走", at=at("2025-11-04T09:00"))
        perform(ticket, "supervise", self.steward, text="三日内清走僵尸车并报告", due=at("2025-11-07T17:30"),
                at=at("2025-11-04T09:00"))
        ticket.refresh_from_db()
        self.assertEqual(ticket.demand_due_at, at("2025-11-07T17:30"))
        event = ticket.events.get(action="supervise")
        self.assertEqual(event.payload["demand"], "三日内清走僵尸车并报告")
        self.assertTrue(Outbox.objects.filter(event=event, address="zhou@chengguan.example.cn").exists())

    def test_an_outsider_cannot_supervise(self):
        ticket = self.overdue_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "supervise", self.outsider, text="快办", due=at("2025-11-07T17:30"),
                    at=at("2025-11-04T09:00"))


class City:
    pass


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_schedules_and_runs_the_periodic_tasks():
    """A worker runs tasks in their own transactions, as in production: a transactional test."""
    from django_tasks_db.models import DBTaskResult

    from duban.clock.tasks import ensure_scheduled
    from duban.ledger.machine import receive
    build_city(City)
    ticket = receive(actor=City.dispatcher, kind="inquiry", category=City.zombie_car, channel=City.hotline_channel,
                     title="超期工单", description="后台任务测试", area=City.grid, at=at("2025-11-03T08:50"))
    perform(ticket, "dispatch", City.dispatcher, at=at("2025-11-03T09:00"))
    assert ensure_scheduled() == 3
    assert ensure_scheduled() == 0  # one waiting run of each is enough
    DBTaskResult.objects.update(run_after=at("2025-01-01T00:00"))
    with open(os.devnull, "w") as quiet:
        call_command("worker", "--once", stdout=quiet)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3
    steps = list(ticket.events.filter(action="escalate").values_list("payload__step", flat=True))
    assert steps == ["remind", "supervise", "summon"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_on_postgres_notify_each_step_once():
    build_city(City)
    City.unit_head.email = "zhou@chengguan.example.cn"
    City.unit_head.save()
    City.chengguan.head = City.unit_head
    City.chengguan.save()
    from duban.ledger.machine import receive
    for i in range(60):
        ticket = receive(actor=City.dispatcher, kind="inquiry", category=City.zombie_car,
                         channel=City.hotline_channel, title=f"超期工单 {i}", description="并发督办测试",
                         area=City.grid, at=at("2025-11-03T08:50"))
        perform(ticket, "dispatch", City.dispatcher, at=at("2025-11-03T09:00"))
    env = child.env()
    code = ("import django, os; from tests.child import follow_parent_clock; follow_parent_clock();"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'duban.settings'); django.setup();"
            "from datetime import datetime; from zoneinfo import ZoneInfo;"
            "from duban.clock.escalation import sweep;"
            "print(sweep(datetime(2025, 11, 28, 9, tzinfo=ZoneInfo('Asia/Shanghai')), batch=7))")
    runs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(2)]
    counts = [int(run.communicate(timeout=300)[0].strip()) for run in runs]
    assert sum(counts) == 60 * 3
    assert Event.objects.filter(action="escalate").count() == 60 * 3
    assert Outbox.objects.count() == 60 * 3
    assert Outbox.objects.values("idempotency_key").distinct().count() == 60 * 3
    assert set(Ticket.objects.values_list("escalation_level", flat=True)) == {3}


class ClockStatsTests(LadderCase):
    def test_stats_count_overdue_tickets_and_the_ladder(self):
        from duban.clock.stats import stats
        self.overdue_ticket()
        sweep(at("2025-11-06T09:00"))
        sections = {key: {code: count for code, (_, count) in rows.items()} for key, _, rows in stats()}
        self.assertEqual(sections["clock"], {"green": 0, "yellow": 0, "red": 1, "paused": 0})
        self.assertEqual(sections["escalation"], {"remind": 1, "supervise": 0, "summon": 0})

"""Supervisors and leaders: verify and close or send back, call-backs, supervision, summons, stewardship."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from duban.ledger.machine import perform
from duban.ledger.models import Event, Rating, State
from duban.notify.models import Outbox
from tests.base import DubanTestCase


class OversightTests(DubanTestCase):
    def setUp(self):
        self.client.force_login(self.supervisor)

    def act(self, ticket, action, **data):
        return self.client.post(reverse("web:act", args=[ticket.number, action]), data)

    def test_resolved_tickets_wait_for_verification(self):
        ticket = self.resolved_ticket()
        self.assertContains(self.client.get(reverse("web:oversight")), ticket.number)
        page = self.client.get(reverse("web:ticket", args=[ticket.number]))
        for action in ("verify", "send_back", "supervise"):
            self.assertContains(page, f'data-testid="do-{action}"')

    def test_verify_then_close_through_the_page(self):
        ticket = self.resolved_ticket()
        self.act(ticket, "verify", text="现场核查，车辆已拖离")
        self.assertContains(self.client.get(reverse("web:oversight"), {"tab": "close"}), ticket.number)
        self.act(ticket, "close")
        ticket.refresh_from_db()
        self.assertEqual(ticket.state, State.CLOSED)
        self.assertEqual(list(ticket.events.values_list("action", flat=True))[-2:], ["verify", "close"])

    def test_sending_back_needs_a_reason(self):
        ticket = self.resolved_ticket()
        self.act(ticket, "send_back")
        ticket.refresh_from_db()
        self.assertEqual(ticket.state, State.RESOLVED)
        self.act(ticket, "send_back", reason="现场仍有车辆")
        ticket.refresh_from_db()
        self.assertEqual(ticket.state, State.IN_PROGRESS)

    def test_the_call_back_form_appears_once_the_matter_is_closed(self):
        ticket = self.resolved_ticket()
        page = self.client.get(reverse("web:ticket", args=[ticket.number]))
        self.assertNotContains(page, 'data-testid="do-call-back"')
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        page = self.client.get(reverse("web:ticket", args=[ticket.number]))
        self.assertContains(page, 'data-testid="do-call-back"')

    def test_the_verdict_heard_on_a_call_back_is_recorded(self):
        ticket = self.resolved_ticket()
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        self.client.post(reverse("web:call_back", args=[ticket.number]),
                         {"reached": "yes", "contacted": "yes", "solved": "yes", "rating": Rating.SATISFIED,
                          "text": "群众表示车已拖走"})
        event = Event.objects.get(ticket=ticket, action="rate")
        self.assertEqual((event.actor, event.payload["rating"], event.payload["via"], event.payload["note"]),
                         (self.supervisor, 4, "call_back", "群众表示车已拖走"))

    def test_a_reached_reporter_without_a_rating_is_refused_and_nothing_is_written(self):
        ticket = self.resolved_ticket()
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        count = ticket.events.count()
        page = self.client.post(reverse("web:call_back", args=[ticket.number]), {"reached": "yes"}, follow=True)
        self.assertContains(page, "满意")
        self.assertEqual(ticket.events.count(), count)

    def test_supervising_with_a_written_demand(self):
        ticket = self.dispatched_ticket()
        due = timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        self.act(ticket, "supervise", text="三日内拖离并反馈", due=due)
        event = Event.objects.filter(ticket=ticket).latest("seq")
        self.assertEqual((event.action, event.payload["demand"]), ("supervise", "三日内拖离并反馈"))

    def test_summoning_the_unit_is_a_supervision_with_its_date_and_tells_the_head(self):
        self.unit_head.phone = "13600001234"
        self.unit_head.save()
        self.chengguan.head = self.unit_head
        self.chengguan.save()
        ticket = self.dispatched_ticket()
        due = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        self.client.post(reverse("web:summon", args=[ticket.number]),
                         {"due": due, "place": "市政府3楼会议室", "text": "僵尸车久拖不办"})
        event = Event.objects.filter(ticket=ticket).latest("seq")
        self.assertEqual(event.action, "supervise")
        self.assertIn("约谈", event.payload["demand"])
        self.assertIn("市政府3楼会议室", event.payload["demand"])
        self.assertTrue(Outbox.objects.filter(event=event, recipient=self.unit_head).exists())

    def test_a_summons_in_the_past_is_refused(self):
        ticket = self.dispatched_ticket()
        self.client.post(reverse("web:summon", args=[ticket.number]),
                         {"due": "2020-01-01T09:00", "place": "会议室", "text": "久拖不办"})
        self.assertFalse(Event.objects.filter(ticket=ticket, action="supervise").exists())

    def test_the_district_supervisor_sees_nothing_beside_their_district(self):
        ticket = self.resolved_ticket()
        self.client.force_login(self.district_supervisor)
        self.assertNotContains(self.client.get(reverse("web:oversight")), ticket.number)
        self.assertEqual(self.client.get(reverse("web:ticket", args=[ticket.number])).status_code, 404)


class StewardTests(DubanTestCase):
    def test_a_leader_sees_everything_in_their_stewardship(self):
        ours = self.dispatched_ticket()  # area 富强社区第一网格, inside 西山街道
        beside = self.new_ticket(area=self.jiangbei_community, title="柳浪社区的僵尸车")
        perform(beside, "dispatch", self.dispatcher)
        self.client.force_login(self.steward)
        page = self.client.get(reverse("web:steward"))
        self.assertContains(page, "西山街道")
        self.assertContains(page, ours.number)
        self.assertNotContains(page, beside.number)
        self.assertContains(page, 'id="colour-green"')

    def test_someone_without_a_charge_is_told_so(self):
        self.client.force_login(self.handler)
        self.assertContains(self.client.get(reverse("web:steward")), 'id="no-charges"')

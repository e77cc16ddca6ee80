"""A pledge is a ticket of its owner due on its deadline: progress is noted on it, it completes
through the ledger's life, and when late the sweep escalates it like any matter."""
from datetime import timedelta

from django.utils import timezone

from duban.campaigns import service
from duban.campaigns.models import Pledge, PledgeUpdate
from duban.clock.escalation import sweep
from duban.ledger.machine import perform
from duban.ledger.models import Event, Ticket
from tests.base import photo
from tests.campaigns.base import CampaignTestCase


class PledgeTests(CampaignTestCase):
    def test_a_pledge_is_a_dispatched_ticket_due_on_its_deadline(self):
        pledge = self.pledge(days=30)
        ticket = pledge.ticket
        self.assertEqual((ticket.state, ticket.lead_unit, ticket.kind, ticket.channel.code),
                         ("dispatched", self.chengguan, "suggestion", "supervision"))
        self.assertEqual(timezone.localtime(ticket.resolve_due_at).date(), pledge.deadline)
        self.assertEqual(ticket.events.get(seq=1).payload["source"], {"pledge": pledge.pk})
        self.assertEqual(service.pledge_state(pledge), "in_progress")

    def test_an_overdue_pledge_is_escalated_by_the_sweep(self):
        pledge = self.pledge(days=3)
        later = pledge.ticket.resolve_due_at + timedelta(hours=1)
        self.assertEqual(service.pledge_state(pledge, later), "overdue")
        self.assertEqual(sweep(later), 1)
        ticket = Ticket.objects.get(pk=pledge.ticket.pk)
        self.assertEqual((ticket.escalation_level, ticket.events.last().action), (1, "escalate"))

    def test_a_pledge_resolved_verified_and_closed_is_completed(self):
        pledge = self.pledge()
        service.update_pledge(pledge, self.handler, 100, "已新施划停车泊位4100个", public=True)
        perform(pledge.ticket, "acknowledge", self.handler)
        perform(pledge.ticket, "resolve", self.handler, text="全年任务已完成", files=[photo()])
        self.assertEqual(service.pledge_state(pledge, pledge.ticket.resolve_due_at + timedelta(days=1)), "in_progress")
        perform(pledge.ticket, "verify", self.supervisor)
        perform(pledge.ticket, "close", self.supervisor)
        self.assertEqual(service.pledge_state(pledge), "done")

    def test_an_update_is_a_note_with_its_evidence(self):
        pledge = self.pledge()
        update = service.update_pledge(pledge, self.unit_head, 40, "已施划泊位1600个", public=True, files=[photo()])
        self.assertEqual((update.event.action, update.event.ticket_id), ("note", pledge.ticket.pk))
        self.assertIn("40%", update.event.payload["text"])
        self.assertEqual(pledge.ticket.attachment_set.get().event, update.event)

    def test_a_percent_above_100_is_refused_and_nothing_is_written(self):
        pledge = self.pledge()
        events = Event.objects.count()
        for percent in (120, -1):
            with self.assertRaises(service.CampaignError):
                service.update_pledge(pledge, self.handler, percent, "进展顺利")
        self.assertFalse(PledgeUpdate.objects.exists())
        self.assertEqual(Event.objects.count(), events)

    def test_an_empty_update_is_refused(self):
        with self.assertRaises(service.CampaignError):
            service.update_pledge(self.pledge(), self.handler, 10, "  ")
        self.assertFalse(PledgeUpdate.objects.exists())

    def test_only_the_owners_people_tell_the_progress(self):
        pledge = self.pledge()
        for person in (self.co_handler, self.supervisor, self.outsider):
            with self.assertRaises(service.CampaignError):
                service.update_pledge(pledge, person, 10, "进展顺利")
        self.assertFalse(PledgeUpdate.objects.exists())

    def test_a_number_is_used_once_in_a_list(self):
        self.pledge(number=7)
        with self.assertRaises(service.CampaignError):
            self.pledge(number=7, title="另一项")
        self.assertEqual(Pledge.objects.count(), 1)
        self.assertEqual(Ticket.objects.count(), 1)

    def test_a_deadline_in_the_past_is_refused(self):
        with self.assertRaises(service.CampaignError):
            self.pledge(days=-2)
        self.assertFalse(Pledge.objects.exists())

    def test_a_handler_cannot_give_a_pledge(self):
        with self.assertRaises(service.CampaignError):
            service.add_pledge(self.pledge_list, area="教育", number=1, title="新建学校", target="新建学校8所",
                               owner=self.chengguan, deadline=timezone.localdate() + timedelta(days=9),
                               actor=self.handler)
        self.assertFalse(Pledge.objects.exists())

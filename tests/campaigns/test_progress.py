"""A target counts only its own campaign: its linked tickets once closed, or its tasks' reports."""
from datetime import timedelta

from django.utils import timezone

from duban.campaigns import service
from duban.campaigns.models import CampaignTicket, TaskReport
from duban.clock.escalation import sweep
from duban.ledger.machine import TransitionError, perform
from duban.ledger.models import Event
from tests.base import photo
from tests.campaigns.base import CampaignTestCase


def count_of(target):
    return service.progress([target])[0].count


class TicketTargetTests(CampaignTestCase):
    def test_progress_counts_only_its_campaigns_closed_linked_tickets(self):
        ours = [self.closed_ticket() for _ in range(2)]
        theirs = self.closed_ticket()
        self.closed_ticket()  # the same category, linked to no campaign
        still_open = self.resolved_ticket()
        for ticket in ours + [still_open]:
            service.link(self.parking_campaign, ticket, self.dispatcher)
        service.link(self.sanitation_campaign, theirs, self.dispatcher)
        self.assertEqual(count_of(self.zombie_target), 2)
        self.assertEqual(count_of(self.other_zombies), 1)
        row = service.progress([self.zombie_target])[0]
        self.assertEqual((row.percent, row.met), (67, False))

    def test_a_target_with_a_category_counts_only_that_category(self):
        rubbish = self.closed_ticket(category=self.sanitation, title="垃圾堆放多日无人清运")
        service.link(self.parking_campaign, rubbish, self.supervisor)
        self.assertEqual(count_of(self.zombie_target), 0)

    def test_a_ticket_reopened_after_closing_no_longer_counts(self):
        ticket = self.closed_ticket()
        service.link(self.parking_campaign, ticket, self.dispatcher)
        self.assertEqual(count_of(self.zombie_target), 1)
        perform(ticket, "reopen", self.supervisor, reason="回访中诉求人表示问题未解决")
        self.assertEqual(count_of(self.zombie_target), 0)

    def test_the_same_ticket_is_linked_once(self):
        ticket = self.closed_ticket()
        service.link(self.parking_campaign, ticket, self.dispatcher)
        with self.assertRaises(service.CampaignError):
            service.link(self.parking_campaign, ticket, self.supervisor)
        self.assertEqual(CampaignTicket.objects.count(), 1)

    def test_a_handler_cannot_link_a_ticket(self):
        ticket = self.closed_ticket()
        with self.assertRaises(service.CampaignError):
            service.link(self.parking_campaign, ticket, self.handler)
        self.assertFalse(CampaignTicket.objects.exists())

    def test_the_unlinked_tickets_of_its_categories_are_offered_for_linking(self):
        zombie = self.dispatched_ticket()
        rubbish = self.to_chengguan(category=self.sanitation)
        linked = self.dispatched_ticket()
        service.link(self.parking_campaign, linked, self.dispatcher)
        offered = service.candidates(self.parking_campaign, self.dispatcher)
        self.assertEqual(offered, [zombie])
        self.assertNotIn(rubbish, offered)
        self.assertEqual(service.candidates(self.parking_campaign, self.outsider), [])


class TaskTests(CampaignTestCase):
    def test_a_task_is_a_ticket_dispatched_to_its_unit_due_on_its_date(self):
        task = self.task(days=10)
        ticket = task.ticket
        self.assertEqual((ticket.state, ticket.lead_unit, ticket.kind, ticket.channel.code),
                         ("dispatched", self.chengguan, "suggestion", "supervision"))
        self.assertEqual(timezone.localtime(ticket.resolve_due_at).date(), task.due)
        first = ticket.events.get(seq=1)
        self.assertEqual(first.payload["source"], {"campaign": self.parking_campaign.pk, "task": task.pk})
        self.assertIn("静态交通综合整治行动", ticket.title)

    def test_a_tasks_reports_sum_into_its_target(self):
        task = self.task()
        service.report(task, self.handler, 120, "在富强小区拆除地锁", files=[photo()])
        service.report(task, self.unit_head, 80)
        self.assertEqual(count_of(self.bollards), 200)
        self.assertEqual(service.progress([self.bollards])[0].percent, 10)

    def test_reports_of_another_campaign_or_without_a_target_do_not_count(self):
        service.report(self.task(campaign=self.sanitation_campaign, target=self.other_reported), self.handler, 50)
        service.report(self.task(campaign=self.sanitation_campaign, target=None), self.handler, 7)
        self.assertEqual(count_of(self.bollards), 0)
        self.assertEqual(count_of(self.other_reported), 50)

    def test_a_report_is_a_note_on_the_tasks_ticket_with_its_evidence(self):
        task = self.task()
        report = service.report(task, self.handler, 35, "清除地桩35处", files=[photo()])
        event = report.event
        self.assertEqual((event.ticket_id, event.action), (task.ticket.pk, "note"))
        self.assertIn("35", event.payload["text"])
        self.assertIn("清除地桩35处", event.payload["text"])
        self.assertEqual(task.ticket.attachment_set.get().event, event)

    def test_a_handler_of_another_unit_cannot_report_and_nothing_is_written(self):
        task = self.task()
        events = Event.objects.count()
        with self.assertRaises(service.CampaignError):
            service.report(task, self.co_handler, 10)
        self.assertFalse(TaskReport.objects.exists())
        self.assertEqual(Event.objects.count(), events)

    def test_a_negative_quantity_is_refused_and_nothing_is_written(self):
        task = self.task()
        events = Event.objects.count()
        with self.assertRaises(service.CampaignError):
            service.report(task, self.handler, -5)
        self.assertFalse(TaskReport.objects.exists())
        self.assertEqual(Event.objects.count(), events)

    def test_a_bad_file_leaves_no_report(self):
        task = self.task()
        with self.assertRaises(Exception):
            service.report(task, self.handler, 5, files=[photo(name="台账.exe")])
        self.assertFalse(TaskReport.objects.exists())

    def test_a_closed_task_takes_no_more_reports(self):
        task = self.task()
        perform(task.ticket, "acknowledge", self.handler)
        perform(task.ticket, "resolve", self.handler, text="任务完成", files=[photo()])
        perform(task.ticket, "verify", self.supervisor)
        perform(task.ticket, "close", self.supervisor)
        with self.assertRaises(TransitionError):
            service.report(task, self.handler, 5)
        self.assertFalse(TaskReport.objects.exists())

    def test_a_target_of_another_campaign_or_counting_tickets_is_refused(self):
        for target in (self.other_reported, self.zombie_target):
            with self.assertRaises(service.CampaignError):
                self.task(target=target)
        self.assertFalse(self.parking_campaign.tasks.exists())

    def test_only_a_supervisor_over_the_unit_gives_it_a_task(self):
        with self.assertRaises(service.CampaignError):
            service.add_task(self.parking_campaign, unit=self.chengguan, title="清除地锁",
                             due=timezone.localdate() + timedelta(days=5), actor=self.district_supervisor)
        district_task = service.add_task(self.parking_campaign, unit=self.jiangbei_street, title="清除地锁",
                                         due=timezone.localdate() + timedelta(days=5), actor=self.district_supervisor)
        self.assertEqual(district_task.ticket.lead_unit, self.jiangbei_street)

    def test_a_past_due_date_is_refused(self):
        with self.assertRaises(service.CampaignError):
            self.task(days=-1)
        self.assertFalse(self.parking_campaign.tasks.exists())

    def test_an_overdue_task_is_escalated_by_the_sweep(self):
        task = self.task(days=3)
        later = task.ticket.resolve_due_at + timedelta(hours=1)
        self.assertEqual(sweep(later), 1)
        self.assertEqual(list(task.ticket.events.filter(action="escalate").values_list("payload__step", flat=True)),
                         ["remind"])

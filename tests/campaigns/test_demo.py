"""The demo programme of campaigns and list of pledges, on a demo city with some tickets and on one
with none: the seeds' figures reached, only matching tickets linked, history in the past."""
import random
from datetime import timedelta

from django.db.models import Max
from django.test import TestCase
from django.utils import timezone

from duban.campaigns import demo, service
from duban.campaigns.models import Campaign, CampaignTicket, Pledge, PledgeUpdate, Target, Task, TaskReport
from duban.demo import city as demo_city
from duban.demo import tickets as demo_tickets
from duban.ledger.integrity import verify
from duban.ledger.models import Event, Ticket


def reached(campaign_name, target_name):
    target = Target.objects.get(campaign__name=campaign_name, name=target_name)
    return service.progress([target])[0].count


class DemoWithTicketsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        rng = random.Random(1)
        cls.city = demo_city.build(rng)
        demo_tickets.generate(cls.city, 160, rng, log=lambda *args: None)
        cls.now = timezone.now()
        cls.summary = demo.load(cls.city, rng, cls.now)

    def test_it_loads_eight_campaigns_and_twenty_pledges(self):
        self.assertIn("8 项专项整治", self.summary)
        self.assertEqual(Campaign.objects.filter(programme__name="2025年作风建设年专项整治").count(), 8)
        self.assertEqual(Pledge.objects.count(), 20)
        self.assertEqual(len(set(Pledge.objects.values_list("area", flat=True))), 7)

    def test_the_static_traffic_campaign_reaches_the_seeds_figures(self):
        name = "静态交通综合整治行动"
        self.assertEqual(reached(name, "清理各类僵尸车"), 330)
        self.assertEqual(reached(name, "清除地桩、地锁"), 2007)
        self.assertEqual(reached(name, "查处违停车辆"), 24800)
        self.assertEqual(reached(name, "新施划停车泊位"), 4100)
        self.assertEqual(reached("医疗乱象专项整治", "行风问题限时整改"), 29)

    def test_only_tickets_of_a_campaigns_categories_from_its_period_are_linked(self):
        self.assertTrue(CampaignTicket.objects.exists())
        for campaign in Campaign.objects.all():
            links = CampaignTicket.objects.filter(campaign=campaign)
            self.assertFalse(links.exclude(ticket__in=Ticket.objects.filter(service.covered(campaign))).exists())
            self.assertFalse(links.filter(ticket__created_at__date__lt=campaign.starts_on).exists())
            self.assertFalse(links.filter(linked_at__gt=self.now).exists())

    def test_every_task_is_a_ticket_of_its_unit_with_reports_on_it(self):
        for task in Task.objects.select_related("ticket"):
            self.assertEqual(task.ticket.lead_unit_id, task.unit_id)
            self.assertEqual(task.ticket.events.get(seq=1).payload["source"], {"campaign": task.campaign_id,
                                                                             "task": task.pk})
        self.assertTrue(Task.objects.filter(ticket__state="closed").exists())
        for report in TaskReport.objects.select_related("task", "event"):
            self.assertEqual((report.event.ticket_id, report.event.action), (report.task.ticket_id, "note"))

    def test_pledges_are_completed_under_way_or_overdue(self):
        rows = service.pledge_rows(Pledge.objects.select_related("ticket"), self.now)
        states = {p.title: p.state for p in rows}
        self.assertEqual(sorted(t for t, s in states.items() if s == "done"), sorted(demo.DONE))
        self.assertEqual(sorted(t for t, s in states.items() if s == "overdue"), sorted(demo.OVERDUE))
        done = Pledge.objects.get(title="调整退休人员基本养老金").ticket
        resolve = done.events.get(action="resolve")
        self.assertTrue(resolve.attachments)
        self.assertNotEqual(done.events.get(action="verify").actor_id, resolve.actor_id)

    def test_updates_are_mostly_public_and_climb(self):
        self.assertTrue(PledgeUpdate.objects.filter(public=True).exists())
        for pledge in Pledge.objects.all():
            percents = list(pledge.updates.order_by("at").values_list("percent", flat=True))
            self.assertEqual(percents, sorted(percents))

    def test_the_history_is_in_the_past_and_the_ledger_verifies(self):
        self.assertLessEqual(Event.objects.aggregate(last=Max("at"))["last"], self.now)
        report = verify()
        self.assertTrue(report.ok, report.problems)

    def test_loading_twice_adds_nothing(self):
        tasks = Task.objects.count()
        self.assertIn("already loaded", demo.load(self.city, random.Random(2), self.now))
        self.assertEqual(Task.objects.count(), tasks)


class DemoWithoutTicketsTests(TestCase):
    def test_it_loads_on_a_city_without_tickets(self):
        city = demo_city.build(random.Random(1))
        now = timezone.now()
        summary = demo.load(city, random.Random(1), now)
        self.assertIn("0 件关联工单", summary)
        self.assertEqual(set(Target.objects.filter(counts="tickets").values_list("goal", flat=True)), {10})
        self.assertEqual(Pledge.objects.count(), 20)
        self.assertTrue(all(p.deadline > (now - timedelta(days=200)).date() for p in Pledge.objects.all()))

"""The demo firms of 江城市: cadres, visits, and requests played on the ledger on the fast clock."""
import random

from django.test import TestCase
from django.utils import timezone

from duban.clock.calendar import work_calendar
from duban.demo.city import build
from duban.enterprises import demo, service
from duban.enterprises.models import Enterprise, EnterpriseRequest, Visit
from duban.enterprises.stats import stats
from duban.ledger.integrity import verify
from duban.ledger.models import Event, State


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.now = timezone.now()
        cls.city = build(random.Random(1))
        cls.summary = demo.load(cls.city, random.Random(2), cls.now)

    def test_it_registers_25_firms_most_with_a_cadre(self):
        firms = list(Enterprise.objects.all())
        self.assertEqual(len(firms), 25)
        with_cadre = service.charges([f.name for f in firms])
        self.assertEqual(len(with_cadre), 22)
        self.assertIn("25 家企业 firms, 22 家有包保干部 with a cadre", self.summary)
        self.assertTrue(Enterprise.objects.filter(name="吉林碳谷碳纤维股份有限公司", scale="above").exists())

    def test_some_cadres_were_replaced_and_visits_are_by_the_cadre_of_the_day(self):
        ended = service.cadre_history(Enterprise.objects.get(name="吉林化纤集团有限责任公司"))
        self.assertEqual(len(ended), 2)
        self.assertIsNotNone(ended[1].ends_on)
        for visit in Visit.objects.select_related("enterprise"):
            self.assertLess(visit.visited_at, self.now)
            charges = [c for c in service.cadre_history(visit.enterprise) if c.person_id == visit.cadre_id]
            day = timezone.localdate(visit.visited_at)
            self.assertTrue(any(c.starts_on <= day and (c.ends_on is None or day <= c.ends_on) for c in charges))

    def test_requests_are_tickets_of_the_firm_on_the_fast_clock_some_closed_some_open(self):
        requests = list(EnterpriseRequest.objects.select_related("ticket__channel", "enterprise", "visit"))
        calendar = work_calendar()
        self.assertGreater(len(requests), 10)
        for request in requests:
            ticket = request.ticket
            self.assertEqual((ticket.channel.code, ticket.subject, ticket.kind), ("enterprise", request.enterprise.name,
                                                                                 "help"))
            self.assertEqual(ticket.resolve_due_at, calendar.add_workdays(ticket.created_at, 3))
            self.assertGreater(ticket.created_at, request.visit.visited_at)
        states = {r.ticket.state for r in requests}
        self.assertIn(State.CLOSED, states)
        self.assertTrue(states - {State.CLOSED})

    def test_a_closed_request_was_verified_by_someone_other_than_its_resolver_and_later(self):
        closed = EnterpriseRequest.objects.filter(ticket__state=State.CLOSED).select_related("ticket")
        for request in closed:
            events = {e.action: e for e in Event.objects.filter(ticket=request.ticket)}
            self.assertNotEqual(events["verify"].actor_id, events["resolve"].actor_id)
            self.assertGreater(events["verify"].at, events["resolve"].at)
        self.assertFalse(Event.objects.filter(at__gt=self.now).exists())
        self.assertTrue(verify().ok)

    def test_the_units_are_those_that_can_solve_the_request(self):
        units = set(EnterpriseRequest.objects.values_list("ticket__lead_unit__name", flat=True))
        self.assertTrue(units <= {"行政审批局", "人力资源和社会保障局", "营商环境建设局", "工业和信息化局", "交通运输局",
                                  "江城高新技术产业开发区"}, units)

    def test_stats_count_the_programme(self):
        (key, _label, counts), = stats()
        self.assertEqual(key, "enterprises")
        self.assertEqual(counts["firms"][1], 25)
        self.assertEqual(counts["firms_with_cadre"][1], 22)
        self.assertEqual(counts["visits"][1], Visit.objects.count())
        self.assertEqual(counts["requests_open"][1] + counts["requests_closed"][1], EnterpriseRequest.objects.count())

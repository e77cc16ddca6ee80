"""Publishing a month: the results are stored once, and each black-listed unit owes a reflection."""
from datetime import date
from decimal import Decimal as D

from django.conf import settings
from django.utils import timezone

from duban.assessment import scoring
from duban.assessment.models import Reflection, Result
from duban.clock.calendar import work_calendar
from duban.ledger.access import can_see
from duban.ledger.machine import perform
from duban.ledger.models import Event, State, Ticket
from tests.assessment.base import OCTOBER, AssessmentTestCase


class PublishTests(AssessmentTestCase):
    def setUp(self):
        self.enter_conduct()

    def test_it_stores_the_months_table(self):
        scoring.publish(self.scheme, "2025-10", self.supervisor)
        results = {r.unit.name: r for r in Result.objects.filter(scheme=self.scheme, month=OCTOBER)}
        self.assertEqual({n: (r.total, r.rank, r.mark) for n, r in results.items()},
                         {"江南区": (D(85), 1, "red"), "江北区": (D(85), 1, "red"), "松江区": (D(59), 3, "black")})
        self.assertEqual(results["江北区"].scores, {"resolution": 36, "returns": 15, "fai": 16, "conduct": 18})
        self.assertEqual(results["江北区"].published_by, self.supervisor)
        self.assertTrue(scoring.is_published(self.scheme, "2025-10"))

    def test_the_published_table_stays_as_it_was(self):
        scoring.publish(self.scheme, "2025-10", self.supervisor)
        self.fai.values.filter(district=self.songjiang).update(value=D("20"))  # a late correction
        rows = scoring.published(self.scheme, "2025-10")
        self.assertEqual([(r.name, r.total, r.mark) for r in rows],
                         [("江南区", 85, "red"), ("江北区", 85, "red"), ("松江区", 59, "black")])

    def test_each_black_listed_unit_gets_one_reflection_ticket_dispatched_to_it(self):
        scoring.publish(self.scheme, "2025-10", self.supervisor)
        reflection = Reflection.objects.get()
        ticket = reflection.ticket
        self.assertEqual((reflection.result.unit, ticket.lead_unit, ticket.state),
                         (self.songjiang, self.songjiang, State.DISPATCHED))
        self.assertEqual((ticket.channel.code, ticket.channel.name, ticket.kind), ("supervision", "督查督办", "suggestion"))
        self.assertEqual(ticket.title, "【晾晒反思】松江区 2025年10月「2025年度作风建设十项考核」排名末位")
        self.assertIn("59", ticket.description)
        self.assertIn("2025年12月8日", ticket.description)
        self.assertEqual((ticket.reporter_name, ticket.reporter_phone, ticket.reporter_email), ("", "", ""))
        self.assertEqual(list(Event.objects.filter(ticket=ticket).values_list("action", flat=True)),
                         ["receive", "dispatch"])

    def test_the_reflection_is_due_the_right_working_day(self):
        scoring.publish(self.scheme, "2025-10", self.supervisor)
        reflection = Reflection.objects.select_related("ticket", "result").get()
        expected = work_calendar().add_workdays(reflection.result.published_at, settings.REFLECTION_WORKDAYS)
        self.assertEqual(reflection.ticket.resolve_due_at, expected)
        self.assertEqual(reflection.due, expected)
        # Monday 24 November 2025 + 10 working days: Monday 8 December, at the close of office hours.
        self.assertEqual(timezone.localtime(expected).date(), date(2025, 12, 8))

    def test_the_reflection_is_tracked_like_any_matter(self):
        scoring.publish(self.scheme, "2025-10", self.supervisor)
        ticket = Reflection.objects.get().ticket
        self.assertTrue(can_see(self.songjiang_handler, ticket))
        self.assertTrue(can_see(self.supervisor, ticket))
        self.assertFalse(can_see(self.handler, ticket))
        perform(ticket, "acknowledge", self.songjiang_handler)
        self.assertEqual(Ticket.objects.get(pk=ticket.pk).state, State.ACKNOWLEDGED)

    def test_a_second_publication_is_refused_and_writes_nothing(self):
        scoring.publish(self.scheme, "2025-10", self.supervisor)
        with self.assertRaisesMessage(scoring.AssessmentError, "已经发布"):
            scoring.publish(self.scheme, "2025-10", self.supervisor)
        self.assertEqual((Result.objects.count(), Reflection.objects.count(), Ticket.objects.count()), (3, 1, 1))

    def test_a_month_not_over_is_refused(self):
        with self.assertRaisesMessage(scoring.AssessmentError, "2025年11月"):
            scoring.publish(self.scheme, "2025-11", self.supervisor)
        self.assertFalse(Result.objects.exists())

    def test_missing_scores_given_by_hand_are_refused_by_name(self):
        self.conduct.manual_scores.filter(unit=self.jiangbei).delete()
        with self.assertRaisesMessage(scoring.AssessmentError, "江北区（作风建设评议）"):
            scoring.publish(self.scheme, "2025-10", self.supervisor)
        self.assertEqual((Result.objects.count(), Ticket.objects.count()), (0, 0))

    def test_scores_of_a_published_month_can_no_longer_change(self):
        scoring.publish(self.scheme, "2025-10", self.supervisor)
        with self.assertRaises(scoring.AssessmentError):
            scoring.enter_scores(self.conduct, "2025-10", {self.songjiang: (D(20), "补录")}, self.supervisor)
        self.assertEqual(self.conduct.manual_scores.get(unit=self.songjiang).points, D(17))

    def test_a_bigger_black_list_opens_a_ticket_for_each_unit(self):
        self.scheme.red_size, self.scheme.black_size = 0, 3
        self.scheme.save()
        scoring.publish(self.scheme, "2025-10", None)
        self.assertEqual(sorted(Reflection.objects.values_list("ticket__lead_unit__name", flat=True)),
                         sorted(["江南区", "江北区", "松江区"]))
        self.assertEqual(Ticket.objects.filter(state=State.DISPATCHED).count(), 3)

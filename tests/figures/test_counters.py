"""The counters per unit per day: kept as events happen, equal to a rebuild from the event log."""
import random
from datetime import timedelta

from django.utils import timezone

from duban.figures import counters
from duban.figures.figures import Period, unit_figures
from duban.figures.models import UnitDay
from duban.intake.service import Report, take_in_many
from duban.ledger.machine import TransitionError, perform
from duban.ledger.models import Event, Rating, State
from duban.org.models import Person
from duban.verdict import service as verdicts
from tests.base import DubanTestCase, photo


class RandomHistories(DubanTestCase):
    """Random but sensible lives of many matters, in every path that writes events."""

    UNITS = ("chengguan", "jiaojing", "xishan")

    def play(self, rng, ticket):
        for _ in range(rng.randint(1, 14)):
            try:
                self.step(rng, ticket)
            except TransitionError:
                pass  # a refused step changes nothing; the test is that the counters agree anyway

    def step(self, rng, ticket):
        unit = getattr(self, rng.choice(self.UNITS))
        handler = self.handler if ticket.lead_unit_id in (None, self.chengguan.pk) else self.person_of(ticket.lead_unit)
        state = ticket.state
        if state == State.RECEIVED:
            perform(ticket, "dispatch", self.dispatcher, unit=unit)
        elif state in (State.DISPATCHED, State.REOPENED):
            action = rng.choice(["acknowledge", "acknowledge", "return"])
            perform(ticket, action, handler, reason="不属于本单位职责")
        elif state == State.RETURNED:
            perform(ticket, "reassign", self.dispatcher, unit=unit, reason="复核后改派")
        elif state in (State.ACKNOWLEDGED, State.IN_PROGRESS):
            perform(ticket, "resolve", handler, text="已处理", files=[photo()])
        elif state == State.RESOLVED:
            perform(ticket, rng.choice(["verify", "verify", "send_back"]), self.supervisor, reason="仍未整改到位")
        elif state == State.VERIFIED:
            perform(ticket, "close", self.supervisor)
        elif state == State.CLOSED:
            self.after_closing(rng, ticket)

    def after_closing(self, rng, ticket):
        choice = rng.random()
        waiting = verdicts.pending(ticket).first()
        answer = {"rating": rng.choice(Rating.values), "solved": rng.choice([True, False, None]),
                  "contacted": rng.choice([True, False, None])}
        if waiting is not None and choice < 0.5:
            verdicts.record_call_back(waiting, self.dispatcher, reached=rng.random() < 0.8, **answer)
        elif choice < 0.7:
            verdicts.rate(ticket, None, **answer)
        elif choice < 0.8:
            perform(ticket, "appeal", self.person_of(ticket.lead_unit), grounds="malicious", reason="评价与事实不符")
            perform(ticket, rng.choice(["uphold_appeal", "reject_appeal"]), self.supervisor, reason="经核查")
        else:
            perform(ticket, "reopen", self.supervisor, reason="群众反映仍未解决")

    def person_of(self, unit):
        person, _ = Person.objects.get_or_create(username=f"handler-{unit.pk}",
                                                 defaults={"role": "handler", "unit": unit, "name": "经办人"})
        return person

    def test_the_counters_kept_live_equal_a_rebuild_from_the_event_log(self):
        rng = random.Random(6)
        now = timezone.now()
        tickets = [self.new_ticket(area=rng.choice([self.grid, self.jiangbei_community, None]),
                                   at=now - timedelta(days=rng.randint(0, 40)))
                   for _ in range(40)]
        reports = [Report(description=f"第{i}号：路灯不亮，夜间出行不便", category=self.sanitation,
                          channel="hotline", area=self.xishan, lead_unit=self.chengguan,
                          reporter_phone="13900000000") for i in range(8)]
        tickets += [outcome.ticket for outcome in take_in_many(reports, actor=self.dispatcher)]
        for ticket in tickets:
            self.play(rng, ticket)
        live = counters.nonzero(counters.stored())
        self.assertEqual(live, counters.nonzero(counters.from_log()))
        self.assertTrue(live[0], "the histories counted nothing")
        # The histories reached what the counters count (else the equality proves little).
        reached = set(Event.objects.values_list("action", flat=True).distinct())
        self.assertLessEqual({"dispatch", "reassign", "acknowledge", "return", "resolve", "close", "reopen",
                              "rate", "unreached", "uphold_appeal"}, reached)
        counters.rebuild()
        self.assertEqual(counters.nonzero(counters.stored()), live)


class HandComputedRates(DubanTestCase):
    def closed(self, **fields):
        ticket = self.resolved_ticket(**fields)
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        return ticket

    def test_the_three_rates_and_the_composite_of_ten_verdicts(self):
        # contacted 9 of 10, solved 8 of 10; 4 very satisfied, 3 satisfied, 2 basically, 1 very dissatisfied
        answers = ([(5, True, True)] * 4 + [(4, True, True)] * 3 + [(3, True, False), (3, True, True)]
                   + [(1, False, False)])
        for rating, contacted, solved in answers:
            verdicts.rate(self.closed(), None, rating=rating, contacted=contacted, solved=solved)
        figures = unit_figures(Period.month(timezone.localdate().strftime("%Y-%m")))[self.chengguan.pk]
        self.assertEqual(figures.sample, 10)
        self.assertAlmostEqual(figures.response, 9 / 10)
        self.assertAlmostEqual(figures.resolution, 8 / 10)
        self.assertAlmostEqual(figures.satisfaction, (4 + 3 + 0.9 * 2) / 10)
        self.assertAlmostEqual(figures.composite, 0.1 * 0.9 + 0.5 * 0.8 + 0.4 * 0.88)
        # the two unsolved matters were reopened (重办), and count as such
        self.assertEqual((figures.closed, figures.reopened), (10, 2))
        self.assertAlmostEqual(figures.reopen_rate, 0.2)

    def test_the_clock_figures_of_a_month(self):
        on_time = self.resolved_ticket()
        late = self.dispatched_ticket()
        late.resolve_due_at = timezone.now() - timedelta(hours=1)
        late.ack_due_at = timezone.now() - timedelta(hours=2)
        late.save()
        perform(late, "acknowledge", self.handler)
        perform(late, "resolve", self.handler, text="已处理", files=[photo()])
        returned = self.dispatched_ticket()
        perform(returned, "return", self.handler, reason="属于交警职责")
        figures = unit_figures(Period.month(timezone.localdate().strftime("%Y-%m")))[self.chengguan.pk]
        self.assertEqual((figures.assigned, figures.acknowledged, figures.resolved, figures.returned), (3, 2, 2, 1))
        self.assertAlmostEqual(figures.ack_on_time, 1 / 2)
        self.assertAlmostEqual(figures.on_time, 1 / 2)
        self.assertAlmostEqual(figures.return_rate, 1 / 3)
        self.assertIsNone(figures.satisfaction)  # no verdict: no rate, not 0
        self.assertEqual(on_time.resolve_on_time, True)

    def test_a_month_without_verdicts_has_no_composite(self):
        self.resolved_ticket()
        figures = unit_figures(Period.month(timezone.localdate().strftime("%Y-%m")))[self.chengguan.pk]
        self.assertIsNone(figures.composite)
        self.assertEqual(UnitDay.objects.filter(unit=self.chengguan).count(), 1)

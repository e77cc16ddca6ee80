"""Call-backs, ratings, rectifications, appeals and sampled call-backs (回访, 好差评, 整改, 申诉复核, 抽件回访)."""
from datetime import timedelta

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from duban.clock.calendar import work_calendar
from duban.figures import counters
from duban.figures.figures import Period, ranking, unit_figures
from duban.ledger.integrity import verify
from duban.ledger.machine import TransitionError, allowed_actions, perform
from duban.ledger.models import Event, Rating, State
from duban.verdict import service
from duban.verdict.models import CallBack, Rectification, Sample
from tests.base import DubanTestCase, photo


def this_month():
    return Period.month(timezone.localdate().strftime("%Y-%m"))


class Verdicts(DubanTestCase):
    def closed(self, **fields):
        ticket = self.resolved_ticket(**fields)
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        return ticket

    def figures(self):
        return unit_figures(this_month())[self.chengguan.pk]


class CallBackTests(Verdicts):
    def test_closing_a_matter_puts_a_call_back_on_the_hotlines_list_due_the_next_working_day(self):
        ticket = self.closed()
        call = CallBack.objects.get(ticket=ticket)
        close = ticket.events.get(action="close")
        self.assertEqual((call.kind, call.status), (CallBack.Kind.ORDINARY, CallBack.Status.PENDING))
        self.assertEqual(call.due_at, work_calendar().add_workdays(close.at, 1))

    def test_a_matter_without_a_phone_gets_no_call_back(self):
        self.closed(reporter_phone="")
        self.assertFalse(CallBack.objects.exists())

    def test_the_reporters_own_rating_answers_the_call_back(self):
        ticket = self.closed()
        service.rate(ticket, None, rating=Rating.SATISFIED, solved=True)
        call = CallBack.objects.get(ticket=ticket)
        self.assertEqual((call.status, call.verdict_seq), (CallBack.Status.ANSWERED,
                                                           ticket.events.get(action="rate").seq))

    def test_a_reporter_not_reached_three_times_is_given_up_and_counted(self):
        ticket = self.closed()
        call = CallBack.objects.get(ticket=ticket)
        for _ in range(3):
            service.record_call_back(call, self.dispatcher, reached=False, note="无人接听")
        call.refresh_from_db()
        self.assertEqual((call.status, call.attempts), (CallBack.Status.UNREACHED, 3))
        self.assertEqual(self.figures().unreached, 3)
        with self.assertRaises(TransitionError):
            service.record_call_back(call, self.dispatcher, reached=False)

    def test_not_solved_reopens_the_matter_for_the_same_unit_and_counts_as_reopened(self):
        ticket = self.closed()
        call = CallBack.objects.get(ticket=ticket)
        service.record_call_back(call, self.dispatcher, reached=True, contacted=True, solved=False,
                                 rating=Rating.BASICALLY_SATISFIED, note="车还停在原处")
        ticket.refresh_from_db()
        self.assertEqual((ticket.state, ticket.lead_unit), (State.REOPENED, self.chengguan))
        self.assertEqual((self.figures().reopened, self.figures().unsolved), (1, 1))

    def test_reopening_cancels_the_call_back_still_waiting(self):
        ticket = self.closed()
        perform(ticket, "reopen", self.supervisor, reason="复查发现问题仍在")
        self.assertEqual(CallBack.objects.get(ticket=ticket).status, CallBack.Status.CANCELLED)

    def test_the_hotlines_list_shows_the_call_and_the_ticket_page_records_it(self):
        ticket = self.closed()
        self.client.force_login(self.dispatcher)
        page = self.client.get(reverse("verdict:call_backs") + "?tab=ordinary")
        self.assertContains(page, ticket.number)
        self.assertContains(page, "13812345678")  # the hotline calls the reporter: it sees the phone
        self.client.post(reverse("web:call_back", args=[ticket.number]),
                         {"reached": "yes", "contacted": "yes", "solved": "yes", "rating": 5, "text": "很满意"})
        self.assertEqual(CallBack.objects.get(ticket=ticket).status, CallBack.Status.DONE)
        self.assertNotContains(self.client.get(reverse("verdict:call_backs") + "?tab=ordinary"), ticket.number)

    def test_a_handler_cannot_open_the_hotlines_list(self):
        self.client.force_login(self.handler)
        self.assertEqual(self.client.get(reverse("verdict:call_backs")).status_code, 403)


class RectificationTests(Verdicts):
    def test_a_bad_rating_opens_a_rectification_for_the_rated_unit_due_in_15_working_days(self):
        ticket = self.closed()
        event = service.rate(ticket, None, rating=Rating.DISSATISFIED, solved=True, note="态度生硬")
        rectification = Rectification.objects.get(rated=ticket)
        matter = rectification.ticket
        self.assertEqual((rectification.unit, rectification.rating_seq), (self.chengguan, event.seq))
        self.assertEqual((matter.state, matter.lead_unit, matter.channel.code),
                         (State.DISPATCHED, self.chengguan, "supervision"))
        self.assertEqual(matter.resolve_due_at, work_calendar().add_workdays(event.at, 15))
        self.assertIn(ticket.number, matter.description)
        self.assertEqual(matter.reporter_phone, ticket.reporter_phone)  # so it is called back when it closes
        self.assertTrue(verify().ok)

    @override_settings(RECTIFICATION_WORKDAYS=5)
    def test_the_rectification_time_limit_is_a_setting(self):
        event = service.rate(self.closed(), None, rating=Rating.VERY_DISSATISFIED)
        matter = Rectification.objects.get().ticket
        self.assertEqual(matter.resolve_due_at, work_calendar().add_workdays(event.at, 5))

    def test_a_satisfied_rating_opens_nothing(self):
        service.rate(self.closed(), None, rating=Rating.BASICALLY_SATISFIED, solved=True)
        self.assertFalse(Rectification.objects.exists())

    def test_the_rectification_closed_is_called_back(self):
        service.rate(self.closed(), None, rating=Rating.VERY_DISSATISFIED, solved=True)
        matter = Rectification.objects.get().ticket
        perform(matter, "acknowledge", self.handler)
        perform(matter, "resolve", self.handler, text="已向群众道歉并整改", files=[photo()])
        perform(matter, "verify", self.supervisor)
        perform(matter, "close", self.supervisor)
        self.assertTrue(CallBack.objects.filter(ticket=matter, status=CallBack.Status.PENDING).exists())


class AppealTests(Verdicts):
    def rated(self, rating=Rating.VERY_DISSATISFIED):
        ticket = self.closed()
        service.rate(ticket, None, rating=rating, solved=True, contacted=True)
        return ticket

    def test_an_upheld_appeal_removes_the_rating_from_every_figure_with_the_decision_on_record(self):
        ticket = self.rated()
        kept = self.closed()
        service.rate(kept, None, rating=Rating.VERY_SATISFIED, solved=True, contacted=True)
        before = self.figures()
        self.assertEqual((before.sample, before.rated_1), (2, 1))
        perform(ticket, "appeal", self.handler, grounds="malicious", reason="来电人与车主存在纠纷，恶意差评")
        perform(ticket, "uphold_appeal", self.supervisor, reason="经核查属恶意评价，予以剔除")
        after = self.figures()
        self.assertEqual((after.sample, after.rated_1, after.appeals_upheld), (1, 0, 1))
        self.assertAlmostEqual(after.satisfaction, 1.0)
        self.assertEqual(ranking(this_month(), min_sample=1)[0].satisfaction, 1.0)
        # … and from the counters rebuilt from the log, so no later rebuild brings it back
        counters.rebuild()
        self.assertEqual(self.figures().sample, 1)
        decision = ticket.events.get(action="uphold_appeal")
        self.assertEqual((decision.actor, decision.payload["rating"]["rating"]), (self.supervisor, 1))
        self.assertTrue(verify().ok)

    def test_a_rejected_appeal_leaves_the_rating_in_the_figures(self):
        ticket = self.rated()
        perform(ticket, "appeal", self.handler, grounds="mistaken", reason="评价的是另一件事")
        perform(ticket, "reject_appeal", self.supervisor, reason="经核实评价针对本件")
        self.assertEqual((self.figures().sample, self.figures().rated_1), (1, 1))

    def test_an_appeal_needs_grounds_and_a_statement_and_is_made_once(self):
        ticket = self.rated()
        with self.assertRaises(TransitionError):
            perform(ticket, "appeal", self.handler, grounds="unfair", reason="不服")
        with self.assertRaises(TransitionError):
            perform(ticket, "appeal", self.handler, grounds="mistaken", reason="")
        perform(ticket, "appeal", self.handler, grounds="mistaken", reason="评价的是另一件事")
        with self.assertRaises(TransitionError):
            perform(ticket, "appeal", self.handler, grounds="mistaken", reason="再次申诉")

    def test_only_the_rated_unit_appeals_and_only_a_supervisor_decides(self):
        ticket = self.rated()
        self.assertNotIn("appeal", [t.action for t in allowed_actions(self.co_handler, ticket)])
        with self.assertRaises(TransitionError):
            perform(ticket, "appeal", self.outsider, grounds="malicious", reason="恶意差评")
        perform(ticket, "appeal", self.handler, grounds="malicious", reason="恶意差评")
        with self.assertRaises(TransitionError):
            perform(ticket, "uphold_appeal", self.unit_head, reason="本单位认为成立")
        self.assertIn("uphold_appeal", [t.action for t in allowed_actions(self.supervisor, ticket)])

    def test_the_supervisors_list_shows_the_appeal_waiting(self):
        ticket = self.rated()
        self.client.force_login(self.handler)
        self.client.post(reverse("web:act", args=[ticket.number, "appeal"]),
                         {"grounds": "malicious", "reason": "恶意差评"})
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("verdict:appeals"))
        self.assertContains(page, f'data-number="{ticket.number}"')
        self.assertContains(page, "恶意差评")


class SampleTests(Verdicts):
    def setUp(self):
        self.matters = [self.closed() for _ in range(6)]
        self.others = [self.closed_by_jiaojing() for _ in range(2)]  # a second unit's matters
        today = timezone.localdate()
        self.period = dict(starts_on=today - timedelta(days=1), ends_on=today)

    def closed_by_jiaojing(self):
        ticket = self.new_ticket()
        perform(ticket, "dispatch", self.dispatcher, unit=self.jiaojing)
        perform(ticket, "acknowledge", self.co_handler)
        perform(ticket, "resolve", self.co_handler, text="已清理占道车辆", files=[photo()])
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        return ticket

    def test_a_sample_is_stratified_by_unit_and_the_same_seed_draws_the_same(self):
        first = service.draw_sample(name="十月抽件", share=0.5, seed=42, **self.period)
        again = service.draw_sample(name="十月抽件复核", share=0.5, seed=42, **self.period)
        drawn = lambda s: sorted(s.call_backs.values_list("ticket_id", flat=True))  # noqa: E731
        self.assertEqual(drawn(first), drawn(again))
        units = sorted(first.call_backs.values_list("ticket__lead_unit", flat=True))
        self.assertEqual(units.count(self.chengguan.pk), 3)  # half of 6
        self.assertEqual(units.count(self.jiaojing.pk), 1)  # half of 2
        other = service.draw_sample(name="另一种子", count=1, seed=7, **self.period)
        self.assertEqual(other.size, 2)  # one per unit

    def test_a_sample_needs_a_share_or_a_count(self):
        with self.assertRaises(TransitionError):
            service.draw_sample(name="无效", seed=1, **self.period)
        with self.assertRaises(TransitionError):
            service.draw_sample(name="无效", share=1.5, seed=1, **self.period)
        self.assertFalse(Sample.objects.exists())

    def test_sampled_verdicts_count_apart_from_ordinary_ones(self):
        sample = service.draw_sample(name="十月抽件", count=2, seed=3, verifiers=[self.supervisor], **self.period)
        calls = list(sample.call_backs.filter(ticket__lead_unit=self.chengguan))
        self.assertEqual({c.assigned_to for c in calls}, {self.supervisor})
        service.record_call_back(calls[0], self.supervisor, reached=True, contacted=True, solved=True,
                                 rating=Rating.VERY_SATISFIED)
        service.record_call_back(calls[1], self.supervisor, reached=True, contacted=False, solved=True,
                                 rating=Rating.BASICALLY_SATISFIED)
        figures = self.figures()
        self.assertEqual((figures.sample, figures.sampled_sample), (0, 2))
        self.assertAlmostEqual(figures.sampled_satisfaction, (1 + 0.9) / 2)
        self.assertAlmostEqual(figures.sampled_response, 0.5)
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("verdict:sample", args=[sample.pk]))
        self.assertContains(page, "0.950")

    def test_a_sampled_verdict_is_refused_without_a_sampled_call_back_waiting(self):
        with self.assertRaises(TransitionError):
            perform(self.matters[0], "sample_rate", self.supervisor, rating=Rating.SATISFIED)

    def test_a_supervisor_draws_on_the_page(self):
        self.client.force_login(self.supervisor)
        today = timezone.localdate()
        page = self.client.post(reverse("verdict:samples"), {
            "name": "十一月抽件回访", "starts_on": today - timedelta(days=3), "ends_on": today, "percent": "50",
            "seed": "9", "verifiers": [self.dispatcher.pk]}, follow=True)
        sample = Sample.objects.get()
        self.assertEqual((sample.seed, sample.size), (9, 4))
        self.assertContains(page, "十一月抽件回访")
        self.client.force_login(self.dispatcher)
        mine = self.client.get(reverse("verdict:call_backs") + "?tab=mine")
        self.assertEqual(mine.content.decode().count('data-testid="call-back-row"'), 4)


class ApiRatingTests(Verdicts):
    def post(self, path, body):
        from duban.catalogue.models import Channel
        from duban.intake import keys
        _key, raw = keys.create("12345语音评价系统", Channel.objects.get(code="hotline"))
        return self.client.post(path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")

    def test_the_api_records_a_rating_with_its_consequences(self):
        ticket = self.closed()
        answer = self.post(f"/api/v1/tickets/{ticket.number}/rating",
                           {"rating": 1, "solved": True, "contacted": False, "note": "IVR 按键评价"})
        self.assertEqual(answer.status_code, 201, answer.content)
        event = Event.objects.get(ticket=ticket, action="rate")
        self.assertEqual((event.payload["via"], event.payload["rating"]), ("api", 1))
        self.assertTrue(Rectification.objects.filter(rated=ticket).exists())

    def test_a_rating_out_of_range_is_refused_and_nothing_is_written(self):
        ticket = self.closed()
        answer = self.post(f"/api/v1/tickets/{ticket.number}/rating", {"rating": 9})
        self.assertEqual(answer.status_code, 422)
        self.assertFalse(Event.objects.filter(ticket=ticket, action="rate").exists())

    def test_the_generic_action_endpoint_refuses_a_rating(self):
        ticket = self.closed()
        answer = self.post(f"/api/v1/tickets/{ticket.number}/actions/rate", {})
        self.assertIn(answer.status_code, (400, 422))
        self.assertFalse(Event.objects.filter(ticket=ticket, action="rate").exists())


class TakingCallBacks(Verdicts):
    def test_a_dispatcher_takes_a_call_back_onto_their_own_list_and_is_sent_back_only_within_the_site(self):
        ticket = self.closed()
        call = CallBack.objects.get(ticket=ticket)
        self.client.force_login(self.dispatcher)
        answer = self.client.post(reverse("verdict:take", args=[call.pk]), {"next": "https://evil.example/"})
        self.assertRedirects(answer, reverse("verdict:call_backs"), fetch_redirect_response=False)
        call.refresh_from_db()
        self.assertEqual(call.assigned_to, self.dispatcher)
        mine = self.client.get(reverse("verdict:call_backs") + "?tab=mine")
        self.assertContains(mine, ticket.number)

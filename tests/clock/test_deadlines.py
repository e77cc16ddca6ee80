"""Deadlines around real holidays, with expectations derived from chinesecalendar itself."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from duban.clock.models import ClockRequest, TimeLimit
from duban.ledger.machine import TransitionError, perform
from tests.base import DubanTestCase, photo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def nth_workday_after(day, n):
    """The package's own answer: walk forward over its working days."""
    while n:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def close_of(day):
    return datetime(day.year, day.month, day.day, 17, 30, tzinfo=SHANGHAI)


class ClockTestCase(DubanTestCase):
    def ticket_dispatched_at(self, moment, **fields):
        ticket = self.new_ticket(at=moment - timedelta(minutes=10), **fields)
        perform(ticket, "dispatch", self.dispatcher, at=moment)
        return ticket


class DeadlineTests(ClockTestCase):
    def test_the_last_working_day_before_national_day_with_five_days_to_go(self):
        self.assertFalse(chinese_calendar.is_workday(date(2025, 10, 1)))
        self.assertTrue(chinese_calendar.is_workday(date(2025, 9, 30)))
        TimeLimit.objects.filter(kind="help", category=None, urgency="").update(resolve_amount=5)
        ticket = self.ticket_dispatched_at(at("2025-09-30T16:00"), kind="help")
        expected = nth_workday_after(date(2025, 9, 30), 5)
        self.assertEqual(expected, date(2025, 10, 14))  # 9, 10, 11 (make-up Saturday), 13, 14
        self.assertEqual(ticket.resolve_due_at, close_of(expected))

    def test_a_matter_received_on_a_make_up_saturday(self):
        self.assertTrue(chinese_calendar.is_workday(date(2025, 10, 11)))
        ticket = self.ticket_dispatched_at(at("2025-10-11T10:00"), kind="inquiry")
        self.assertEqual(ticket.resolve_due_at, close_of(nth_workday_after(date(2025, 10, 11), 2)))
        self.assertEqual(ticket.resolve_due_at, at("2025-10-14T17:30"))

    def test_a_deadline_across_spring_festival(self):
        ticket = self.ticket_dispatched_at(at("2026-02-12T09:00"), kind="complaint")
        expected = nth_workday_after(date(2026, 2, 12), 15)
        self.assertEqual(ticket.resolve_due_at, close_of(expected))
        self.assertGreater((expected - date(2026, 2, 12)).days, 21)  # the festival adds a week and more

    def test_a_friday_evening_complaint_with_one_working_day_is_due_monday_evening(self):
        TimeLimit.objects.create(category=self.zombie_car, kind="", urgency="", ack_amount=1,
                                 resolve_amount=1)
        ticket = self.ticket_dispatched_at(at("2025-11-14T19:00"))  # a Friday
        self.assertEqual(ticket.resolve_due_at, at("2025-11-17T17:30"))

    def test_acknowledgement_is_due_in_working_hours(self):
        ticket = self.ticket_dispatched_at(at("2025-11-14T16:30"))  # Friday, an hour before close
        self.assertEqual(ticket.ack_due_at, at("2025-11-17T11:30"))  # 1 h Friday + 3 h Monday

    def test_the_most_specific_time_limit_wins(self):
        TimeLimit.objects.create(category=self.parking, kind="complaint", urgency="", ack_amount=2,
                                 resolve_amount=7)
        ticket = self.ticket_dispatched_at(at("2025-11-10T09:00"))
        self.assertEqual(ticket.resolve_due_at, close_of(nth_workday_after(date(2025, 11, 10), 7)))
        critical = self.ticket_dispatched_at(at("2025-11-10T09:00"), urgency="critical")
        self.assertEqual(critical.resolve_due_at, at("2025-11-10T11:00"))  # urgency outranks category

    def test_a_deadline_past_the_loaded_calendar_is_refused_loudly_and_changes_nothing(self):
        ticket = self.new_ticket(at=at("2026-12-20T10:00"))
        with self.assertRaisesMessage(TransitionError, "2027"):
            perform(ticket, "dispatch", self.dispatcher, at=at("2026-12-21T10:00"))
        ticket.refresh_from_db()
        self.assertEqual((ticket.state, ticket.resolve_due_at, ticket.event_count), ("received", None, 1))


class SlaFactTests(ClockTestCase):
    def test_acknowledgement_on_time_and_late_are_stored_when_they_happen(self):
        early = self.ticket_dispatched_at(at("2025-11-10T09:00"))
        perform(early, "acknowledge", self.handler, at=at("2025-11-10T10:00"))
        late = self.ticket_dispatched_at(at("2025-11-10T09:00"))
        perform(late, "acknowledge", self.handler, at=at("2025-11-11T10:00"))
        self.assertEqual((early.ack_on_time, late.ack_on_time), (True, False))
        self.assertEqual(late.events.get(action="acknowledge").payload["clock"]["on_time"], False)

    def test_resolution_stores_working_time_used(self):
        ticket = self.ticket_dispatched_at(at("2025-11-14T16:30"))  # Friday
        perform(ticket, "acknowledge", self.handler, at=at("2025-11-14T17:00"))
        perform(ticket, "resolve", self.handler, text="已处理", files=[photo()], at=at("2025-11-17T09:30"))
        self.assertEqual(ticket.resolve_work_seconds, 2 * 3600)  # an hour Friday, an hour Monday
        self.assertTrue(ticket.resolve_on_time)
        self.assertIsNone(ticket.next_escalation_at)


class PauseAndExtensionTests(ClockTestCase):
    def test_a_pause_needs_a_reason_and_a_supervisors_approval(self):
        ticket = self.ticket_dispatched_at(at("2025-09-22T09:00"))
        with self.assertRaises(TransitionError):
            perform(ticket, "request_pause", self.handler, at=at("2025-09-22T10:00"))
        perform(ticket, "request_pause", self.handler, reason="等待法院判决", at=at("2025-09-22T10:00"))
        with self.assertRaises(TransitionError):
            perform(ticket, "approve_request", self.unit_head, at=at("2025-09-22T11:00"))
        perform(ticket, "approve_request", self.supervisor, at=at("2025-09-22T11:00"))
        self.assertEqual(ticket.paused_at, at("2025-09-22T11:00"))
        self.assertIsNone(ticket.next_escalation_at)

    def test_a_pause_that_spans_national_day_moves_the_deadline_by_its_working_time(self):
        ticket = self.ticket_dispatched_at(at("2025-09-29T09:00"))
        before = ticket.resolve_due_at
        perform(ticket, "request_pause", self.handler, reason="等待群众补充材料", at=at("2025-09-29T09:30"))
        perform(ticket, "approve_request", self.supervisor, at=at("2025-09-29T10:00"))
        perform(ticket, "resume", self.handler, at=at("2025-10-09T10:00"))
        # Paused from Monday 29 Sept 10:00 to Thursday 9 Oct 10:00: the 29th and 30th are the
        # only working days in between (1–8 October are the holiday), so two working days.
        self.assertEqual(ticket.paused_work_seconds, 2 * 7.5 * 3600)
        self.assertEqual(ticket.resolve_due_at, close_of(nth_workday_after(before.date(), 2)))
        self.assertIsNone(ticket.paused_at)

    def test_an_extension_moves_the_deadline_by_working_days(self):
        ticket = self.ticket_dispatched_at(at("2025-11-03T09:00"))
        before = ticket.resolve_due_at
        perform(ticket, "request_extension", self.handler, reason="需协调燃气集团停气施工", days=5,
                at=at("2025-11-04T09:00"))
        perform(ticket, "approve_request", self.supervisor, text="同意延期", at=at("2025-11-04T10:00"))
        self.assertEqual(ticket.resolve_due_at, close_of(nth_workday_after(before.date(), 5)))
        self.assertEqual(ClockRequest.objects.get(ticket=ticket).status, "approved")

    def test_an_extension_needs_a_whole_number_of_days(self):
        ticket = self.ticket_dispatched_at(at("2025-11-03T09:00"))
        with self.assertRaises(TransitionError):
            perform(ticket, "request_extension", self.handler, reason="需要更多时间", days=0,
                    at=at("2025-11-04T09:00"))

    def test_a_refusal_needs_a_reason_and_leaves_the_deadline(self):
        ticket = self.ticket_dispatched_at(at("2025-11-03T09:00"))
        due = ticket.resolve_due_at
        perform(ticket, "request_extension", self.handler, reason="人手不足", days=10, at=at("2025-11-04T09:00"))
        with self.assertRaises(TransitionError):
            perform(ticket, "refuse_request", self.supervisor, at=at("2025-11-04T10:00"))
        perform(ticket, "refuse_request", self.supervisor, text="理由不充分", at=at("2025-11-04T10:00"))
        self.assertEqual(ticket.resolve_due_at, due)

    def test_only_one_request_waits_at_a_time(self):
        ticket = self.ticket_dispatched_at(at("2025-11-03T09:00"))
        perform(ticket, "request_pause", self.handler, reason="等待鉴定", at=at("2025-11-04T09:00"))
        with self.assertRaises(TransitionError):
            perform(ticket, "request_extension", self.handler, reason="另请延期", days=3, at=at("2025-11-04T09:10"))

    def test_resume_is_refused_when_the_clock_runs(self):
        ticket = self.ticket_dispatched_at(at("2025-11-03T09:00"))
        with self.assertRaises(TransitionError):
            perform(ticket, "resume", self.handler, at=at("2025-11-04T09:00"))


class WarningTests(ClockTestCase):
    def test_green_then_yellow_at_eighty_percent_then_red(self):
        from duban.clock.deadlines import warning
        ticket = self.ticket_dispatched_at(at("2025-11-03T09:00"), kind="inquiry")  # 2 working days
        self.assertEqual(warning(ticket, at("2025-11-03T10:00")), "green")
        self.assertEqual(warning(ticket, at("2025-11-05T15:00")), "yellow")
        self.assertEqual(warning(ticket, at("2025-11-05T18:00")), "red")

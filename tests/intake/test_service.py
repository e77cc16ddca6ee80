from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.intake.service import IntakeError, IntakeFailed, Report, take_in, take_in_many
from duban.ledger.integrity import verify
from duban.ledger.models import Event, State, Ticket
from duban.triage.models import Band, Fingerprint
from duban.notify.models import Outbox
from duban.ledger.machine import perform
from tests.base import DubanTestCase, photo


def report(**fields):
    values = {"channel": "web", "description": "富强小区东门有辆白色轿车停了半年，落满灰尘，占了消防通道。"}
    values.update(fields)
    return Report(**values)


class TakeInTests(DubanTestCase):
    def test_a_report_with_category_and_area_is_dispatched_and_on_the_clock(self):
        outcome = take_in(report(category=self.zombie_car, area=self.grid))
        ticket = outcome.ticket
        self.assertTrue(outcome.dispatched)
        self.assertEqual((ticket.state, ticket.lead_unit, ticket.channel.code),
                         (State.DISPATCHED, self.chengguan, "web"))
        self.assertIsNotNone(ticket.resolve_due_at)
        self.assertEqual(list(ticket.events.values_list("action", flat=True)), ["receive", "dispatch"])
        self.assertIsNone(ticket.events.get(action="dispatch").actor)

    def test_text_is_normalised_and_the_phone_in_it_becomes_the_contact(self):
        outcome = take_in(report(description="富強小區東門　有輛白色轎車停了半年，聯繫電話１３９０００１２３４５",
                                 category=self.zombie_car, area=self.grid))
        ticket = outcome.ticket
        self.assertIn("富强小区东门 有辆白色轿车", ticket.description)
        self.assertEqual(ticket.reporter_phone, "13900012345")
        self.assertTrue(ticket.title)

    def test_a_phone_in_the_text_stays_out_of_the_title(self):
        outcome = take_in(report(description="我的电话13812345678，举报商户占道经营。"))
        self.assertEqual(outcome.ticket.title, "我的电话138****5678，举报商户占道经营")
        self.assertEqual(outcome.ticket.reporter_phone, "13812345678")

    def test_without_a_category_it_waits_for_a_dispatcher(self):
        outcome = take_in(report(description="请问今年的采暖费补贴怎么申请？"))
        self.assertFalse(outcome.dispatched)
        self.assertEqual(outcome.ticket.state, State.RECEIVED)
        self.assertIn("分类", outcome.why_not_dispatched)

    def test_a_dispatch_the_clock_refuses_leaves_the_ticket_received_in_memory_and_on_the_ledger(self):
        from duban.clock.models import TimeLimit

        TimeLimit.objects.all().delete()  # no time limit covers it: the dispatch is refused
        outcome = take_in(report(category=self.zombie_car, area=self.grid))
        self.assertFalse(outcome.dispatched)
        self.assertIn("时限", outcome.why_not_dispatched)
        stored = Ticket.objects.get(pk=outcome.ticket.pk)
        for ticket in (outcome.ticket, stored):
            self.assertEqual((ticket.state, ticket.lead_unit_id, ticket.event_count), (State.RECEIVED, None, 1))
        self.assertFalse(stored.co_units.exists())
        self.assertTrue(verify().ok)

    def test_a_probable_duplicate_is_shown_and_holds_the_automatic_dispatch(self):
        first = take_in(report(category=self.zombie_car, area=self.grid)).ticket
        again = take_in(report(description="富强小区东门那辆白色轿车停了半年了，落满灰尘，占着消防通道！",
                               category=self.zombie_car, area=self.grid))
        self.assertIn(first, [m.ticket for m in again.duplicates])
        self.assertFalse(again.dispatched)
        self.assertEqual(again.ticket.state, State.RECEIVED)

    def test_the_unit_and_deadline_named_by_the_source_are_kept(self):
        outcome = take_in(report(channel="import", category=self.sanitation, area=self.xishan,
                                 lead_unit=self.chengguan, resolve_due=date(2025, 12, 31),
                                 notes=["整改措施：每日巡查", ""]))
        ticket = outcome.ticket
        self.assertEqual(ticket.lead_unit, self.chengguan)
        self.assertEqual(ticket.resolve_due_at.date(), date(2025, 12, 31))
        self.assertEqual(ticket.events.filter(action="note").count(), 1)

    def test_a_deadline_already_past_is_refused_and_nothing_is_written(self):
        before = Event.objects.count()
        with self.assertRaisesMessage(IntakeError, "已经过去"):
            take_in(report(channel="import", category=self.sanitation, area=self.xishan,
                           lead_unit=self.chengguan, resolve_due=date(2021, 10, 15)))
        self.assertEqual(Event.objects.count(), before)

    def test_an_unknown_channel_and_an_empty_description_are_refused_by_field(self):
        with self.assertRaises(IntakeError) as caught:
            take_in(report(channel="fax"))
        self.assertIn("channel", caught.exception.message_dict)
        with self.assertRaises(IntakeError) as caught:
            take_in(report(description="   "))
        self.assertIn("description", caught.exception.message_dict)

    def test_photos_sent_with_the_report_are_on_the_first_event(self):
        ticket = take_in(report(category=self.zombie_car, area=self.grid, files=[photo()])).ticket
        receipt = ticket.events.get(seq=1)
        self.assertEqual(len(receipt.attachments), 1)
        self.assertEqual(ticket.attachment_set.get().event, receipt)


class MergeTests(DubanTestCase):
    def test_merging_tells_both_reporters_which_ticket_goes_on(self):
        original = take_in(report(category=self.zombie_car, area=self.grid, reporter_phone="13800000001")).ticket
        repeat = take_in(report(category=self.zombie_car, area=self.grid, reporter_phone="13800000002",
                                reporter_email="resident@example.cn")).ticket
        perform(repeat, "merge", self.dispatcher, target=original)
        sent = Outbox.objects.filter(ticket=repeat)
        self.assertEqual(sorted(sent.values_list("address", flat=True)),
                         ["13800000001", "13800000002", "resident@example.cn"])
        self.assertTrue(all(original.number in m.body for m in sent))
        self.assertEqual(original.events.last().action, "merge_in")


class TakeInManyTests(DubanTestCase):
    """The bulk path (ledger imports) must leave the ledger as the single path would."""

    def ledger_rows(self, **extra):
        return [
            report(channel="import", category=self.sanitation, area=self.xishan, lead_unit=self.chengguan,
                   co_units=[self.jiaojing, self.chengguan], resolve_due=date(2026, 12, 31),
                   notes=["整改措施：每日巡查", " "], reporter_phone="13900012345", source={"row": 3}, **extra),
            report(channel="import", description="西山街道菜市场门口垃圾堆放三天无人清运，气味很大。",
                   lead_unit=self.chengguan, category=self.sanitation),
        ]

    def facts(self, ticket):
        """What the two paths must agree on: the ticket and its history, less numbers and times."""
        ticket.refresh_from_db()
        row = {f: getattr(ticket, f) for f in ("state", "kind", "category_id", "area_id", "lead_unit_id", "title",
                                                "description", "reporter_phone", "dispatch_explanation",
                                                "dispatch_fallback", "resolve_due_at", "event_count")}
        row["co_units"] = sorted(ticket.co_units.values_list("pk", flat=True))
        row["indexed"] = Fingerprint.objects.filter(ticket=ticket).exists()
        row["bands"] = Band.objects.filter(fingerprint_id=ticket.pk).count()
        row["events"] = [(e.action, e.actor_id, e.from_state, e.to_state,
                          {k: v for k, v in e.payload.items() if k != "clock"}, sorted(e.payload.get("clock", {})))
                         for e in ticket.events.order_by("seq")]
        return row

    def test_bulk_and_single_paths_leave_the_same_ledger(self):
        with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
            single = [take_in(r, actor=self.dispatcher).ticket for r in self.ledger_rows()]
            many = [o.ticket for o in take_in_many(self.ledger_rows(), actor=self.dispatcher)]
        self.assertEqual([self.facts(t) for t in many], [self.facts(t) for t in single])
        numbers = [t.number for t in single + many]
        self.assertEqual(numbers, sorted(numbers))
        checked = verify()
        self.assertTrue(checked.ok, checked.problems)

    def test_rows_without_a_unit_go_through_the_single_path_in_their_place(self):
        rows = self.ledger_rows()
        rows.insert(1, report(channel="import", description="请问今年的采暖费补贴怎么申请？"))
        outcomes = take_in_many(rows, actor=self.dispatcher, batch=1)
        self.assertEqual([o.dispatched for o in outcomes], [True, False, True])
        self.assertEqual([o.ticket.state for o in outcomes], [State.DISPATCHED, State.RECEIVED, State.DISPATCHED])
        numbers = [o.ticket.number for o in outcomes]
        self.assertEqual(numbers, sorted(numbers))

    def test_a_bad_row_names_its_place_and_nothing_is_written(self):
        rows = self.ledger_rows() + self.ledger_rows(title="过期的")
        rows[3].resolve_due = date(2021, 10, 15)
        tickets, events = Ticket.objects.count(), Event.objects.count()
        with self.assertRaises(IntakeFailed) as caught:
            take_in_many(rows, actor=self.dispatcher)
        self.assertEqual(caught.exception.index, 3)
        self.assertIn("已经过去", " ".join(caught.exception.error.messages))
        self.assertEqual((Ticket.objects.count(), Event.objects.count()), (tickets, events))

    def test_the_statements_of_a_batch_do_not_grow_with_its_rows(self):
        """A batch writes each table once, whatever its size: no statement per row or per event."""
        def statements(size):
            rows = [report(channel="import", description=f"第{i}号问题：窗口工作人员上班时间脱岗，群众等候{i}分钟。",
                           category=self.sanitation, area=self.xishan, lead_unit=self.chengguan,
                           notes=["整改措施：加强考勤"]) for i in range(size)]
            with CaptureQueriesContext(connection) as captured:
                take_in_many(rows, actor=self.dispatcher)
            return len(captured.captured_queries)

        statements(1)  # the year's counter row and the time limits read once
        # Both sizes on the same side of insert_rows' switch to COPY (which the capture does not see) for
        # the 20 index bands a ticket: 200 and 800 rows.
        self.assertEqual(statements(40), statements(10))

    def test_someone_who_may_not_dispatch_is_refused_in_bulk_too(self):
        with self.assertRaises(IntakeFailed) as caught:
            take_in_many(self.ledger_rows(), actor=self.handler)
        self.assertEqual(caught.exception.index, 0)
        self.assertFalse(Ticket.objects.exists())

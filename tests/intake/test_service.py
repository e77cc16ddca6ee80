from datetime import date

from duban.intake.service import IntakeError, Report, take_in
from duban.ledger.models import Event, State
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

    def test_without_a_category_it_waits_for_a_dispatcher(self):
        outcome = take_in(report(description="请问今年的采暖费补贴怎么申请？"))
        self.assertFalse(outcome.dispatched)
        self.assertEqual(outcome.ticket.state, State.RECEIVED)
        self.assertIn("分类", outcome.why_not_dispatched)

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

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from duban.ledger.machine import TransitionError, allowed_actions, perform, receive
from duban.ledger.models import Attachment, Event, State
from tests.base import DubanTestCase, photo


class ReceiveTests(DubanTestCase):
    def test_it_numbers_tickets_with_prefix_year_and_sequence(self):
        first, second = self.new_ticket(), self.new_ticket()
        year = timezone.localtime().year
        self.assertEqual(first.number, f"JC{year}-0000001")
        self.assertEqual(second.number, f"JC{year}-0000002")

    def test_numbers_restart_each_year(self):
        old = self.new_ticket(at=timezone.now() - timedelta(days=400))
        self.assertTrue(old.number.endswith("-0000001"))
        self.assertTrue(self.new_ticket().number.endswith("-0000001"))

    def test_it_records_the_first_event_without_the_reporter_in_clear(self):
        ticket = self.new_ticket()
        event = ticket.events.get()
        self.assertEqual((event.seq, event.action, event.to_state), (1, "receive", State.RECEIVED))
        self.assertEqual(event.payload["title"], ticket.title)
        self.assertNotIn("13812345678", str(event.payload))
        self.assertEqual(ticket.head_hash, event.hash)

    def test_it_takes_the_kind_from_the_category_when_none_is_given(self):
        ticket = self.new_ticket(kind="", category=self.policy)
        self.assertEqual(ticket.kind, "inquiry")

    def test_it_refuses_a_ticket_without_title_and_writes_nothing(self):
        with self.assertRaises(ValidationError):
            self.new_ticket(title="")
        self.assertEqual(Event.objects.count(), 0)


class DispatchTests(DubanTestCase):
    def test_dispatch_uses_the_catalogue_and_records_the_rule(self):
        ticket = self.dispatched_ticket()
        self.assertEqual(ticket.state, State.DISPATCHED)
        self.assertEqual(ticket.lead_unit, self.chengguan)
        self.assertEqual(list(ticket.co_units.all()), [self.jiaojing])
        self.assertEqual(ticket.dispatch_rule, self.parking_rule)
        self.assertFalse(ticket.dispatch_fallback)
        event = ticket.events.get(action="dispatch")
        self.assertEqual(event.payload["rule"], self.parking_rule.pk)
        self.assertIn(str(self.parking_rule.pk), ticket.dispatch_explanation)

    def test_unmatched_ticket_goes_to_its_district_government_and_is_flagged(self):
        ticket = self.dispatched_ticket(category=self.sanitation, title="楼道垃圾无人清理")
        self.assertEqual(ticket.lead_unit, self.jiangnan)
        self.assertTrue(ticket.dispatch_fallback)
        self.assertIsNone(ticket.dispatch_rule)

    def test_dispatcher_may_choose_the_unit_by_hand(self):
        ticket = self.new_ticket()
        perform(ticket, "dispatch", self.dispatcher, unit=self.xishan)
        self.assertEqual(ticket.lead_unit, self.xishan)
        self.assertIsNone(ticket.dispatch_rule)

    def test_handler_cannot_dispatch(self):
        ticket = self.new_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "dispatch", self.handler)
        self.assertEqual(ticket.state, State.RECEIVED)

    def test_decline_needs_one_of_the_six_reasons(self):
        ticket = self.new_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "decline", self.dispatcher, decline_reason="boring")
        perform(ticket, "decline", self.dispatcher, decline_reason="emergency", text="已转110")
        self.assertEqual((ticket.state, ticket.decline_reason), (State.DECLINED, "emergency"))


class LifecycleTests(DubanTestCase):
    def test_a_matter_goes_from_received_to_closed(self):
        ticket = self.dispatched_ticket()
        perform(ticket, "acknowledge", self.handler)
        perform(ticket, "start", self.handler)
        perform(ticket, "resolve", self.handler, text="已拖离", files=[photo()])
        perform(ticket, "verify", self.supervisor, text="现场核实")
        perform(ticket, "close", self.supervisor)
        self.assertEqual(ticket.state, State.CLOSED)
        actions = list(ticket.events.values_list("action", flat=True))
        self.assertEqual(actions, ["receive", "dispatch", "acknowledge", "start", "resolve", "verify", "close"])

    def test_now_never_falls_before_the_last_event_written_by_a_faster_clock(self):
        ticket = self.dispatched_ticket()
        ahead = timezone.now() + timedelta(seconds=3)
        perform(ticket, "note", self.dispatcher, text="另一台服务器时钟稍快", at=ahead)
        perform(ticket, "note", self.dispatcher, text="本机时钟稍慢")
        self.assertEqual(ticket.events.order_by("-seq").first().at, ahead)
        with self.assertRaisesMessage(TransitionError, "不能早于"):
            perform(ticket, "note", self.dispatcher, text="补记", at=ahead - timedelta(seconds=1))

    def test_it_refuses_resolve_without_evidence_and_changes_nothing(self):
        ticket = self.dispatched_ticket()
        perform(ticket, "acknowledge", self.handler)
        with self.assertRaisesMessage(TransitionError, "佐证材料"):
            perform(ticket, "resolve", self.handler, text="已处理")
        ticket.refresh_from_db()
        self.assertEqual((ticket.state, ticket.event_count), (State.ACKNOWLEDGED, 3))

    def test_an_inquiry_is_resolved_by_its_answer(self):
        ticket = self.dispatched_ticket(kind="inquiry", category=self.zombie_car)
        perform(ticket, "acknowledge", self.handler)
        perform(ticket, "resolve", self.handler, text="已电话答复政策依据")
        self.assertEqual(ticket.state, State.RESOLVED)

    def test_evidence_is_stored_once_and_its_hash_is_in_the_event(self):
        first, second = self.resolved_ticket(), self.resolved_ticket()
        a, b = Attachment.objects.get(ticket=first), Attachment.objects.get(ticket=second)
        self.assertEqual(a.file.name, b.file.name)
        self.assertEqual(first.events.get(action="resolve").attachments, [a.sha256])

    def test_the_resolver_cannot_verify(self):
        ticket = self.resolved_ticket()
        self.handler.role = "supervisor"
        self.handler.scope = self.city
        self.handler.save()
        with self.assertRaisesMessage(TransitionError, "不能核查"):
            perform(ticket, "verify", self.handler)

    def test_the_unit_head_of_the_resolving_unit_cannot_verify(self):
        ticket = self.resolved_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "verify", self.unit_head)

    def test_admin_of_the_resolving_unit_cannot_verify_either(self):
        ticket = self.resolved_ticket()
        self.colleague.role = "admin"
        self.colleague.save()
        with self.assertRaisesMessage(TransitionError, "办结单位以外"):
            perform(ticket, "verify", self.colleague)

    def test_it_refuses_close_without_verification(self):
        ticket = self.resolved_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "close", self.supervisor)
        self.assertEqual(ticket.state, State.RESOLVED)

    def test_supervisor_sends_a_weak_resolution_back(self):
        ticket = self.resolved_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "send_back", self.supervisor)
        perform(ticket, "send_back", self.supervisor, reason="照片显示车辆仍在原处")
        self.assertEqual(ticket.state, State.IN_PROGRESS)

    def test_a_district_supervisor_cannot_verify_outside_their_district(self):
        ticket = self.resolved_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "verify", self.district_supervisor)

    def test_reopen_sends_a_closed_ticket_back_to_the_unit(self):
        ticket = self.resolved_ticket()
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        perform(ticket, "reopen", self.dispatcher, reason="回访群众反映车辆仍未清走")
        self.assertEqual(ticket.state, State.REOPENED)
        self.assertIsNone(ticket.resolver)
        perform(ticket, "acknowledge", self.handler)
        self.assertEqual(ticket.state, State.ACKNOWLEDGED)


class ReturnTests(DubanTestCase):
    def test_return_needs_a_reason(self):
        ticket = self.dispatched_ticket()
        with self.assertRaisesMessage(TransitionError, "退单理由"):
            perform(ticket, "return", self.handler, reason="  ")
        self.assertEqual(ticket.state, State.DISPATCHED)

    def test_returned_ticket_is_reviewed_and_reassigned(self):
        ticket = self.dispatched_ticket()
        perform(ticket, "return", self.handler, reason="该路段属交警支队管辖")
        self.assertEqual(ticket.state, State.RETURNED)
        with self.assertRaises(TransitionError):
            perform(ticket, "reassign", self.dispatcher, unit=self.jiaojing)  # no review note
        event = perform(ticket, "reassign", self.dispatcher, unit=self.jiaojing, reason="退单理由成立")
        self.assertEqual((ticket.state, ticket.lead_unit), (State.DISPATCHED, self.jiaojing))
        self.assertTrue(event.payload["return_upheld"])
        self.assertEqual(event.payload["previous_unit"], self.chengguan.pk)

    def test_a_rejected_return_goes_back_to_the_same_unit(self):
        ticket = self.dispatched_ticket()
        perform(ticket, "return", self.handler, reason="不属于我单位职责")
        event = perform(ticket, "reassign", self.supervisor, unit=self.chengguan, reason="属城管职责，退单不成立")
        self.assertFalse(event.payload["return_upheld"])


class MergeTests(DubanTestCase):
    def test_merge_links_both_tickets(self):
        original, duplicate = self.dispatched_ticket(), self.new_ticket()
        perform(duplicate, "merge", self.dispatcher, target=original)
        self.assertEqual((duplicate.state, duplicate.merged_into), (State.MERGED, original))
        original.refresh_from_db()
        self.assertEqual(original.events.last().payload["merged"], duplicate.number)
        self.assertEqual(list(original.merged_tickets.all()), [duplicate])

    def test_it_refuses_to_merge_into_a_closed_or_the_same_ticket(self):
        ticket = self.new_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "merge", self.dispatcher, target=ticket)
        declined = self.new_ticket()
        perform(declined, "decline", self.dispatcher, decline_reason="no_substance")
        with self.assertRaises(TransitionError):
            perform(ticket, "merge", self.dispatcher, target=declined)


class PermissionToActTests(DubanTestCase):
    def test_outsider_cannot_acknowledge_or_note(self):
        ticket = self.dispatched_ticket()
        self.assertEqual(allowed_actions(self.outsider, ticket), [])
        with self.assertRaises(TransitionError):
            perform(ticket, "acknowledge", self.outsider)
        with self.assertRaises(TransitionError):
            perform(ticket, "note", self.outsider, text="我来看看")

    def test_co_unit_handler_may_note_but_not_resolve(self):
        ticket = self.dispatched_ticket()
        perform(ticket, "acknowledge", self.handler)
        self.assertEqual([t.action for t in allowed_actions(self.co_handler, ticket)], ["note"])  # nothing else
        perform(ticket, "note", self.co_handler, text="交警支队已安排巡查")
        with self.assertRaises(TransitionError):
            perform(ticket, "resolve", self.co_handler, text="已处理", files=[photo()])

    def test_handler_sees_only_the_actions_the_machine_allows_now(self):
        ticket = self.dispatched_ticket()
        self.assertEqual([t.action for t in allowed_actions(self.handler, ticket)],
                         ["acknowledge", "return", "note", "request_pause", "request_extension"])

    def test_an_event_cannot_be_dated_before_the_last_one(self):
        ticket = self.dispatched_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "acknowledge", self.handler, at=timezone.now() - timedelta(days=1))

    def test_an_inactive_person_can_do_nothing(self):
        ticket = self.dispatched_ticket()
        self.handler.is_active = False
        self.handler.save()
        with self.assertRaises(TransitionError):
            perform(ticket, "acknowledge", self.handler)

    def test_a_refusal_speaks_english_to_those_who_ask_for_it(self):
        ticket = self.dispatched_ticket()
        with translation.override("en"), self.assertRaisesMessage(TransitionError, "Say why the ticket is returned."):
            perform(ticket, "return", self.handler)

    def test_unknown_action_is_refused(self):
        with self.assertRaisesMessage(TransitionError, "未知操作"):
            perform(self.new_ticket(), "teleport", self.dispatcher)

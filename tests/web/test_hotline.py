"""The hotline centre: a call taken at the keyboard, dispatched or declined in one step; returns reviewed."""
from django.urls import reverse

from duban.ledger.machine import perform
from duban.ledger.models import DeclineReason, Event, State, Ticket
from tests.base import DubanTestCase


class EntryTests(DubanTestCase):
    def setUp(self):
        self.client.force_login(self.dispatcher)

    def call(self, do, **fields):
        data = {"reporter_phone": "13812345678", "reporter_name": "周大爷", "urgency": "normal",
                "description": "富强小区东门一辆白色轿车停了半年，落满灰尘，占用消防通道。", "address": "富强小区东门",
                "area": "富强社区第一网格", "category": "僵尸车", "do": do}
        data.update(fields)
        return self.client.post(reverse("web:hotline"), data)

    def test_the_entry_page_opens_with_the_fields_labelled(self):
        page = self.client.get(reverse("web:hotline"))
        for field in ("reporter_phone", "description", "category", "unit", "decline_reason"):
            self.assertContains(page, f'<label for="entry-{field}"')

    def test_save_and_dispatch_in_one_step(self):
        self.assertRedirects(self.call("dispatch"), reverse("web:hotline"))
        ticket = Ticket.objects.get()
        self.assertEqual((ticket.state, ticket.lead_unit, ticket.channel.code), (State.DISPATCHED, self.chengguan, "hotline"))
        self.assertEqual(Event.objects.get(ticket=ticket, action="dispatch").actor, self.dispatcher)

    def test_dispatch_to_a_unit_named_by_hand(self):
        self.call("dispatch", unit="交警支队")
        self.assertEqual(Ticket.objects.get().lead_unit, self.jiaojing)

    def test_save_only_leaves_it_for_later(self):
        self.call("save")
        self.assertEqual(Ticket.objects.get().state, State.RECEIVED)

    def test_declining_needs_one_of_the_six_reasons(self):
        page = self.call("decline")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "errorlist")
        self.assertFalse(Ticket.objects.exists())
        self.call("decline", decline_reason=DeclineReason.EMERGENCY)
        ticket = Ticket.objects.get()
        self.assertEqual((ticket.state, ticket.decline_reason), (State.DECLINED, "emergency"))

    def test_an_unknown_unit_is_refused_before_anything_is_saved(self):
        page = self.call("dispatch", unit="不存在的单位")
        self.assertContains(page, "不存在的单位")
        self.assertFalse(Ticket.objects.exists())

    def test_as_the_operator_types_duplicates_and_a_suggestion_appear(self):
        earlier = self.dispatched_ticket(title="市民来电", description="富强小区东门有辆白色轿车停了半年，落满灰尘，占了消防通道。")
        fragment = self.client.post(reverse("web:hotline_triage"), {
            "description": "富强小区东门那辆白色轿车停了半年了，落满灰尘，占着消防通道！", "category": "僵尸车"})
        self.assertContains(fragment, earlier.number)
        self.assertContains(fragment, 'id="suggested-unit"')
        self.assertContains(fragment, "城市管理行政执法局")

    def test_too_little_text_asks_for_more(self):
        fragment = self.client.post(reverse("web:hotline_triage"), {"description": "车"})
        self.assertNotContains(fragment, 'id="duplicates"')


class ReviewTests(DubanTestCase):
    def test_returned_tickets_show_the_reason_and_go_to_another_unit(self):
        ticket = self.dispatched_ticket()
        perform(ticket, "return", self.handler, reason="停车秩序属交警支队职责")
        self.client.force_login(self.dispatcher)
        listing = self.client.get(reverse("web:returned"))
        self.assertContains(listing, ticket.number)
        self.assertContains(listing, "停车秩序属交警支队职责")
        page = self.client.get(reverse("web:ticket", args=[ticket.number]))
        self.assertContains(page, 'data-testid="do-reassign"')
        self.client.post(reverse("web:act", args=[ticket.number, "reassign"]),
                         {"unit": "交警支队", "reason": "退单理由成立，改派交警支队"})
        ticket.refresh_from_db()
        self.assertEqual((ticket.state, ticket.lead_unit), (State.DISPATCHED, self.jiaojing))

    def test_received_tickets_wait_in_their_own_list(self):
        waiting = self.new_ticket()
        self.client.force_login(self.dispatcher)
        listing = self.client.get(reverse("web:received"))
        self.assertContains(listing, waiting.number)
        page = self.client.get(reverse("web:ticket", args=[waiting.number]))
        self.assertContains(page, 'data-testid="do-dispatch"')
        self.assertContains(page, 'data-testid="do-decline"')
        self.assertContains(page, 'hx-get="' + reverse("web:ticket_triage", args=[waiting.number]))

    def test_dispatching_from_the_ticket_page_uses_the_catalogue(self):
        waiting = self.new_ticket()
        self.client.force_login(self.dispatcher)
        self.client.post(reverse("web:act", args=[waiting.number, "dispatch"]), {"category": "僵尸车"})
        waiting.refresh_from_db()
        self.assertEqual((waiting.state, waiting.lead_unit), (State.DISPATCHED, self.chengguan))

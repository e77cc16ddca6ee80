"""The handler's workbench: the unit's queue and the ticket page, with the ledger's permissions."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from duban.ledger.machine import perform
from duban.ledger.models import Event, State
from duban.web.models import SavedView
from tests.base import DubanTestCase, png_bytes


def upload(name="整改后.png", seed=1):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(seed), content_type="image/png")


class QueueTests(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ours = cls.dispatched_ticket(title="东门僵尸车")
        cls.theirs = cls.new_ticket(category=cls.sanitation, area=cls.jiangbei_community, title="柳浪小区垃圾堆积")
        perform(cls.theirs, "dispatch", cls.dispatcher, unit=cls.jiangbei_street)

    def queue(self, person, **params):
        self.client.force_login(person)
        return self.client.get(reverse("web:work"), params)

    def test_handler_sees_only_their_units_tickets(self):
        page = self.queue(self.handler)
        self.assertContains(page, self.ours.number)
        self.assertNotContains(page, self.theirs.number)
        page = self.queue(self.outsider)
        self.assertContains(page, self.theirs.number)
        self.assertNotContains(page, self.ours.number)

    def test_a_co_unit_finds_the_ticket_under_we_assist(self):
        self.assertNotContains(self.queue(self.co_handler), self.ours.number)
        self.assertContains(self.queue(self.co_handler, scope="co"), self.ours.number)

    def test_the_clock_is_told_in_words_as_well_as_colour(self):
        page = self.queue(self.handler)
        self.assertContains(page, 'data-clock="green"')
        self.assertContains(page, "正常")
        self.assertContains(page, "个工作日")

    def test_an_overdue_ticket_is_red_and_says_so(self):
        late = self.dispatched_ticket(title="超期的僵尸车")
        later = timezone.now() + timedelta(days=40)
        import time_machine
        with time_machine.travel(later):
            page = self.queue(self.handler, colour="red")
        self.assertContains(page, late.number)
        self.assertContains(page, 'data-clock="red"')
        self.assertContains(page, "超期")

    def test_filters_by_state_colour_and_text(self):
        perform(self.ours, "acknowledge", self.handler)
        other = self.dispatched_ticket(title="西门僵尸车")
        page = self.queue(self.handler, state="acknowledged")
        self.assertContains(page, self.ours.number)
        self.assertNotContains(page, other.number)
        page = self.queue(self.handler, q="西门")
        self.assertContains(page, other.number)
        self.assertNotContains(page, self.ours.number)
        self.assertNotContains(self.queue(self.handler, colour="red"), other.number)

    def test_filters_by_category_subtree(self):
        page = self.queue(self.handler, category="停车秩序")
        self.assertContains(page, self.ours.number)
        self.assertNotContains(self.queue(self.handler, category="垃圾清理"), self.ours.number)

    def test_counts_per_state(self):
        page = self.queue(self.handler)
        self.assertContains(page, 'id="count-dispatched"')

    def test_saved_views_belong_to_their_person(self):
        self.client.force_login(self.handler)
        self.client.post(reverse("web:save_view"), {"name": "超期的", "query": "colour=red"})
        self.assertEqual(list(SavedView.objects.values_list("person", "name", "query")),
                         [(self.handler.pk, "超期的", "colour=red")])
        self.assertContains(self.client.get(reverse("web:work")), "超期的")
        self.assertNotContains(self.queue(self.colleague), "超期的")
        view = SavedView.objects.get()
        self.client.force_login(self.colleague)
        self.client.post(reverse("web:delete_view", args=[view.pk]))
        self.assertTrue(SavedView.objects.exists())


class TicketPageTests(DubanTestCase):
    def page(self, person, ticket):
        self.client.force_login(person)
        return self.client.get(reverse("web:ticket", args=[ticket.number]))

    def act(self, person, ticket, action, **data):
        self.client.force_login(person)
        return self.client.post(reverse("web:act", args=[ticket.number, action]), data)

    def test_another_units_ticket_is_not_found(self):
        ticket = self.dispatched_ticket()
        perform(ticket, "acknowledge", self.handler)
        perform(ticket, "resolve", self.handler, text="已拖离", files=[(upload(), "整改后.png")])
        attachment = ticket.attachment_set.get()
        self.client.force_login(self.outsider)
        for url in (reverse("web:ticket", args=[ticket.number]), reverse("web:ticket_triage", args=[ticket.number]),
                    reverse("web:attachment", args=[ticket.number, attachment.pk])):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertEqual(self.act(self.outsider, ticket, "note", text="看看").status_code, 404)
        self.assertFalse(Event.objects.filter(ticket=ticket, action="note").exists())

    def test_only_the_actions_the_machine_allows_are_shown(self):
        ticket = self.dispatched_ticket()
        page = self.page(self.handler, ticket)
        for action in ("acknowledge", "return", "note", "request_pause", "request_extension"):
            self.assertContains(page, f'data-testid="do-{action}"')
        for action in ("resolve", "verify", "close", "dispatch", "reassign", "supervise", "escalate"):
            self.assertNotContains(page, f'data-testid="do-{action}"')
        co_page = self.page(self.co_handler, ticket)
        self.assertContains(co_page, 'data-testid="do-note"')
        self.assertNotContains(co_page, 'data-testid="do-acknowledge"')

    def test_acknowledging_through_the_page_writes_an_event(self):
        ticket = self.dispatched_ticket()
        response = self.act(self.handler, ticket, "acknowledge")
        self.assertRedirects(response, reverse("web:ticket", args=[ticket.number]))
        event = Event.objects.filter(ticket=ticket).latest("seq")
        self.assertEqual((event.action, event.actor, event.to_state), ("acknowledge", self.handler, State.ACKNOWLEDGED))

    def test_resolving_needs_evidence_and_keeps_it(self):
        ticket = self.dispatched_ticket()
        self.act(self.handler, ticket, "acknowledge")
        page = self.client.post(reverse("web:act", args=[ticket.number, "resolve"]), {"text": "已拖离"}, follow=True)
        self.assertContains(page, "msg-error")
        ticket.refresh_from_db()
        self.assertEqual(ticket.state, State.ACKNOWLEDGED)
        self.act(self.handler, ticket, "resolve", text="已联系车主将车辆拖离", files=[upload()])
        ticket.refresh_from_db()
        self.assertEqual(ticket.state, State.RESOLVED)
        event = Event.objects.get(ticket=ticket, action="resolve")
        self.assertEqual(len(event.attachments), 1)
        page = self.page(self.handler, ticket)
        self.assertContains(page, "已联系车主将车辆拖离")
        self.assertContains(page, 'data-testid="attachment"')

    def test_returning_needs_a_reason(self):
        ticket = self.dispatched_ticket()
        self.act(self.handler, ticket, "return", reason="")
        ticket.refresh_from_db()
        self.assertEqual(ticket.state, State.DISPATCHED)
        self.act(self.handler, ticket, "return", reason="停车秩序属交警支队职责")
        ticket.refresh_from_db()
        self.assertEqual(ticket.state, State.RETURNED)

    def test_asking_for_an_extension_takes_days_and_a_reason(self):
        ticket = self.dispatched_ticket()
        self.act(self.handler, ticket, "request_extension", days="5", reason="需协调车主所在单位")
        event = Event.objects.filter(ticket=ticket).latest("seq")
        self.assertEqual((event.action, event.payload["days"]), ("request_extension", 5))
        page = self.page(self.supervisor, ticket)
        self.assertContains(page, 'id="pending-request"')
        self.assertContains(page, 'data-testid="do-approve_request"')

    def test_a_co_units_note_is_marked_as_theirs(self):
        ticket = self.dispatched_ticket()
        self.act(self.co_handler, ticket, "note", text="交警已到场贴单")
        page = self.page(self.handler, ticket)
        self.assertContains(page, 'class="co-unit"')
        self.assertContains(page, "交警已到场贴单", count=2)  # in the timeline and among the co-units' notes

    def test_the_handler_sees_the_reporter_of_their_ticket(self):
        ticket = self.dispatched_ticket()
        page = self.page(self.handler, ticket)
        self.assertContains(page, "13812345678")
        self.assertContains(page, "周大爷")

    def test_a_whistle_blower_is_shown_only_with_the_permission(self):
        ticket = self.dispatched_ticket(kind="report", description="举报某单位违规收费，联系电话13812345678")
        for person in (self.handler, self.supervisor, self.unit_head):
            page = self.page(person, ticket)
            self.assertNotContains(page, "13812345678", msg_prefix=person.username)
            self.assertNotContains(page, "周大爷", msg_prefix=person.username)
            self.assertContains(page, "138****5678")
        page = self.page(self.whistle_reader, ticket)
        self.assertContains(page, "13812345678")
        self.assertContains(page, "周大爷")

    def test_no_page_shows_the_reporters_phone_to_an_outsider(self):
        ticket = self.dispatched_ticket()
        self.client.force_login(self.outsider)
        for url, status in ((reverse("web:work") + "?state=all", 200), (reverse("web:steward"), 200),
                            (reverse("web:ticket", args=[ticket.number]), 404)):
            self.assertNotContains(self.client.get(url), "13812345678", status_code=status)

    def test_an_unknown_action_changes_nothing(self):
        ticket = self.dispatched_ticket()
        self.act(self.handler, ticket, "teleport")
        self.assertEqual(Event.objects.filter(ticket=ticket).count(), 2)

    def test_a_number_typed_in_the_header_opens_the_ticket_or_says_no(self):
        ticket = self.dispatched_ticket()
        self.client.force_login(self.handler)
        self.assertRedirects(self.client.get(reverse("web:find"), {"number": ticket.number.lower()}),
                             reverse("web:ticket", args=[ticket.number]))
        self.client.force_login(self.outsider)
        self.assertRedirects(self.client.get(reverse("web:find"), {"number": ticket.number}), "/",
                             fetch_redirect_response=False)

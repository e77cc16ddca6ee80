"""A matter's whole life through the pages, as the browser tests will walk it: each step checks that
the control a browser would press is on the page, then sends what pressing it sends."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from duban.ledger.models import Event, State, Ticket
from tests.base import DubanTestCase, png_bytes


def picture(seed=0):
    return SimpleUploadedFile("现场.png", png_bytes(seed), content_type="image/png")


@override_settings(INTAKE_AUTO_DISPATCH=False)  # the report waits for the dispatcher, as in the walkthrough
class WalkthroughTests(DubanTestCase):
    def staff(self, person):
        client = Client()
        client.force_login(person)
        return client

    def press(self, client, number, action, **data):
        page = client.get(reverse("web:ticket", args=[number]))
        self.assertContains(page, f'id="do-{action}"')
        client.post(reverse("web:act", args=[number, action]), data)
        return Ticket.objects.get(number=number)

    def report(self, citizen):
        form = citizen.get(reverse("web:report"))
        for control in ("report-description", "report-photos", "report-reporter_phone", "report-submit"):
            self.assertContains(form, f'id="{control}"')
        citizen.post(reverse("web:report"), {"kind": "complaint", "description": "富强小区东门一辆白色轿车停了半年。",
                                             "address": "富强小区东门", "reporter_phone": "13812345678",
                                             "photos": [picture()]})
        return citizen.get(reverse("web:reported")).context["number"]

    def test_a_matter_from_report_to_rating(self):
        citizen = self.client
        number = self.report(citizen)
        self.assertEqual(Ticket.objects.get(number=number).state, State.RECEIVED)

        dispatcher = self.staff(self.dispatcher)
        self.assertContains(dispatcher.get(reverse("web:received")), f'id="open-{number}"')
        ticket = self.press(dispatcher, number, "dispatch", category="城市管理 › 停车秩序 › 僵尸车")
        self.assertEqual((ticket.state, ticket.lead_unit), (State.DISPATCHED, self.chengguan))

        handler = self.staff(self.handler)
        self.assertContains(handler.get(reverse("web:work")), f'id="open-{number}"')
        self.press(handler, number, "acknowledge")
        ticket = self.press(handler, number, "resolve", text="已联系车主将车辆拖离", files=[picture(1)])
        self.assertEqual(ticket.state, State.RESOLVED)

        supervisor = self.staff(self.supervisor)
        self.assertContains(supervisor.get(reverse("web:oversight")), f'id="open-{number}"')
        self.press(supervisor, number, "verify", text="现场核查属实")
        ticket = self.press(supervisor, number, "close")
        self.assertEqual(ticket.state, State.CLOSED)

        page = citizen.get(reverse("web:followed", args=[number]))
        self.assertContains(page, 'id="rate-submit"')
        citizen.post(reverse("web:rate", args=[number]), {"solved": "yes", "rating": "5"})
        self.assertEqual(list(ticket.events.values_list("action", flat=True)),
                         ["receive", "dispatch", "acknowledge", "resolve", "verify", "close", "rate"])
        self.assertEqual(ticket.attachment_set.count(), 2)  # the citizen's photo and the evidence

    def test_a_unit_returns_the_matter_and_the_dispatcher_reassigns_it(self):
        number = self.report(self.client)
        dispatcher = self.staff(self.dispatcher)
        self.press(dispatcher, number, "dispatch", unit="城管局")
        handler = self.staff(self.handler)
        self.assertContains(handler.get(reverse("web:ticket", args=[number])), 'id="return-reason"')
        ticket = self.press(handler, number, "return", reason="停车秩序属交警支队职责")
        self.assertEqual(ticket.state, State.RETURNED)
        self.assertContains(dispatcher.get(reverse("web:returned")), f'id="open-{number}"')
        page = dispatcher.get(reverse("web:ticket", args=[number]))
        for control in ("reassign-unit", "reassign-reason"):
            self.assertContains(page, f'id="{control}"')
        ticket = self.press(dispatcher, number, "reassign", unit="交警支队", reason="退单理由成立")
        self.assertEqual((ticket.state, ticket.lead_unit), (State.DISPATCHED, self.jiaojing))
        event = Event.objects.filter(ticket=ticket).latest("seq")
        self.assertEqual((event.action, event.actor, event.payload["return_upheld"]), ("reassign", self.dispatcher, True))

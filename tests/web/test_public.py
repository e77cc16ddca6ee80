"""The citizen's pages: report a matter, follow it with the number and the phone's last digits, rate it."""
import re

from django.test import override_settings
from django.urls import reverse

from duban.ledger.machine import perform
from duban.ledger.models import Attachment, Event, Rating, State, Ticket
from tests.base import DubanTestCase, photo


def closed(case, **fields):
    ticket = case.resolved_ticket(**fields)
    perform(ticket, "verify", case.supervisor)
    perform(ticket, "close", case.supervisor)
    return ticket


class ReportTests(DubanTestCase):
    def report(self, **fields):
        data = {"kind": "complaint", "category": "僵尸车", "description": "富强小区东门一辆白色轿车停了半年，落满灰尘。",
                "address": "江南区富强小区东门", "reporter_name": "周大爷", "reporter_phone": "13812345678"}
        data.update(fields)
        return self.client.post(reverse("web:report"), data)

    def test_anonymous_visitor_is_sent_to_the_citizen_page(self):
        page = self.client.get("/")
        self.assertContains(page, 'id="start-report"')
        self.assertContains(page, 'id="start-track"')

    def test_citizen_report_creates_a_ticket_and_shows_its_number(self):
        image, name = photo()
        response = self.report(photos=[_named(image, name)])
        self.assertRedirects(response, reverse("web:reported"))
        ticket = Ticket.objects.get()
        self.assertEqual((ticket.channel.code, ticket.category, ticket.reporter_phone), ("web", self.zombie_car, "13812345678"))
        self.assertEqual(Attachment.objects.filter(ticket=ticket).count(), 1)
        page = self.client.get(reverse("web:reported"))
        self.assertContains(page, f'data-testid="tracking-number">{ticket.number}<')

    def test_a_report_dispatched_by_the_catalogue_is_with_the_unit_at_once(self):
        self.report()
        ticket = Ticket.objects.get()
        self.assertEqual((ticket.state, ticket.lead_unit), (State.DISPATCHED, self.chengguan))

    def test_report_without_a_description_is_refused_with_a_message(self):
        page = self.report(description="")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "errorlist")
        self.assertFalse(Ticket.objects.exists())

    def test_unknown_category_is_refused_not_guessed(self):
        page = self.report(category="不存在的分类")
        self.assertContains(page, "不存在的分类")
        self.assertFalse(Ticket.objects.exists())

    def test_a_file_that_is_not_a_photo_is_refused(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        page = self.report(photos=[SimpleUploadedFile("x.png", b"<html>not a picture</html>")])
        self.assertEqual(page.status_code, 200)
        self.assertFalse(Ticket.objects.exists())

    @override_settings(PUBLIC_REPORTS_PER_HOUR=2)
    def test_reports_from_one_address_are_limited(self):
        self.assertEqual(self.report().status_code, 302)
        self.assertEqual(self.report().status_code, 302)
        self.assertEqual(self.report().status_code, 429)
        self.assertEqual(Ticket.objects.count(), 2)
        other = self.client.post(reverse("web:report"), {"kind": "complaint", "description": "路灯不亮"},
                                 REMOTE_ADDR="10.1.2.3")
        self.assertEqual(other.status_code, 302)


def _named(fileobj, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, fileobj.read(), content_type="image/png")


class TrackingTests(DubanTestCase):
    def track(self, number, last4):
        return self.client.post(reverse("web:track"), {"number": number, "last4": last4})

    def test_tracking_needs_the_right_last_four_digits(self):
        ticket = self.dispatched_ticket()
        wrong = self.track(ticket.number, "0000")
        self.assertEqual(wrong.status_code, 200)
        self.assertContains(wrong, "errorlist")
        self.assertEqual(self.client.get(reverse("web:followed", args=[ticket.number])).status_code, 302)
        self.assertRedirects(self.track(ticket.number, "5678"), reverse("web:followed", args=[ticket.number]))

    def test_a_ticket_without_a_phone_cannot_be_followed_by_guessing(self):
        ticket = self.dispatched_ticket(reporter_phone="")
        self.assertEqual(self.track(ticket.number, "0000").status_code, 200)
        self.assertEqual(self.client.get(reverse("web:followed", args=[ticket.number])).status_code, 302)

    def test_the_steps_show_the_units_reply_and_no_personal_data(self):
        ticket = self.dispatched_ticket(description="我是周大爷，电话13812345678，车停在东门。")
        perform(ticket, "note", self.handler, text="内部备注：联系车主王某 13900001111")
        perform(ticket, "acknowledge", self.handler)
        perform(ticket, "resolve", self.handler, text="已联系车主将车辆拖离，如有问题请拨打 13700002222", files=[photo()])
        self.track(ticket.number, "5678")
        page = self.client.get(reverse("web:followed", args=[ticket.number]))
        body = page.content.decode()
        self.assertIn("城市管理行政执法局", body)
        self.assertIn("已联系车主将车辆拖离", body)
        for secret in ("周大爷", "13812345678", "内部备注", "13900001111", "13700002222", "黄晓明"):
            self.assertNotIn(secret, body)
        self.assertEqual(len(re.findall('data-testid="step"', body)), 4)  # receive, dispatch, acknowledge, resolve

    @override_settings(PUBLIC_LOOKUPS_PER_HOUR=3)
    def test_guessing_the_digits_is_limited(self):
        ticket = self.dispatched_ticket()
        for guess in ("0001", "0002", "0003"):
            self.assertEqual(self.track(ticket.number, guess).status_code, 200)
        self.assertEqual(self.track(ticket.number, "5678").status_code, 429)


class RatingTests(DubanTestCase):
    def follow(self, ticket):
        self.client.post(reverse("web:track"), {"number": ticket.number, "last4": "5678"})
        return self.client.get(reverse("web:followed", args=[ticket.number]))

    def rate(self, ticket, **data):
        return self.client.post(reverse("web:rate", args=[ticket.number]), data)

    def test_rating_is_offered_only_once_the_matter_is_closed(self):
        ticket = self.resolved_ticket()
        self.assertNotContains(self.follow(ticket), 'id="rate-form"')
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        self.assertContains(self.follow(ticket), 'id="rate-form"')

    def test_citizen_rating_is_an_event_of_the_ledger(self):
        ticket = closed(self)
        self.follow(ticket)
        self.rate(ticket, rating=Rating.BASICALLY_SATISFIED, contacted="yes", solved="yes", text="基本解决了")
        event = Event.objects.get(ticket=ticket, action="rate")
        self.assertIsNone(event.actor)
        self.assertEqual(event.payload, {"rating": 3, "solved": True, "contacted": True, "note": "基本解决了",
                                         "via": "reporter", "unit": self.chengguan.pk})
        page = self.client.get(reverse("web:followed", args=[ticket.number]))
        self.assertNotContains(page, 'id="rate-form"')
        self.assertContains(page, str(Rating.BASICALLY_SATISFIED.label))

    def test_a_second_rating_is_refused(self):
        ticket = closed(self)
        self.follow(ticket)
        self.rate(ticket, rating=5, solved="yes")
        self.rate(ticket, rating=1, solved="no")
        self.assertEqual(Event.objects.filter(ticket=ticket, action="rate").count(), 1)

    def test_rating_needs_the_number_proved_first(self):
        ticket = closed(self)
        self.assertRedirects(self.rate(ticket, rating=1, solved="no"), reverse("web:track"))
        self.assertFalse(Event.objects.filter(ticket=ticket, action="rate").exists())

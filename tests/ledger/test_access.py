from datetime import date, timedelta

from django.test import override_settings

from duban.ledger.access import can_see, reporter_of, visible_tickets
from duban.ledger.machine import perform
from duban.org.models import Stewardship
from tests.base import DubanTestCase


class VisibilityTests(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ticket = cls.dispatched_ticket()  # 城管局 leads, 交警支队 co-operates, in 江南区
        cls.beside = cls.new_ticket(category=cls.sanitation, area=cls.jiangbei_community,
                                    address="江北区柳浪小区", title="柳浪小区垃圾堆积")
        perform(cls.beside, "dispatch", cls.dispatcher, unit=cls.jiangbei_street)

    def visible(self, person):
        return set(visible_tickets(person).values_list("number", flat=True))

    def test_can_see_answers_exactly_as_the_visibility_filter_for_everyone(self):
        from duban.org.models import Person

        nowhere = self.new_ticket(area=None, address="", title="来源不明的咨询")
        waiting = self.new_ticket(area=self.jiangbei_community, title="柳浪社区待派单")
        for person in Person.objects.all():
            for ticket in (self.ticket, self.beside, nowhere, waiting):
                with self.subTest(person=person.username, ticket=ticket.title):
                    self.assertEqual(can_see(person, ticket),
                                     visible_tickets(person).filter(pk=ticket.pk).exists())

    def test_handler_sees_the_tickets_of_their_own_unit_only(self):
        self.assertEqual(self.visible(self.handler), {self.ticket.number})

    def test_co_unit_handler_sees_the_ticket_too(self):
        self.assertEqual(self.visible(self.co_handler), {self.ticket.number})

    def test_supervisor_of_the_city_sees_everything_below_it(self):
        self.assertEqual(self.visible(self.supervisor), {self.ticket.number, self.beside.number})

    def test_district_supervisor_sees_their_district_and_nothing_beside_it(self):
        self.assertEqual(self.visible(self.district_supervisor), {self.beside.number})

    def test_dispatcher_sees_received_tickets_not_yet_dispatched(self):
        fresh = self.new_ticket()
        self.assertIn(fresh.number, self.visible(self.dispatcher))
        self.assertNotIn(fresh.number, self.visible(self.handler))

    def test_steward_sees_everything_in_their_charge(self):
        self.assertEqual(self.visible(self.steward), {self.ticket.number})

    def test_steward_of_a_place_sees_tickets_at_that_place(self):
        Stewardship.objects.create(person=self.outsider, kind="place", subject="富强小区", starts_on=date(2024, 1, 1))
        self.assertIn(self.ticket.number, self.visible(self.outsider))

    def test_steward_of_an_enterprise_sees_its_tickets(self):
        firm = self.new_ticket(subject="江城圣博生物材料有限公司", area=self.jiangbei_community)
        Stewardship.objects.create(person=self.outsider, kind="enterprise", subject="江城圣博生物材料有限公司",
                                   starts_on=date(2024, 1, 1))
        self.assertIn(firm.number, self.visible(self.outsider))

    def test_an_ended_stewardship_shows_nothing(self):
        Stewardship.objects.filter(person=self.steward).update(ends_on=date.today() - timedelta(days=1))
        self.assertEqual(self.visible(self.steward), set())

    def test_outsider_sees_nothing(self):
        self.assertFalse(can_see(self.outsider, self.ticket))
        self.assertNotIn(self.ticket.number, self.visible(self.outsider))

    def test_a_ticket_with_two_co_units_is_listed_once(self):
        self.ticket.co_units.add(self.xishan)
        self.assertEqual(visible_tickets(self.supervisor).filter(pk=self.ticket.pk).count(), 1)


class ReporterPrivacyTests(DubanTestCase):
    def test_outsider_cannot_see_reporter_phone(self):
        ticket = self.dispatched_ticket()
        self.assertEqual(reporter_of(self.outsider, ticket)["phone"], "138****5678")
        self.assertEqual(reporter_of(self.outsider, ticket)["name"], "周**")

    def test_handler_of_the_unit_sees_the_complainant_to_call_back(self):
        ticket = self.dispatched_ticket()
        self.assertEqual(reporter_of(self.handler, ticket)["phone"], "13812345678")

    def test_a_whistle_blower_is_masked_even_for_the_handling_unit(self):
        ticket = self.dispatched_ticket(kind="report", reporter_name="匿名群众甲")
        self.assertEqual(reporter_of(self.handler, ticket)["phone"], "138****5678")
        self.assertEqual(reporter_of(self.supervisor, ticket)["name"], "匿****")

    def test_a_whistle_blower_is_visible_to_those_given_the_permission(self):
        ticket = self.dispatched_ticket(kind="report")
        self.assertEqual(reporter_of(self.whistle_reader, ticket)["phone"], "13812345678")


@override_settings(LANGUAGE_CODE="en")
class AdminWindowTests(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from django.contrib.auth.models import Permission
        viewing = Permission.objects.filter(codename__in=["view_ticket", "view_event"])
        for person in (cls.handler, cls.outsider, cls.supervisor, cls.whistle_reader):
            person.is_staff = True
            person.save()
            person.user_permissions.add(*viewing)

    def test_outsider_gets_an_empty_ticket_list_and_no_ticket_page(self):
        ticket = self.dispatched_ticket()
        self.client.force_login(self.outsider)
        listing = self.client.get("/admin/ledger/ticket/")
        self.assertEqual(listing.status_code, 200)
        self.assertNotContains(listing, ticket.number)
        page = self.client.get(f"/admin/ledger/ticket/{ticket.pk}/change/")
        self.assertNotEqual(page.status_code, 200)

    def test_handler_sees_their_ticket_in_the_admin(self):
        ticket = self.dispatched_ticket()
        self.client.force_login(self.handler)
        self.assertContains(self.client.get("/admin/ledger/ticket/"), ticket.number)

    def test_admin_page_masks_a_whistle_blower_without_the_permission(self):
        ticket = self.dispatched_ticket(kind="report")
        self.client.force_login(self.supervisor)
        page = self.client.get(f"/admin/ledger/ticket/{ticket.pk}/change/")
        self.assertContains(page, "138****5678")
        self.assertNotContains(page, "13812345678")

    def test_admin_page_shows_a_whistle_blower_to_those_allowed(self):
        ticket = self.dispatched_ticket(kind="report")
        self.client.force_login(self.whistle_reader)
        self.assertContains(self.client.get(f"/admin/ledger/ticket/{ticket.pk}/change/"), "13812345678")

"""A firm's requests on the ledger, and the cadre who follows them (万人助万企, 敲门行动)."""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from duban.catalogue.models import Channel
from duban.clock.calendar import work_calendar
from duban.enterprises import service
from duban.enterprises.models import EnterpriseRequest, Visit
from duban.ledger.access import can_see
from duban.ledger.models import State, Ticket
from duban.org.models import Stewardship
from tests.enterprises.base import PHONE, EnterpriseTestCase


class RequestTests(EnterpriseTestCase):
    def test_a_request_becomes_a_ticket_on_the_fast_clock_for_the_unit_chosen(self):
        ticket = self.opened()
        self.assertEqual(ticket.resolve_due_at, work_calendar().add_workdays(ticket.created_at, 3))
        self.assertEqual((ticket.channel.code, ticket.channel.name), ("enterprise", "政企直通车"))
        self.assertEqual((ticket.kind, ticket.subject, ticket.area), ("help", self.firm.name, self.jiangnan))
        self.assertEqual((ticket.state, ticket.lead_unit), (State.DISPATCHED, self.chengguan))
        self.assertEqual((ticket.reporter_name, ticket.reporter_phone), ("刘继宏", PHONE))
        request = EnterpriseRequest.objects.get(ticket=ticket)
        self.assertEqual(ticket.events.get(action="receive").payload["source"],
                         {"enterprise": self.firm.pk, "visit": request.visit_id})

    @override_settings(ENTERPRISE_REQUEST_WORKDAYS=1)
    def test_the_clock_is_the_settings_number_of_working_days(self):
        ticket = self.opened()
        self.assertEqual(ticket.resolve_due_at, work_calendar().add_workdays(ticket.created_at, 1))

    def test_left_without_a_unit_the_dispatch_catalogue_chooses(self):
        ticket = self.opened(unit=None, category=self.parking)
        self.assertEqual(ticket.lead_unit, self.chengguan)
        self.assertEqual(list(ticket.co_units.all()), [self.jiaojing])
        self.assertIn("派单目录", ticket.events.get(action="dispatch").payload["note"])

    def test_with_neither_unit_nor_rule_it_goes_to_the_district_government(self):
        ticket = self.opened(unit=None)
        self.assertEqual(ticket.lead_unit, self.jiangnan)

    def test_a_request_without_a_title_refuses_the_whole_visit(self):
        with self.assertRaisesMessage(ValidationError, "标题和内容"):
            self.visit(self.request_spec(), self.request_spec(title=""))
        self.assertFalse(Visit.objects.exists())
        self.assertFalse(Ticket.objects.exists())

    def test_a_visit_in_the_future_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "走访时间不能晚于现在"):
            self.visit(visited_at=timezone.now() + timedelta(days=1))
        self.assertFalse(Visit.objects.exists())

    def test_a_visit_may_bring_no_request(self):
        visit = self.visit()
        self.assertEqual(visit.requests.count(), 0)
        self.assertEqual(self.firm.visits.get(), visit)


class CadreTests(EnterpriseTestCase):
    def test_the_cadre_opens_the_tickets_page_and_an_outsider_gets_404(self):
        ticket = self.opened()
        self.client.force_login(self.steward)
        self.assertEqual(self.client.get(f"/tickets/{ticket.number}/").status_code, 200)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(f"/tickets/{ticket.number}/").status_code, 404)

    def test_assigning_a_new_cadre_ends_the_old_stewardship(self):
        ticket = self.opened()
        new = service.assign_cadre(self.firm, self.district_supervisor)
        self.charge.refresh_from_db()
        self.assertEqual(self.charge.ends_on, timezone.localdate() - timedelta(days=1))
        self.assertEqual(service.cadre_of(self.firm), self.district_supervisor)
        self.assertEqual((new.kind, new.subject, new.starts_on), ("enterprise", self.firm.name, timezone.localdate()))
        self.assertFalse(can_see(self.steward, ticket))
        self.assertTrue(can_see(self.district_supervisor, ticket))

    def test_a_cadre_replaced_the_day_they_were_given_the_firm_is_withdrawn(self):
        first = service.assign_cadre(self.firm, self.district_supervisor)
        service.assign_cadre(self.firm, self.unit_head)
        self.assertFalse(Stewardship.objects.filter(pk=first.pk).exists())
        self.assertEqual(service.cadre_of(self.firm), self.unit_head)

    def test_the_cadre_cannot_be_assigned_twice(self):
        with self.assertRaisesMessage(ValidationError, "已经是"):
            service.assign_cadre(self.firm, self.steward)
        self.assertEqual(Stewardship.objects.filter(subject=self.firm.name).count(), 1)


class RegisterTests(EnterpriseTestCase):
    def test_a_credit_code_is_registered_once(self):
        with self.assertRaisesMessage(ValidationError, "已登记为江城宏达机械制造有限公司"):
            service.register(self.supervisor, name="江城另一家公司", district=self.jiangbei,
                             credit_code="91350100M000100Y43")

    def test_a_district_supervisor_registers_only_in_their_district(self):
        with self.assertRaisesMessage(ValidationError, "不在您的管辖范围内"):
            service.register(self.district_supervisor, name="江南某公司", district=self.jiangnan)
        firm = service.register(self.district_supervisor, name="江北某公司", district=self.jiangbei,
                                cadre=self.co_handler)
        self.assertEqual(service.cadre_of(firm), self.co_handler)

    def test_a_channel_row_is_there_from_the_migration(self):
        self.assertTrue(Channel.objects.filter(code="enterprise", name="政企直通车").exists())

"""The register, a firm's page and its forms, as each person sees them."""
from datetime import timedelta

from django.utils import timezone

from duban.enterprises import service
from duban.enterprises.models import Enterprise, EnterpriseRequest, Visit
from duban.ledger.models import Ticket
from duban.org.models import Stewardship
from tests.enterprises.base import PHONE, EnterpriseTestCase

MASKED = "139****1234"


class FirmPageTests(EnterpriseTestCase):
    def page(self, person):
        self.client.force_login(person)
        return self.client.get(f"/enterprises/{self.firm.pk}/")

    def test_the_contact_phone_is_masked_for_a_handler_of_another_unit(self):
        self.opened()  # dispatched to 城管局: its handler may open the firm's page
        response = self.page(self.handler)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, MASKED)
        self.assertNotContains(response, PHONE)
        self.assertNotContains(response, "刘继宏")

    def test_the_cadre_and_a_supervisor_see_the_contact(self):
        for person in (self.steward, self.supervisor):
            self.assertContains(self.page(person), PHONE)

    def test_an_outsider_cannot_open_the_firms_page(self):
        self.opened()
        self.assertEqual(self.page(self.outsider).status_code, 404)

    def test_the_page_shows_the_cadre_the_requests_with_their_clock_and_the_visits(self):
        ticket = self.opened()
        response = self.page(self.steward)
        self.assertContains(response, f'href="/tickets/{ticket.number}/"')
        self.assertContains(response, 'data-clock="green"')
        self.assertContains(response, 'data-testid="visit"', count=1)
        self.assertContains(response, 'data-person="yu"')
        self.assertContains(response, "在办诉求1项")
        self.assertContains(response, 'id="visit-form"')
        self.assertNotContains(response, 'id="assign-form"')

    def test_the_latest_visit_comes_first(self):
        older = self.visit(visited_at=timezone.now() - timedelta(days=40), notes="上次走访。")
        newer = self.visit(self.request_spec(), notes="本次走访。")
        content = self.page(self.steward).content.decode()
        self.assertLess(content.index(f'id="visit-{newer.pk}"'), content.index(f'id="visit-{older.pk}"'))

    def test_the_cadre_records_a_visit_with_a_request_for_the_unit_typed(self):
        self.client.force_login(self.steward)
        visited = timezone.localtime() - timedelta(hours=3)
        response = self.client.post(f"/enterprises/{self.firm.pk}/visits/", {
            "visited_at": visited.strftime("%Y-%m-%dT%H:%M"), "kind": "forum", "notes": "召开政企座谈会。",
            "needs": "新建车间用电增容", "r1-topic": "power", "r1-title": "新建车间用电增容",
            "r1-description": "现有变压器容量不足，申请增容。", "r1-unit": "城管局", "r2-title": "", "r3-title": ""})
        self.assertRedirects(response, f"/enterprises/{self.firm.pk}/")
        request = EnterpriseRequest.objects.get()
        self.assertEqual((request.topic, request.visit.kind, request.visit.cadre), ("power", "forum", self.steward))
        self.assertEqual((request.ticket.lead_unit, request.ticket.subject), (self.chengguan, self.firm.name))

    def test_a_request_half_filled_refuses_the_visit_and_keeps_what_was_typed(self):
        self.client.force_login(self.steward)
        response = self.client.post(f"/enterprises/{self.firm.pk}/visits/", {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "kind": "knock", "notes": "入企走访。",
            "r1-title": "融资对接", "r1-description": "", "r1-unit": "不存在的局"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "融资对接", status_code=400)
        self.assertContains(response, "标题和内容", status_code=400)
        self.assertFalse(Visit.objects.exists())
        self.assertFalse(Ticket.objects.exists())

    def test_a_handler_cannot_record_a_visit_or_assign_a_cadre(self):
        self.opened()
        self.client.force_login(self.handler)
        self.assertEqual(self.client.post(f"/enterprises/{self.firm.pk}/visits/", {}).status_code, 403)
        self.assertEqual(self.client.post(f"/enterprises/{self.firm.pk}/cadre/", {"cadre": "han"}).status_code, 403)
        self.assertEqual(Visit.objects.count(), 1)

    def test_a_supervisor_assigns_a_new_cadre_and_the_old_one_stops(self):
        self.client.force_login(self.supervisor)
        response = self.client.post(f"/enterprises/{self.firm.pk}/cadre/", {"cadre": "韩冰（城市管理行政执法局）",
                                                                            "note": "服务大使"})
        self.assertRedirects(response, f"/enterprises/{self.firm.pk}/")
        self.assertEqual(service.cadre_of(self.firm), self.colleague)
        self.charge.refresh_from_db()
        self.assertEqual(self.charge.ends_on, timezone.localdate() - timedelta(days=1))

    def test_an_unknown_cadre_is_refused(self):
        self.client.force_login(self.supervisor)
        response = self.client.post(f"/enterprises/{self.firm.pk}/cadre/", {"cadre": "查无此人"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Stewardship.objects.filter(subject=self.firm.name).count(), 1)

    def test_a_district_supervisor_cannot_assign_a_cadre_outside_their_district(self):
        self.client.force_login(self.district_supervisor)
        self.assertEqual(self.client.post(f"/enterprises/{self.firm.pk}/cadre/", {"cadre": "han"}).status_code, 403)


class RegisterPageTests(EnterpriseTestCase):
    def form(self, **fields):
        values = {"name": "江城东亮装修工程有限公司", "credit_code": "91440300708461136T", "district": "江北区",
                  "address": "柳浪街道站前路6号", "industry": "construction", "scale": "small",
                  "contact_name": "刘继宏", "contact_phone": "13812345678", "cadre": "", "note": ""}
        values.update(fields)
        return values

    def test_a_supervisor_registers_a_firm_with_its_cadre(self):
        self.client.force_login(self.supervisor)
        response = self.client.post("/enterprises/new", self.form(cadre="于书记（江南区）", note="服务大使"))
        firm = Enterprise.objects.get(name="江城东亮装修工程有限公司")
        self.assertRedirects(response, f"/enterprises/{firm.pk}/")
        self.assertEqual((firm.district, firm.industry, firm.registered_by), (self.jiangbei, "construction",
                                                                              self.supervisor))
        self.assertEqual(service.cadre_of(firm), self.steward)

    def test_a_bad_credit_code_is_refused_with_a_clear_message_and_nothing_written(self):
        self.client.force_login(self.supervisor)
        response = self.client.post("/enterprises/new", self.form(credit_code="91440300708461136X"))
        self.assertContains(response, "校验码（最后一位）不符", status_code=400)
        self.assertFalse(Enterprise.objects.filter(name="江城东亮装修工程有限公司").exists())

    def test_a_handler_cannot_register_a_firm(self):
        self.client.force_login(self.handler)
        self.assertEqual(self.client.get("/enterprises/new").status_code, 403)
        self.assertEqual(self.client.post("/enterprises/new", self.form()).status_code, 403)
        self.assertEqual(Enterprise.objects.count(), 1)

    def test_the_form_offers_units_and_people_to_pick(self):
        self.client.force_login(self.supervisor)
        response = self.client.get("/enterprises/new")
        self.assertContains(response, '<datalist id="units-list">')
        self.assertContains(response, '<option value="于书记（江南区）">')


class RegisterListTests(EnterpriseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = service.register(cls.supervisor, name="江城北山水泥有限公司", district=cls.jiangbei,
                                     industry="manufacturing", cadre=cls.district_supervisor)

    def names(self, person, query=""):
        self.client.force_login(person)
        response = self.client.get("/enterprises/" + query)
        self.assertEqual(response.status_code, 200)
        return [row for row in (self.firm.name, self.other.name) if f'data-name="{row}"' in response.content.decode()]

    def test_supervisors_see_every_firm_and_filter_by_district_and_industry(self):
        self.assertEqual(self.names(self.supervisor), [self.firm.name, self.other.name])
        self.assertEqual(self.names(self.supervisor, f"?district={self.jiangbei.pk}"), [self.other.name])
        self.assertEqual(self.names(self.supervisor, "?industry=construction"), [])

    def test_a_cadre_sees_their_firms(self):
        self.assertEqual(self.names(self.district_supervisor, "?tab=mine"), [self.other.name])
        self.assertEqual(self.names(self.steward, "?tab=mine"), [self.firm.name])

    def test_a_handler_sees_the_firms_whose_requests_their_unit_holds(self):
        self.assertEqual(self.names(self.handler), [])
        self.opened()
        self.assertEqual(self.names(self.handler), [self.firm.name])
        self.assertEqual(self.names(self.outsider), [])

    def test_each_row_shows_the_cadre_the_open_requests_and_the_last_visit(self):
        self.opened()
        self.client.force_login(self.supervisor)
        response = self.client.get("/enterprises/")
        self.assertContains(response, "于书记")
        self.assertContains(response, '<td data-label="在办诉求" data-testid="firm-open">1</td>', html=False)
        self.assertContains(response, timezone.localdate().strftime("%Y-%m-%d"))

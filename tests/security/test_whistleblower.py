"""A whistle-blower's identity (举报) is shown in clear only to people with ledger.view_whistleblower,
and every showing of it — ticket page, API, export, call-back list, admin — is one IdentityView row."""
import csv
import io

from django.contrib.auth.models import Permission
from django.test import Client

from duban.catalogue.models import RequestKind
from duban.ledger.machine import perform
from duban.ledger.models import IdentityView
from duban.verdict.models import CallBack
from tests.base import DubanTestCase, photo

NAME, PHONE = "周大爷", "13812345678"


class WhistleBlowerTests(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report = cls.dispatched_ticket(kind=RequestKind.REPORT, title="举报违建", reporter_name=NAME,
                                           reporter_phone=PHONE, reporter_email="zhou@example.cn",
                                           description=f"举报人{NAME}，电话{PHONE}，举报违建。")
        cls.complaint = cls.dispatched_ticket(title="普通投诉")

    def client_of(self, person):
        client = Client()
        client.force_login(person)
        return client

    def page(self, person, ticket=None):
        return self.client_of(person).get(f"/tickets/{(ticket or self.report).number}/").content.decode()

    def api(self, person, ticket=None):
        return self.client_of(person).get(f"/api/v1/tickets/{(ticket or self.report).number}").json()

    def export(self, person):
        body = b"".join(self.client_of(person).get("/api/v1/tickets.csv").streaming_content).decode("utf-8-sig")
        return {row[0]: row for row in csv.reader(io.StringIO(body))}

    def views(self, **filters):
        return IdentityView.objects.filter(ticket=self.report, **filters)

    def test_handler_of_the_unit_sees_the_whistle_blower_masked_on_the_page(self):
        html = self.page(self.handler)
        self.assertNotIn(PHONE, html)
        self.assertNotIn(NAME, html)
        self.assertIn("138****5678", html)
        self.assertFalse(self.views().exists())

    def test_supervisor_without_the_permission_sees_it_masked_everywhere(self):
        self.assertNotIn(PHONE, self.page(self.supervisor))
        shown = self.api(self.supervisor)
        self.assertEqual(shown["reporter"]["phone"], "138****5678")
        self.assertNotIn(PHONE, str(shown))
        self.assertNotIn(NAME, str(shown))
        self.assertEqual(self.export(self.supervisor)[self.report.number][-1], "138****5678")
        self.assertFalse(self.views().exists())

    def test_an_admin_without_the_permission_does_not_see_it_in_the_export(self):
        admin = type(self.handler).objects.create_user("adm", role="admin")
        row = self.export(admin)[self.report.number]
        self.assertEqual(row[-2:], ["周**", "138****5678"])

    def test_other_reporters_stay_visible_to_the_unit_and_are_not_logged(self):
        self.assertIn(PHONE, self.page(self.handler, self.complaint))
        self.assertFalse(IdentityView.objects.exists())

    def test_the_allowed_supervisor_sees_it_on_the_page_and_each_view_is_logged(self):
        self.assertIn(PHONE, self.page(self.whistle_reader))
        self.assertIn(PHONE, self.page(self.whistle_reader))
        self.assertEqual(self.views(person=self.whistle_reader, where="page").count(), 2)

    def test_the_api_detail_shows_it_to_the_allowed_and_logs_it(self):
        self.assertEqual(self.api(self.whistle_reader)["reporter"]["phone"], PHONE)
        self.assertEqual(self.views(where="api").count(), 1)

    def test_the_export_shows_it_to_the_allowed_and_logs_one_row_per_ticket(self):
        second = self.dispatched_ticket(kind=RequestKind.REPORT, title="另一举报", reporter_phone="13900001111")
        anonymous = self.dispatched_ticket(kind=RequestKind.REPORT, title="匿名举报", reporter_name="",
                                           reporter_phone="")
        rows = self.export(self.whistle_reader)
        self.assertEqual(rows[self.report.number][-2:], [NAME, PHONE])
        logged = sorted(IdentityView.objects.filter(where="export").values_list("ticket_id", flat=True))
        self.assertEqual(logged, sorted([self.report.pk, second.pk]))
        self.assertNotIn(anonymous.pk, logged)

    def test_the_call_back_list_shows_it_to_the_allowed_and_logs_it(self):
        perform(self.report, "acknowledge", self.handler)
        perform(self.report, "resolve", self.handler, text="已查处", files=[photo()])
        perform(self.report, "verify", self.supervisor)
        perform(self.report, "close", self.supervisor)
        self.assertTrue(CallBack.objects.filter(ticket=self.report).exists())
        masked = self.client_of(self.dispatcher).get("/call-backs/?tab=ordinary").content.decode()
        self.assertNotIn(PHONE, masked)
        self.assertIn("138****5678", masked)
        shown = self.client_of(self.whistle_reader).get("/call-backs/?tab=ordinary").content.decode()
        self.assertIn(PHONE, shown)
        self.assertEqual(self.views(where="call_back", person=self.whistle_reader).count(), 1)
        self.assertEqual(self.views().count(), 1)

    def test_the_admin_shows_it_once_per_view_to_an_allowed_staff_member(self):
        staff = type(self.handler).objects.create_user("staff", role="admin", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_ticket"))
        masked = self.client_of(staff).get(f"/admin/ledger/ticket/{self.report.pk}/change/").content.decode()
        self.assertNotIn(PHONE, masked)
        staff.user_permissions.add(Permission.objects.get(codename="view_whistleblower"))
        staff = type(staff).objects.get(pk=staff.pk)
        shown = self.client_of(staff).get(f"/admin/ledger/ticket/{self.report.pk}/change/").content.decode()
        self.assertIn(PHONE, shown)
        self.assertEqual(self.views(where="admin").count(), 1)

    def test_the_log_cannot_be_edited_or_deleted_through_the_admin(self):
        self.page(self.whistle_reader)
        row = self.views().get()
        superuser = type(self.handler).objects.create_superuser("root", password="x")
        client = self.client_of(superuser)
        self.assertEqual(client.get("/admin/ledger/identityview/").status_code, 200)
        self.assertEqual(client.post(f"/admin/ledger/identityview/{row.pk}/change/", {"where": "api"}).status_code, 403)
        self.assertEqual(client.post(f"/admin/ledger/identityview/{row.pk}/delete/", {"post": "yes"}).status_code, 403)
        self.assertEqual(client.get("/admin/ledger/identityview/add/").status_code, 403)
        self.assertEqual(IdentityView.objects.get(pk=row.pk).where, "page")

    def test_the_log_refuses_updates_and_deletes_in_code(self):
        self.page(self.whistle_reader)
        with self.assertRaises(PermissionError):
            self.views().update(where="api")
        with self.assertRaises(PermissionError):
            self.views().get().delete()

    def test_the_allowed_supervisor_reads_the_log_and_others_may_not(self):
        self.page(self.whistle_reader)
        self.assertIn('id="nav-identity-views"', self.page(self.whistle_reader))
        self.assertNotIn('id="nav-identity-views"', self.page(self.supervisor))
        html = self.client_of(self.whistle_reader).get("/oversight/identity-views/").content.decode()
        self.assertIn(self.report.number, html)
        self.assertIn("纪检员", html)
        self.assertEqual(self.client_of(self.supervisor).get("/oversight/identity-views/").status_code, 403)

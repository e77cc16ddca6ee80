"""The pages: who may open and use them, what they show, and bad input refused with a message."""
from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from duban.campaigns import service
from duban.campaigns.models import CampaignTicket, PledgeList, PledgeUpdate, Task, TaskReport
from duban.ledger.machine import perform
from duban.ledger.models import Event, Ticket
from tests.base import photo, png_bytes
from tests.campaigns.base import CampaignTestCase


def upload():
    return SimpleUploadedFile("现场照片.png", png_bytes(), content_type="image/png")


class CampaignPageTests(CampaignTestCase):
    def page(self, person):
        self.client.force_login(person)
        return self.client.get(reverse("campaigns:campaign", args=[self.parking_campaign.pk]))

    def test_the_programme_shows_each_campaign_with_its_targets_progress(self):
        service.link(self.parking_campaign, self.closed_ticket(), self.dispatcher)
        service.report(self.task(), self.handler, 500)
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("campaigns:index"))
        self.assertContains(page, "2025年作风建设年专项整治")
        self.assertContains(page, f'data-target="{self.zombie_target.pk}" data-count="1" data-goal="3"')
        self.assertContains(page, f'data-target="{self.bollards.pk}" data-count="500" data-goal="2000"')
        self.assertContains(page, f'data-target="{self.other_zombies.pk}" data-count="0"')

    def test_the_pages_need_a_login(self):
        self.assertEqual(self.client.get(reverse("campaigns:index")).status_code, 302)
        self.assertEqual(self.client.get(reverse("campaigns:manage_pledges")).status_code, 302)

    def test_the_campaign_page_shows_targets_linked_tickets_and_tasks(self):
        ticket = self.closed_ticket()
        service.link(self.parking_campaign, ticket, self.dispatcher)
        task = self.task()
        service.report(task, self.handler, 42, "富强小区拆除地锁42处")
        page = self.page(self.supervisor)
        self.assertContains(page, f'data-testid="linked-ticket" data-number="{ticket.number}" data-state="closed"')
        self.assertContains(page, f'data-task="{task.pk}" data-reported="42"')
        self.assertContains(page, "富强小区拆除地锁42处")
        self.assertContains(page, 'id="task-form"')
        self.assertContains(page, 'id="link-form"')

    def test_a_handler_sees_the_report_form_of_its_units_task_only(self):
        ours = self.task()
        theirs = self.task(unit=self.jiaojing, target=None, title="查处违停")
        page = self.page(self.handler)
        self.assertContains(page, f'id="report-form-{ours.pk}"')
        self.assertNotContains(page, f'id="report-form-{theirs.pk}"')
        self.assertNotContains(page, 'id="task-form"')
        self.assertNotContains(page, 'id="link-form"')

    def test_a_dispatcher_links_a_ticket_by_its_number(self):
        ticket = self.dispatched_ticket()
        self.client.force_login(self.dispatcher)
        answer = self.client.post(reverse("campaigns:link", args=[self.parking_campaign.pk]),
                                  {"number": ticket.number.lower()})
        self.assertRedirects(answer, reverse("campaigns:campaign", args=[self.parking_campaign.pk]))
        self.assertTrue(CampaignTicket.objects.filter(campaign=self.parking_campaign, ticket=ticket).exists())

    def test_an_unknown_number_is_refused_with_a_message(self):
        self.client.force_login(self.dispatcher)
        answer = self.client.post(reverse("campaigns:link", args=[self.parking_campaign.pk]), {"number": "JC2025-9999"})
        self.assertEqual(answer.status_code, 400)
        self.assertContains(answer, "JC2025-9999", status_code=400)
        self.assertContains(answer, "没有您可查看的编号为", status_code=400)
        self.assertFalse(CampaignTicket.objects.exists())

    def test_a_handler_may_not_link_or_unlink(self):
        ticket = self.dispatched_ticket()
        service.link(self.parking_campaign, ticket, self.dispatcher)
        self.client.force_login(self.handler)
        self.assertEqual(self.client.post(reverse("campaigns:link", args=[self.parking_campaign.pk]),
                                          {"number": ticket.number}).status_code, 403)
        self.assertEqual(self.client.post(reverse("campaigns:unlink", args=[self.parking_campaign.pk, ticket.number]))
                         .status_code, 403)
        self.assertEqual(CampaignTicket.objects.count(), 1)

    def test_a_supervisor_unlinks_a_ticket(self):
        ticket = self.dispatched_ticket()
        service.link(self.parking_campaign, ticket, self.dispatcher)
        self.client.force_login(self.supervisor)
        self.client.post(reverse("campaigns:unlink", args=[self.parking_campaign.pk, ticket.number]))
        self.assertFalse(CampaignTicket.objects.exists())

    def test_a_supervisor_gives_a_task_from_the_page(self):
        self.client.force_login(self.supervisor)
        due = timezone.localdate() + timedelta(days=10)
        answer = self.client.post(reverse("campaigns:add_task", args=[self.parking_campaign.pk]), {
            "unit": "公安局交通警察支队", "title": "查处主次干道违停车辆", "target": self.bollards.pk, "due": due.isoformat()})
        self.assertEqual(answer.status_code, 302)
        task = Task.objects.get()
        self.assertEqual((task.unit, task.ticket.lead_unit, task.target), (self.jiaojing, self.jiaojing, self.bollards))

    def test_a_handler_may_not_give_a_task(self):
        self.client.force_login(self.handler)
        answer = self.client.post(reverse("campaigns:add_task", args=[self.parking_campaign.pk]), {
            "unit": "城管局", "title": "清除地锁", "due": (timezone.localdate() + timedelta(days=3)).isoformat()})
        self.assertEqual(answer.status_code, 403)
        self.assertFalse(Task.objects.exists())

    def test_a_task_due_in_the_past_is_refused_with_a_message(self):
        self.client.force_login(self.supervisor)
        tickets = Ticket.objects.count()
        answer = self.client.post(reverse("campaigns:add_task", args=[self.parking_campaign.pk]), {
            "unit": "城管局", "title": "清除地锁", "due": (timezone.localdate() - timedelta(days=3)).isoformat()})
        self.assertContains(answer, "完成时限须为今天或以后", status_code=400)
        self.assertFalse(Task.objects.exists())
        self.assertEqual(Ticket.objects.count(), tickets)

    def test_the_units_handler_reports_with_evidence(self):
        task = self.task()
        self.client.force_login(self.handler)
        answer = self.client.post(reverse("campaigns:report", args=[task.pk]),
                                  {"quantity": "120", "note": "清除地锁120处", "files": [upload()]})
        self.assertEqual(answer.status_code, 302)
        report = TaskReport.objects.get()
        self.assertEqual((report.quantity, report.by), (120, self.handler))
        self.assertEqual(task.ticket.attachment_set.count(), 1)

    def test_a_handler_of_another_unit_cannot_report(self):
        task = self.task()
        self.client.force_login(self.co_handler)
        answer = self.client.post(reverse("campaigns:report", args=[task.pk]), {"quantity": "10"})
        self.assertEqual(answer.status_code, 403)
        self.assertFalse(TaskReport.objects.exists())

    def test_a_negative_quantity_is_refused_with_a_message_and_nothing_written(self):
        task = self.task()
        events = Event.objects.count()
        self.client.force_login(self.handler)
        answer = self.client.post(reverse("campaigns:report", args=[task.pk]), {"quantity": "-5", "note": "拆除"})
        self.assertContains(answer, "数量须为0或以上的整数", status_code=400)
        self.assertFalse(TaskReport.objects.exists())
        self.assertEqual(Event.objects.count(), events)


class PublicPledgeTests(CampaignTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.handler.phone = "13912345678"
        cls.handler.save()
        cls.spaces = cls.pledge(number=1)
        service.update_pledge(cls.spaces, cls.handler, 45, "已新施划停车泊位1800个", public=True)
        service.update_pledge(cls.spaces, cls.handler, 50, "内部：资金拨付滞后，已向财政局发函", public=False)
        cls.done = cls.pledge(number=2, title="清理僵尸车300台次", target="清理各类僵尸车300台次。", area="城市管理")
        perform(cls.done.ticket, "acknowledge", cls.handler)
        perform(cls.done.ticket, "resolve", cls.handler, text="已完成", files=[photo()])
        perform(cls.done.ticket, "verify", cls.supervisor)
        perform(cls.done.ticket, "close", cls.supervisor)
        hidden = PledgeList.objects.create(name="未发布的清单", year=2025, published=False)
        service.add_pledge(hidden, area="教育", number=1, title="尚未公布的事项", target="—", owner=cls.chengguan,
                           deadline=timezone.localdate() + timedelta(days=40), actor=cls.supervisor)

    def test_the_public_page_answers_without_login(self):
        page = self.client.get(reverse("campaigns:pledges"))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "2025年建设幸福江城行动计划·惠民实事")
        self.assertContains(page, "城市管理行政执法局")
        self.assertContains(page, "在主次街路新施划停车泊位4000个。")
        self.assertContains(page, f'data-pledge="{self.spaces.pk}" data-state="in_progress"')
        self.assertContains(page, f'data-pledge="{self.done.pk}" data-state="done"')
        self.assertContains(page, "50%")
        self.assertContains(page, "完成")
        self.assertContains(page, "进行中")

    def test_the_public_page_shows_no_names_phones_or_internal_notes(self):
        page = self.client.get(reverse("campaigns:pledges")).content.decode()
        for private in ("黄晓明", "13912345678", "王督查", "内部：资金拨付滞后", self.spaces.ticket.number):
            self.assertNotIn(private, page)
        self.assertIn("已新施划停车泊位1800个", page)

    def test_an_unpublished_list_is_not_shown(self):
        page = self.client.get(reverse("campaigns:pledges"))
        self.assertNotContains(page, "尚未公布的事项")

    def test_an_overdue_pledge_shows_as_overdue(self):
        late = self.pledge(number=3, days=2, title="开通定制公交线路5条")
        with time_machine.travel(late.ticket.resolve_due_at + timedelta(days=1), tick=False):
            page = self.client.get(reverse("campaigns:pledges"))
        self.assertContains(page, f'data-pledge="{late.pk}" data-state="overdue"')
        self.assertContains(page, "逾期")


class ManagePledgeTests(CampaignTestCase):
    def test_a_supervisor_creates_a_list_and_adds_a_pledge(self):
        self.client.force_login(self.supervisor)
        self.client.post(reverse("campaigns:add_list"), {"name": "2026年惠民实事", "year": "2026"})
        new_list = PledgeList.objects.get(name="2026年惠民实事")
        self.assertFalse(new_list.published)
        answer = self.client.post(reverse("campaigns:add_pledge", args=[new_list.pk]), {
            "number": "1", "area_of_work": "交通出行", "title": "优化调整公交线路10条", "target": "优化调整公交线路10条。",
            "unit": "城管局", "deadline": (timezone.localdate() + timedelta(days=20)).isoformat()})
        self.assertEqual(answer.status_code, 302, answer.content.decode())
        pledge = new_list.pledges.get()
        self.assertEqual((pledge.owner, pledge.ticket.lead_unit), (self.chengguan, self.chengguan))
        self.client.post(reverse("campaigns:publish_list", args=[new_list.pk]), {"published": "yes"})
        new_list.refresh_from_db()
        self.assertTrue(new_list.published)

    def test_a_handler_sees_only_its_units_pledges_and_may_not_add_one(self):
        ours = self.pledge(number=1)
        theirs = self.pledge(number=2, owner=self.jiaojing, title="查处违停")
        self.client.force_login(self.handler)
        page = self.client.get(reverse("campaigns:manage_pledges"))
        self.assertContains(page, f'data-pledge="{ours.pk}"')
        self.assertNotContains(page, f'data-pledge="{theirs.pk}"')
        self.assertNotContains(page, 'id="pledge-form"')
        answer = self.client.post(reverse("campaigns:add_list"), {"name": "x", "year": "2025"})
        self.assertEqual(answer.status_code, 403)

    def test_the_owner_posts_an_update_with_evidence(self):
        pledge = self.pledge()
        self.client.force_login(self.handler)
        answer = self.client.post(reverse("campaigns:pledge", args=[pledge.pk]), {
            "percent": "60", "text": "已施划泊位2400个", "public": "on", "files": [upload()]})
        self.assertEqual(answer.status_code, 302)
        update = PledgeUpdate.objects.get()
        self.assertEqual((update.percent, update.public), (60, True))
        self.assertEqual(pledge.ticket.attachment_set.count(), 1)

    def test_a_percent_of_120_is_refused_with_a_message_and_nothing_written(self):
        pledge = self.pledge()
        events = Event.objects.count()
        self.client.force_login(self.handler)
        answer = self.client.post(reverse("campaigns:pledge", args=[pledge.pk]), {"percent": "120", "text": "完成"})
        self.assertContains(answer, "完成比例须为0到100之间的整数", status_code=400)
        self.assertFalse(PledgeUpdate.objects.exists())
        self.assertEqual(Event.objects.count(), events)

    def test_a_handler_of_another_unit_cannot_update(self):
        pledge = self.pledge()
        self.client.force_login(self.co_handler)
        answer = self.client.post(reverse("campaigns:pledge", args=[pledge.pk]), {"percent": "10", "text": "进展"})
        self.assertEqual(answer.status_code, 403)
        self.assertFalse(PledgeUpdate.objects.exists())

    def test_an_outsider_cannot_open_a_pledge(self):
        pledge = self.pledge()
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(reverse("campaigns:pledge", args=[pledge.pk])).status_code, 403)
        self.assertNotContains(self.client.get(reverse("campaigns:manage_pledges")), f'data-pledge="{pledge.pk}"')

"""The project pages: who may open them, the secretary's review form, the board and the race."""
from decimal import Decimal

from django.urls import reverse

from duban.ledger.models import Ticket
from duban.projects import service
from duban.projects.models import Blocker, Review
from duban.projects.service import BlockerInput
from tests.projects.base import ProjectTestCase


class ReviewPageTests(ProjectTestCase):
    def url(self):
        return reverse("projects:review", args=[self.project.pk])

    def post(self, **changes):
        data = {"period_end": self.today.isoformat(), "stage": "construction", "progress": "35",
                "investment_completed": "14500", "summary": "纺丝车间主体结构完成75%。", "problems": "",
                f"milestone-{self.approval.pk}-progress": "100",
                f"milestone-{self.approval.pk}-done_on": self.approval.done_on.isoformat(),
                f"milestone-{self.structure.pk}-progress": "80", f"milestone-{self.production.pk}-progress": "0",
                "blocker-1-kind": "land", "blocker-1-unit": "城管局", "blocker-1-description": "二期用地尚有3户未完成征收。"}
        data.update(changes)
        return self.client.post(self.url(), data, follow=True)

    def assert_nothing_written(self):
        self.assertEqual((Review.objects.count(), Blocker.objects.count(), Ticket.objects.count()), (0, 0, 0))
        self.project.refresh_from_db()
        self.assertEqual((self.project.progress, self.project.completed_investment), (30, Decimal("12000")))

    def test_the_page_needs_a_login(self):
        self.assertEqual(self.client.get(self.url()).status_code, 302)

    def test_an_outsider_may_not_open_or_post_the_review_form(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.assertEqual(self.post().status_code, 403)
        self.assert_nothing_written()

    def test_a_supervisor_sees_the_project_but_does_not_file_its_review(self):
        self.client.force_login(self.supervisor)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        page = self.client.get(reverse("projects:detail", args=[self.project.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'id="file-review"')

    def test_the_secretary_files_a_review_and_the_blocker_ticket_shows_on_the_projects_page(self):
        self.client.force_login(self.secretary)
        form = self.client.get(self.url())
        self.assertContains(form, 'id="review-blocker-3-unit"')
        self.assertContains(form, "纺丝车间主体结构完成")
        page = self.post()
        self.assertRedirects(page, reverse("projects:detail", args=[self.project.pk]))
        ticket = Blocker.objects.get().ticket
        self.assertEqual((ticket.lead_unit, ticket.state), (self.chengguan, "dispatched"))
        self.assertContains(page, ticket.number)
        self.assertContains(page, reverse("web:ticket", args=[ticket.number]))
        self.assertContains(page, 'data-clock="green"')
        self.assertContains(page, 'data-state="dispatched"')
        self.assertContains(page, 'data-light="red"')
        self.project.refresh_from_db()
        self.assertEqual((self.project.progress, self.project.completed_investment), (35, Decimal("14500")))

    def test_a_review_without_blockers_opens_no_ticket(self):
        self.client.force_login(self.secretary)
        self.post(**{"blocker-1-kind": "", "blocker-1-unit": "", "blocker-1-description": ""})
        self.assertEqual((Review.objects.count(), Ticket.objects.count()), (1, 0))

    def test_a_bad_review_is_refused_with_a_clear_message_and_nothing_written(self):
        self.client.force_login(self.secretary)
        page = self.post(progress="140", investment_completed="-5")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "未提交")
        self.assertContains(page, "0到100之间的整数")
        self.assertContains(page, "完成投资不能为负数")
        self.assert_nothing_written()

    def test_a_blocker_naming_no_known_unit_is_refused(self):
        self.client.force_login(self.secretary)
        page = self.post(**{"blocker-1-unit": "不存在局"})
        self.assertContains(page, "不存在局")
        self.assert_nothing_written()

    def test_a_blocker_without_its_unit_is_refused(self):
        self.client.force_login(self.secretary)
        page = self.post(**{"blocker-1-unit": ""})
        self.assertContains(page, "能够解决该堵点的单位")
        self.assert_nothing_written()


class BoardTests(ProjectTestCase):
    def test_a_supervisor_sees_every_project_with_its_light_and_the_district_race(self):
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("projects:index"))
        self.assertContains(page, f'data-project="{self.project.pk}" data-light="green"')
        self.assertContains(page, 'data-district="江南区" data-rank="1"')

    def test_the_board_filters_by_district_stage_and_light(self):
        self.client.force_login(self.supervisor)
        url = reverse("projects:index")
        self.assertContains(self.client.get(url, {"district": self.jiangnan.pk}), 'data-testid="project-row"')
        self.assertNotContains(self.client.get(url, {"district": self.jiangbei.pk}), 'data-testid="project-row"')
        self.assertNotContains(self.client.get(url, {"stage": "planning"}), 'data-testid="project-row"')
        self.assertContains(self.client.get(url, {"light": "green"}), 'data-testid="project-row"')
        self.assertNotContains(self.client.get(url, {"light": "red"}), 'data-testid="project-row"')

    def test_an_outsider_sees_no_project(self):
        self.client.force_login(self.outsider)
        self.assertNotContains(self.client.get(reverse("projects:index")), 'data-testid="project-row"')
        self.assertEqual(self.client.get(reverse("projects:detail", args=[self.project.pk])).status_code, 403)

    def test_a_handler_sees_a_project_once_a_blocker_is_on_their_unit(self):
        self.client.force_login(self.handler)
        detail = reverse("projects:detail", args=[self.project.pk])
        self.assertEqual(self.client.get(detail).status_code, 403)
        service.file_review(self.project, self.secretary, period_end=self.today, progress=30,
                            investment_completed=Decimal(12000), summary="本期正常施工。",
                            blockers=[BlockerInput("land", self.chengguan, "二期用地尚有3户未完成征收。")])
        self.assertEqual(self.client.get(detail).status_code, 200)

    def test_handlers_of_the_responsible_unit_see_its_projects(self):
        self.client.force_login(self.secretary)  # a handler of 江南区, the responsible unit
        self.assertContains(self.client.get(reverse("projects:index")), 'data-testid="project-row"')
        self.assertNotContains(self.client.get(reverse("projects:index")), 'id="project-race"')

    def test_the_race_page_is_for_supervisors_and_leaders(self):
        self.client.force_login(self.steward)
        page = self.client.get(reverse("projects:race"), {"by": "blockers"})
        self.assertContains(page, 'data-key="blockers"')
        self.client.force_login(self.handler)
        self.assertEqual(self.client.get(reverse("projects:race")).status_code, 403)


class AdminTests(ProjectTestCase):
    def test_an_admin_registers_a_project_with_its_milestones_and_its_people_become_its_stewards(self):
        from duban.org.models import Person, Stewardship
        from duban.projects.models import Project
        admin = Person.objects.create_superuser("root", password="x", name="管理员")
        self.client.force_login(admin)
        self.assertEqual(self.client.get(reverse("admin:projects_project_changelist")).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:projects_project_change", args=[self.project.pk])).status_code,
                         200)
        prefix = "milestones"
        answer = self.client.post(reverse("admin:projects_project_add"), {
            "name": "风电装备制造基地项目", "code": "wind-base", "district": self.jiangbei.pk, "kind": "industrial",
            "planned_investment": "180000", "completed_investment": "0", "progress": "0", "stage": "approval",
            "chief": self.steward.pk, "secretary": self.secretary.pk, "unit": self.jiangbei.pk,
            "starts_on": self.today.isoformat(), "ends_on": self.today.replace(year=self.today.year + 2).isoformat(),
            "description": "", "active": "on",
            f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000", f"{prefix}-0-order": "1", f"{prefix}-0-name": "取得施工许可证",
            f"{prefix}-0-planned_on": self.today.isoformat(), f"{prefix}-0-progress": "0"})
        self.assertEqual(answer.status_code, 302, answer.content.decode()[:2000])
        project = Project.objects.get(code="wind-base")
        self.assertEqual(list(project.milestones.values_list("name", flat=True)), ["取得施工许可证"])
        self.assertEqual(set(Stewardship.objects.filter(kind="project", subject=project.name)
                             .values_list("person__username", flat=True)), {"yu", "secretary"})

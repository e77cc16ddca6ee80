"""The assessment pages: who may see and edit them, the month's table, publishing, scores by hand."""
from decimal import Decimal as D

from django.template.loader import render_to_string
from django.urls import reverse

from duban.assessment import scoring
from duban.assessment.models import ManualScore, Reflection, Result
from duban.org.models import Person
from tests.assessment.base import OCTOBER, AssessmentTestCase


class PermissionTests(AssessmentTestCase):
    def pages(self):
        pk = self.scheme.pk
        return [reverse("assessment:index"), reverse("assessment:scheme", args=[pk]) + "?month=2025-10",
                reverse("assessment:manual", args=[pk]) + "?month=2025-10"]

    def test_a_handler_gets_403_on_every_page(self):
        self.client.force_login(self.handler)
        for url in self.pages():
            self.assertEqual(self.client.get(url).status_code, 403, url)
        self.assertEqual(self.client.post(reverse("assessment:publish", args=[self.scheme.pk]),
                                          {"month": "2025-10"}).status_code, 403)
        self.assertFalse(Result.objects.exists())

    def test_the_pages_need_a_login(self):
        self.assertEqual(self.client.get(reverse("assessment:index")).status_code, 302)

    def test_a_leader_sees_the_table_but_may_not_publish_or_enter_scores(self):
        leader = Person.objects.create_user("lao", name="老领导", role="leader", unit=self.city)
        self.client.force_login(leader)
        page = self.client.get(reverse("assessment:scheme", args=[self.scheme.pk]), {"month": "2025-10"})
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'id="publish"')
        self.assertEqual(self.client.get(reverse("assessment:manual", args=[self.scheme.pk])).status_code, 403)
        self.enter_conduct()
        self.assertEqual(self.client.post(reverse("assessment:publish", args=[self.scheme.pk]),
                                          {"month": "2025-10"}).status_code, 403)
        self.assertFalse(Result.objects.exists())

    def test_a_district_supervisor_may_not_publish_the_citys_scheme(self):
        self.enter_conduct()
        self.client.force_login(self.district_supervisor)
        page = self.client.get(reverse("assessment:scheme", args=[self.scheme.pk]), {"month": "2025-10"})
        self.assertNotContains(page, 'id="publish"')
        self.assertEqual(self.client.post(reverse("assessment:publish", args=[self.scheme.pk]),
                                          {"month": "2025-10"}).status_code, 403)
        self.assertFalse(Result.objects.exists())


class TablePageTests(AssessmentTestCase):
    def page(self, month="2025-10"):
        self.client.force_login(self.supervisor)
        return self.client.get(reverse("assessment:scheme", args=[self.scheme.pk]), {"month": month})

    def test_the_list_links_each_scheme(self):
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("assessment:index"))
        self.assertContains(page, "2025年度作风建设十项考核")
        self.assertContains(page, reverse("assessment:scheme", args=[self.scheme.pk]))
        self.assertEqual(page.context["schemes"][0].points, D(100))

    def test_the_table_shows_ranks_points_totals_and_lists(self):
        self.enter_conduct()
        page = self.page()
        self.assertContains(page, 'data-published="no"')
        self.assertContains(page, 'data-unit="江南区" data-rank="1" data-mark="red"')
        self.assertContains(page, 'data-unit="松江区" data-rank="3" data-mark="black"')
        self.assertContains(page, "作风建设评议")
        self.assertContains(page, "黑榜")
        self.assertContains(page, 'id="publish"')
        self.assertEqual([row.total for row in page.context["rows"]], [85, 85, 59])

    def test_the_supervisor_publishes_and_the_reflection_is_listed_with_its_ticket(self):
        self.enter_conduct()
        self.client.force_login(self.supervisor)
        answer = self.client.post(reverse("assessment:publish", args=[self.scheme.pk]), {"month": "2025-10"},
                                  follow=True)
        self.assertEqual(Result.objects.filter(month=OCTOBER).count(), 3)
        ticket = Reflection.objects.get().ticket
        self.assertContains(answer, 'data-published="yes"')
        self.assertContains(answer, f'href="/tickets/{ticket.number}/"')
        self.assertContains(answer, "已派发1件书面反思工单")
        self.assertNotContains(answer, 'id="publish"')

    def test_a_refused_publication_says_why(self):
        self.client.force_login(self.supervisor)
        answer = self.client.post(reverse("assessment:publish", args=[self.scheme.pk]), {"month": "2025-10"},
                                  follow=True)
        self.assertContains(answer, "发布前请补录以下得分")
        self.assertFalse(Result.objects.exists())

    def test_the_partial_shows_figures_only(self):
        self.enter_conduct()
        html = render_to_string("assessment/_results.html", {
            "rows": scoring.score(self.scheme, "2025-10"), "scheme": self.scheme,
            "dimensions": scoring.dimensions(self.scheme)})
        self.assertIn("松江区", html)
        self.assertIn(">59<", html)
        self.assertNotIn("大遍访大评议问卷折算", html)  # the reason given by hand
        self.assertNotIn(self.supervisor.name, html)


class ManualPageTests(AssessmentTestCase):
    def url(self):
        return reverse("assessment:manual", args=[self.scheme.pk]) + "?month=2025-10"

    def post(self, data):
        self.client.force_login(self.supervisor)
        return self.client.post(self.url(), {"month": "2025-10", "dimension": "conduct", **data})

    def test_the_form_lists_every_unit_of_the_scheme(self):
        self.client.force_login(self.supervisor)
        page = self.client.get(self.url())
        self.assertContains(page, 'data-testid="manual-row"', count=3)
        self.assertContains(page, "本维度未选定问卷")  # a survey dimension without its survey is entered by hand

    def test_a_score_without_its_reason_is_sent_back_and_nothing_is_saved(self):
        answer = self.post({f"points-{self.jiangnan.pk}": "15", f"reason-{self.jiangnan.pk}": "问卷折算",
                            f"points-{self.jiangbei.pk}": "18", f"reason-{self.jiangbei.pk}": ""})
        self.assertEqual(answer.status_code, 400)
        self.assertContains(answer, "请填写评分理由", status_code=400)
        self.assertFalse(ManualScore.objects.exists())

    def test_points_above_the_dimension_are_sent_back(self):
        answer = self.post({f"points-{self.jiangnan.pk}": "25", f"reason-{self.jiangnan.pk}": "满分"})
        self.assertEqual(answer.status_code, 400)
        self.assertFalse(ManualScore.objects.exists())

    def test_the_supervisor_saves_scores_with_their_reasons(self):
        answer = self.post({f"points-{self.jiangnan.pk}": "15", f"reason-{self.jiangnan.pk}": "问卷折算",
                            f"points-{self.songjiang.pk}": "17.5", f"reason-{self.songjiang.pk}": "群众评议较好"})
        self.assertRedirects(answer, reverse("assessment:scheme", args=[self.scheme.pk]) + "?month=2025-10")
        scores = {s.unit: (s.points, s.reason, s.entered_by) for s in ManualScore.objects.all()}
        self.assertEqual(scores, {self.jiangnan: (D(15), "问卷折算", self.supervisor),
                                  self.songjiang: (D("17.5"), "群众评议较好", self.supervisor)})

    def test_emptying_the_points_removes_the_score(self):
        self.enter_conduct({self.jiangnan: 15})
        self.post({f"points-{self.jiangnan.pk}": "", f"reason-{self.jiangnan.pk}": ""})
        self.assertFalse(ManualScore.objects.exists())

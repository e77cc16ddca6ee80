"""The staff pages: who may build a survey and see its results, the builder, and invitations
shown once as links and QR codes (and as .xlsx)."""
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from duban.surveys import service
from duban.surveys.models import Choice, Invitation, Question, Survey
from tests.surveys.base import ANSWERS, K, SurveyTestCase


class PermissionTests(SurveyTestCase):
    def builder_urls(self):
        pk = self.survey.pk
        return [reverse("surveys:new"), reverse("surveys:edit", args=[pk]), reverse("surveys:invitations", args=[pk])]

    def test_a_handler_gets_403_on_the_builder_and_changes_nothing(self):
        self.client.force_login(self.handler)
        for url in self.builder_urls() + [reverse("surveys:index"), reverse("surveys:results", args=[self.survey.pk])]:
            self.assertEqual(self.client.get(url).status_code, 403, url)
        question = self.question(self.survey, K.SCALE)
        posts = [(reverse("surveys:new"), {"title": "冒名问卷"}),
                 (reverse("surveys:add_question", args=[self.survey.pk]), {"kind": "text", "text": "冒名题目"}),
                 (reverse("surveys:question", args=[self.survey.pk, question.pk]), {"do": "delete"}),
                 (reverse("surveys:status", args=[self.survey.pk]), {"status": "closed"}),
                 (reverse("surveys:invitations", args=[self.survey.pk]), {"count": 5})]
        for url, data in posts:
            self.assertEqual(self.client.post(url, data).status_code, 403, url)
        self.assertEqual(Survey.objects.count(), 1)
        self.assertEqual(self.survey.questions.count(), 6)
        self.assertEqual(Survey.objects.get().status, Survey.Status.OPEN)
        self.assertFalse(Invitation.objects.exists())

    def test_the_pages_need_a_login(self):
        self.assertEqual(self.client.get(reverse("surveys:index")).status_code, 302)

    def test_a_leader_sees_results_but_may_not_build(self):
        self.client.force_login(self.steward)
        self.assertEqual(self.client.get(reverse("surveys:results", args=[self.survey.pk])).status_code, 200)
        self.assertNotContains(self.client.get(reverse("surveys:index")), 'id="new-survey"')
        for url in self.builder_urls():
            self.assertEqual(self.client.get(url).status_code, 403, url)

    def test_a_district_supervisor_may_not_edit_a_survey_of_city_departments(self):
        self.client.force_login(self.district_supervisor)
        self.assertEqual(self.client.get(reverse("surveys:edit", args=[self.survey.pk])).status_code, 403)
        self.assertEqual(self.client.post(reverse("surveys:status", args=[self.survey.pk]),
                                          {"status": "closed"}).status_code, 403)
        self.assertEqual(Survey.objects.get().status, Survey.Status.OPEN)


class BuilderTests(SurveyTestCase):
    def setUp(self):
        self.client.force_login(self.supervisor)

    def new_survey(self):
        page = self.client.post(reverse("surveys:new"), {
            "title": "2025年度窗口服务评议", "intro": "请对窗口服务作出评价", "audience": "群众", "anonymous": "on",
            "units": [self.chengguan.pk, self.jiaojing.pk]})
        survey = Survey.objects.get(title="2025年度窗口服务评议")
        self.assertRedirects(page, reverse("surveys:edit", args=[survey.pk]))
        return survey

    def add(self, survey, **data):
        return self.client.post(reverse("surveys:add_question", args=[survey.pk]), data, follow=True)

    def test_a_supervisor_builds_reorders_and_opens_a_survey(self):
        survey = self.new_survey()
        self.assertTrue(survey.anonymous)
        self.assertEqual(set(survey.units.all()), {self.chengguan, self.jiaojing})
        self.assertEqual(survey.created_by, self.supervisor)
        self.add(survey, kind="scale", text="总体满意度", required="on")
        self.add(survey, kind="single", text="您的身份", required="on", choices="企业\n群众\n")
        self.add(survey, kind="least_satisfied_unit", text="最不满意的部门", required="on")
        first, second, third = survey.questions.order_by("order")
        self.client.post(reverse("surveys:question", args=[survey.pk, third.pk]), {"do": "up"})
        self.assertEqual(list(survey.questions.order_by("order").values_list("text", flat=True)),
                         ["总体满意度", "最不满意的部门", "您的身份"])
        self.client.post(reverse("surveys:question", args=[survey.pk, second.pk]),
                         {"do": "add-choice", "choice": "个体户"})
        choices = list(second.choices.order_by("order"))
        self.assertEqual([c.text for c in choices], ["企业", "群众", "个体户"])
        self.client.post(reverse("surveys:choice", args=[survey.pk, choices[2].pk]), {"do": "up"})
        self.client.post(reverse("surveys:choice", args=[survey.pk, choices[0].pk]), {"do": "delete"})
        self.assertEqual(list(second.choices.order_by("order").values_list("text", flat=True)), ["个体户", "群众"])
        self.client.post(reverse("surveys:question", args=[survey.pk, first.pk]),
                         {"do": "save", "text": "您对窗口服务的总体评价"})
        first.refresh_from_db()
        self.assertEqual((first.text, first.required), ("您对窗口服务的总体评价", False))
        page = self.client.post(reverse("surveys:status", args=[survey.pk]), {"status": "open"}, follow=True)
        self.assertContains(page, "评议状态：进行中")
        survey.refresh_from_db()
        self.assertEqual(survey.status, Survey.Status.OPEN)

    def test_a_choice_question_needs_two_choices(self):
        survey = self.new_survey()
        page = self.add(survey, kind="multiple", text="遇到的问题", choices="只有一个")
        self.assertContains(page, "请至少填写两个选项")
        self.assertFalse(survey.questions.exists())

    def test_a_survey_cannot_open_without_questions_or_units(self):
        page = self.client.post(reverse("surveys:new"), {"title": "空问卷", "anonymous": "on"})
        survey = Survey.objects.get(title="空问卷")
        self.assertEqual(page.status_code, 302)
        page = self.client.post(reverse("surveys:status", args=[survey.pk]), {"status": "open"}, follow=True)
        self.assertContains(page, "请至少添加一道题目")
        self.add(survey, kind="most_satisfied_unit", text="最满意的部门", required="on")
        page = self.client.post(reverse("surveys:status", args=[survey.pk]), {"status": "open"}, follow=True)
        self.assertContains(page, "请先选择被评议单位")
        self.assertEqual(Survey.objects.get(pk=survey.pk).status, Survey.Status.DRAFT)

    def test_once_answers_came_in_the_questions_no_longer_change(self):
        token = self.token()
        self.post(token, self.form(*ANSWERS[0]))
        self.client.force_login(self.supervisor)
        question = self.question(self.survey, K.MULTIPLE)
        page = self.add(self.survey, kind="text", text="补充一题")
        self.assertContains(page, "已收到答卷，题目、选项和被评议单位不能再修改")
        self.client.post(reverse("surveys:question", args=[self.survey.pk, question.pk]), {"do": "delete"})
        self.client.post(reverse("surveys:choice", args=[self.survey.pk, question.choices.first().pk]),
                         {"do": "delete"})
        self.assertEqual(Question.objects.filter(survey=self.survey).count(), 6)
        self.assertEqual(Choice.objects.filter(question=question).count(), 3)
        self.assertContains(self.client.get(reverse("surveys:edit", args=[self.survey.pk])), 'id="survey-locked"')

    def test_the_closing_time_must_come_after_the_opening(self):
        page = self.client.post(reverse("surveys:new"), {"title": "时间倒置", "opens_at": "2025-12-01T09:00",
                                                         "closes_at": "2025-11-01T09:00"})
        self.assertContains(page, "截止时间须晚于开始时间")
        self.assertFalse(Survey.objects.filter(title="时间倒置").exists())


class InvitationPageTests(SurveyTestCase):
    def setUp(self):
        self.client.force_login(self.supervisor)

    def make(self, **data):
        return self.client.post(reverse("surveys:invitations", args=[self.survey.pk]), data)

    def test_a_batch_is_shown_once_as_links_and_qr_codes_and_only_hashes_are_kept(self):
        page = self.make(count=3)
        self.assertContains(page, 'data-testid="invitation-link"', count=3)
        self.assertContains(page, '<svg viewBox=', count=3)
        self.assertContains(page, "只显示这一次")
        tokens = re.findall(r'name="token" value="([A-Za-z0-9_-]+)"', page.content.decode())
        self.assertEqual(len(tokens), 3)
        self.assertEqual(set(Invitation.objects.values_list("token_hash", flat=True)),
                         {service.hash_token(t) for t in tokens})
        for token in tokens:
            self.assertContains(page, f"http://testserver/s/{token}/")
            self.assertFalse(Invitation.objects.filter(token_hash=token).exists())
        later = self.client.get(reverse("surveys:invitations", args=[self.survey.pk]))
        self.assertContains(later, 'data-made="3"')
        for token in tokens:
            self.assertNotContains(later, token)
        self.client.logout()
        self.assertContains(self.client.get(f"/s/{tokens[0]}/"), 'id="answer-form"')

    def test_the_links_of_a_batch_download_as_xlsx(self):
        tokens = re.findall(r'name="token" value="([A-Za-z0-9_-]+)"', self.make(count=2).content.decode())
        download = self.client.post(reverse("surveys:links_xlsx", args=[self.survey.pk]), {"token": tokens})
        self.assertEqual(download.status_code, 200)
        sheet = load_workbook(io.BytesIO(download.content)).active
        self.assertEqual([row for row in sheet.iter_rows(min_row=2, values_only=True)],
                         [(1, f"http://testserver/s/{tokens[0]}/"), (2, f"http://testserver/s/{tokens[1]}/")])

    def test_links_that_are_not_the_surveys_are_not_exported(self):
        page = self.client.post(reverse("surveys:links_xlsx", args=[self.survey.pk]),
                                {"token": ["AbCdEfGhIjKlMnOp"]}, follow=True)
        self.assertContains(page, "这些链接不是本评议的邀请")
        self.assertNotIn("spreadsheetml", page["Content-Type"])

    def test_named_invitations_of_a_survey_that_is_not_anonymous(self):
        survey = self.review(anonymous=False, title="人大代表评议")
        page = self.client.post(reverse("surveys:invitations", args=[survey.pk]),
                                {"invitees": "张伟，市人大代表\n李红,江城新元医疗器械有限公司\n"})
        self.assertContains(page, "张伟（市人大代表）")
        self.assertEqual(list(survey.invitations.values_list("name", "organisation")),
                         [("张伟", "市人大代表"), ("李红", "江城新元医疗器械有限公司")])

    def test_no_invitations_for_a_closed_survey(self):
        service.set_status(self.survey, Survey.Status.CLOSED)
        page = self.make(count=3)
        self.assertContains(page, "评议已结束，不能再生成邀请")
        self.assertFalse(Invitation.objects.exists())

    def test_a_batch_too_large_is_refused(self):
        page = self.make(count=service.BATCH_MAX + 1)
        self.assertNotContains(page, 'data-testid="invitation-link"')
        self.assertFalse(Invitation.objects.exists())

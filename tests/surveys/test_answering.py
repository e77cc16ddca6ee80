"""Answering behind an invitation: anonymous where promised, once per invitation, every required
question answered, and a clear page for a link that is not (or no longer) good."""
import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import serializers
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from duban.surveys import service
from duban.surveys.models import Answer, Invitation, Respondent, Response, Survey
from tests.base import build_city
from tests.surveys.base import ANSWERS, K, UNKNOWN, SurveyTestCase


def related_models(model):
    return {f.related_model for f in model._meta.get_fields() if f.is_relation and f.concrete}


class AnonymityTests(SurveyTestCase):
    def test_a_response_has_no_field_that_could_name_its_invitation_or_person(self):
        self.assertEqual(related_models(Response), {Survey})
        names = {f.name for f in Response._meta.get_fields() if f.concrete}
        self.assertEqual(names, {"id", "survey", "submitted_on"})
        self.assertIs(type(Response._meta.get_field("submitted_on")), models.DateField)
        self.assertNotIn(Response, related_models(Invitation))
        self.assertIs(type(Invitation._meta.get_field("used_on")), models.DateField)
        self.assertFalse(related_models(Answer) & {Invitation, get_user_model()})

    def test_an_anonymous_answer_stores_no_identity(self):
        token = self.token()
        page = self.post(token, self.form(*ANSWERS[0]))
        self.assertContains(page, 'id="answer-thanks"')
        self.assertContains(page, "您的答卷已收到")
        response = Response.objects.get()
        today = timezone.localdate()
        self.assertEqual(response.submitted_on, today)
        invitation = Invitation.objects.get(token_hash=service.hash_token(token))
        self.assertEqual(invitation.used_on, today)
        self.assertFalse(Respondent.objects.exists())
        self.assertFalse(Session.objects.exists())  # no session either: nothing to follow the respondent by
        stored = serializers.serialize("json", [*Response.objects.all(), *Answer.objects.all()])
        for trace in (token, invitation.token_hash, "127.0.0.1"):
            self.assertNotIn(trace, stored)
        self.assertIsNone(re.search(r"\d\d:\d\d", stored))  # no time of day anywhere
        self.assertEqual(Answer.objects.filter(response=response).count(), 1 + 3 + 1 + 1 + 1 + 1)

    def test_the_page_says_what_anonymity_means(self):
        page = self.client.get(reverse("surveys:answer", args=[self.token()]))
        self.assertContains(page, 'id="survey-promise"')
        self.assertContains(page, "匿名")
        self.assertNotContains(page, self.supervisor.name)


class OneAnswerPerInvitationTests(SurveyTestCase):
    def test_a_second_answer_with_the_same_token_is_refused_and_writes_nothing(self):
        token = self.token()
        self.post(token, self.form(*ANSWERS[0]))
        answers = list(Answer.objects.values_list("pk", flat=True))
        page = self.post(token, self.form(*ANSWERS[2]))
        self.assertEqual(page.status_code, 410)
        self.assertContains(page, "已经提交过答卷", status_code=410)
        self.assertEqual(Response.objects.count(), 1)
        self.assertEqual(list(Answer.objects.values_list("pk", flat=True)), answers)
        self.assertContains(self.client.get(reverse("surveys:answer", args=[token])), "每份邀请只能作答一次",
                            status_code=410)

    def test_the_service_refuses_a_used_invitation_and_writes_nothing(self):
        invitation, _token = service.invite(self.survey, 1)[0]
        answers, errors = service.read_answers(self.survey, self.form(*ANSWERS[0]))
        self.assertEqual(errors, {})
        service.submit(invitation, answers)
        again, _errors = service.read_answers(self.survey, self.form(*ANSWERS[1]))
        with self.assertRaises(service.SurveyError) as refused:
            service.submit(invitation, again)
        self.assertEqual(refused.exception.code, "used")
        self.assertEqual((Response.objects.count(), Answer.objects.count()), (1, len(answers)))

    def test_a_closed_survey_takes_no_answer(self):
        token = self.token()
        service.set_status(self.survey, Survey.Status.CLOSED)
        page = self.post(token, self.form(*ANSWERS[0]))
        self.assertContains(page, "已结束", status_code=410)
        self.assertFalse(Response.objects.exists())
        self.assertIsNone(Invitation.objects.get().used_on)

    def test_a_survey_past_its_closing_time_takes_no_answer(self):
        token = self.token()
        self.survey.closes_at = timezone.now() - timedelta(minutes=1)
        self.survey.save()
        self.assertContains(self.client.get(reverse("surveys:answer", args=[token])), "已结束", status_code=410)


class BadLinkTests(SurveyTestCase):
    def test_a_bad_token_gets_a_friendly_404_page(self):
        for token in ("nonsense", "A" * 16, "x" * 200, "%E4%B8%AD"):
            page = self.client.get(f"/s/{token}/")
            self.assertEqual(page.status_code, 404, token)
            self.assertContains(page, "邀请链接无效", status_code=404)
            self.assertContains(page, 'id="invitation-invalid"', status_code=404)

    def test_posting_to_a_bad_token_writes_nothing(self):
        page = self.post("A" * 16, self.form(*ANSWERS[0]))
        self.assertEqual(page.status_code, 404)
        self.assertFalse(Response.objects.exists())


class RequiredQuestionTests(SurveyTestCase):
    def test_each_unanswered_required_question_gets_its_own_message_and_nothing_is_written(self):
        token = self.token()
        data = self.form(None, {"cg": 5}, None, None, [], "")
        page = self.post(token, data)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'id="answer-errors"')
        for kind, message in ((K.SCALE, "请选择1到5分"), (K.UNIT_SCALE, "请为每个单位评分"),
                              (K.MOST_SATISFIED, "请选择一个单位"), (K.MULTIPLE, "请至少选择一项")):
            question = self.question(self.survey, kind)
            self.assertContains(page, f'id="q{question.pk}-error"')
            self.assertContains(page, message)
        self.assertNotContains(page, f'id="q{self.question(self.survey, K.TEXT).pk}-error"')  # optional
        self.assertContains(page, 'value="5" checked')  # what was chosen stays chosen
        self.assertFalse(Response.objects.exists())
        self.assertIsNone(Invitation.objects.get().used_on)

    def test_the_same_unit_cannot_be_most_and_least_satisfied(self):
        page = self.post(self.token(), self.form(4, {"cg": 4, "jj": 4, "zj": 4}, "cg", "cg", ["推诿扯皮"]))
        self.assertContains(page, "最满意和最不满意的单位不能相同")
        self.assertFalse(Response.objects.exists())

    def test_a_unit_one_does_not_know_may_be_left_unscored(self):
        page = self.post(self.token(), self.form(4, {"cg": UNKNOWN, "jj": UNKNOWN, "zj": UNKNOWN}, "cg", "zj",
                                                 ["推诿扯皮"]))
        self.assertContains(page, 'id="answer-thanks"')
        self.assertFalse(Answer.objects.filter(question__kind=K.UNIT_SCALE).exists())

    def test_made_up_values_are_refused_with_a_message(self):
        data = self.form(4, {"cg": 4, "jj": 4, "zj": 4}, "cg", "zj", ["推诿扯皮"])
        data[f"q{self.question(self.survey, K.SCALE).pk}"] = "9"
        data[f"q{self.question(self.survey, K.MOST_SATISFIED).pk}"] = str(self.outsider.unit_id)
        page = self.post(self.token(), data)
        self.assertContains(page, "请选择1到5分")
        self.assertContains(page, "请在所列单位中选择")
        self.assertFalse(Response.objects.exists())


class NamedSurveyTests(SurveyTestCase):
    def test_a_survey_that_is_not_anonymous_keeps_the_invitation_of_each_answer(self):
        survey = self.review(anonymous=False, title="人大代表评议市直部门")
        token = self.token(survey, name="张伟", organisation="市人大代表")
        self.assertContains(self.post(token, self.form(*ANSWERS[0], survey=survey)), 'id="answer-thanks"')
        respondent = Respondent.objects.select_related("invitation", "response").get()
        self.assertEqual((respondent.invitation.name, respondent.invitation.organisation), ("张伟", "市人大代表"))
        self.assertEqual(respondent.response.survey, survey)
        self.assertEqual(respondent.invitation.token_hash, service.hash_token(token))

    def test_an_anonymous_survey_takes_no_names(self):
        with self.assertRaises(service.SurveyError):
            service.invite(self.survey, invitees=[("张伟", "市人大代表")])
        self.assertFalse(Invitation.objects.exists())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_answers_at_the_same_moment_with_one_token_store_one():
    class City:
        pass

    build_city(City)
    survey = Survey.objects.create(title="同时提交", status=Survey.Status.OPEN)
    question = service.add_question(survey, K.SCALE, "总体评价")
    invitation, _token = service.invite(survey, 1)[0]
    start, outcomes = threading.Barrier(2), []

    def answer(score):
        try:
            start.wait()
            service.submit(invitation, [Answer(question=question, number=score)])
            outcomes.append("stored")
        except service.SurveyError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(score,)) for score in (2, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stored", "used"]
    assert Response.objects.count() == 1 and Answer.objects.count() == 1

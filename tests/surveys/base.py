"""A review survey of three city departments, and what four respondents answered, worked out by hand.

| respondent | overall | 城管局 | 交警支队 | 住建局   | most satisfied | least satisfied | problems          |
|------------|---------|--------|----------|----------|----------------|-----------------|-------------------|
| 1          | 5       | 5      | 4        | 2        | 城管局         | 住建局          | 办事效率低        |
| 2          | 4       | 4      | 不了解   | 1        | 城管局         | 住建局          | 办事效率低、推诿扯皮 |
| 3          | 2       | 3      | 2        | 不了解   | 交警支队       | 城管局          | 推诿扯皮          |
| 4          | 3       | 4      | 3        | 3        | 城管局         | 交警支队        | 没有遇到问题      |

Per unit: 城管局 average (5+4+3+4)/4 = 4.00 on 4 scores, most 3/4, least 1/4, net 0.5;
交警支队 (4+2+3)/3 = 3.00 on 3, most 1/4, least 1/4, net 0; 住建局 (2+1+3)/3 = 2.00 on 3, most 0,
least 2/4, net −0.5. Overall (5+4+2+3)/4 = 3.50. Problems: 办事效率低 2 (50%), 推诿扯皮 2 (50%),
没有遇到问题 1 (25%).
"""
from django.http import QueryDict
from django.urls import reverse

from duban.org.models import Unit
from duban.surveys import service
from duban.surveys.models import Survey
from tests.base import DubanTestCase

K = service.Kind
PROBLEMS = ["办事效率低", "推诿扯皮", "没有遇到问题"]
UNKNOWN = "不了解"
ANSWERS = [  # overall, {unit: score}, most, least, problems, text
    (5, {"cg": 5, "jj": 4, "zj": 2}, "cg", "zj", ["办事效率低"], "窗口一次就办成了"),
    (4, {"cg": 4, "jj": UNKNOWN, "zj": 1}, "cg", "zj", ["办事效率低", "推诿扯皮"], ""),
    (2, {"cg": 3, "jj": 2, "zj": UNKNOWN}, "jj", "cg", ["推诿扯皮"], "反复跑了三次"),
    (3, {"cg": 4, "jj": 3, "zj": 3}, "cg", "jj", ["没有遇到问题"], ""),
]


class SurveyTestCase(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.zhujian = Unit.objects.create(name="住房和城乡建设局", tier="department", parent=cls.city)
        cls.units = {"cg": cls.chengguan, "jj": cls.jiaojing, "zj": cls.zhujian}
        cls.survey = cls.review()

    @classmethod
    def review(cls, anonymous=True, title="2025年度市直部门作风建设大评议"):
        """An open survey with the six questions of the table."""
        survey = Survey.objects.create(title=title, audience="企业和群众", anonymous=anonymous,
                                       created_by=cls.supervisor)
        survey.units.set(cls.units.values())
        service.add_question(survey, K.SCALE, "您对市直部门作风建设的总体评价")
        service.add_question(survey, K.UNIT_SCALE, "请对以下部门分别评价")
        service.add_question(survey, K.MOST_SATISFIED, "您最满意的部门")
        service.add_question(survey, K.LEAST_SATISFIED, "您最不满意的部门")
        service.add_question(survey, K.MULTIPLE, "您遇到过哪些问题？", choices=PROBLEMS)
        service.add_question(survey, K.TEXT, "意见和建议", required=False)
        service.set_status(survey, Survey.Status.OPEN)
        return survey

    @staticmethod
    def question(survey, kind):
        return survey.questions.get(kind=kind)

    def form(self, overall, scores, most, least, problems, text="", survey=None):
        """What the answer page posts for one respondent of the table above."""
        survey = survey or self.survey
        q = {kind: f"q{pk}" for pk, kind in survey.questions.values_list("pk", "kind")}
        choices = {c.text: c.pk for c in self.question(survey, K.MULTIPLE).choices.all()}
        data = QueryDict(mutable=True)
        if overall is not None:
            data[q[K.SCALE]] = str(overall)
        for code, score in scores.items():
            data[f"{q[K.UNIT_SCALE]}-u{self.units[code].pk}"] = service.UNKNOWN if score == UNKNOWN else str(score)
        if most:
            data[q[K.MOST_SATISFIED]] = str(self.units[most].pk)
        if least:
            data[q[K.LEAST_SATISFIED]] = str(self.units[least].pk)
        data.setlist(q[K.MULTIPLE], [str(choices[p]) for p in problems])
        data[q[K.TEXT]] = text
        return data

    def token(self, survey=None, **invitee):
        invitees = [(invitee["name"], invitee.get("organisation", ""))] if invitee else ()
        return service.invite(survey or self.survey, 0 if invitees else 1, invitees)[0][1]

    def post(self, token, data):
        return self.client.post(reverse("surveys:answer", args=[token]), dict(data.lists()))

    def answer_all(self, survey=None):
        """The four respondents of the table answer through the page; their tokens."""
        tokens = []
        for row in ANSWERS:
            tokens.append(self.token(survey))
            page = self.post(tokens[-1], self.form(*row, survey=survey))
            self.assertContains(page, 'id="answer-thanks"')
        return tokens

"""A survey dimension of an assessment scored from the survey's results, worked out by hand.

The scheme: 城管局, 交警支队, 住建局 and 江南区 (which the survey does not review); one dimension,
作风建设评议, 20 points, floor 0.6.

From the four respondents of tests/surveys/base.py (averages 4, 3 and 2 on the question rating
each unit): 城管局 20 × (4 − 1)/4 = 15, 交警支队 20 × (3 − 1)/4 = 10, 住建局 20 × (2 − 1)/4 = 5,
江南区 no answers → 20 × 0.6 = 12, flagged.

A survey with only most/least satisfied questions, five respondents (most, least): (城管, 住建),
(城管, 住建), (交警, 城管), (城管, 住建), (住建, 交警). 城管局 3/5 − 1/5 = 0.4 → 20 × 1.4/2 = 14;
交警支队 1/5 − 1/5 = 0 → 10; 住建局 1/5 − 3/5 = −0.4 → 20 × 0.6/2 = 6; 江南区 12, flagged.
"""
from decimal import Decimal as D

from duban.assessment import scoring
from duban.assessment.models import Dimension, ManualScore, Result, Scheme
from duban.surveys import service
from duban.surveys.models import Answer, Survey
from tests.surveys.base import K, SurveyTestCase

OCTOBER = "2025-10"


class SurveyDimensionTests(SurveyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scheme = Scheme.objects.create(name="2025年度市直部门作风建设考核", red_size=1, black_size=1)
        cls.scheme.participants.set([cls.chengguan, cls.jiaojing, cls.zhujian, cls.jiangnan])
        cls.conduct = Dimension.objects.create(scheme=cls.scheme, name="作风建设评议", code="conduct", points=20,
                                               source="survey", survey=cls.survey, floor=D("0.6"))

    def table(self):
        rows = scoring.score(self.scheme, OCTOBER)
        return {row.name: (row.scores["conduct"], "conduct" in row.missing) for row in rows}

    def test_units_score_from_their_average_on_the_question_rating_each_unit(self):
        self.answer_all()
        self.assertEqual(self.table(), {"城市管理行政执法局": (15, False), "公安局交通警察支队": (10, False),
                                        "住房和城乡建设局": (5, False), "江南区": (12, True)})

    def test_without_such_a_question_units_score_from_their_most_minus_least_share(self):
        survey = Survey.objects.create(title="最满意最不满意部门评选", status=Survey.Status.OPEN)
        survey.units.set(self.units.values())
        most = service.add_question(survey, K.MOST_SATISFIED, "最满意的部门")
        least = service.add_question(survey, K.LEAST_SATISFIED, "最不满意的部门")
        for liked, disliked in (("cg", "zj"), ("cg", "zj"), ("jj", "cg"), ("cg", "zj"), ("zj", "jj")):
            invitation, _token = service.invite(survey, 1)[0]
            service.submit(invitation, [Answer(question=most, unit=self.units[liked]),
                                        Answer(question=least, unit=self.units[disliked])])
        Dimension.objects.filter(pk=self.conduct.pk).update(survey=survey)
        self.assertEqual(self.table(), {"城市管理行政执法局": (14, False), "公安局交通警察支队": (10, False),
                                        "住房和城乡建设局": (6, False), "江南区": (12, True)})

    def test_before_any_answer_every_unit_gets_the_floor(self):
        self.assertEqual(set(self.table().values()), {(12, True)})

    def test_without_a_survey_the_points_are_entered_by_hand(self):
        Dimension.objects.filter(pk=self.conduct.pk).update(survey=None)
        self.conduct.refresh_from_db()
        self.assertTrue(self.conduct.by_hand)
        self.answer_all()  # answers of a survey the dimension does not use count for nothing
        scoring.enter_scores(self.conduct, OCTOBER, {self.chengguan: (D("17"), "大遍访大评议问卷折算")},
                             self.supervisor)
        self.assertEqual(self.table()["城市管理行政执法局"], (17, False))
        self.assertEqual(self.table()["住房和城乡建设局"], (0, True))

    def test_points_cannot_be_entered_by_hand_for_a_dimension_scored_from_a_survey(self):
        self.assertFalse(self.conduct.by_hand)
        with self.assertRaises(scoring.AssessmentError):
            scoring.enter_scores(self.conduct, OCTOBER, {self.chengguan: (D("17"), "人工调整")}, self.supervisor)
        self.assertFalse(ManualScore.objects.exists())

    def test_the_month_publishes_with_the_survey_scores(self):
        self.answer_all()
        scoring.publish(self.scheme, OCTOBER, self.supervisor)
        stored = {r.unit.name: (float(r.total), r.rank, r.mark) for r in Result.objects.select_related("unit")}
        self.assertEqual(stored, {"城市管理行政执法局": (15, 1, "red"), "江南区": (12, 2, ""),
                                  "公安局交通警察支队": (10, 3, ""), "住房和城乡建设局": (5, 4, "black")})

"""The demo surveys on the demo city: last season's anonymous review of ten departments, closed,
with some departments clearly better liked; this month's named enterprise survey, open; the
department assessment's survey dimension scored from the review."""
import random
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from duban.assessment import demo as assessment_demo
from duban.assessment import scoring
from duban.assessment.models import Dimension
from duban.demo import city as demo_city
from duban.figures.figures import Period
from duban.org.models import Unit
from duban.surveys import demo
from duban.surveys.models import Invitation, Respondent, Response, Survey
from duban.surveys.results import results
from duban.surveys.stats import stats


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = demo_city.build(random.Random(1))
        cls.now = timezone.now()
        departments = [u for u in cls.city.by_id.values()
                       if u.tier == Unit.Tier.DEPARTMENT and u.parent_id == cls.city.units["city"].pk]
        cls.schemes = assessment_demo.load([cls.city.units["jn"], cls.city.units["jb"]], departments,
                                           cls.city.supervisors[0], timezone.localdate(cls.now))
        cls.summary = demo.load(cls.city, random.Random(7), cls.now)
        cls.review = Survey.objects.get(title__endswith="市直部门作风建设大评议")

    def test_the_review_is_closed_anonymous_and_answered_by_about_120_of_150(self):
        review = self.review
        self.assertEqual((review.status, review.anonymous, review.units.count()), (Survey.Status.CLOSED, True, 10))
        self.assertEqual(review.invitations.count(), 150)
        answered = review.responses.count()
        self.assertTrue(115 <= answered <= 125, answered)
        self.assertEqual(review.invitations.filter(used_on__isnull=False).count(), answered)
        self.assertFalse(Respondent.objects.filter(response__survey=review).exists())
        self.assertLess(review.closes_at, self.now)
        self.assertIn(f"收回答卷{answered}份", self.summary)

    def test_its_answers_are_dated_within_the_survey_and_in_the_past(self):
        days = set(self.review.responses.values_list("submitted_on", flat=True))
        self.assertGreaterEqual(min(days), timezone.localdate(self.review.opens_at))
        self.assertLessEqual(max(days), timezone.localdate(self.review.closes_at))

    def test_some_departments_are_clearly_better_liked_than_others(self):
        found = results(self.review)
        by_name = {u.name: u for u in found.units}
        self.assertGreater(by_name["行政审批局"].average - by_name["供热集团"].average, 1.2)
        self.assertGreater(by_name["行政审批局"].most, by_name["供热集团"].most)
        self.assertGreater(by_name["供热集团"].least, by_name["行政审批局"].least)
        self.assertTrue(all(u.rated >= 80 for u in found.units))

    def test_the_enterprise_survey_is_open_with_named_unused_invitations(self):
        survey = Survey.objects.get(anonymous=False)
        self.assertTrue(survey.accepts_answers())
        self.assertFalse(survey.responses.exists())
        self.assertEqual(survey.invitations.filter(used_on__isnull=True).count(), len(demo_city.ENTERPRISES))
        self.assertFalse(survey.invitations.filter(name="").exists())

    def test_the_department_assessment_scores_from_the_review(self):
        districts, departments = self.schemes
        conduct = departments.dimensions.get(source=Dimension.Source.SURVEY)
        self.assertEqual(conduct.survey, self.review)
        self.assertIsNone(districts.dimensions.get(source=Dimension.Source.SURVEY).survey)
        today = timezone.localdate(self.now)
        month = Period.of_month(today.year, today.month).previous()
        rows = {row.name: row for row in scoring.score(departments, month)}
        self.assertGreater(rows["行政审批局"].scores["conduct"], rows["供热集团"].scores["conduct"])
        self.assertNotIn("conduct", rows["行政审批局"].missing)
        self.assertIn("conduct", rows["退役军人事务局"].missing)  # not reviewed: the floor

    def test_stats_count_surveys_invitations_and_responses(self):
        sections = {key: rows for key, _title, rows in stats()}
        self.assertEqual(sections["surveys_by_status"]["closed"][1], 1)
        self.assertEqual(sections["surveys_by_status"]["open"][1], 1)
        self.assertEqual(sections["survey_invitations"]["used"][1], Response.objects.count())
        self.assertEqual(sections["survey_invitations"]["unused"][1],
                         Invitation.objects.filter(used_on__isnull=True).count())

    def test_the_same_seed_gives_the_same_answers(self):
        first = results(self.review)
        self.assertEqual(first.responses, self.review.responses.count())
        again = demo._review([(self.city.units[c], m) for c, m in demo.REVIEWED], random.Random(7),
                             self.now + timedelta(days=1), None)[0]
        self.assertEqual([(u.most, u.least, u.rated, u.score_total) for u in results(again).units],
                         [(u.most, u.least, u.rated, u.score_total) for u in first.units])

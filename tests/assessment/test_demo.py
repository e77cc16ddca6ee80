"""The demo assessments: 十项考核 over the districts, one over the departments, last month scored by hand."""
from datetime import date

from django.db.models import Sum

from duban.assessment import demo, scoring
from duban.assessment.models import Dimension, ManualScore, Reflection, Scheme
from duban.org.models import Unit
from duban.races import demo as races_demo
from tests.base import DubanTestCase

TODAY = date(2025, 11, 24)


class DemoTests(DubanTestCase):
    def load(self):
        return demo.load([self.jiangnan, self.jiangbei], [self.chengguan, self.jiaojing], self.supervisor, TODAY)

    def test_it_builds_ten_dimensions_worth_100_over_the_districts(self):
        races_demo.load([self.jiangnan, self.jiangbei], today=TODAY)
        districts, departments = self.load()
        self.assertEqual(districts.name, "2025年度作风建设十项考核")
        self.assertEqual(set(districts.participants.all()), {self.jiangnan, self.jiangbei})
        self.assertEqual(districts.dimensions.count(), 10)
        self.assertEqual(districts.dimensions.aggregate(total=Sum("points"))["total"], 100)
        self.assertEqual(departments.dimensions.aggregate(total=Sum("points"))["total"], 100)
        self.assertEqual(set(districts.dimensions.filter(source="indicator").values_list("indicator__code", flat=True)),
                         {"fai-growth", "investment-funds"})

    def test_last_months_scores_by_hand_are_entered_with_their_reasons(self):
        districts, departments = self.load()
        for scheme in (districts, departments):
            rows = scoring.score(scheme, "2025-10")
            by_hand = set(scheme.dimensions.filter(source__in=Dimension.BY_HAND).values_list("code", flat=True))
            self.assertEqual([code for row in rows for code in row.missing if code in by_hand], [])
        self.assertFalse(ManualScore.objects.filter(reason="").exists())
        self.assertTrue(ManualScore.objects.filter(reason__contains="大遍访大评议").exists())

    def test_without_the_races_the_indicators_are_entered_by_hand(self):
        districts, _departments = self.load()
        self.assertFalse(districts.dimensions.filter(source="indicator").exists())
        self.assertTrue(ManualScore.objects.filter(dimension__code="fai", reason__contains="统计局").exists())

    def test_loading_twice_changes_nothing_and_the_month_can_be_published(self):
        self.load()
        scores = ManualScore.objects.count()
        self.load()
        self.assertEqual((Scheme.objects.count(), ManualScore.objects.count()), (2, scores))
        districts = Scheme.objects.get(name="2025年度作风建设十项考核")
        results = scoring.publish(districts, "2025-10", self.supervisor)
        # Two districts: one on each list, and the last one owes a reflection.
        self.assertEqual([r.mark for r in results], ["red", "black"])
        self.assertEqual(Reflection.objects.get().result, results[1])

    def test_the_lists_fit_the_number_of_units(self):
        departments = [Unit.objects.create(name=f"第{i}局", tier="department", parent=self.city) for i in range(24)]
        with self.settings(RED_LIST_SIZE=5, BLACK_LIST_SIZE=5):
            districts, departments = demo.load([self.jiangnan, self.jiangbei], departments, self.supervisor, TODAY)
        self.assertEqual((districts.red_size, districts.black_size), (1, 1))
        self.assertEqual((departments.red_size, departments.black_size), (5, 5))

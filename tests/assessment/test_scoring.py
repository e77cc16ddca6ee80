"""The month's table: each dimension's points, totals, ranks, and the red and black lists."""
from datetime import timedelta
from decimal import Decimal as D

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from duban.assessment import scoring
from duban.assessment.models import Dimension, ManualScore, Scheme
from duban.assessment.scoring import Row
from duban.figures.figures import Period
from duban.ledger.machine import perform
from tests.assessment.base import OCTOBER, AssessmentTestCase


def by_name(rows):
    return {row.name: row for row in rows}


class ScoreTests(AssessmentTestCase):
    def test_it_computes_the_totals_worked_out_by_hand(self):
        self.enter_conduct()
        rows = by_name(scoring.score(self.scheme, "2025-10"))
        self.assertEqual(rows["江南区"].scores, {"resolution": 32, "returns": 18, "fai": 20, "conduct": 15})
        self.assertEqual(rows["江北区"].scores, {"resolution": 36, "returns": 15, "fai": 16, "conduct": 18})
        self.assertEqual(rows["松江区"].scores, {"resolution": 20, "returns": 10, "fai": 12, "conduct": 17})
        self.assertEqual([rows[n].total for n in ("江南区", "江北区", "松江区")], [85, 85, 59])

    def test_equal_totals_share_a_rank_and_the_next_rank_is_skipped(self):
        self.enter_conduct()
        rows = scoring.score(self.scheme, Period.month("2025-10"))
        self.assertEqual([(row.name, row.rank) for row in rows], [("江南区", 1), ("江北区", 1), ("松江区", 3)])

    def test_a_unit_without_a_figure_gets_the_floor_and_is_flagged(self):
        self.enter_conduct()
        rows = by_name(scoring.score(self.scheme, "2025-10"))
        self.assertEqual(rows["松江区"].missing, ["resolution", "returns"])
        self.assertEqual(rows["江南区"].missing, [])
        self.assertEqual([c.missing for c in rows["松江区"].cells], [True, True, False, False])

    def test_a_score_not_entered_by_hand_counts_0_and_is_flagged(self):
        self.enter_conduct({self.jiangnan: 15})
        rows = by_name(scoring.score(self.scheme, "2025-10"))
        self.assertEqual(rows["江北区"].scores["conduct"], 0)
        self.assertIn("conduct", rows["江北区"].missing)
        self.assertNotIn("conduct", rows["江南区"].missing)

    def test_lower_is_better_rates_score_the_share_not_returned(self):
        rows = by_name(scoring.score(self.scheme, "2025-10"))
        self.assertEqual(rows["江北区"].scores["returns"], 15)  # 20 × (1 − 5/20)

    def test_the_indicator_ranks_only_the_participants(self):
        # 江东区 is first in the race, but the best participant still gets the full points.
        rows = by_name(scoring.score(self.scheme, "2025-10"))
        self.assertEqual([rows[n].scores["fai"] for n in ("江南区", "江北区", "松江区")], [20, 16, 12])

    def test_a_participant_without_an_indicator_value_gets_the_floor(self):
        self.fai.values.filter(district=self.songjiang).delete()
        rows = by_name(scoring.score(self.scheme, "2025-10"))
        self.assertEqual([rows[n].scores["fai"] for n in ("江南区", "江北区", "松江区")], [20, 12, 12])
        self.assertIn("fai", rows["松江区"].missing)

    def test_another_month_has_other_figures(self):
        rows = by_name(scoring.score(self.scheme, "2025-09"))
        self.assertEqual(rows["江南区"].scores["resolution"], 0)  # 50 unsolved in September
        self.assertEqual(rows["江北区"].scores["resolution"], 20)  # nothing in September: the floor

    def test_figures_come_from_real_tickets(self):
        scheme = Scheme.objects.create(name="市直部门考核")
        scheme.participants.set([self.chengguan])
        Dimension.objects.create(scheme=scheme, name="满意率", code="satisfaction", points=30, source="figure",
                                 figure="satisfaction")
        ticket = self.resolved_ticket()
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        perform(ticket, "rate", self.dispatcher, rating=3, solved=True, contacted=True)  # 基本满意: 0.9
        row = scoring.score(scheme, timezone.localdate().strftime("%Y-%m"))[0]
        self.assertEqual((row.name, row.scores), ("城市管理行政执法局", {"satisfaction": 27}))

    def test_a_month_that_cannot_be_read_is_refused(self):
        with self.assertRaises(scoring.AssessmentError):
            scoring.score(self.scheme, "十月")


class ListTests(AssessmentTestCase):
    def rows(self, *totals):
        return [Row(i, name, total=total) for i, (name, total) in enumerate(zip("甲乙丙丁戊己", totals))]

    def marks(self, rows):
        return [(row.name, row.rank, row.mark) for row in rows]

    def test_the_top_units_are_red_and_the_bottom_ones_black(self):
        rows = scoring.rank(self.rows(60, 90, 80, 70, 50, 85), red_size=2, black_size=2)
        self.assertEqual(self.marks(rows), [("乙", 1, "red"), ("己", 2, "red"), ("丙", 3, ""), ("丁", 4, ""),
                                            ("甲", 5, "black"), ("戊", 6, "black")])

    def test_units_tied_at_the_edge_of_a_list_are_all_on_it(self):
        rows = scoring.rank(self.rows(90, 80, 80, 70), red_size=1, black_size=2)
        self.assertEqual(self.marks(rows), [("甲", 1, "red"), ("乙", 2, "black"), ("丙", 2, "black"),
                                            ("丁", 4, "black")])

    def test_with_fewer_units_than_both_lists_the_black_list_shrinks(self):
        rows = scoring.rank(self.rows(70, 90, 80), red_size=2, black_size=2)
        self.assertEqual(self.marks(rows), [("乙", 1, "red"), ("丙", 2, "red"), ("甲", 3, "black")])
        rows = scoring.rank(self.rows(70, 90), red_size=5, black_size=5)
        self.assertEqual([row.mark for row in rows], ["red", "red"])

    def test_no_unit_is_on_both_lists(self):
        rows = scoring.rank(self.rows(80, 80, 80), red_size=1, black_size=1)
        self.assertEqual(self.marks(rows), [("甲", 1, "red"), ("乙", 1, "red"), ("丙", 1, "red")])

    def test_the_small_scheme_puts_both_leaders_on_the_red_list(self):
        self.enter_conduct()
        rows = by_name(scoring.score(self.scheme, "2025-10"))
        self.assertEqual({n: r.mark for n, r in rows.items()}, {"江南区": "red", "江北区": "red", "松江区": "black"})

    def test_list_sizes_default_to_the_settings(self):
        with self.settings(RED_LIST_SIZE=3, BLACK_LIST_SIZE=2):
            scheme = Scheme.objects.create(name="新考核")
        self.assertEqual((scheme.red_size, scheme.black_size), (3, 2))


class ManualScoreTests(AssessmentTestCase):
    def test_a_score_needs_its_reason_and_nothing_is_written_without_one(self):
        with self.assertRaises(scoring.AssessmentError) as refused:
            scoring.enter_scores(self.conduct, "2025-10", {self.jiangnan: (D(15), "问卷折算"),
                                                           self.jiangbei: (D(18), "  ")}, self.supervisor)
        self.assertIn("江北区", " ".join(refused.exception.messages))
        self.assertFalse(ManualScore.objects.exists())

    def test_points_above_the_dimension_are_refused(self):
        with self.assertRaises(scoring.AssessmentError):
            scoring.enter_scores(self.conduct, "2025-10", {self.jiangnan: (D(21), "超出满分")})
        self.assertFalse(ManualScore.objects.exists())

    def test_scores_are_saved_replaced_and_removed(self):
        scoring.enter_scores(self.conduct, "2025-10", {self.jiangnan: (D(15), "问卷折算")}, self.supervisor)
        scoring.enter_scores(self.conduct, "2025-10", {self.jiangnan: (D("16.5"), "复核后调整")}, self.supervisor)
        score = ManualScore.objects.get()
        self.assertEqual((score.points, score.reason, score.month, score.entered_by),
                         (D("16.5"), "复核后调整", OCTOBER, self.supervisor))
        scoring.enter_scores(self.conduct, "2025-10", {self.jiangnan: None})
        self.assertFalse(ManualScore.objects.exists())

    def test_only_participants_and_dimensions_scored_by_hand_take_scores(self):
        with self.assertRaises(scoring.AssessmentError):
            scoring.enter_scores(self.conduct, "2025-10", {self.jiangdong: (D(10), "不参与考核")})
        with self.assertRaises(scoring.AssessmentError):
            scoring.enter_scores(self.resolution, "2025-10", {self.jiangnan: (D(10), "数据自动计算")})
        self.assertFalse(ManualScore.objects.exists())

    def test_the_database_holds_one_score_per_unit_and_month(self):
        self.enter_conduct({self.jiangnan: 15})
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.enter_conduct({self.jiangnan: 16})


class DimensionTests(AssessmentTestCase):
    def test_a_figure_or_indicator_dimension_must_name_what_it_scores(self):
        for source, field in (("figure", "figure"), ("indicator", "indicator")):
            dimension = Dimension(scheme=self.scheme, name="缺少来源", code="missing", points=10, source=source)
            with self.assertRaises(ValidationError) as refused:
                dimension.full_clean()
            self.assertIn(field, refused.exception.message_dict)

    def test_scores_of_a_month_still_running_change_as_matters_are_handled(self):
        now = timezone.localdate()
        self.assertEqual(scoring.as_period(now).start, now.replace(day=1))
        self.assertEqual(scoring.as_period(now - timedelta(days=now.day)).label, "2025-10")

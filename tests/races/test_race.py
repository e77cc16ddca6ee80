"""Growth, rank, change in rank and streaks, computed by hand."""
from datetime import date
from decimal import Decimal as D

from django.utils import translation

from duban.races import race
from tests.races.base import RaceTestCase


def ranks(board):
    return {row.district.name: row.rank for row in board.rows}


class RankTests(RaceTestCase):
    def test_a_rate_is_ranked_by_its_value_highest_first(self):
        self.put(self.fai, (2026, 10), {self.jiangnan: D("8.5"), self.jiangbei: D("7.2"), self.jiangdong: D("9.1")})
        board = race.board(self.fai, date(2026, 10, 1))
        self.assertEqual([(r.district.name, r.rank) for r in board.ranked],
                         [("江东区", 1), ("江南区", 2), ("江北区", 3)])

    def test_equal_values_share_a_rank_and_the_next_rank_is_skipped(self):
        self.put(self.fai, (2026, 10), {self.jiangnan: D("10"), self.jiangbei: D("8"), self.jiangdong: D("8.00"),
                                        self.jiangxin: D("6"), self.gaoxin: D("5")})
        self.assertEqual(ranks(race.board(self.fai, date(2026, 10, 1))),
                         {"江南区": 1, "江北区": 2, "江东区": 2, "江心县": 4, "高新区": 5})

    def test_when_lower_is_better_the_smallest_value_is_first(self):
        self.fai.higher_is_better = False
        self.put(self.fai, (2026, 10), {self.jiangnan: D("3"), self.jiangbei: D("1"), self.jiangdong: D("2")})
        self.assertEqual([r.district.name for r in race.board(self.fai, date(2026, 10, 1)).ranked],
                         ["江北区", "江东区", "江南区"])

    def test_districts_without_a_value_are_listed_last_unranked(self):
        self.put(self.fai, (2026, 10), {self.jiangbei: D("1"), self.gaoxin: D("2")})
        board = race.board(self.fai, date(2026, 10, 1))
        self.assertEqual([(r.district.name, r.rank, r.value) for r in board.rows],
                         [("高新区", 1, D("2")), ("江北区", 2, D("1")),
                          ("江南区", None, None), ("江东区", None, None), ("江心县", None, None)])
        self.assertEqual([r.streak_label for r in board.unranked], ["", "", ""])

    def test_units_that_are_not_districts_do_not_race(self):
        board = race.board(self.fai, date(2026, 10, 1))
        self.assertEqual({r.district.name for r in board.rows}, {"江南区", "江北区", "江东区", "江心县", "高新区"})

    def test_any_day_of_the_month_stands_for_the_month(self):
        self.put(self.fai, (2026, 10), {self.jiangnan: D("1")})
        self.assertEqual(race.board(self.fai, "2026年10月").ranked[0].district, self.jiangnan)
        self.assertEqual(race.board(self.fai, date(2026, 10, 31)).month, date(2026, 10, 1))


class GrowthTests(RaceTestCase):
    def test_an_amount_grows_year_on_year_when_last_year_is_there(self):
        self.put(self.funds, (2025, 10), {self.jiangnan: D("100")})
        self.put(self.funds, (2026, 9), {self.jiangnan: D("110")})
        self.put(self.funds, (2026, 10), {self.jiangnan: D("120")})
        row = race.board(self.funds, date(2026, 10, 1)).rows[0]
        self.assertEqual((row.growth, row.growth_basis, row.growth_text), (D("20.00"), "yoy", "+20%"))

    def test_without_last_year_an_amount_grows_month_on_month(self):
        self.put(self.funds, (2026, 9), {self.jiangnan: D("160")})
        self.put(self.funds, (2026, 10), {self.jiangnan: D("120")})
        row = race.board(self.funds, date(2026, 10, 1)).rows[0]
        self.assertEqual((row.growth, row.growth_basis, row.growth_text), (D("-25.00"), "mom", "-25%"))

    def test_a_cumulative_amount_never_grows_month_on_month(self):
        self.funds.cumulative = True
        self.put(self.funds, (2026, 9), {self.jiangnan: D("100")})
        self.put(self.funds, (2026, 10), {self.jiangnan: D("120")})
        row = race.board(self.funds, date(2026, 10, 1)).rows[0]
        self.assertEqual((row.growth, row.growth_basis, row.growth_text), (None, "", "—"))

    def test_growth_from_zero_is_not_computed(self):
        self.put(self.funds, (2025, 10), {self.jiangnan: D("0")})
        self.put(self.funds, (2026, 10), {self.jiangnan: D("50")})
        self.assertIsNone(race.board(self.funds, date(2026, 10, 1)).rows[0].growth)

    def test_a_rate_has_no_growth_of_its_own(self):
        self.put(self.fai, (2026, 9), {self.jiangnan: D("5")})
        self.put(self.fai, (2026, 10), {self.jiangnan: D("6")})
        board = race.board(self.fai, date(2026, 10, 1))
        self.assertFalse(board.shows_growth)
        self.assertIsNone(board.rows[0].growth)

    def test_an_amount_ranked_by_growth_puts_the_fastest_first_and_leaves_the_new_unranked(self):
        self.funds.rank_by = "growth"
        self.put(self.funds, (2026, 9), {self.jiangnan: D("1000"), self.jiangbei: D("100")})
        self.put(self.funds, (2026, 10), {self.jiangnan: D("1100"), self.jiangbei: D("150"), self.gaoxin: D("9999")})
        board = race.board(self.funds, date(2026, 10, 1))
        self.assertEqual([(r.district.name, r.growth, r.rank) for r in board.rows[:3]],
                         [("江北区", D("50.00"), 1), ("江南区", D("10.00"), 2), ("高新区", None, None)])


class ChangeAndStreakTests(RaceTestCase):
    def test_the_change_in_rank_counts_places_gained_since_last_month(self):
        self.put(self.fai, (2026, 9), {self.jiangnan: D("3"), self.jiangbei: D("2"), self.jiangdong: D("1")})
        self.put(self.fai, (2026, 10), {self.jiangnan: D("2"), self.jiangbei: D("1"), self.jiangdong: D("3"),
                                        self.gaoxin: D("0")})
        changes = {r.district.name: (r.previous_rank, r.rank, r.rank_change)
                   for r in race.board(self.fai, date(2026, 10, 1)).rows}
        self.assertEqual(changes["江东区"], (3, 1, 2))
        self.assertEqual(changes["江南区"], (1, 2, -1))
        self.assertEqual(changes["江北区"], (2, 3, -1))
        self.assertEqual(changes["高新区"], (None, 4, None))  # new this month

    def test_a_district_first_four_months_running_is_first_in_the_city_for_four_months(self):
        self.put(self.fai, (2026, 6), {self.jiangnan: D("1"), self.jiangbei: D("2")})
        for month in (7, 8, 9, 10):
            self.put(self.fai, (2026, month), {self.jiangnan: D("9") + month, self.jiangbei: D("5")})
        leader = race.board(self.fai, date(2026, 10, 1)).rows[0]
        self.assertEqual((leader.district, leader.rank, leader.streak), (self.jiangnan, 1, 4))
        self.assertEqual(leader.streak_label, "连续4个月全市第一")
        with translation.override("en"):
            self.assertEqual(race.board(self.fai, date(2026, 10, 1)).rows[0].streak_label,
                             "First in the city for 4 months running")

    def test_a_streak_at_another_rank_names_the_rank(self):
        for month in (8, 9, 10):
            self.put(self.fai, (2026, month), {self.jiangnan: D("9"), self.jiangbei: D("5"), self.jiangdong: D("1")})
        rows = race.board(self.fai, date(2026, 10, 1)).rows
        self.assertEqual([r.streak_label for r in rows[:3]],
                         ["连续3个月全市第一", "连续3个月第2名", "连续3个月第3名"])

    def test_a_streak_is_broken_by_another_rank_or_a_missing_month(self):
        self.put(self.fai, (2026, 5), {self.jiangnan: D("9"), self.jiangbei: D("5")})
        self.put(self.fai, (2026, 6), {self.jiangnan: D("1"), self.jiangbei: D("5")})  # second
        self.put(self.fai, (2026, 7), {self.jiangnan: D("9"), self.jiangbei: D("5")})
        self.put(self.fai, (2026, 8), {self.jiangnan: D("9"), self.jiangbei: D("5")})
        self.put(self.fai, (2026, 10), {self.jiangnan: D("9"), self.jiangbei: D("5")})  # no September
        self.assertEqual(race.board(self.fai, date(2026, 8, 1)).rows[0].streak, 2)
        october = race.board(self.fai, date(2026, 10, 1)).rows[0]
        self.assertEqual((october.streak, october.streak_label), (1, ""))

    def test_sharing_first_place_keeps_the_streak_of_first_place(self):
        for month in (9, 10):
            self.put(self.fai, (2026, month), {self.jiangnan: D("9"), self.jiangbei: D("9"), self.jiangdong: D("1")})
        rows = race.board(self.fai, date(2026, 10, 1)).rows
        self.assertEqual([(r.district.name, r.rank, r.streak_label) for r in rows[:2]],
                         [("江南区", 1, "连续2个月全市第一"), ("江北区", 1, "连续2个月全市第一")])


class HistoryAndQueriesTests(RaceTestCase):
    def test_history_has_a_point_for_every_month_even_without_a_value(self):
        self.put(self.funds, (2026, 8), {self.jiangnan: D("100"), self.jiangbei: D("300")})
        self.put(self.funds, (2026, 10), {self.jiangnan: D("150"), self.jiangbei: D("100")})
        points = race.history(self.funds, self.jiangnan, months=4)
        self.assertEqual([(p.month, p.value, p.rank) for p in points],
                         [(date(2026, 7, 1), None, None), (date(2026, 8, 1), D("100"), 2),
                          (date(2026, 9, 1), None, None), (date(2026, 10, 1), D("150"), 1)])

    def test_history_of_an_indicator_without_values_is_empty(self):
        self.assertEqual(race.history(self.fai, self.jiangnan), [])

    def test_the_board_takes_two_queries_however_many_months_there_are(self):
        for month in range(1, 13):
            self.put(self.fai, (2026, month), {self.jiangnan: D(month), self.jiangbei: D(12 - month),
                                               self.gaoxin: D("6")})
        with self.assertNumQueries(2):
            board = race.board(self.fai, date(2026, 12, 1))
            [row.streak_label for row in board.rows]

    def test_months_are_read_as_people_write_them(self):
        for text in ("2026-10", "2026年10月", "2026/10", "2026.10", "202610", "2026 年 10 月份"):
            self.assertEqual(race.parse_month(text), date(2026, 10, 1), text)
        for text in ("2026-13", "10月", "", "二〇二六年十月"):
            with self.assertRaises(ValueError, msg=text):
                race.parse_month(text)

    def test_a_month_is_saved_at_once_and_an_emptied_value_is_removed(self):
        self.put(self.fai, (2026, 10), {self.jiangnan: D("1"), self.jiangbei: D("2")})
        outcome = race.record(self.fai, date(2026, 10, 1), {self.jiangnan: D("1"), self.jiangbei: None,
                                                            self.gaoxin: D("3.5")}, actor=self.supervisor)
        self.assertEqual((outcome.created, outcome.updated, outcome.deleted), (1, 0, 1))
        self.assertEqual({(v.district.name, v.value, v.entered_by) for v in self.fai.values.all()},
                         {("江南区", D("1"), None), ("高新区", D("3.5"), self.supervisor)})

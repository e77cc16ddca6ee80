"""The demo races: reproducible, and with a district leading for months."""
from datetime import date

from duban.races import demo, race
from duban.races.models import IndicatorValue
from tests.races.base import RaceTestCase

TODAY = date(2026, 11, 20)


class DemoTests(RaceTestCase):
    def districts(self):
        return [self.jiangnan, self.jiangbei, self.jiangdong, self.jiangxin, self.gaoxin]

    def test_the_demo_has_a_district_first_in_the_city_for_at_least_four_months(self):
        indicators = demo.load(self.districts(), today=TODAY, seed=7)
        self.assertEqual([i.name for i in indicators], ["固定资产投资增速", "规上工业增加值增速", "招商引资到位资金"])
        leader = race.board(indicators[0], date(2026, 10, 1)).rows[0]
        self.assertEqual(leader.rank, 1)
        self.assertGreaterEqual(leader.streak, 4)
        self.assertRegex(leader.streak_label, r"^连续\d+个月全市第一$")

    def test_the_amount_has_a_year_more_so_its_growth_is_year_on_year(self):
        indicators = demo.load(self.districts(), today=TODAY, seed=7)
        board = race.board(indicators[2], date(2026, 10, 1))
        self.assertEqual({row.growth_basis for row in board.rows}, {"yoy"})
        self.assertEqual(IndicatorValue.objects.filter(indicator=indicators[0]).count(), 5 * 12)

    def test_the_same_seed_gives_the_same_values(self):
        demo.load(self.districts(), today=TODAY, seed=7)
        first = sorted(IndicatorValue.objects.values_list("indicator__code", "district", "month", "value"))
        IndicatorValue.objects.all().delete()
        demo.load(self.districts(), today=TODAY, seed=7)
        self.assertEqual(sorted(IndicatorValue.objects.values_list("indicator__code", "district", "month", "value")),
                         first)

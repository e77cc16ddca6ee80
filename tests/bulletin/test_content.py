"""What the bulletin says: rankings, lists, overdue matters, the change on last month, assessments."""
from django.test import override_settings

from duban.bulletin import content
from duban.bulletin.fonts import FontMissing
from tests.bulletin.base import OCTOBER, REPORTER_NAME, REPORTER_PHONE, TITLE_PHONE, BulletinTestCase


class GatherTests(BulletinTestCase):
    def test_the_title_names_the_city_and_the_month(self):
        self.assertEqual(content.gather(OCTOBER, with_charts=False).title, "江城市12345热线办理情况通报（2025年10月）")

    def test_units_are_ranked_within_their_tier_with_last_months_change(self):
        bulletin = content.gather(OCTOBER, with_charts=False)
        tiers = {tier.tier: tier for tier in bulletin.tiers}
        self.assertEqual([(line.rank, line.name) for line in tiers["department"].ranked],
                         [(1, "市政府督查室"), (2, "城市管理行政执法局"), (3, "公安局交通警察支队")])
        self.assertEqual([line.name for line in tiers["district"].ranked], ["江南区", "江北区"])
        chengguan = tiers["department"].ranked[1]
        self.assertAlmostEqual(chengguan.composite, 0.921)
        self.assertAlmostEqual(chengguan.previous, 0.91)
        self.assertEqual(chengguan.change, "↑1.10")
        self.assertEqual(tiers["department"].ranked[0].change, "—")  # nothing counted in September

    def test_a_unit_below_the_minimum_sample_is_listed_with_the_reason(self):
        department = next(t for t in content.gather(OCTOBER, with_charts=False).tiers if t.tier == "department")
        self.assertEqual([line.name for line in department.unranked], ["12345热线中心"])
        self.assertIn("10", department.unranked[0].figures.rank_note)

    @override_settings(RED_LIST_SIZE=1, BLACK_LIST_SIZE=1)
    def test_the_red_list_is_the_top_and_the_black_list_the_bottom_of_each_tier(self):
        bulletin = content.gather(OCTOBER, with_charts=False)
        self.assertEqual([line.name for line in bulletin.red], ["江南区", "市政府督查室"])
        self.assertEqual([line.name for line in bulletin.black], ["江北区", "公安局交通警察支队"])

    def test_the_lists_never_overlap_when_a_tier_has_few_units(self):
        bulletin = content.gather(OCTOBER, with_charts=False)  # 5 and 5, with 3 and 2 ranked units
        self.assertEqual(len(bulletin.red), 5)
        self.assertEqual(bulletin.black, [])

    def test_the_totals_are_the_sum_of_every_unit(self):
        totals = content.gather(OCTOBER, with_charts=False).totals
        self.assertEqual(totals.verdicts, 10 + 20 + 10 + 3 + 12 + 10)
        self.assertEqual(totals.sample, 65)

    def test_overdue_matters_are_named_oldest_deadline_first_and_counted_per_unit(self):
        overdue = content.gather(OCTOBER, with_charts=False).overdue
        self.assertEqual([m.number for m in overdue.matters],
                         [self.resolved_late.number, self.late.number, self.whistle.number])
        self.assertEqual(overdue.total, 3)
        self.assertEqual(overdue.by_unit, [("城市管理行政执法局", 3)])
        resolved_late = overdue.matters[0]
        self.assertEqual(resolved_late.workdays, 3)  # due Monday 13 October, resolved Thursday the 16th
        self.assertEqual(resolved_late.unit, "城市管理行政执法局")

    def test_overdue_titles_carry_no_personal_data(self):
        titles = [m.title for m in content.gather(OCTOBER, with_charts=False).overdue.matters]
        self.assertIn("僵尸车占道，请回电139****4321", titles)
        self.assertNotIn("举报城管队员收钱放行违停车辆", titles)
        self.assertFalse([t for t in titles if TITLE_PHONE in t or REPORTER_PHONE in t or REPORTER_NAME in t])

    def test_a_title_naming_the_reporter_has_the_name_masked(self):
        self.late.title = f"{REPORTER_NAME}反映僵尸车"
        self.assertEqual(content.public_title(self.late), "周**反映僵尸车")

    def test_the_summary_speaks_of_the_month_the_rates_and_the_overdue_matters(self):
        summary = "".join(content.gather(OCTOBER, with_charts=False).summary())
        self.assertIn("2025年10月", summary)
        self.assertIn("有效回访65件", summary)
        self.assertIn("3件诉求超过办理时限", summary)

    def test_percentages_are_written_with_one_decimal(self):
        self.assertEqual(content.percent(0.965), "96.5%")
        self.assertEqual(content.percent(None), "—")
        self.assertEqual(content.score(0.921), "92.10")

    @override_settings(BULLETIN_FONT="/nonexistent/NotoSansCJK-Regular.ttc")
    def test_charts_without_the_chinese_font_fail_saying_what_to_install(self):
        with self.assertRaisesMessage(FontMissing, "fonts-noto-cjk"):
            content.gather(OCTOBER)

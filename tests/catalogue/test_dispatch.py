from duban.catalogue.dispatch import choose_units
from duban.catalogue.models import DispatchRule
from tests.base import DubanTestCase


class DispatchRuleTests(DubanTestCase):
    def test_a_rule_for_a_parent_category_covers_its_children(self):
        decision = choose_units(self.zombie_car, self.grid)
        self.assertEqual((decision.lead_unit, decision.rule), (self.chengguan, self.parking_rule))
        self.assertEqual(decision.co_units, [self.jiaojing])

    def test_the_most_specific_rule_wins(self):
        street_rule = DispatchRule.objects.create(category=self.parking, area=self.xishan, lead_unit=self.xishan)
        leaf_rule = DispatchRule.objects.create(category=self.zombie_car, lead_unit=self.jiaojing)
        self.assertEqual(choose_units(self.zombie_car, self.grid).rule, street_rule)  # depth 2+2 beats 3+0
        self.assertEqual(choose_units(self.zombie_car, self.jiangbei_community).rule, leaf_rule)

    def test_on_equal_depth_the_deeper_category_wins(self):
        by_area = DispatchRule.objects.create(category=self.city_management, area=self.jiangnan,
                                              lead_unit=self.jiangnan)
        by_category = DispatchRule.objects.create(category=self.zombie_car, lead_unit=self.jiaojing)
        self.assertEqual(by_area.category.depth + by_area.area.depth, 1 + 2)
        self.assertEqual(by_category.category.depth, 3)
        self.assertEqual(choose_units(self.zombie_car, self.grid).rule, by_category)

    def test_an_inactive_rule_is_ignored(self):
        DispatchRule.objects.filter(pk=self.parking_rule.pk).update(active=False)
        decision = choose_units(self.zombie_car, self.grid)
        self.assertTrue(decision.fallback)
        self.assertEqual(decision.lead_unit, self.jiangnan)

    def test_a_matter_with_no_rule_and_no_area_cannot_be_dispatched_automatically(self):
        decision = choose_units(self.sanitation, None)
        self.assertIsNone(decision.lead_unit)
        self.assertTrue(decision.fallback)

from duban.org.models import Unit
from tests.base import DubanTestCase


class UnitTreeTests(DubanTestCase):
    def test_a_subtree_is_the_unit_and_everything_below_it(self):
        names = set(self.jiangnan.subtree().values_list("name", flat=True))
        self.assertEqual(names, {"江南区", "西山街道", "富强社区", "富强社区第一网格"})

    def test_ancestors_run_from_the_root_down(self):
        self.assertEqual(self.grid.ancestor_ids(), [self.city.pk, self.jiangnan.pk, self.xishan.pk,
                                                    self.fuqiang.pk, self.grid.pk])
        self.assertEqual(self.grid.depth, 5)

    def test_moving_a_street_moves_its_communities_and_grids(self):
        self.xishan.parent = self.jiangbei
        self.xishan.save()
        self.grid.refresh_from_db()
        self.assertEqual(self.grid.area_government(), self.jiangbei)
        self.assertIn(self.grid, self.jiangbei.subtree())

    def test_a_unit_cannot_be_moved_under_itself(self):
        self.jiangnan.parent = self.grid
        with self.assertRaises(ValueError):
            self.jiangnan.save()

    def test_the_area_government_of_a_grid_is_its_district(self):
        self.assertEqual(self.grid.area_government(), self.jiangnan)
        self.assertIsNone(self.chengguan.area_government())
        self.assertIsNone(Unit.objects.get(pk=self.city.pk).area_government())


class PersonTests(DubanTestCase):
    def test_a_superuser_is_an_admin(self):
        from duban.org.models import Person
        self.assertEqual(Person.objects.create_superuser("root", password="x").role, "admin")

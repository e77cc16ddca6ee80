import json
from io import StringIO

from django.core.management import call_command

from duban.catalogue.models import Category, DispatchRule
from duban.ledger.machine import perform
from duban.triage import suggest
from duban.triage.models import Classifier
from tests.base import DubanTestCase, photo

PARKING = ["小区门口僵尸车停了半年落满灰尘", "白色轿车长期占用消防通道没人挪", "楼下废弃车辆停放多年轮胎都瘪了",
           "僵尸车占道影响通行请拖走", "路边一辆报废面包车停了一年多"]
RUBBISH = ["垃圾桶满了好几天没人清运臭气熏天", "小区垃圾堆放在楼道口苍蝇很多", "建筑垃圾倒在路边没人清理",
           "垃圾清运车半夜作业噪音大", "菜市场门口垃圾成堆无人清扫"]
LIGHTS = ["路灯坏了一个星期晚上很黑", "三号楼前路灯不亮老人走路害怕", "街道路灯白天亮着晚上反而不亮",
          "小区路灯线路老化一闪一闪", "桥下路灯全部熄灭存在安全隐患"]


class SuggestTests(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lights = Category.objects.create(name="路灯照明", parent=cls.city_management)
        # No catalogue rule for street lights: the district government gets them as a last resort,
        # but the history shows that the city's street office handles them.
        cls.closed = []
        for category, texts, unit in [(cls.zombie_car, PARKING, None), (cls.sanitation, RUBBISH, cls.chengguan),
                                      (cls.lights, LIGHTS, cls.xishan)]:
            for text in texts:
                cls.closed.append(cls.close(category, text, unit))

    @classmethod
    def close(cls, category, text, unit):
        ticket = cls.new_ticket(category=category, title=text[:8], description=text)
        perform(ticket, "dispatch", cls.dispatcher, unit=unit or cls.chengguan)
        handler = cls.handler if (unit or cls.chengguan) == cls.chengguan else cls.make_handler(unit)
        perform(ticket, "acknowledge", handler)
        perform(ticket, "resolve", handler, text="已处理", files=[photo()])
        perform(ticket, "verify", cls.supervisor)
        perform(ticket, "close", cls.supervisor)
        return ticket

    @classmethod
    def make_handler(cls, unit):
        from duban.org.models import Person

        return Person.objects.get_or_create(username=f"h{unit.pk}", defaults={
            "name": "街道干部", "role": "handler", "unit": unit})[0]

    def test_without_a_trained_model_there_is_no_guess(self):
        found = suggest.suggest("路灯不亮")
        self.assertEqual((found.category, found.source, found.confidence), (None, "none", 0.0))
        self.assertIn("train", found.explanation)

    def test_a_known_category_is_dispatched_by_the_catalogue_first(self):
        found = suggest.suggest("随便什么", category=self.zombie_car, area=self.grid)
        self.assertEqual((found.unit, found.source, found.confidence), (self.chengguan, "catalogue", 1.0))

    def test_the_classifier_learns_the_citys_own_closed_tickets(self):
        row = suggest.train()
        self.assertEqual((row.samples, len(row.classes)), (15, 3))
        found = suggest.suggest("富强小区门口有辆车停了很久，落满灰尘", area=self.grid)
        self.assertEqual((found.category, found.source), (self.zombie_car, "classifier"))
        self.assertEqual(found.unit, self.chengguan)  # the catalogue's rule for parking
        self.assertGreater(found.confidence, 1 / 3)
        self.assertIn("僵尸车", found.explanation)
        rubbish = suggest.suggest("楼下垃圾没人清运，臭得很")
        self.assertEqual(rubbish.category, self.sanitation)

    def test_where_no_rule_covers_the_category_the_unit_comes_from_who_handled_such_matters(self):
        suggest.train(Classifier.Target.CATEGORY)
        suggest.train(Classifier.Target.UNIT)
        found = suggest.suggest("小区路灯晚上不亮，走路很黑", area=self.grid)
        self.assertEqual(found.category, self.lights)
        self.assertEqual(found.unit, self.xishan)
        DispatchRule.objects.create(category=self.lights, lead_unit=self.chengguan)
        self.assertEqual(suggest.suggest("小区路灯晚上不亮，走路很黑", area=self.grid).unit, self.chengguan)

    def test_words_the_model_never_saw_give_no_guess(self):
        suggest.train()
        self.assertIsNone(suggest.suggest("ǂǂǂ").category)

    def test_the_stored_model_predicts_as_scikit_learn_does(self):
        from sklearn.linear_model import LogisticRegression  # noqa: F401 — training dependency present

        row = suggest.train()
        model = suggest.Model(row)
        for text in PARKING + RUBBISH + LIGHTS:
            p = model.probabilities(text)
            self.assertAlmostEqual(float(p.sum()), 1.0, places=6)
            self.assertEqual(model.predict(text)[0], self.closed[(PARKING + RUBBISH + LIGHTS).index(text)].category_id)

    def test_only_the_latest_models_are_kept(self):
        for _ in range(suggest.KEEP + 2):
            suggest.train()
        self.assertEqual(Classifier.objects.count(), suggest.KEEP)

    def test_evaluation_holds_out_a_share_of_every_category(self):
        result = suggest.evaluate(share=0.2)
        self.assertEqual((result["train"], result["test"]), (12, 3))
        self.assertGreaterEqual(result["accuracy"], 0)

    def test_the_command_trains_and_suggests(self):
        out = StringIO()
        call_command("triage", "train", stdout=out)
        self.assertIn("15", out.getvalue())
        out = StringIO()
        call_command("triage", "suggest", "路灯坏了晚上很黑", "--area", "富强社区第一网格", stdout=out)
        self.assertEqual(json.loads(out.getvalue())["category"], "城市管理 › 路灯照明")

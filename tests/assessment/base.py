"""A small scheme over three districts, with figures, an indicator race and a score given by hand.

October 2025 (the tests run on 24 November 2025), worked out by hand:

| unit   | resolution (40, floor .5) | returns (20, floor .5) | 固投 (20, floor .6) | 评议 (20, by hand) | total | rank |
|--------|---------------------------|------------------------|---------------------|--------------------|-------|------|
| 江南区 | 8/10 solved → 32          | 1 of 10 returned → 18  | 1st of 3 → 20       | 15                 | 85    | 1    |
| 江北区 | 9/10 solved → 36          | 5 of 20 returned → 15  | 2nd of 3 → 16       | 18                 | 85    | 1    |
| 松江区 | no verdicts → 20 (floor)  | none dispatched → 10   | 3rd of 3 → 12       | 17                 | 59    | 3    |

江东区 leads the race (9.0) but takes no part in the scheme, so it does not push the others down.
"""
from datetime import date
from decimal import Decimal as D

from duban.assessment.models import Dimension, ManualScore, Scheme
from duban.figures.models import UnitDay
from duban.org.models import Person, Unit
from duban.races.models import Indicator, IndicatorValue
from tests.base import DubanTestCase

OCTOBER = date(2025, 10, 1)


class AssessmentTestCase(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.songjiang = Unit.objects.create(name="松江区", tier="district", parent=cls.city)
        cls.jiangdong = Unit.objects.create(name="江东区", tier="district", parent=cls.city)
        cls.songjiang_handler = Person.objects.create_user("song", name="宋办事", role="handler", unit=cls.songjiang)
        cls.scheme = Scheme.objects.create(name="2025年度作风建设十项考核", red_size=1, black_size=1)
        cls.scheme.participants.set([cls.jiangnan, cls.jiangbei, cls.songjiang])
        cls.fai = Indicator.objects.create(name="固定资产投资增速", code="fai-growth", measure="%", kind="rate")
        D_ = Dimension.objects.create
        cls.resolution = D_(scheme=cls.scheme, name="解决率", code="resolution", order=1, points=40,
                            source="figure", figure="resolution", floor=D("0.5"))
        cls.returns = D_(scheme=cls.scheme, name="回退率", code="returns", order=2, points=20,
                         source="figure", figure="return_rate", floor=D("0.5"))
        cls.fai_dim = D_(scheme=cls.scheme, name="固定资产投资增速", code="fai", order=3, points=20,
                         source="indicator", indicator=cls.fai)
        cls.conduct = D_(scheme=cls.scheme, name="作风建设评议", code="conduct", order=4, points=20, source="survey")
        day = date(2025, 10, 15)
        UnitDay.objects.create(unit=cls.jiangnan, day=day, verdicts=10, solved=8, unsolved=2, assigned=10, returned=1)
        UnitDay.objects.create(unit=cls.jiangbei, day=day, verdicts=6, solved=5, unsolved=1, assigned=12, returned=3)
        UnitDay.objects.create(unit=cls.jiangbei, day=date(2025, 10, 31), verdicts=4, solved=4, assigned=8, returned=2)
        UnitDay.objects.create(unit=cls.jiangnan, day=date(2025, 9, 30), verdicts=50, unsolved=50)  # not October
        for unit, value in ((cls.jiangnan, "8.0"), (cls.jiangbei, "6.5"), (cls.songjiang, "5.0"),
                            (cls.jiangdong, "9.0")):
            IndicatorValue.objects.create(indicator=cls.fai, district=unit, month=OCTOBER, value=D(value))

    @classmethod
    def enter_conduct(cls, points=None):
        points = points or {cls.jiangnan: 15, cls.jiangbei: 18, cls.songjiang: 17}
        for unit, value in points.items():
            ManualScore.objects.create(dimension=cls.conduct, unit=unit, month=OCTOBER, points=value,
                                       reason="大遍访大评议问卷折算", entered_by=cls.supervisor)

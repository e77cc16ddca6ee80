"""The city of tests/base.py with five contestants and the three indicators of a race."""
import io
from datetime import date

from openpyxl import Workbook

from duban.org.models import Unit
from duban.races.models import Indicator, IndicatorValue
from tests.base import DubanTestCase


class RaceTestCase(DubanTestCase):
    """Contestants: 江南区 and 江北区 (tests/base.py), 江东区, 江心县 and 高新区 (a zone)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        U = Unit.objects.create
        cls.jiangdong = U(name="江东区", tier="district", parent=cls.city)
        cls.jiangxin = U(name="江心县", tier="county", parent=cls.city)
        cls.gaoxin = U(name="高新区", tier="zone", parent=cls.city, aliases=["高新技术产业开发区"])
        I = Indicator.objects.create
        cls.fai = I(name="固定资产投资增速", code="fai-growth", measure="%", kind="rate", order=1)
        cls.industry = I(name="规上工业增加值增速", code="industry-growth", measure="%", kind="rate", order=2)
        cls.funds = I(name="招商引资到位资金", code="investment-funds", measure="万元", kind="amount", order=3)

    @staticmethod
    def put(indicator, month, values):
        """Enter `values` ({district: value}) for the month given as (year, month)."""
        for district, value in values.items():
            IndicatorValue.objects.create(indicator=indicator, district=district, month=date(*month, 1),
                                          value=value)


def workbook(rows, header=("区县", "月份", "固定资产投资增速（%）", "招商引资到位资金")):
    """An .xlsx file (bytes in a BytesIO) with the header row and the rows, written by openpyxl."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out

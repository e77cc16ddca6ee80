"""Indicator values from a real .xlsx file: all rows or none, errors naming the row and column."""
import io
from datetime import date, datetime
from decimal import Decimal as D

from openpyxl import Workbook, load_workbook

from duban.races import sheets
from duban.races.models import IndicatorValue
from tests.races.base import RaceTestCase, workbook


def stored():
    return {(v.indicator.code, v.district.name, v.month.strftime("%Y-%m")): v.value
            for v in IndicatorValue.objects.select_related("indicator", "district")}


class ImportTests(RaceTestCase):
    def import_rows(self, rows, **kwargs):
        return sheets.import_workbook(workbook(rows, **kwargs), "赛马.xlsx", actor=self.supervisor)

    def refused(self, rows, **kwargs):
        with self.assertRaises(sheets.SheetInvalid) as refused:
            self.import_rows(rows, **kwargs)
        self.assertEqual(IndicatorValue.objects.count(), 0)
        return refused.exception.errors

    def test_a_good_workbook_is_imported(self):
        outcome = self.import_rows([
            ("江南区", "2026-10", 8.5, "12,345.6"),
            ("江南", "2026-09", "7.9%", None),  # an alias; a percent sign; no amount
            ("高新技术产业开发区", "2026年10月", -1.25, 900),
            (" 江北区 ", datetime(2026, 10, 1), "—", 100),  # a date cell; "—" is no value
        ])
        self.assertEqual((outcome.created, outcome.updated), (6, 0))
        self.assertEqual(outcome.months, [date(2026, 9, 1), date(2026, 10, 1)])
        self.assertEqual(stored(), {
            ("fai-growth", "江南区", "2026-10"): D("8.5"), ("investment-funds", "江南区", "2026-10"): D("12345.6"),
            ("fai-growth", "江南区", "2026-09"): D("7.9"),
            ("fai-growth", "高新区", "2026-10"): D("-1.25"), ("investment-funds", "高新区", "2026-10"): D("900"),
            ("investment-funds", "江北区", "2026-10"): D("100"),
        })
        self.assertEqual(set(IndicatorValue.objects.values_list("entered_by", flat=True)), {self.supervisor.pk})
        self.assertEqual(str(outcome), "新增6个数据，更新0个（2026-09、2026-10）。")

    def test_importing_a_month_again_replaces_its_values(self):
        self.import_rows([("江南区", "2026-10", 8.5, 100), ("江北区", "2026-10", 7, 200)])
        outcome = self.import_rows([("江南区", "2026-10", 9.5, None), ("江心县", "2026-10", 3, None)])
        self.assertEqual((outcome.created, outcome.updated), (1, 1))
        self.assertEqual(stored(), {
            ("fai-growth", "江南区", "2026-10"): D("9.5"), ("investment-funds", "江南区", "2026-10"): D("100"),
            ("fai-growth", "江北区", "2026-10"): D("7"), ("investment-funds", "江北区", "2026-10"): D("200"),
            ("fai-growth", "江心县", "2026-10"): D("3"),
        })

    def test_an_unknown_district_writes_nothing_and_names_the_row(self):
        errors = self.refused([("江南区", "2026-10", 8.5, 100), ("江西区", "2026-10", 7, 200)])
        self.assertEqual(errors, ["第3行：未知区县“江西区”。"])

    def test_a_street_is_not_a_district(self):
        self.assertEqual(self.refused([("西山街道", "2026-10", 1, 1)]), ["第2行：未知区县“西山街道”。"])

    def test_a_bad_month_writes_nothing_and_names_the_row_and_column(self):
        errors = self.refused([("江南区", "2026年13月", 8.5, 100), ("江北区", "2026-10", 7, 200)])
        self.assertEqual(errors, ["第2行第B列：“2026年13月”不是月份（请写成 2026-10 或 2026年10月）。"])

    def test_a_bad_number_writes_nothing_and_names_the_row_and_column(self):
        errors = self.refused([("江南区", "2026-10", 8.5, 100), ("江北区", "2026-10", "八点五", 200)])
        self.assertEqual(errors, ["第3行第C列（固定资产投资增速）：“八点五”不是数字。"])

    def test_every_error_of_the_file_is_told_at_once(self):
        errors = self.refused([("江西区", "2026-10", 1, 1), ("江北区", "十月", 1, 1), ("江心县", "2026-10", "x", 1)])
        self.assertEqual([e.split("：")[0] for e in errors], ["第2行", "第3行第B列", "第4行第C列（固定资产投资增速）"])

    def test_a_district_twice_in_one_month_is_refused(self):
        errors = self.refused([("江南区", "2026-10", 1, None), ("江南", "2026-10", 2, None)])
        self.assertEqual(errors, ["第3行：江南区 2026-10 的数据已在第2行。"])

    def test_an_unknown_indicator_column_is_refused(self):
        errors = self.refused([("江南区", "2026-10", 1)], header=("区县", "月份", "社会消费品零售总额"))
        self.assertEqual(errors[0], "第1行第C列：未知指标“社会消费品零售总额”。")

    def test_a_title_above_the_header_and_districts_left_empty_are_fine(self):
        book = Workbook()
        sheet = book.active
        sheet.append(["2026年10月各区县主要经济指标"])
        sheet.merge_cells("A1:D1")
        sheet.append(["区县", "月份", "规上工业增加值增速", "备注"])
        sheet.append(["江北区", "2026.10", 6.3, "快报数"])
        sheet.append(["江南区", "2026-10", None, None])  # not reported yet
        out = io.BytesIO()
        book.save(out)
        out.seek(0)
        outcome = sheets.import_workbook(out, "指标.xlsx")
        self.assertEqual((outcome.created, outcome.updated), (1, 0))
        value = IndicatorValue.objects.get()
        self.assertEqual((value.district, value.value, value.note), (self.jiangbei, D("6.3"), "快报数"))

    def test_a_file_that_is_not_a_workbook_is_refused(self):
        with self.assertRaises(sheets.SheetInvalid):
            sheets.import_workbook(io.BytesIO(b"not a zip"), "赛马.xlsx")

    def test_the_template_lists_every_district_and_reads_back_once_filled(self):
        out = sheets.export_template(io.BytesIO(), date(2026, 10, 1))
        out.seek(0)
        book = load_workbook(out)
        rows = [list(row) for row in book.active.iter_rows(values_only=True)]
        self.assertEqual(rows[0], ["区县", "月份", "固定资产投资增速", "规上工业增加值增速", "招商引资到位资金", "备注"])
        self.assertEqual([row[:2] for row in rows[1:]], [["江南区", "2026-10"], ["江北区", "2026-10"],
                                                         ["江东区", "2026-10"], ["江心县", "2026-10"],
                                                         ["高新区", "2026-10"]])
        book.active["C2"] = 8.8
        filled = io.BytesIO()
        book.save(filled)
        filled.seek(0)
        self.assertEqual(sheets.import_workbook(filled, "模板.xlsx").created, 1)
        self.assertEqual(stored(), {("fai-growth", "江南区", "2026-10"): D("8.8")})

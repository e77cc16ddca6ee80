"""`duban races board` and `duban races import`."""
import tempfile
from decimal import Decimal as D
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from duban.races.models import IndicatorValue
from tests.races.base import RaceTestCase, workbook


def run(*args):
    out = StringIO()
    call_command("races", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class CommandTests(RaceTestCase):
    def file(self, rows):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / "赛马.xlsx"
        path.write_bytes(workbook(rows).getvalue())
        return str(path)

    def test_board_prints_the_ranks_values_and_streaks(self):
        for month in (9, 10):
            self.put(self.fai, (2026, month), {self.jiangnan: D("8.5"), self.jiangbei: D("7.25")})
        lines = run("board", "fai-growth", "2026-10").splitlines()
        self.assertEqual(lines[0], "固定资产投资增速 2026-10 (%)")
        self.assertEqual(lines[1], "1  江南区  8.5  =  连续2个月全市第一")
        self.assertEqual(lines[2], "2  江北区  7.25  =  连续2个月第2名")
        self.assertIn("-  高新区  —", lines)

    def test_board_finds_an_indicator_by_its_name_too(self):
        self.assertIn("招商引资到位资金 2026-10 (万元)", run("board", "招商引资到位资金", "2026年10月"))

    def test_board_refuses_an_unknown_indicator_or_month(self):
        with self.assertRaisesMessage(CommandError, "没有指标“gdp”。"):
            run("board", "gdp", "2026-10")
        with self.assertRaises(CommandError):
            run("board", "fai-growth", "十月")

    def test_import_writes_the_values_and_says_how_many(self):
        out = run("import", self.file([("江南区", "2026-10", 8.5, 100)]), "--as", self.supervisor.username)
        self.assertEqual(out.strip(), "新增2个数据，更新0个（2026-10）。")
        self.assertEqual(IndicatorValue.objects.filter(entered_by=self.supervisor).count(), 2)

    def test_import_of_a_bad_file_writes_nothing_and_names_the_row(self):
        with self.assertRaisesMessage(CommandError, "第3行：未知区县“江西区”。"):
            run("import", self.file([("江南区", "2026-10", 8.5, 100), ("江西区", "2026-10", 1, 1)]))
        self.assertEqual(IndicatorValue.objects.count(), 0)

    def test_template_writes_the_workbook_to_fill_in(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / "模板.xlsx"
        run("template", str(path), "--month", "2026-10")
        self.assertTrue(path.read_bytes().startswith(b"PK"))

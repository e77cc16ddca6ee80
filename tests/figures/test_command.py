"""duban figures rebuild | check | ranking."""
from io import StringIO

from django.core.management import CommandError, call_command
from django.utils import timezone

from duban.figures.models import UnitDay
from duban.ledger.machine import perform
from duban.verdict import service
from tests.base import DubanTestCase


def run(*args):
    out = StringIO()
    call_command("figures", *args, stdout=out)
    return out.getvalue()


class FiguresCommandTests(DubanTestCase):
    def setUp(self):
        ticket = self.resolved_ticket()
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        service.rate(ticket, None, rating=5, solved=True, contacted=True)
        self.month = timezone.localdate().strftime("%Y-%m")

    def test_check_finds_a_counter_changed_behind_the_ledgers_back_and_rebuild_puts_it_right(self):
        self.assertIn("一致", run("check"))
        UnitDay.objects.filter(unit=self.chengguan).update(verdicts=7)
        with self.assertRaisesMessage(CommandError, "不一致"):
            run("check")
        self.assertIn("重新计算", run("rebuild"))
        self.assertEqual(UnitDay.objects.get(unit=self.chengguan).verdicts, 1)
        self.assertIn("一致", run("check"))

    def test_ranking_prints_the_units_figures_with_their_sample(self):
        out = run("ranking", self.month)
        line = next(line for line in out.splitlines() if "城市管理行政执法局" in line)
        self.assertIn("100.0%", line)
        self.assertTrue(line.endswith("\t1"))

    def test_a_bad_month_is_refused_with_the_rule(self):
        with self.assertRaisesMessage(CommandError, "YYYY-MM"):
            run("ranking", "2026-13")

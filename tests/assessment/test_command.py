"""`duban assessment score SCHEME YYYY-MM [--publish]`."""
from io import StringIO

from django.core.management import CommandError, call_command

from duban.assessment.models import Reflection, Result
from tests.assessment.base import AssessmentTestCase


def run(*args):
    out = StringIO()
    call_command("assessment", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class CommandTests(AssessmentTestCase):
    def test_it_prints_the_table(self):
        self.enter_conduct()
        lines = run("score", str(self.scheme.pk), "2025-10").splitlines()
        self.assertEqual(lines[0], "2025年度作风建设十项考核 2025-10 (未发布)")
        self.assertEqual(lines[1].split("\t"), ["排名", "单位", "解决率", "回退率", "固定资产投资增速", "作风建设评议",
                                                "总分", "榜单"])
        self.assertEqual(lines[2], "1\t江南区\t32\t18\t20\t15\t85\t红榜")
        self.assertEqual(lines[4], "3\t松江区\t20*\t10*\t12\t17\t59\t黑榜")
        self.assertFalse(Result.objects.exists())

    def test_publish_stores_the_month_and_names_the_reflection_tickets(self):
        self.enter_conduct()
        out = run("score", str(self.scheme.pk), "2025-10", "--publish", "--as", self.supervisor.username)
        ticket = Reflection.objects.get().ticket
        self.assertIn("(已发布)", out.splitlines()[0])
        self.assertIn(f"松江区书面反思：工单{ticket.number}", out)
        self.assertEqual(Result.objects.filter(published_by=self.supervisor).count(), 3)
        with self.assertRaisesMessage(CommandError, "已经发布"):
            run("score", str(self.scheme.pk), "2025-10", "--publish")

    def test_it_refuses_an_unknown_scheme_or_month(self):
        with self.assertRaisesMessage(CommandError, "没有编号为“99”的考核方案"):
            run("score", "99", "2025-10")
        with self.assertRaises(CommandError):
            run("score", str(self.scheme.pk), "十月")

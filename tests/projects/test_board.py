"""The status lights of the project board and the district race (赛马) on key projects."""
from datetime import timedelta
from decimal import Decimal

from duban.ledger.machine import perform
from duban.projects import service
from duban.projects.models import Project
from duban.projects.service import BlockerInput
from tests.base import photo
from tests.projects.base import ProjectTestCase


def block(project, unit, at_day, description="施工用电报装容量不足，需增容。"):
    """File a review of `project` (by its secretary) reporting one blocker; return the blocker."""
    review = service.file_review(project, project.secretary, period_end=at_day, progress=project.progress,
                                 investment_completed=project.completed_investment, summary="本期正常施工。",
                                 blockers=[BlockerInput("utilities", unit, description)])
    project.refresh_from_db()
    return review.blockers.get()


def remove(case, blocker):
    ticket = blocker.ticket
    perform(ticket, "acknowledge", case.handler)
    perform(ticket, "resolve", case.handler, text="已完成增容接驳", files=[photo()])
    perform(ticket, "verify", case.supervisor)
    perform(ticket, "close", case.supervisor)


class LightTests(ProjectTestCase):
    def light(self):
        self.project.refresh_from_db()
        [project] = service.with_lights([self.project], self.today)
        return project.light

    def test_a_project_on_plan_is_green(self):
        self.assertEqual(self.light().colour, "green")

    def test_an_open_blocker_turns_it_red_until_its_ticket_is_closed(self):
        blocker = block(self.project, self.chengguan, self.today)
        light = self.light()
        self.assertEqual(light.colour, "red")
        self.assertIn("1个堵点未销号", light.reasons[0])
        perform(blocker.ticket, "acknowledge", self.handler)
        perform(blocker.ticket, "resolve", self.handler, text="已完成增容接驳", files=[photo()])
        self.assertEqual(self.light().colour, "red")  # resolved is not yet removed: it is verified first
        perform(blocker.ticket, "verify", self.supervisor)
        perform(blocker.ticket, "close", self.supervisor)
        self.assertEqual(self.light().colour, "green")

    def test_a_milestone_past_its_date_and_not_done_turns_it_red(self):
        self.structure.planned_on = self.today - timedelta(days=1)
        self.structure.save()
        light = self.light()
        self.assertEqual(light.colour, "red")
        self.assertIn("纺丝车间主体结构完成", light.reasons[0])

    def test_a_milestone_due_today_is_not_yet_overdue(self):
        self.structure.planned_on = self.today
        self.structure.save()
        self.assertEqual(self.light().colour, "green")

    def test_a_project_not_started_by_its_planned_start_is_yellow(self):
        Project.objects.filter(pk=self.project.pk).update(started_on=None, stage=Project.Stage.APPROVAL)
        self.assertEqual(self.light().colour, "yellow")

    def test_progress_trailing_the_time_elapsed_by_more_than_10_points_is_yellow(self):
        # 100 of 365 days have passed: 27% expected. 17% is within 10 points, 16% is not.
        Project.objects.filter(pk=self.project.pk).update(progress=17)
        self.assertEqual(self.light().colour, "green")
        Project.objects.filter(pk=self.project.pk).update(progress=16)
        light = self.light()
        self.assertEqual(light.colour, "yellow")
        self.assertIn("16%", light.reasons[0])

    def test_red_outranks_yellow(self):
        Project.objects.filter(pk=self.project.pk).update(progress=0)
        block(self.project, self.chengguan, self.today)
        self.assertEqual(self.light().colour, "red")

    def test_a_project_still_to_start_is_green(self):
        Project.objects.filter(pk=self.project.pk).update(
            starts_on=self.today + timedelta(days=10), ends_on=self.today + timedelta(days=400), started_on=None,
            progress=0)
        self.assertEqual(self.light().colour, "green")


class RaceTests(ProjectTestCase):
    """Worked out by hand (T is today):

    | district | projects (planned / completed, 万元)   | started on time          | blockers open | investment |
    |----------|----------------------------------------|--------------------------|---------------|------------|
    | 江南区   | 1000/500 (on time), 1000/300 (10 late) | 1 of 2 = 50%             | 1             | 40.0%      |
    | 江北区   | 500/200 (a day early)                  | 1 of 1 = 100%            | 0             | 40.0%      |
    | 松江区   | 3000/1500, starts T+30                 | none due: unranked       | 2 (+1 closed) | 50.0%      |
    | 双河县   | 2000/200, due T-10, not started        | 0 of 1 = 0%              | 0             | 10.0%      |

    An inactive project of 江北区 (10000 planned, nothing done) is left out.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from duban.org.models import Unit
        cls.songjiang = Unit.objects.create(name="松江区", tier="district", parent=cls.city)
        cls.shuanghe = Unit.objects.create(name="双河县", tier="county", parent=cls.city)
        Project.objects.all().delete()
        T, day = cls.today, timedelta(days=1)

        def project(name, district, planned, completed, starts, started, active=True):
            return Project.objects.create(
                name=name, code=f"p{Project.objects.count() + 1}", district=district, kind="industrial",
                planned_investment=Decimal(planned), completed_investment=Decimal(completed), unit=district,
                starts_on=starts, started_on=started, ends_on=T + 300 * day, secretary=cls.secretary, active=active)
        cls.a = project("江南A", cls.jiangnan, 1000, 500, T - 100 * day, T - 100 * day)
        cls.b = project("江南B", cls.jiangnan, 1000, 300, T - 50 * day, T - 40 * day)
        cls.c = project("江北C", cls.jiangbei, 500, 200, T - 30 * day, T - 31 * day)
        cls.d = project("松江D", cls.songjiang, 3000, 1500, T + 30 * day, None)
        cls.e = project("双河E", cls.shuanghe, 2000, 200, T - 10 * day, None)
        project("江北停建项目", cls.jiangbei, 10000, 0, T - 200 * day, None, active=False)

    def setUp(self):
        T, day = self.today, timedelta(days=1)
        block(self.b, self.chengguan, T)
        block(self.d, self.chengguan, T)
        block(self.d, self.chengguan, T - day)
        remove(self, block(self.d, self.chengguan, T - 2 * day))

    def ranks(self, key):
        return [(row.district.name, row.rank) for row in service.race(self.today, key)]

    def test_investment_completed_against_planned_ties_share_a_rank(self):
        self.assertEqual(self.ranks("investment"), [("松江区", 1), ("江北区", 2), ("江南区", 2), ("双河县", 4)])

    def test_started_on_time_leaves_a_district_with_nothing_due_unranked(self):
        self.assertEqual(self.ranks("on_time"), [("江北区", 1), ("江南区", 2), ("双河县", 3), ("松江区", None)])

    def test_fewer_open_blockers_rank_higher(self):
        self.assertEqual(self.ranks("blockers"), [("双河县", 1), ("江北区", 1), ("江南区", 3), ("松江区", 4)])

    def test_the_rows_hold_the_worked_figures(self):
        rows = {row.district.name: row for row in service.race(self.today)}
        jiangnan = rows["江南区"]
        self.assertEqual((jiangnan.projects, jiangnan.planned, jiangnan.completed, jiangnan.investment_percent),
                         (2, Decimal(2000), Decimal(800), Decimal("40.0")))
        self.assertEqual((jiangnan.started_on_time, jiangnan.due_to_start, jiangnan.on_time_percent),
                         (1, 2, Decimal("50.0")))
        self.assertEqual((rows["松江区"].open_blockers, rows["江北区"].projects, rows["江北区"].planned),
                         (2, 1, Decimal(500)))

    def test_an_unknown_key_ranks_by_investment(self):
        self.assertEqual(self.ranks("nonsense"), self.ranks("investment"))

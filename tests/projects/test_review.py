"""Filing a fortnightly review (双周调度): the project's figures follow it, and a blocker becomes a
ticket for the unit that can remove it, linked to the project, on its own clock."""
from datetime import date, timedelta
from decimal import Decimal

from django.test import override_settings
from django.utils import timezone

from duban.clock.calendar import work_calendar
from duban.ledger.access import can_see
from duban.ledger.machine import perform
from duban.ledger.models import Event, State, Ticket
from duban.org.models import Stewardship
from duban.projects import service
from duban.projects.models import Blocker, Project, Review
from duban.projects.service import BlockerInput, ReviewError
from tests.projects.base import ProjectTestCase

LAND = "二期用地尚有3户未完成征收，影响场地平整。"


class Filing(ProjectTestCase):
    def file(self, person=None, **changes):
        values = {"period_end": self.today, "progress": 38, "investment_completed": Decimal("15800.50"),
                  "summary": "纺丝车间主体结构已完成70%，聚合和原液车间主体结构完成30%。", "problems": "",
                  "milestones": {self.structure.pk: (85, None)}, "blockers": []}
        values.update(changes)
        return service.file_review(self.project, person or self.secretary, **values)


class FilingTests(Filing):
    def test_a_review_updates_the_projects_progress_investment_and_milestones(self):
        review = self.file()
        self.project.refresh_from_db()
        self.structure.refresh_from_db()
        self.assertEqual((self.project.progress, self.project.completed_investment), (38, Decimal("15800.50")))
        self.assertEqual((self.structure.progress, self.structure.done_on), (85, None))
        self.assertEqual((review.filed_by, review.milestones[str(self.structure.pk)]),
                         (self.secretary, {"progress": 85, "done_on": None}))

    def test_a_milestone_at_100_is_done_on_the_periods_end_and_a_date_makes_it_100(self):
        self.file(milestones={self.structure.pk: (100, None), self.production.pk: (10, self.today - timedelta(days=1))})
        self.structure.refresh_from_db()
        self.production.refresh_from_db()
        self.assertEqual((self.structure.progress, self.structure.done_on), (100, self.today))
        self.assertEqual((self.production.progress, self.production.done_on), (100, self.today - timedelta(days=1)))

    def test_the_first_review_in_construction_records_the_actual_start(self):
        Project.objects.filter(pk=self.project.pk).update(stage=Project.Stage.APPROVAL, started_on=None)
        self.project.refresh_from_db()
        self.file(stage=Project.Stage.CONSTRUCTION, period_end=self.today - timedelta(days=3))
        self.project.refresh_from_db()
        self.assertEqual((self.project.stage, self.project.started_on),
                         (Project.Stage.CONSTRUCTION, self.today - timedelta(days=3)))

    def test_a_blocker_becomes_a_ticket_dispatched_to_the_unit_named_and_linked_to_the_project(self):
        review = self.file(blockers=[BlockerInput("land", self.chengguan, LAND)])
        blocker = Blocker.objects.get()
        ticket = blocker.ticket
        self.assertEqual((blocker.review, blocker.project, blocker.unit, blocker.kind),
                         (review, self.project, self.chengguan, "land"))
        self.assertEqual((ticket.state, ticket.lead_unit, ticket.kind, ticket.channel.code),
                         (State.DISPATCHED, self.chengguan, "help", "supervision"))
        self.assertEqual((ticket.subject, ticket.area), (self.project.name, self.jiangnan))
        self.assertIn(LAND, ticket.description)
        self.assertIn(self.project.name, ticket.title)
        first = Event.objects.get(ticket=ticket, seq=1)
        self.assertEqual(first.payload["source"], {"project": self.project.pk, "review": review.pk})
        self.assertEqual(list(ticket.events.values_list("action", flat=True)), ["receive", "dispatch"])
        self.assertEqual(ticket.created_by, self.secretary)

    def test_the_blocker_is_due_five_working_days_after_the_review(self):
        review = self.file(blockers=[BlockerInput("approvals", self.chengguan, "施工许可证办理卡在消防设计审查环节。")])
        ticket = Blocker.objects.get().ticket
        self.assertEqual(ticket.resolve_due_at, work_calendar().add_workdays(review.filed_at, 5))
        # Filed on Monday 24 November 2025: due Monday 1 December, at the close of office hours.
        self.assertEqual(timezone.localtime(ticket.resolve_due_at).date(), date(2025, 12, 1))

    @override_settings(PROJECT_BLOCKER_WORKDAYS=2)
    def test_the_number_of_working_days_is_a_setting(self):
        self.file(blockers=[BlockerInput("funds", self.jiangnan, "专项债资金尚未拨付到位。")])
        due = Blocker.objects.get().ticket.resolve_due_at
        self.assertEqual(timezone.localtime(due).date(), date(2025, 11, 26))

    def test_each_blocker_gets_its_own_ticket(self):
        self.file(blockers=[BlockerInput("land", self.chengguan, LAND),
                            BlockerInput("utilities", self.jiaojing, "施工车辆夜间进出需交通组织方案。")])
        self.assertEqual(sorted(Blocker.objects.values_list("ticket__lead_unit__name", flat=True)),
                         sorted([self.chengguan.name, self.jiaojing.name]))

    def test_the_unit_works_the_blocker_like_any_matter_and_the_projects_stewards_see_it(self):
        service.steward(self.project)
        self.file(blockers=[BlockerInput("land", self.chengguan, LAND)])
        ticket = Blocker.objects.get().ticket
        self.assertTrue(can_see(self.handler, ticket))
        self.assertTrue(can_see(self.secretary, ticket))
        self.assertTrue(can_see(self.chief, ticket))
        self.assertFalse(can_see(self.outsider, ticket))
        perform(ticket, "acknowledge", self.handler)
        self.assertEqual(Ticket.objects.get(pk=ticket.pk).state, State.ACKNOWLEDGED)

    def test_the_chief_and_the_secretary_are_given_a_stewardship_of_the_project_once(self):
        service.steward(self.project)
        service.steward(self.project)
        charges = Stewardship.objects.filter(kind="project", subject=self.project.name)
        self.assertEqual(sorted(charges.values_list("person__username", flat=True)), ["chief", "secretary"])

    def test_the_chief_may_file_too(self):
        self.file(person=self.chief)
        self.assertEqual(Review.objects.get().filed_by, self.chief)


class RefusedReviewTests(Filing):
    def assert_refused(self, message, **changes):
        with self.assertRaisesMessage(ReviewError, message):
            self.file(blockers=[BlockerInput("land", self.chengguan, LAND)], **changes)
        self.assertEqual((Review.objects.count(), Blocker.objects.count(), Ticket.objects.count()), (0, 0, 0))
        self.project.refresh_from_db()
        self.structure.refresh_from_db()
        self.assertEqual((self.project.progress, self.project.completed_investment, self.structure.progress),
                         (30, Decimal("12000"), 70))

    def test_progress_over_100_is_refused_and_nothing_is_written(self):
        self.assert_refused("进度是百分比", progress=140)

    def test_a_negative_investment_is_refused(self):
        self.assert_refused("完成投资不能为负数", investment_completed=Decimal("-5"))

    def test_a_period_in_the_future_is_refused(self):
        self.assert_refused("不能在未来", period_end=self.today + timedelta(days=1))

    def test_a_second_review_of_the_same_period_is_refused(self):
        self.file()
        with self.assertRaisesMessage(ReviewError, "已提交"):
            self.file()
        self.assertEqual(Review.objects.count(), 1)

    def test_a_milestone_over_100_is_refused(self):
        self.assert_refused("纺丝车间主体结构完成", milestones={self.structure.pk: (120, None)})

    def test_a_milestone_over_100_is_refused_even_with_its_date(self):
        self.assert_refused("纺丝车间主体结构完成", milestones={self.structure.pk: (120, self.today)})

    def test_a_milestone_of_another_project_is_refused(self):
        other = Project.objects.create(name="风电装备制造基地", code="wind", district=self.jiangbei, kind="industrial",
                                       planned_investment=1, unit=self.jiangbei, starts_on=self.today,
                                       ends_on=self.today)
        milestone = other.milestones.create(name="开工", planned_on=self.today)
        self.assert_refused("不是本项目的", milestones={milestone.pk: (50, None)})

    def test_a_blocker_without_a_unit_is_refused(self):
        with self.assertRaisesMessage(ReviewError, "能够解决"):
            self.file(blockers=[BlockerInput("land", None, LAND)])
        self.assertFalse(Review.objects.exists())

    def test_someone_else_cannot_file(self):
        with self.assertRaisesMessage(ReviewError, "首席负责人或项目秘书"):
            self.file(person=self.supervisor)
        self.assertFalse(Review.objects.exists())

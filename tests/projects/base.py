"""A key project in 江南区 with its chief leader and secretary (365 service) and three milestones.

Today is Monday 24 November 2025 (tests/conftest.py). The project was planned to start 100 days
ago and to finish 265 days from now; it started on time.
"""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from duban.org.models import Person
from duban.projects.models import Milestone, Project
from tests.base import DubanTestCase


class ProjectTestCase(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.today = timezone.localdate()
        P = Person.objects.create_user
        cls.chief = P("chief", name="陈区长", role="leader", unit=cls.jiangnan)
        cls.secretary = P("secretary", name="刘秘书", role="handler", unit=cls.jiangnan)
        cls.project = Project.objects.create(
            name="年产15万吨碳纤维原丝项目", code="cf-150k", district=cls.jiangnan, kind=Project.Kind.INDUSTRIAL,
            planned_investment=Decimal("50000"), completed_investment=Decimal("12000"), progress=30,
            stage=Project.Stage.CONSTRUCTION, chief=cls.chief, secretary=cls.secretary, unit=cls.jiangnan,
            starts_on=cls.today - timedelta(days=100), started_on=cls.today - timedelta(days=100),
            ends_on=cls.today + timedelta(days=265))
        M = Milestone.objects.create
        cls.approval = M(project=cls.project, name="取得施工许可证", order=1, planned_on=cls.today - timedelta(days=110),
                         done_on=cls.today - timedelta(days=105), progress=100)
        cls.structure = M(project=cls.project, name="纺丝车间主体结构完成", order=2,
                          planned_on=cls.today + timedelta(days=30), progress=70)
        cls.production = M(project=cls.project, name="一期建成投产", order=3, planned_on=cls.today + timedelta(days=265))

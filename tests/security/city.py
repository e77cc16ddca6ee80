"""One small city with something of every kind owned by unit A (城管局, in the city; places in 江南区),
so that every page and endpoint can be asked for with real ids. Unit B is 江北区's street office
(the outsider) and 江北区's supervisor (district_supervisor): they must get none of it."""
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from duban.campaigns import service as campaigns
from duban.campaigns.models import Campaign, PledgeList, Programme, Target
from duban.enterprises import service as enterprises
from duban.inspections import rounds
from duban.inspections.models import Round, VisitPhoto
from duban.intake import keys
from duban.catalogue.models import Channel
from duban.ledger.machine import perform
from duban.org.models import Person
from duban.projects.models import Project
from duban.races.models import Indicator
from duban.surveys import service as surveys
from duban.surveys.models import Question, Survey
from duban.verdict.models import CallBack, Sample
from duban.web.models import SavedView
from tests.base import DubanTestCase, photo

PHONE, NAME = "13812345678", "周大爷"
SECRET_TEXT = f"联系人{NAME}，电话{PHONE}"  # a reporter's phone and name written into the text itself


class SecurityCity(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        P = Person.objects.create_user
        cls.leader = P("lead", name="马市长", role="leader", unit=cls.city, scope=cls.city)
        cls.admin = P("boss", name="管理员", role="admin", unit=cls.city)
        cls.closed = cls.closed_ticket()
        cls.open_ticket = cls.dispatched_ticket(title="占道经营", description=SECRET_TEXT)
        cls.attachment = cls.closed.attachment_set.get()
        cls.call = CallBack.objects.get(ticket=cls.closed)
        cls.sample = Sample.objects.create(name="十月抽件", starts_on=date(2025, 10, 1), ends_on=date(2025, 10, 31),
                                           seed=1, share=Decimal("0.5"), drawn_at=timezone.now(), size=0)
        cls.saved_view = SavedView.objects.create(person=cls.handler, name="我的", query="state=dispatched")
        cls._build_programmes()
        cls._build_reviews()

    @classmethod
    def closed_ticket(cls, **fields):
        ticket = cls.dispatched_ticket(title=f"僵尸车 {SECRET_TEXT}", description=SECRET_TEXT, **fields)
        perform(ticket, "acknowledge", cls.handler)
        perform(ticket, "resolve", cls.handler, text=f"已拖离，回复{NAME}（{PHONE}）", files=[photo()])
        perform(ticket, "verify", cls.supervisor)
        perform(ticket, "close", cls.supervisor)
        return ticket

    @classmethod
    def _build_programmes(cls):
        today = timezone.localdate()
        cls.project = Project.objects.create(
            name="碳纤维原丝项目", code="cf-150k", district=cls.jiangnan, kind=Project.Kind.INDUSTRIAL,
            planned_investment=Decimal("50000"), completed_investment=Decimal("12000"), progress=30,
            stage=Project.Stage.CONSTRUCTION, chief=cls.steward, secretary=cls.handler, unit=cls.jiangnan,
            starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=265))
        programme = Programme.objects.create(name="专项整治")
        cls.campaign = Campaign.objects.create(programme=programme, name="静态交通整治", goal="清理僵尸车",
                                               starts_on=today - timedelta(days=60),
                                               ends_on=today + timedelta(days=60), lead_unit=cls.chengguan)
        target = Target.objects.create(campaign=cls.campaign, name="清除地桩", measure="处", goal=20,
                                       counts=Target.Counts.REPORTED)
        cls.task = campaigns.add_task(cls.campaign, unit=cls.chengguan, title="清除地桩地锁", target=target,
                                      due=today + timedelta(days=10), actor=cls.supervisor)
        cls.pledge_list = PledgeList.objects.create(name="惠民实事", year=2025, published=True)
        cls.pledge = campaigns.add_pledge(cls.pledge_list, area="城乡建设", number=1, title="新施划停车泊位",
                                          target="施划泊位4000个", owner=cls.chengguan,
                                          deadline=today + timedelta(days=30), actor=cls.supervisor)
        cls.round = rounds.create_round(cls.supervisor, name="督导检查", kind=Round.Kind.SUPERVISION,
                                        starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30),
                                        team=[cls.steward], units=[cls.xishan, cls.chengguan])
        rounds.record_visit(cls.round, cls.supervisor, visited_at=timezone.now(), place="富强小区", unit=cls.xishan,
                            notes=f"走访，电话{PHONE}", photos=[photo("现场.png", seed=3)],
                            findings=[(cls.chengguan, f"地桩占道，电话{PHONE}")])
        cls.visit_photo = VisitPhoto.objects.get()
        cls.firm = enterprises.register(cls.supervisor, name="江城宏达机械", district=cls.jiangnan,
                                        contact_name=NAME, contact_phone=PHONE)
        enterprises.assign_cadre(cls.firm, cls.steward, on=today - timedelta(days=30))

    @classmethod
    def _build_reviews(cls):
        from duban.assessment.models import Scheme

        cls.indicator = Indicator.objects.create(name="固定资产投资增速", code="fai-growth", measure="%", kind="rate")
        cls.scheme = Scheme.objects.create(name="作风建设考核", red_size=1, black_size=1)
        cls.survey = Survey.objects.create(title="部门评议", audience="群众", anonymous=True,
                                           created_by=cls.supervisor)
        cls.survey.units.set([cls.chengguan])
        surveys.add_question(cls.survey, Question.Kind.SINGLE, "满意吗", choices=["满意", "不满意"])
        cls.question = cls.survey.questions.get()
        cls.choice = cls.question.choices.first()
        surveys.set_status(cls.survey, Survey.Status.OPEN)
        cls.token = surveys.invite(cls.survey, 1)[0][1]
        cls.open311_key = keys.create("FixMyStreet", Channel.objects.get(code="open311"))[1]

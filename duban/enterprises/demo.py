"""Demo enterprise service: 25 firms of 江城市, their cadres (服务大使, 项目秘书, 部门一把手联系企业),
months of 敲门行动 visits, and the requests those visits brought (审批, 用工, 融资, 用电, 物流) played
on the ledger on the fast clock: acknowledged, resolved with evidence, verified by a supervisor
who did not resolve them, closed; the recent ones still open.

The six firms the demo city already names (duban.demo.city.ENTERPRISES) keep the ambassadors it
gave them; the others get department heads, district leaders and supervisors as cadres.
"""
from datetime import datetime, time, timedelta
from io import BytesIO

from django.db import transaction
from django.utils import timezone

from duban.clock.calendar import work_calendar
from duban.demo.city import ENTERPRISES, GIVEN, SURNAMES, phone_number
from duban.demo.tickets import OFFICE_HOURS, Player, log_uniform, site_photos, within_hours
from duban.enterprises import service
from duban.enterprises.credit import CHARACTERS, check_character
from duban.enterprises.models import EnterpriseRequest, Visit
from duban.ledger.machine import perform
from duban.org.models import Person, Stewardship

# name, street (or area) code, industry, size, cadre: "city" (already given by the city), a unit code
# whose head is the cadre, "leader:<area>" (that area's leader), "supervisor:<n>", or "" (none yet).
FIRMS = [
    (ENTERPRISES[0][0], ENTERPRISES[0][1], "high_tech", "above", "city"),
    (ENTERPRISES[1][0], ENTERPRISES[1][1], "high_tech", "above", "city"),
    (ENTERPRISES[2][0], ENTERPRISES[2][1], "manufacturing", "above", "city"),
    (ENTERPRISES[3][0], ENTERPRISES[3][1], "manufacturing", "below", "city"),
    (ENTERPRISES[4][0], ENTERPRISES[4][1], "other", "small", "city"),
    (ENTERPRISES[5][0], ENTERPRISES[5][1], "manufacturing", "below", "city"),
    ("吉林化纤集团有限责任公司", "hadawan", "manufacturing", "above", "gxj"),
    ("吉林建龙钢铁有限责任公司", "beishan", "manufacturing", "above", "leader:jb"),
    ("吉林碳谷碳纤维股份有限公司", "gaoxinbei", "high_tech", "above", "leader:gx"),
    ("嘉泽新能源装备制造（双河）有限公司", "shuanghe_t", "manufacturing", "above", "leader:sh"),
    ("江城立科新材料有限公司", "yueshan", "high_tech", "above", "tc"),
    ("江城科讯信息科技有限公司", "gaoxinnan", "high_tech", "small", "gx"),
    ("江城宏达机械制造有限公司", "songjiang", "manufacturing", "below", "scjg"),
    ("江城永盛机械制造有限公司", "jiangbei_t", "manufacturing", "small", "swj"),
    ("江城北山水泥有限公司", "beishan", "manufacturing", "above", "sthj"),
    ("江城新华印务有限公司", "xinhua", "manufacturing", "below", "jn"),
    ("江城高新智能装备有限公司", "gaoxinnan", "high_tech", "below", "xzsp"),
    ("江城东亮装修工程有限公司", "zhanqian", "construction", "small", "rs"),
    ("江城兴华建筑工程有限公司", "xinhua", "construction", "above", "zj"),
    ("江城百汇商贸有限公司", "wenhua", "trade", "below", "supervisor:0"),
    ("江城明珠商贸有限公司", "yanan", "trade", "small", "sj"),
    ("江城江湾冷链物流有限公司", "shuanghe_t", "services", "below", "jt"),
    ("江城松林夜市餐饮管理有限公司", "songlin", "services", "small", ""),
    ("双河鹿乡农产品加工有限公司", "luxiang", "manufacturing", "small", ""),
    ("江城汇通物流有限公司", "dongsheng", "services", "below", ""),
]
# Firms whose first cadre was replaced some months ago (a new 服务大使 after a reshuffle).
REPLACED = {"吉林化纤集团有限责任公司": "yshj", "江城宏达机械制造有限公司": "supervisor:1",
            "江城新华印务有限公司": "tc"}
CHARGE_NOTES = {"city": "", "leader": "项目首席负责人“一对一”包保", "supervisor": "作风办督查人员联系企业",
                "head": "部门一把手联系重点企业（“四个一”工作机制）"}
STREETS = {"hadawan": "吉林大街", "beishan": "北山路", "gaoxinbei": "深圳街", "shuanghe_t": "工业园区大路",
           "yueshan": "梨树工业谷", "gaoxinnan": "硅谷大街", "songjiang": "松江东路", "jiangbei_t": "江北工业园",
           "xinhua": "新华路", "zhanqian": "站前路", "wenhua": "文化路", "yanan": "延安路", "songlin": "松林路",
           "luxiang": "鹿乡大街", "dongsheng": "东升路"}
DIVISION = {"jn": "220202", "jb": "220203", "sj": "220204", "sh": "220281", "gx": "220271"}

VISIT_KINDS = {Visit.Kind.KNOCK: 60, Visit.Kind.FORUM: 20, Visit.Kind.PHONE: 20}
VISIT_NOTES = {
    Visit.Kind.KNOCK: [
        "“敲门行动”入企走访，查看生产车间和在建项目现场，了解企业{quarter}生产经营情况，送上《惠企政策摘编》。",
        "入企走访，与企业负责人面对面交流，逐项核对前期诉求办理情况，宣讲助企纾困政策。",
        "深入企业车间和项目工地，了解订单、用工和原材料供应情况，企业生产经营总体平稳。",
        "带队“一对一”上门服务，查看新建车间进度，听取企业对营商环境的意见建议。",
    ],
    Visit.Kind.FORUM: [
        "组织召开政企座谈会，工信、人社、审批等部门参加，现场梳理企业发展难题，能现场解决的当场答复。",
        "参加企业座谈，听取企业负责人关于扩大产能、项目建设的打算，协调相关部门靠前服务。",
    ],
    Visit.Kind.PHONE: [
        "电话回访企业负责人，了解前期诉求办理情况，企业表示满意。",
        "通过“亲清政企”微信服务群和电话了解企业近况，企业反映问题“秒接秒应”。",
    ],
}
NO_NEEDS = ["企业暂无新的诉求。", "", "企业表示生产经营正常，暂无困难。"]

# topic: (unit code chosen by hand or None for the catalogue, category leaf or None, [(title, description,
# resolution)]). The catalogue sends 审批服务 to the approvals bureau, or in the zone to its committee.
REQUESTS = {
    EnterpriseRequest.Topic.APPROVAL: (None, "审批服务", [
        ("扩建项目施工许可证办理", "企业扩建项目已取得规划许可，申请施工许可证，希望实行领办、帮办、代办，压缩办理时限。",
         "行政审批服务人员上门帮办，施工许可证已核发并送达企业。"),
        ("新建车间环评批复加快办理", "新建车间计划下月开工，环评报告已编制完成，请求开辟“重大项目绿色通道”加快审批。",
         "已按“一门受理、并联审批”办理，环评批复已出具，企业按期开工。"),
        ("厂房不动产权证办理", "新建厂房已竣工验收，办理不动产权证需多个部门出具意见，企业希望“最多跑一次”。",
         "已组织联合会商一次性出具意见，不动产权证已办结。"),
    ]),
    EnterpriseRequest.Topic.LABOUR: ("rs", "就业服务", [
        ("急需招聘装卸工和熟练技工", "企业订单增加，急需装卸工20名、熟练焊工10名，街头人力市场招不到人。",
         "就业服务中心已通过“零工驿站”和线上平台发布用工信息，组织专场招聘，企业已招到28人。"),
        ("高校毕业生见习岗位对接", "企业可提供研发见习岗位15个，希望对接本地高校毕业生并了解见习补贴政策。",
         "已对接三所高校发布岗位，讲解见习补贴申领流程，首批9名毕业生已到岗。"),
    ]),
    EnterpriseRequest.Topic.FINANCE: (None, "惠企政策", [
        ("流动资金贷款对接", "原材料涨价占用资金较多，企业申请对接流动资金贷款约500万元。",
         "已组织银企对接，合作银行完成授信审批，贷款已发放。"),
        ("技术改造补助资金申报", "企业实施智能化技术改造，申请了解并申报省级技改补助资金。",
         "已指导企业完成申报材料，补助资金已列入拨付计划并告知企业。"),
    ]),
    EnterpriseRequest.Topic.POWER: ("gxj", None, [
        ("新建车间用电增容", "新建车间设备即将安装调试，现有变压器容量不足，申请用电增容。",
         "工信局运行科协调供电部门现场勘查，增容工程已完成送电。"),
        ("冬季生产用气保障", "入冬后生产用气量增加，企业担心高峰时段供气不足影响生产。",
         "已协调燃气企业制定保供方案，企业用气已纳入重点保障名单。"),
    ]),
    EnterpriseRequest.Topic.LOGISTICS: ("jt", None, [
        ("园区道路货车限行影响发货", "园区周边道路白天限行大货车，企业成品发货受阻，希望调整通行时段或办理通行证。",
         "已会同交警部门为企业办理货车通行证，明确通行路线和时段。"),
        ("冷链运输车辆通行协调", "企业冷链运输车辆进城配送受限，请求协调通行和临时停靠点。",
         "已协调设置临时停靠点并纳入城市配送车辆通行管理。"),
    ]),
}
TOPIC_WEIGHTS = {EnterpriseRequest.Topic.APPROVAL: 30, EnterpriseRequest.Topic.LABOUR: 25,
                 EnterpriseRequest.Topic.FINANCE: 20, EnterpriseRequest.Topic.POWER: 15,
                 EnterpriseRequest.Topic.LOGISTICS: 10}
VERIFY_NOTES = ["经回访企业核实，诉求已解决，企业满意。", "已电话联系企业负责人核实，办理结果属实。"]
CLOSE_NOTES = ["企业诉求已办结，予以销号。", "核查属实，销号。"]
QUARTERS = "一二三四"


def load(city, rng, now):
    """Create the firms, cadres, visits and requests; return a one-line summary."""
    with transaction.atomic():
        loader = Loader(city, rng, now)
        for spec in FIRMS:
            loader.firm(*spec)
        # Visits in time order, so the requests' ticket numbers follow time.
        for firm, person, at, asked in sorted(loader.planned, key=lambda plan: plan[2]):
            loader.visit(firm, person, at, asked)
    requests = EnterpriseRequest.objects.filter(enterprise__in=loader.firms)
    still_open = requests.exclude(ticket__state="closed").count()
    return (f"{len(loader.firms)} 家企业 firms, {loader.with_cadre} 家有包保干部 with a cadre, "
            f"{loader.visits} 次走访 visits, {requests.count()} 件诉求 requests ({still_open} 件办理中 open)")


class Loader:
    def __init__(self, city, rng, now):
        self.city, self.rng, self.now = city, rng, now
        self.calendar = work_calendar()
        self.player = Player(city, rng)
        self.photos = site_photos()
        self.registrar = next(s for s in city.supervisors if s.scope_id == city.units["city"].pk)
        self.firms, self.visits, self.with_cadre = [], 0, 0
        self.planned = []  # (firm, person, when, whether it brings requests for sure)

    # people

    def person(self, code):
        if code.startswith("leader:"):
            return Person.objects.filter(role=Person.Role.LEADER, unit=self.city.units[code[7:]]).order_by("pk").first()
        if code.startswith("supervisor:"):
            return self.city.supervisors[int(code[11:])]
        return self.city.heads[self.city.units[code].pk]

    @staticmethod
    def note(code):
        return CHARGE_NOTES[code.split(":")[0] if ":" in code else "head"]

    # a firm and its history

    def firm(self, name, street, industry, scale, cadre):
        street_unit = self.city.units[street]
        area = self.city.by_id[street_unit.ancestor_ids()[1]]
        area_code = next(code for code, unit in self.city.units.items() if unit.pk == area.pk)
        registered = self.now - timedelta(days=self.rng.randint(330, 400))
        firm = service.register(
            self.registrar, name=name, district=area, credit_code=self.credit_code(area_code) if cadre else "",
            address=f"{area.name}{street_unit.name}{STREETS.get(street, '')}{self.rng.randint(1, 999)}号",
            industry=industry, scale=scale, contact_name=self.contact(), contact_phone=phone_number(self.rng),
            at=registered)
        self.firms.append(firm)
        terms = self.cadres(firm, cadre)
        if terms:
            self.with_cadre += 1
        for person, starts, ends in terms:
            self.plan_visits(firm, person, starts, ends)

    def credit_code(self, area_code):
        body = "91" + DIVISION[area_code] + "".join(self.rng.choice(CHARACTERS[:10] + "MA") for _ in range(9))
        return body + check_character(body)

    def contact(self):
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def cadres(self, firm, code):
        """[(person, from, to or None)]: the firm's cadres over time, assigned through Stewardship."""
        today = timezone.localdate(self.now)
        if code == "city":
            charge = Stewardship.objects.active(today).get(kind=Stewardship.Kind.ENTERPRISE, subject=firm.name)
            return [(charge.person, charge.starts_on, None)]
        if not code:
            return []
        first_on = today - timedelta(days=self.rng.randint(200, 300))
        first = service.assign_cadre(firm, self.person(code), note=self.note(code), on=first_on)
        if firm.name not in REPLACED:
            return [(first.person, first_on, None)]
        second_code = REPLACED[firm.name]
        second_on = today - timedelta(days=self.rng.randint(60, 110))
        second = service.assign_cadre(firm, self.person(second_code), note=self.note(second_code), on=second_on)
        return [(first.person, first_on, second_on - timedelta(days=1)), (second.person, second_on, None)]

    def plan_visits(self, firm, person, starts, ends):
        """Visits every month or two while the person held the firm, the last few months most."""
        day = max(starts, timezone.localdate(self.now) - timedelta(days=180)) + timedelta(days=self.rng.randint(3, 20))
        last = ends or timezone.localdate(self.now)
        while day < last:
            if self.calendar.is_workday(day):
                moment = timezone.make_aware(datetime.combine(day, time(8, 30)))
                moment = within_hours(moment + timedelta(hours=self.rng.uniform(0, 8)), OFFICE_HOURS, self.rng)
                if moment < self.now - timedelta(hours=2):
                    self.planned.append((firm, person, moment, False))
            day += timedelta(days=self.rng.randint(25, 60))
        if ends is None and self.rng.random() < 0.4:  # this week's visits: their requests are still open
            moment = within_hours(self.now - timedelta(hours=self.rng.uniform(3, 24 * 9)), OFFICE_HOURS, self.rng)
            if self.calendar.is_workday(timezone.localdate(moment)) and moment < self.now - timedelta(hours=2):
                self.planned.append((firm, person, moment, True))

    def visit(self, firm, person, at, asked=False):
        kind = self.rng.choices(list(VISIT_KINDS), list(VISIT_KINDS.values()))[0]
        notes = self.rng.choice(VISIT_NOTES[kind]).format(quarter=f"{QUARTERS[(at.month - 1) // 3]}季度")
        topics = []
        if asked or self.rng.random() < 0.45:
            count = 1 if self.rng.random() < 0.75 else 2
            topics = self.rng.sample(list(TOPIC_WEIGHTS), count) if count > 1 else \
                self.rng.choices(list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values()))
        drawn = [(topic, *self.rng.choice(REQUESTS[topic][2])) for topic in topics]
        needs = "；".join(f"企业反映：{title}" for _topic, title, _d, _r in drawn) or self.rng.choice(NO_NEEDS)
        specs = [{"topic": topic, "title": title, "description": description,
                  "unit": self.city.units[REQUESTS[topic][0]] if REQUESTS[topic][0] else None,
                  "category": self.city.categories[REQUESTS[topic][1]] if REQUESTS[topic][1] else None}
                 for topic, title, description, _r in drawn]
        visit = service.record_visit(firm, cadre=person, visited_at=at, kind=kind, notes=notes, needs=needs,
                                     requests=specs, at=at + timedelta(minutes=self.rng.randint(20, 90)))
        self.visits += 1
        for row, (_topic, _title, _description, resolution) in zip(visit.requests.select_related("ticket"), drawn):
            self.play(row.ticket, resolution, steps=self.rng.randint(0, 4) if asked else 5)

    # a request's life on the ledger

    def play(self, ticket, resolution, steps=5):
        """Acknowledge, start, resolve (mostly within the three days), verify, close — the first
        `steps` of them, each after the one before, in office hours; whatever would fall after now
        is left undone."""
        self.player.handler = self.player.supervisor = None
        at = ticket.created_at
        life = [("acknowledge", (0.3, 6)), ("start", (0.5, 20)),
                ("resolve", (4, 60) if self.rng.random() < 0.8 else (60, 200)),
                ("verify", (2, 48)), ("close", (1, 24))]
        for action, gap in life[:steps]:
            at = within_hours(at + timedelta(hours=log_uniform(*gap, self.rng)), OFFICE_HOURS, self.rng)
            if at >= self.now - timedelta(minutes=10):
                return
            self.step(ticket, action, at, resolution)

    def step(self, ticket, action, at, resolution):
        if action in ("acknowledge", "start"):
            text = "已签收，马上联系企业对接。" if action == "acknowledge" else "已上门对接企业，正在协调办理。"
            perform(ticket, action, self.player.handler_of(ticket), at=at, text=text)
        elif action == "resolve":
            files = [(BytesIO(self.rng.choice(self.photos)), "办理结果.png")]
            perform(ticket, "resolve", self.player.handler_of(ticket), at=at, text=resolution, files=files)
        else:
            notes = VERIFY_NOTES if action == "verify" else CLOSE_NOTES
            perform(ticket, action, self.player.supervisor_of(ticket), at=at, text=self.rng.choice(notes))

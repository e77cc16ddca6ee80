"""Demo key projects (重点项目) in the seeds' voice: a register across the districts, each project
with its chief leader and secretary (365 service), milestones, and three to six fortnightly reviews
(双周调度) filed every 14 days through duban.projects.service — so every blocker is a real ticket,
opened when its review was filed. Most blockers were removed since (acknowledged, resolved with
evidence, verified and closed by the unit's handler and a supervisor); some are still open.

Each project follows a profile that decides its light today: on track, behind plan, a milestone
overdue, blocked, not started on time, about to start, or already in operation.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.db import transaction
from django.utils import timezone

from duban.demo.city import PROJECTS as TICKET_PROJECTS
from duban.demo.tickets import Player
from duban.ledger.machine import perform
from duban.org.models import Person
from duban.projects import service
from duban.projects.models import Blocker, Milestone, Project
from duban.projects.service import BlockerInput

K, S = Project.Kind, Project.Stage

# name, district code, kind, planned investment (万元), responsible unit code, profile, description.
# The first four are the projects the demo tickets already name as their subject (duban.demo.city).
PROJECTS = [
    (TICKET_PROJECTS[0][0], "gx", K.INDUSTRIAL, 320000, "gx", "blocked",
     "建设生物医药孵化器、中试基地和GMP标准厂房，引进医疗器械、生物材料企业20户。"),
    (TICKET_PROJECTS[1][0], "jn", K.INFRASTRUCTURE, 46000, "gr", "late",
     "改造松花江南岸老旧一次管网28公里、换热站16座，解决吉化新居等小区供热不达标问题。"),
    (TICKET_PROJECTS[2][0], "sh", K.SERVICES, 58000, "sh", "behind",
     "建设冷库10万吨、分拣加工中心和冷链配送中心，服务梅花鹿、鲜食玉米等特色农产品外销。"),
    (TICKET_PROJECTS[3][0], "jb", K.LIVELIHOOD, 12600, "zj", "on_track",
     "改造北山、龙潭等无物业老旧小区42栋，实施楼体保温、雨污分流、停车位施划和健身广场建设。"),
    ("江城碳谷年产15万吨碳纤维原丝项目", "jb", K.INDUSTRIAL, 650000, "jb", "on_track",
     "建设聚合、原液和纺丝车间，年产15万吨碳纤维原丝，分两期建设，一期建成后年产6万吨。"),
    ("松江区风电装备制造基地项目", "sj", K.INDUSTRIAL, 180000, "sj", "blocked",
     "建设风电叶片、塔筒和机舱总装生产线，达产后年产风电整机300台套。"),
    ("高新区年产3000吨医药中间体项目", "gx", K.INDUSTRIAL, 45000, "gx", "on_track",
     "建设医药中间体合成车间、甲类仓库和污水处理站，年产医药中间体3000吨。"),
    ("延安街道鹏程花园等老旧小区改造项目", "sj", K.LIVELIHOOD, 2600, "sj_fc", "operating",
     "对鹏程花园等无物业小区道路硬覆盖、楼体粉刷、清理废弃花坛，建设休闲小广场，规划停车位。"),
    ("江南区静态交通立体停车场建设项目", "jn", K.INFRASTRUCTURE, 18000, "jn_cg", "not_started",
     "在站前、新华片区建设立体停车场3处，新增停车泊位1200个，缓解停车难。"),
    ("双河县梅花鹿产业园项目", "sh", K.AGRICULTURE, 32000, "sh", "on_track",
     "建设梅花鹿标准化养殖小区、鹿产品精深加工车间和交易中心。"),
    ("江北区集中供热热源厂扩建工程", "jb", K.INFRASTRUCTURE, 65000, "gr", "behind",
     "新建2台116兆瓦热水锅炉及配套管网，新增供热面积600万平方米。"),
    ("高新区5G智慧产业园项目", "gx", K.SERVICES, 80000, "gx", "upcoming",
     "建设数据中心、软件研发楼和双创孵化空间，引进软件和信息服务企业50户。"),
    ("市民服务中心新址改造项目", "jn", K.SERVICES, 9000, "xzsp", "blocked",
     "改造市民服务中心新址，设置“怎么能办”窗口和一站式自助办理区。"),
]

MILESTONES = {
    K.INDUSTRIAL: ["完成立项备案", "取得用地批复（土地摘牌）", "取得施工许可证", "主体结构封顶", "设备安装调试",
                   "竣工投产"],
    K.INFRASTRUCTURE: ["完成可研批复", "完成施工招标", "开工建设", "主体工程完工", "竣工验收"],
    K.LIVELIHOOD: ["完成入户调查和改造方案公示", "开工", "楼体外墙保温改造完成", "管网改造完成", "竣工验收"],
    K.SERVICES: ["完成立项和规划审批", "开工建设", "主体结构封顶", "装修及设备安装", "投入运营"],
    K.AGRICULTURE: ["完成立项和用地手续", "开工建设", "养殖小区建成", "加工车间建成", "投入运营"],
}

# Which unit can remove each kind of blocker (codes of duban.demo.city), and what the secretary writes.
BLOCKER_UNITS = {"approvals": ["xzsp", "zj", "sthj"], "land": ["zrzy"], "funds": ["district", "gxj"],
                 "utilities": ["gs", "rq", "gr"], "other": ["jj", "district_cg"]}
BLOCKERS = {
    "approvals": ["施工许可证办理卡在消防设计审查环节，材料已提交20天仍未出具意见，影响主体施工。",
                  "环评批复尚未取得，请求开辟“重大项目绿色通道”并联审批。",
                  "规划许可变更需市级审批，请求领办代办，压缩办理时限。"],
    "land": ["项目二期用地尚有3户未完成征收，影响场地平整。",
             "土地摘牌手续未办结，建设用地规划许可无法办理。",
             "部分用地涉及林地调整，需自然资源部门协调报批。"],
    "funds": ["省级专项债资金尚未拨付到位，施工单位垫资压力大，存在停工风险。",
              "改造配套资金缺口800万元，需落实资金来源。",
              "企业技改补贴申报已满两个月未兑现，影响设备采购。"],
    "utilities": ["施工用水接驳需市政主管道开口，尚未排期。",
                  "天然气管道尚未接入厂区，设备调试无法进行。",
                  "热源并网需配合停热施工，施工窗口尚未确定。"],
    "other": ["施工车辆夜间进出需交通组织方案，尚未批复。",
              "施工现场周边占道经营摊点影响材料运输。"],
}
RESOLUTIONS = {
    "approvals": "已实行“一门受理、并联审批、限时办结”，相关许可已核发，批复文件附后。",
    "land": "已完成剩余征收协议签订，场地已移交施工单位，用地手续同步办结。",
    "funds": "资金已拨付到位，拨付凭证附后。",
    "utilities": "已完成接驳施工，现场已具备使用条件。",
    "other": "已制定交通组织方案并现场落实，施工运输恢复正常。",
}
SUMMARIES = [
    "本期完成投资{period}万元，累计完成投资{total}万元，形象进度{progress}%。{milestone}",
    "现场施工人员{workers}人，机械{machines}台套，本期完成投资{period}万元，累计{total}万元，形象进度{progress}%。{milestone}",
    "项目秘书本期深入现场{visits}次，协调解决施工问题；累计完成投资{total}万元，形象进度{progress}%。{milestone}",
]
PROBLEMS = ["", "", "雨季施工，需做好基坑防护和排水。", "施工人员偏紧，已协调劳务公司增派人手。",
            "部分设备到货延迟，已督促供货商加快发运。", "冬季施工期临近，需抓紧主体施工。"]
ACKNOWLEDGE_NOTES = ["已签收，明确专人领办。", "已签收，马上办。", "已签收，主要负责人牵头推进。"]
VERIFY_NOTE = "经现场核查并与项目秘书确认，堵点已消除。"
CLOSE_NOTE = "项目堵点已解决，予以销号。"

REVIEW_WEEKDAY = 4  # reviews are filed on Fridays
PROFILES_WITH_OPEN_BLOCKERS = {"blocked"}


@dataclass
class Plan:
    project: Project
    profile: str
    milestones: list  # [(Milestone, final done_on or None, final progress)]
    progress: int
    investment: Decimal
    days: list  # the days the reviews are filed for, oldest first


def load(city, rng, now):
    """Create the demo's key projects, their reviews and blockers; return a summary line."""
    if Project.objects.exists():
        return "重点项目已存在 key projects already loaded"
    today = timezone.localdate(now)
    player = Player(city, rng)  # its site photos, and its choice of a supervisor who may verify
    with transaction.atomic():
        plans = [plan_project(city, rng, today, i, row) for i, row in enumerate(PROJECTS, 1)]
        reviews = 0
        for plan in plans:
            reviews += file_reviews(city, rng, now, plan, player)
    blockers = Blocker.objects.count()
    still_open = Blocker.objects.exclude(ticket__state__in=service.DONE_STATES).count()
    return (f"{len(plans)} 个重点项目 key projects, {reviews} 次双周调度 fortnightly reviews, "
            f"{blockers} 个堵点 blockers ({still_open} 未销号 open)")


# --- the register -------------------------------------------------------------------------------

def people(city, rng, name, district, unit):
    """The chief leader and the secretary: the 365 service's people where the city has them, else
    the head of the district and the head of a department that serves the project."""
    ticket_names = [n for n, _street in TICKET_PROJECTS]
    if name in ticket_names:
        n = ticket_names.index(name) + 1
        found = {p.username: p for p in Person.objects.filter(
            username__in=[f"project_chief{n}", f"project_secretary{n}"])}
        if len(found) == 2:
            return found[f"project_chief{n}"], found[f"project_secretary{n}"]
    chief = city.heads[district.pk]
    codes = [c for c in (f"{_code(city, district)}_fc", f"{_code(city, district)}_cg", "tc", "yshj", "xzsp")
             if c in city.units and city.units[c].pk != unit.pk]
    secretary = city.heads[city.units[rng.choice(codes)].pk]
    return chief, secretary


def _code(city, unit):
    return next(code for code, u in city.units.items() if u.pk == unit.pk)


def plan_project(city, rng, today, i, row):
    name, district_code, kind, planned, unit_code, profile, description = row
    district, unit = city.units[district_code], city.units[unit_code]
    chief, secretary = people(city, rng, name, district, unit)
    starts_on, ends_on = dates(rng, today, profile)
    started_on = None
    if profile not in ("not_started", "upcoming"):
        late = profile in ("behind", "late") or rng.random() < 0.2
        started_on = starts_on + timedelta(days=rng.randint(8, 40) if late else -rng.randint(0, 5))
        started_on = min(started_on, today - timedelta(days=20))
    project = Project.objects.create(
        name=name, code=f"xm-{today.year}-{i:02d}", district=district, kind=kind, planned_investment=Decimal(planned),
        chief=chief, secretary=secretary, unit=unit, starts_on=starts_on, ends_on=ends_on, started_on=started_on,
        description=description)
    service.steward(project, on=starts_on - timedelta(days=90))
    expected = service.expected_progress(project, today)
    progress = {"on_track": expected + rng.randint(-4, 8), "behind": expected - rng.randint(16, 28),
                "late": expected - rng.randint(0, 8), "blocked": expected - rng.randint(2, 9),
                "not_started": rng.randint(4, 9), "upcoming": rng.randint(2, 6), "operating": 100}[profile]
    progress = max(1, min(progress, 100 if profile == "operating" else 97))
    share = Decimal(progress) / 100 * Decimal(str(rng.uniform(0.85, 1.05)))
    investment = min(Decimal(planned) * share, Decimal(planned)).quantize(Decimal("0.01"))
    days = review_days(rng, today, rng.randint(3, 6))
    return Plan(project, profile, milestones(project, rng, today, days[-1], profile, kind), progress, investment, days)


def dates(rng, today, profile):
    """Planned start and completion for the profile (behind-plan projects are well under way)."""
    if profile == "upcoming":
        starts_on = today + timedelta(days=rng.randint(20, 60))
    elif profile == "not_started":
        starts_on = today - timedelta(days=rng.randint(10, 30))
    elif profile == "operating":
        starts_on = today - timedelta(days=rng.randint(200, 260))
        return starts_on, today - timedelta(days=rng.randint(20, 40))
    else:
        starts_on = today - timedelta(days=rng.randint(150, 330))
    return starts_on, starts_on + timedelta(days=rng.randint(420, 720))


def milestones(project, rng, today, last_review, profile, kind):
    """The project's milestones, spread from 45 days before its start to its completion; those
    already due are done (by the latest review), except the last one due when the profile is "late"."""
    names = MILESTONES[kind]
    first = project.starts_on - timedelta(days=45)
    span = (project.ends_on - first).days
    planned = [first + timedelta(days=span * k // (len(names) - 1)) for k in range(len(names))]
    due = [k for k, day in enumerate(planned) if day < today]
    if profile == "not_started":  # its approvals are not through: the next milestone is still to come
        planned = [day if k == 0 else max(day, today + timedelta(days=10 * k)) for k, day in enumerate(planned)]
        due = [0]
    overdue = due[-1] if profile == "late" and due else None
    rows = []
    for k, (name, day) in enumerate(zip(names, planned)):
        milestone = Milestone.objects.create(project=project, name=name, order=k + 1, planned_on=day)
        if k in due and k != overdue:
            done_on = min(day + timedelta(days=rng.randint(-10, 4)), last_review)
            rows.append((milestone, done_on, 100))
        elif k == overdue or k == len(due):
            rows.append((milestone, None, rng.randint(40, 85)))
        else:
            rows.append((milestone, None, 0))
    return rows


# --- the fortnightly reviews ---------------------------------------------------------------------

def review_days(rng, today, count):
    """`count` Fridays 14 days apart, the last one at least a day ago."""
    last = today - timedelta(days=1)
    while last.weekday() != REVIEW_WEEKDAY:
        last -= timedelta(days=1)
    if rng.random() < 0.3:
        last -= timedelta(days=7)
    return [last - timedelta(days=14 * (count - 1 - j)) for j in range(count)]


def file_reviews(city, rng, now, plan, player):
    project = plan.project
    count = len(plan.days)
    previous = Decimal(0)
    for j, day in enumerate(plan.days, 1):
        at = timezone.make_aware(datetime.combine(day, time(rng.randint(14, 17), rng.randint(0, 59))))
        progress = max(1, round(plan.progress * j / count))
        total = (plan.investment * j / count).quantize(Decimal("0.01"))
        started = project.started_on is not None and project.started_on <= day
        stage = S.OPERATING if plan.profile == "operating" and j == count else (
            S.CONSTRUCTION if started else S.APPROVAL if plan.profile != "upcoming" or j > 1 else S.PLANNING)
        reported, current = milestone_report(plan, day, j, count)
        summary = rng.choice(SUMMARIES).format(
            period=total - previous, total=total, progress=progress, workers=rng.randint(40, 600),
            machines=rng.randint(5, 60), visits=rng.randint(2, 6),
            milestone=f"正在推进“{current}”。" if current else "")
        blockers = draw_blockers(city, rng, plan, j, count)
        review = service.file_review(
            project, project.secretary, period_end=day, progress=progress, investment_completed=total,
            summary=summary, problems=rng.choice(PROBLEMS), stage=stage, milestones=reported, blockers=blockers, at=at)
        for blocker in review.blockers.select_related("ticket", "unit"):
            if plan.profile not in PROFILES_WITH_OPEN_BLOCKERS or j < count - 1 and rng.random() < 0.7:
                remove(city, rng, now, blocker, player)
        previous = total
    return count


def milestone_report(plan, day, j, count):
    """What the review of `day` says of each milestone, and the name of the one under way."""
    reported, current = {}, ""
    for milestone, done_on, progress in plan.milestones:
        if done_on is not None and done_on <= day:
            reported[milestone.pk] = (100, done_on)
        elif not current:
            current = milestone.name
            share = progress if done_on is None else 95  # done later: nearly there
            reported[milestone.pk] = (min(99, round(share * j / count)), None)
        else:
            reported[milestone.pk] = (0, None)
    return reported, current


def draw_blockers(city, rng, plan, j, count):
    """The blockers a review reports: always one in a blocked project's latest review, sometimes
    one in an earlier review of any project that has started its approvals."""
    if plan.profile == "upcoming":
        return []
    if plan.profile in PROFILES_WITH_OPEN_BLOCKERS and j == count:
        n = 2 if rng.random() < 0.3 else 1
    else:
        n = 1 if j < count and rng.random() < 0.3 else 0
    return [blocker_input(city, rng, plan.project) for _ in range(n)]


def blocker_input(city, rng, project):
    kind = rng.choice(list(BLOCKERS))
    code = rng.choice(BLOCKER_UNITS[kind])
    district = _code(city, project.district)
    code = {"district": district, "district_cg": f"{district}_cg"}.get(code, code)
    return BlockerInput(kind, city.units[code], rng.choice(BLOCKERS[kind]))


# --- removing a blocker -----------------------------------------------------------------------------

def remove(city, rng, now, blocker, player):
    """The unit acknowledges, works on and resolves the blocker with evidence; a supervisor outside it
    verifies and closes it. Steps that would fall after `now` are left undone."""
    ticket, lead = blocker.ticket, blocker.unit
    handler = rng.choice(city.handlers[lead.pk])
    at = ticket.updated_at
    steps = [("acknowledge", timedelta(hours=rng.uniform(1, 20))), ("start", timedelta(hours=rng.uniform(1, 24))),
             ("resolve", timedelta(days=rng.uniform(1, 7))), ("verify", timedelta(hours=rng.uniform(2, 40))),
             ("close", timedelta(hours=rng.uniform(1, 20)))]
    supervisor = None
    for action, gap in steps:
        at += gap
        if at >= now - timedelta(minutes=10):
            return
        if action in ("verify", "close"):
            supervisor = supervisor or player.supervisor_of(ticket)
            text = VERIFY_NOTE if action == "verify" else CLOSE_NOTE
            perform(ticket, action, supervisor, at=at, text=text)
        elif action == "resolve":
            files = [(BytesIO(rng.choice(player.photos)), "批复及现场照片.png")]
            perform(ticket, action, handler, at=at, text=RESOLUTIONS[blocker.kind], files=files)
        else:
            perform(ticket, action, handler, at=at, text=rng.choice(ACKNOWLEDGE_NOTES) if action == "acknowledge"
                    else "")

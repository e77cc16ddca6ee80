"""Demo inspection rounds in the seeds' voice, recorded visit by visit through rounds.record_visit
(each finding opened on the ledger at the visit's time) and then worked through perform() by the
unit's handlers and a supervisor over the unit, never into the future:

- 纪律作风提升督导检查: 11 督导检查组 over streets, towns and city departments (长清: 10 街镇,
  62 部门, 119 问题, 113 条建议), mostly fixed and closed, a few still overdue;
- 软环境暗访: the 暗访小分队 in the windows of the departments (顺藤摸瓜访, 乔装打扮访);
- 项目建设暨作风建设踏查: the key projects' sites (吉林 踏查机制);
- 徒步走城区: the district's leaders on foot at six in the morning, 立行立改 (鸡西 2,380 problems);
- 万人助万企“敲门行动”: the service ambassadors at the enterprises' doors.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO

from django.utils import timezone

from duban.clock.calendar import work_calendar
from duban.demo.city import ENTERPRISES, PROJECTS
from duban.demo.tickets import OFFICE_HOURS, Player, log_uniform, within_hours
from duban.inspections import rounds
from duban.inspections.models import Finding, Round
from duban.ledger.machine import perform
from duban.org.models import Person

K = Round.Kind


@dataclass
class Plan:
    """A round to record: who, over when (days before now), where, and its visits."""

    name: str
    kind: str
    description: str
    lead: str  # username
    team: list  # usernames
    units: list  # unit codes
    targets: list
    days: tuple  # (first, last) days before now; a negative last day is still to come
    workdays: int = 10
    hours: tuple = OFFICE_HOURS  # when its visits happen
    quick: float = 0.1  # share of findings fixed the same day (立行立改)
    visits: list = field(default_factory=list)  # (place, unit code, notes, findings, suggestions)


# A finding: (unit code, what was found, how it was fixed). A suggestion: (unit code or None, text).
SUPERVISION_VISITS = [
    ("文化街道便民服务中心", "wenhua", "听取街道作风提升工作汇报，查阅问题台账，现场抽查窗口服务。", [
        ("wenhua", "便民服务中心窗口未公示办事流程和一次性告知清单，群众“进错门”“来回跑”。",
         "已按职责分工制作指引牌，办事流程、服务事项、责任人员、联系方式全部上墙上网。"),
        ("wenhua", "问题台账更新不及时，3件12345热线转办件超期未反馈办理结果。",
         "已逐件核实办理并反馈群众，建立台账周调度、销号管理制度。"),
    ], [("wenhua", "建议建立问题台账销号管理、整改情况及时通报制度。")]),
    ("市行政审批局政务服务大厅", "xzsp", "随机旁听窗口办件，调阅“好差评”记录。", [
        ("xzsp", "个别窗口工作人员上班时间玩手机，群众等候时间长。",
         "已对相关人员批评教育，严格执行首问负责、限时办结制度，科室负责人每日巡查在岗情况。"),
        ("xzsp", "“好差评”评价器未全部启用，2条差评未按要求回访整改。",
         "评价器已全部启用，2条差评已回访群众并整改到位。"),
    ], [("xzsp", "建议推行“多诺合一”，整合告知承诺制事项，一标核准即办成。")]),
    ("市人力资源和社会保障局社保服务窗口", "rs", "查看窗口服务规范执行情况。", [
        ("rs", "窗口对材料不全的群众只说“不行”，未提供帮办代办服务。",
         "已设立“办不成事”反映窗口，对材料不全的实行帮办代办，一次性告知所需材料。"),
    ], [("rs", "建议以窗口单位练兵比武为契机，开展“日日学”“周周练”“月月比”。")]),
    ("新华街道吉化社区", "xinhua", "入户走访群众，核查热线诉求办理情况。", [
        ("xinhua", "社区“红色驿站”便民服务台账记录不全，群众反映的问题去向不明。",
         "已完善驿站收集本和办理台账，群众反映问题逐件登记、限时反馈。"),
        ("rq", "吉化新居附近农贸市场燃气管线被包埋，整改进度滞后。",
         "已协调业主将燃气管线由室内移至室外，施工完毕，消除安全隐患。"),
    ], [(None, "建议变“被动听意见”为“主动找问题”，部门下沉街镇、干部下沉到村、工作下沉到一线。")]),
    ("市城市管理行政执法局执法大队", "cg", "抽查执法案卷，查看执法记录仪使用情况。", [
        ("cg", "执法记录仪未按规定佩戴使用，部分执法文书填写不规范。",
         "已组织执法人员专题培训，执法记录仪全程佩戴，案卷逐卷复查整改。"),
    ], [("cg", "建议对静态交通综合整治中清理的僵尸车、地桩地锁建立销号台账。")]),
    ("市市场监督管理局", "scjg", "听取涉企检查情况汇报，调阅检查记录。", [
        ("scjg", "涉企检查未严格执行“双随机、一公开”，同一企业一个月内被重复检查3次。",
         "已清理涉企检查计划，合并同类检查事项，严格执行“双随机、一公开”。"),
    ], [("scjg", "建议建立涉企检查备案和“扫码入企”制度。")]),
    ("太平镇便民服务中心", "taiping", "暗查村级便民服务站值守情况。", [
        ("taiping", "新立村便民服务站无人值守，群众办事找不到人。",
         "已落实村干部轮流坐班制度，公示值班电话，服务站工作日全天有人值守。"),
        ("nync", "永丰村边沟垃圾未清理，农村人居环境整治“回头看”不到位。",
         "已组织清理边沟垃圾12车，建立村屯保洁员日常巡查制度。"),
    ], [("taiping", "建议将村级便民服务站值守情况纳入镇考核。")]),
    ("市医疗保障局医保服务大厅", "yb", "现场体验医保报销办理流程。", [
        ("yb", "医保报销窗口排队时间长，自助服务机故障两周未报修。",
         "自助服务机已修复，高峰时段增开两个窗口，推行网上报销。"),
    ], [("yb", "建议公布医保报销办理时限和进度查询方式。")]),
    ("市供热集团客服中心", "gr", "调阅供热投诉记录，随机回访投诉群众。", [
        ("gr", "部分供热投诉未联系群众即填报办结，回访不到位。",
         "已对涉及投诉逐件重新回访，室温不达标的已上门处理，建立投诉办结回访复核制度。"),
    ], [("gr", "建议对供热投诉实行“办结必回访、不满意必重办”。")]),
    ("东升街道朝阳社区", "dongsheng", "走访社区，核查诉求办理“满意率”统计。", [
        ("dongsheng", "街道12345热线诉求办结后未回访，满意率统计口径不实。",
         "已按回访结果重新统计满意率，未回访的件逐件补充回访。"),
    ], [("dongsheng", "建议整改情况及时通报，办事全流程公开。")]),
    ("市住房和城乡建设局", "zj", "查看老旧小区改造项目推进情况。", [
        ("zj", "江北区老旧小区改造（一期）项目施工围挡破损，存在安全隐患。",
         "已督促施工单位更换围挡并设置警示标志，每日巡查。"),
    ], [("zj", "建议老旧小区改造实行“一个项目、一名领导、一个专班、一抓到底”。")]),
    ("北山街道龙潭社区", "beishan", "入户走访，查看问题整改台账。", [
        ("beishan", "问题整改台账中4个问题无整改时限和责任人。",
         "已逐项明确整改措施、责任人和时限，由包保领导跟踪督办。"),
    ], [("beishan", "建议短期内无法解决的问题建立整改台账，由包保领导跟踪督办。")]),
]

MYSTERY_VISITS = [
    ("市政务服务中心不动产登记窗口", "xzsp", "乔装打扮访：以办事群众身份排队办理不动产登记。", [
        ("zrzy", "窗口以“系统故障”为由让群众改日再来，未做登记、未告知办理时间。",
         "已核实系统当日运行正常，对当事人通报批评，推行“首问负责”和“限时办结”。"),
    ], [("zrzy", "建议对窗口推诿扯皮问题设立投诉电话并公开。")]),
    ("市交通运输局公交客服热线", "jt", "顺藤摸瓜访：拨打客服热线反映公交线路问题。", [
        ("jt", "热线三次拨打无人接听，反映的公交晚点问题无人登记。",
         "已调整热线值守排班，接听率纳入科室考核，反映问题已答复。"),
    ], []),
    ("市卫生健康委员会", "wj", "进机关、查科室，访纪律作风。", [
        ("wj", "工作日9时30分，医政科室两名工作人员未到岗。",
         "已对迟到人员批评教育并通报，建立上下班签到制度。"),
    ], [("wj", "建议开展大型医院巡查，整治医疗卫生行风问题。")]),
    ("江南区站前街道社区服务站", "zhanqian", "茶余饭后访：与居民闲谈了解社区服务情况。", [
        ("zhanqian", "居民反映社区开具证明需往返多次，服务站午休时间无人接待。",
         "已实行午间轮班和“一次办好”清单，证明事项当场办结。"),
    ], []),
    ("松江区延安街道", "yanan", "抽件回头访：抽取街道已办结热线件回访群众。", [
        ("yanan", "抽取的10件已办结热线件中，2件群众表示问题未解决。",
         "2件已重新办理并回访，群众表示满意。"),
    ], [("yanan", "建议对已办结件开展抽件回访，防止“办而未结”。")]),
    ("市商务局", "swj", "进机关、查科室，访纪律作风。", [], []),
]

PROJECT_FINDINGS = [
    ("xzsp", "项目施工许可审批超出承诺时限，企业反映为补充材料跑了4次。",
     "已启用并联审批，施工许可证已核发，实行项目秘书帮办代办。"),
    ("zj", "项目周边道路破损，施工车辆通行困难。", "已完成破损路面修补，设置临时通行便道。"),
    ("sthj", "施工扬尘防治措施不到位，裸露土方未全部覆盖。", "已督促施工单位覆盖裸土、增设喷淋设施。"),
    ("jj", "项目占道施工未设置交通疏导标志，早晚高峰拥堵。", "已设置交通疏导标志，早晚高峰安排警力疏导。"),
    ("zrzy", "项目部分用地手续尚未办结，影响二期开工。", "已开辟绿色通道，用地手续办理完毕。"),
    ("gxj", "企业反映项目配套用电增容迟迟未落实。", "已协调供电企业完成增容方案并组织施工。"),
]
PROJECT_SUGGESTIONS = [
    (None, "建议坚持“一个项目、一名区领导、一个专班、一抓到底”工作机制，确保项目有序推进。"),
    ("xzsp", "建议推行“多诺合一2.0”，企业写一份承诺即可申领各单位意见。"),
    (None, "建议实行项目建设双周调度，为项目进度拉清单、上大榜。"),
]

WALK_VISITS = [
    ("西山街道富强社区富强小区", "xishan", "6时许，与遛弯的周大爷交谈，现场查找渗水原因。", [
        ("jn_fc", "富强小区3号楼外墙渗水，居民向物业反映多次一直未解决，雨季将至。",
         "随行区房产服务中心与物业经理当天查明渗水根源，外墙修补完毕，居民满意。"),
    ], []),
    ("富强小区通往腾飞社区的台阶", "xishan", "步行巡查背街小巷。", [
        ("jn_cg", "台阶两侧残留垃圾较多，长期无人清理。",
         "已协调园林、住建、环卫等部门建立日常联席会议监管机制，出动车辆清理完毕。"),
    ], [(None, "建议与社区、物业联动，建立背街小巷日常保洁巡查机制。")]),
    ("西山社区西山小区东门", "xishan", "查看小区出入口和消防通道。", [
        ("jn_cg", "小区门口地桩地锁占用消防通道。", "已清除地桩地锁7处，施划停车泊位。"),
        ("jj", "小区门口一辆白色轿车停放半年未动，疑似僵尸车。", "已联系车主将车辆拖离。"),
    ], []),
    ("文化街道文化路与柳浪街交汇处", "wenhua", "查看城市森林公园周边环境。", [
        ("yl", "城市森林公园步道旁树木枝杈遮挡路灯，夜间照明不足。", "已修剪遮挡枝杈，恢复照明。"),
    ], []),
    ("文化街道明珠社区明珠小区", "wenhua", "入户走访，听取居民意见。", [
        ("jn_fc", "明珠小区12号楼单元门损坏，物业迟迟不修。", "已督促物业更换单元门。"),
        ("zj", "小区内道路破损积水，老人出行不便。", "已列入老旧小区改造计划，破损路面先行修补。"),
    ], [("jn_fc", "建议将物业服务问题纳入物业企业信用评价。")]),
    ("新华街道江湾社区", "xinhua", "步行巡查沿江步道。", [
        ("hw", "沿江步道垃圾桶满溢，周边有散落垃圾。", "已增加清运频次，每日早晚两次清运。"),
    ], []),
    ("站前街道东站社区", "zhanqian", "查看火车站周边秩序。", [
        ("jn_cg", "东站广场周边占道经营，早市散摊堵塞人行道。", "已划定临时疏导点，引导摊贩入市经营。"),
        ("jj", "站前路信号灯故障，行人过街困难。", ""),
    ], []),
    ("西山街道腾飞社区", "xishan", "回头看：复查此前发现问题整改情况。", [
        ("jn_fc", "腾飞小区楼道墙皮脱落，存在安全隐患。", ""),
    ], [("xishan", "建议对“徒步走城区”发现问题实行清单管理、对账销号。")]),
    ("新华街道红旗社区", "xinhua", "走访老旧小区。", [
        ("zj", "红旗小区雨水管网堵塞，雨后积水严重。", ""),
        ("sthj", "小区临街烧烤店油烟直排，居民反映强烈。", ""),
    ], []),
]

DOOR_VISITS = [
    ("hw", "企业门前道路环卫保洁不到位。", "已纳入环卫日常保洁范围。"),
    ("yshj", "企业反映惠企政策兑现慢，申报材料需重复提交。", "已实行惠企政策“免申即享”，材料一次提交、部门共享。"),
    ("rs", "企业一线用工缺口30人，招工难。", "已通过零工驿站和“入企探岗”发布用工信息，帮助招聘28人。"),
    ("zj", "厂区门前道路破损，货车通行困难。", "已修复破损路面。"),
    ("sthj", "企业排污许可变更等待超过20个工作日。", "已开辟绿色通道，排污许可变更已办结。"),
]


def plans(today):
    year = today.year
    projects = [name for name, _street in PROJECTS]
    project_visits = [(f"{name}施工现场", street, "现场查看形象进度，听取项目秘书汇报，召开现场会商。",
                       [PROJECT_FINDINGS[i % len(PROJECT_FINDINGS)], PROJECT_FINDINGS[(i + 3) % len(PROJECT_FINDINGS)]],
                       [PROJECT_SUGGESTIONS[i % len(PROJECT_SUGGESTIONS)]])
                      for i, (name, street) in enumerate(PROJECTS)]
    door_visits = [(name, street, "服务大使上门走访，听取企业诉求，宣讲惠企政策。",
                    [DOOR_VISITS[i % len(DOOR_VISITS)]],
                    [("yshj", "建议将企业反映集中的问题纳入营商环境专项整治。")] if i % 2 else [])
                   for i, (name, street) in enumerate(ENTERPRISES)]
    return [
        Plan(f"{year}年纪律作风提升督导检查", K.SUPERVISION,
             "市纪委监委专门制定督导检查方案，成立由各派驻纪检监察组和纪检监察室为主体的11个督导检查组，"
             "明确督导检查时间、内容、方式、要求，对各街镇和市直部门纪律作风提升情况进行督导检查。"
             "发现的问题建立台账、销号管理，整改情况及时通报。",
             "supervisor_zfb1", ["supervisor_zfb1", "supervisor_zfb2", "supervisor_dcs1", "supervisor_dcs2",
                                 "supervisor_jn", "supervisor_jb", "supervisor_sj", "supervisor_sh", "supervisor_gx"],
             ["wenhua", "xinhua", "dongsheng", "beishan", "taiping", "xishan", "songlin", "yanan", "qijia",
              "gaoxinnan", "xzsp", "rs", "cg", "scjg", "yb", "gr", "zj", "rq", "nync", "jy", "wj", "jt"],
             [], (112, 78), visits=SUPERVISION_VISITS),
        Plan(f"{year}年软环境建设暗访", K.MYSTERY,
             "聘请作风正派、责任意识强的二线干部、转业军人、退休教师组成暗访小分队，进机关、查科室，访纪律作风；"
             "走街道、去社区，访民生民意。采取“顺藤摸瓜访”“茶余饭后访”“乔装打扮访”“抽件回头访”等方式，"
             "真实、及时、准确掌握机关作风建设中的各类问题。",
             "supervisor_dcs1", ["supervisor_dcs1", "supervisor_dcs2"],
             ["xzsp", "jt", "wj", "zhanqian", "yanan", "swj", "zrzy"], [], (70, 46), visits=MYSTERY_VISITS),
        Plan(f"{year}年项目建设暨作风建设踏查", K.SITE_TOUR,
             "建立项目暨作风建设踏查机制，逐个踏查重点项目现场，查看形象进度，现场解决项目推进中的审批、"
             "用地、配套等难题，以作风建设促担当、促发展。",
             "supervisor_zfb2", ["supervisor_zfb2", "project_chief1", "project_chief2", "project_chief3",
                                 "project_chief4"],
             [], projects, (40, 31), visits=project_visits),
        Plan("江南区“徒步走城区”", K.WALK,
             "区委书记带领包片处级领导、相关职能部门负责人、街道社区工作人员“徒步走城区”，"
             "对发现的问题现场落实责任，要求责任单位立行立改；短期内无法解决的，建立问题整改台账，"
             "由包保的处级领导跟踪督办。",
             "leader_jn", ["leader_jn", "supervisor_jn", "cadre1", "cadre2"],
             ["xishan", "wenhua", "xinhua", "zhanqian"], ["富强小区", "城市森林公园", "东站广场"], (45, -45),
             workdays=5, hours=(6, 8), quick=0.45, visits=WALK_VISITS),
        Plan("万人助万企“敲门行动”", K.DOOR_TO_DOOR,
             "服务大使“一对一”上门走访包保企业，把“敲门行动”走深走实，企业诉求逐件建立台账、限时办结，"
             "确保企业放心投资、专心经营、安心发展。",
             "ambassador1", ["ambassador1", "ambassador2", "supervisor_gx"],
             ["yshj", "gx"], [name for name, _street in ENTERPRISES], (24, -6), visits=door_visits),
    ]


# --- recording -------------------------------------------------------------------------------

def load(city, rng, now):
    """Create the rounds, their visits, findings and suggestions (those not there yet); return a summary."""
    player = Player(city, rng)
    player.handler = player.supervisor = None
    planned = [plan for plan in plans(timezone.localdate(now)) if not Round.objects.filter(name=plan.name).exists()]
    people = {p.username: p for p in Person.objects.filter(username__in={
        name for plan in planned for name in [plan.lead, *plan.team]})}
    made = [record(plan, city, people, player, rng, now) for plan in planned]
    findings = Finding.objects.filter(visit__round__in=made)
    fixed = findings.filter(ticket__state__in=rounds.FIXED_STATES).count()
    visits = sum(r.visits.count() for r in made)
    suggestions = sum(r.suggestions.count() for r in made)
    return (f"{len(made)} 轮督查检查 inspection rounds, {visits} 次走访 visits, {findings.count()} 个问题 findings "
            f"({fixed} 已整改 fixed), {suggestions} 条建议 suggestions")


def record(plan, city, people, player, rng, now):
    today = timezone.localdate(now)
    first, last = plan.days
    members = [people[name] for name in plan.team]
    creator = next(p for p in members if p.role == Person.Role.SUPERVISOR)
    round_ = rounds.create_round(
        creator, name=plan.name, kind=plan.kind,
        starts_on=today - timedelta(days=first), ends_on=today - timedelta(days=last), lead=people[plan.lead],
        team=members, units=[city.units[code] for code in plan.units],
        targets=plan.targets, description=plan.description, finding_workdays=plan.workdays,
        at=now - timedelta(days=first + 3))
    moments = visit_times(len(plan.visits), first, max(last, 0), plan.hours, work_calendar(), rng, now)
    for moment, (place, unit_code, notes, findings, suggestions) in zip(moments, plan.visits):
        person = rng.choice(members)
        if plan.kind == K.SUPERVISION:
            notes = f"第{rng.randint(1, 11)}督导检查组：{notes}"
        photos = [(BytesIO(rng.choice(player.photos)), f"现场照片{i}.png") for i in range(1, rng.randint(1, 3) + 1)]
        visit = rounds.record_visit(
            round_, person, visited_at=moment, place=place, unit=city.units[unit_code], notes=notes,
            photos=photos if findings or rng.random() < 0.5 else [],
            findings=[(city.units[code], text) for code, text, _fix in findings],
            suggestions=[(city.units[code] if code else None, text) for code, text in suggestions], at=moment)
        for finding, (_code, _text, fix) in zip(visit.findings.select_related("ticket"), findings):
            work_on(finding.ticket, fix, plan, player, rng, now)
    return round_


def visit_times(count, first, last, hours, calendar, rng, now):
    """`count` moments on working days from `first` to `last` days before now, in order, within `hours`."""
    today = timezone.localdate(now)
    days = [today - timedelta(days=d) for d in range(first, last - 1, -1)]
    days = [d for d in days if calendar.is_workday(d)] or days
    chosen = sorted(rng.choice(days) for _ in range(count))
    moments = []
    for day in chosen:
        local = timezone.make_aware(datetime(day.year, day.month, day.day, hours[0]))
        moment = local + timedelta(minutes=rng.uniform(0, (hours[1] - hours[0]) * 60))
        moments.append(min(moment, now - timedelta(hours=rng.uniform(2, 6))))
    return sorted(moments)


def work_on(ticket, fix, plan, player, rng, now):
    """The unit works on the finding: acknowledged, started, fixed with a photo (立行立改 the same day
    for some), verified and closed by a supervisor over it; each step only when its time has come."""
    quick = bool(fix) and rng.random() < plan.quick
    moment = ticket.updated_at
    steps = ["acknowledge", "start"] + (["resolve", "verify", "close"] if fix and rng.random() < 0.9 else [])
    for action in steps:
        if action == "resolve":
            gap = timedelta(hours=rng.uniform(1, 6)) if quick else timedelta(days=log_uniform(1, 16, rng))
        elif action in ("verify", "close"):
            gap = timedelta(hours=log_uniform(2, 60, rng))
        else:
            gap = timedelta(hours=log_uniform(0.2, 2 if quick else 20, rng))
        moment = within_hours(moment + gap, OFFICE_HOURS, rng) if not quick else moment + gap
        if moment > now - timedelta(minutes=10):
            return
        if action == "acknowledge":
            perform(ticket, "acknowledge", player.handler_of(ticket), at=moment, text="已签收，立行立改。")
        elif action == "start":
            perform(ticket, "start", player.handler_of(ticket), at=moment, text="已安排专人到现场核实整改。")
        elif action == "resolve":
            photo = (BytesIO(rng.choice(player.photos)), "整改后.png")
            perform(ticket, "resolve", player.handler_of(ticket), at=moment, text=fix, files=[photo])
        elif action == "verify":
            perform(ticket, "verify", player.supervisor_of(ticket), at=moment, text="经现场复核，整改到位。")
        else:
            perform(ticket, "close", player.supervisor_of(ticket), at=moment, text="整改到位，予以销号。")

"""Demo campaigns and pledges, in the seeds' words: the city-wide programme of special campaigns
(吉林市 69 项专项整治: 静态交通综合整治 — 僵尸车330台次, 地桩地锁2007处, 违停24800余台次, 新施划停车
泊位4100余个; 校外培训机构; 医疗乱象 29条行风问题, 666例投诉; 燃气管线包埋隐患 …) with the demo
tickets of their categories linked and tasks whose reports add up to the seeds' figures; and a
list of 惠民实事 (长春 80 项, 吉林 10 个方面 83 项重点任务) with owners, deadlines and progress, a
few completed through the ledger with evidence, one or two overdue.

Everything goes through the service and the ledger (open_for, perform), dated in the past, each
step after the one before, never after `now`.
"""
import math
from datetime import date, timedelta
from io import BytesIO

from django.db import transaction
from django.utils import timezone

from duban.campaigns import service
from duban.campaigns.models import Campaign, CampaignTicket, PledgeList, Programme, Target
from duban.clock.calendar import loaded_range
from duban.demo import texts
from duban.demo.tickets import site_photos
from duban.ledger.machine import perform
from duban.ledger.models import Ticket

PROGRAMME = ("{year}年作风建设年专项整治",
             "聚焦庸、散、怕、浮、奢作风问题大排查，针对教育惠民、公共安全、交通出行、卫生健康、社会保障等具有全局性、"
             "普遍性的突出问题开展专项整治，分别制定方案，实行清单式管理、项目化推进；市委作风建设年工作专班每月调度，"
             "对整治不力、群众反响强烈的地区和部门，呈报市委、市政府约谈。")

# A campaign: name, goal, lead unit code, co-unit codes, categories (leaf names), its targets
# counted from reports — (name, measure, goal, what the tasks reach in all, [(unit code, task)],
# report note) — and the name of the target counting its linked tickets closed.
CAMPAIGNS = [
    ("静态交通综合整治行动",
     "针对群众反映强烈的停车难、停车乱问题，市城管、交管部门联合行动，在主要城区开展静态交通综合治理：清理各类僵尸车，"
     "清除私设地桩、地锁，查处违停车辆，在主次街路、巷道胡同、老旧小区内新施划停车泊位。",
     "cg", ["jj", "jn_cg", "jb_cg", "sj_cg"], ["停车难", "僵尸车", "地桩地锁"], [
         ("清理各类僵尸车", "台次", 300, 330, [("jj", "清理城区主次干道僵尸车"), ("cg", "联合清理小区及背街小巷僵尸车")],
          "在{road}、{xq}周边集中清理僵尸车{q}台次，无法联系车主的张贴告知书后依法拖移。"),
         ("清除地桩、地锁", "处", 2000, 2007, [("jn_cg", "清除江南区私设地桩地锁"), ("jb_cg", "清除江北区私设地桩地锁"),
                                            ("sj_cg", "清除松江区私设地桩地锁")],
          "执法人员在{xq}、{road}沿线拆除私设地桩、地锁{q}处，恢复公共停车区域。"),
         ("查处违停车辆", "台次", 24000, 24800, [("jj", "查处主次干道违停车辆")],
          "在{road}、{market}周边开展违停集中整治，查处违停车辆{q}台次。"),
         ("新施划停车泊位", "个", 4000, 4100, [("cg", "主次街路新施划停车泊位"), ("jn_cg", "老旧小区、巷道胡同施划泊位"),
                                         ("jb_cg", "老旧小区、巷道胡同施划泊位")],
          "在{road}及{xq}内新施划停车泊位{q}个。"),
     ], "办结群众停车诉求"),
    ("燃气管线包埋隐患专项整治",
     "针对农贸市场、老旧小区燃气管线被违规包埋、立管锈蚀等安全隐患，住建部门组织燃气企业逐户排查，业主不愿搬迁的多次协调，"
     "将包埋管线由室内移至室外，消除安全隐患。",
     "zj", ["rq", "yj"], ["燃气管线隐患"], [
         ("整改包埋燃气管线", "处", 120, 118, [("rq", "排查整改农贸市场、商铺包埋燃气管线")],
          "在{market}等处整改包埋燃气管线{q}处，管线已由室内移至室外。"),
         ("入户燃气安全检查", "户", 50000, 47600, [("rq", "老旧小区入户燃气安全检查")],
          "完成{xq}等小区入户安全检查{q}户，更换老化胶管和锈蚀阀门。"),
     ], "办结燃气隐患诉求"),
    ("校外培训机构专项整治",
     "集中力量开展校外培训机构两项整治，重点治理不规范办学内容、不规范聘用教师、不安全办学、不规范招生宣传、不规范收退费"
     "五项不规范办学行为，严肃查处非法办学，对利用不公平格式条款侵害消费者利益的行为开展专项整治。",
     "jy", ["scjg"], ["校外培训"], [
         ("排查校外培训机构", "家", 600, 586, [("jy", "全面排查校外培训机构办学行为")],
          "排查{school}等校外培训机构{q}家，逐一建立问题清单。"),
         ("查处非法违规办学", "家", 40, 43, [("jy", "查处无证无照、违规办学机构")],
          "会同属地街道查处{school}等非法违规办学{q}家，已责令停止办学并督促退费。"),
         ("整治不公平格式条款", "起", 30, 27, [("scjg", "整治培训合同不公平格式条款")],
          "检查培训合同，纠正不公平格式条款{q}起。"),
     ], "办结校外培训举报"),
    ("医疗乱象专项整治",
     "落实医疗卫生行风建设“九不准”，建立由市卫生健康委牵头的医疗乱象专项整治联席会议制度，开展全市大型医院巡查，"
     "对发现的行风问题限时整改；规范二级以上医疗机构投诉管理，减少患者投诉处理等待时间。",
     "wj", ["yb", "scjg"], ["就医投诉", "医保报销"], [
         ("巡查大型医院", "家", 12, 12, [("wj", "开展全市大型医院巡查")],
          "完成对{hospital}等{q}家医院的行风巡查。"),
         ("行风问题限时整改", "条", 29, 29, [("wj", "巡查发现的行风问题限时整改")],
          "{hospital}等单位完成行风问题整改{q}条，已逐条销号。"),
         ("接待办结患者投诉", "例", 666, 666, [("wj", "二级以上医疗机构投诉接待办结")],
          "各医疗机构医患关系办公室接待办结患者投诉{q}例。"),
     ], "办结就医投诉"),
    ("老旧小区改造提升",
     "实施老旧小区改造，同步改造楼体、管网、道路和停车设施，新建改造老旧管网，让群众的幸福感、满足感成色更足。",
     "zj", ["fc", "gs"], ["老旧小区改造", "外墙渗水"], [
         ("改造老旧小区", "个", 126, 104, [("zj", "推进老旧小区改造工程")],
          "{xq}等{q}个小区改造完工，楼体粉刷一新，道路硬覆盖。"),
         ("改造居民楼", "栋", 432, 371, [("zj", "居民楼外墙保温和屋面防水改造"), ("fc", "居民楼楼道和单元门改造")],
          "完成{xq}等居民楼改造{q}栋。"),
         ("新建改造老旧管网", "公里", 268, 231, [("gs", "新建改造老旧供水管网")],
          "沿{road}新建改造老旧管网{q}公里。"),
     ], "办结住房诉求"),
    ("城区环境卫生集中整治",
     "推行“徒步走城区”工作法，区处级领导带领职能部门和社区工作者走街串巷，对发现的卫生死角、占道经营问题现场落实责任、"
     "立行立改，短期内无法解决的建立问题整改台账，由包保领导跟踪督办。",
     "hw", ["jn_cg", "jb_cg", "sj_cg"], ["垃圾清理", "占道经营"], [
         ("清理卫生死角", "处", 2000, 2380, [("jn_cg", "江南区卫生死角清理"), ("jb_cg", "江北区卫生死角清理"),
                                          ("sj_cg", "松江区卫生死角清理")],
          "出动车辆清理{xq}、{road}沿线卫生死角{q}处。"),
         ("规范占道经营", "处", 500, 462, [("cg", "规范早市夜市占道经营")],
          "在{market}周边规范占道经营{q}处，设置疏导区。"),
     ], "办结环境卫生诉求"),
    ("冬季供热质量专项整治",
     "围绕群众“温暖过冬”，排查老旧供热管网和换热站，入户测温，对室温不达标的限时整改，供热诉求快接快办。",
     "gr", ["zj"], ["供热不达标"], [
         ("改造老旧供热管网", "公里", 60, 52, [("gr", "改造老旧供热管网")],
          "完成{road}段老旧供热管网改造{q}公里。"),
         ("入户测温", "户", 20000, 18400, [("gr", "重点小区入户测温")],
          "在{xq}等小区入户测温{q}户，室温不达标的已排气清洗。"),
     ], "办结供热诉求"),
    ("根治拖欠农民工工资专项行动",
     "对在建工程项目逐一排查工资支付情况，畅通12345热线等维权渠道，欠薪问题快查快处，确保农民工工资按时足额支付。",
     "rs", [], ["拖欠工资"], [
         ("为劳动者追回欠薪", "万元", 3000, 2860, [("rs", "在建工程项目欠薪排查清欠")],
          "协调{company}等用人单位支付拖欠工资{q}万元。"),
         ("排查在建工程项目", "个", 300, 312, [("rs", "在建工程项目工资支付情况排查")],
          "排查在建工程项目{q}个，督促落实农民工工资专用账户。"),
     ], "办结欠薪诉求"),
]

TASK_NOTES = ["已签收，马上办。", "已签收，已制定工作方案，明确责任人和时间节点。", "已签收，立即组织力量推进。"]
TASK_RESOLUTIONS = ["任务已全部完成，工作台账和现场照片附后，请核查。", "已按方案完成整治任务，佐证材料附后。"]
VERIFY_NOTES = ["经核查，任务完成，佐证材料齐全。", "已现场抽查，整治到位。"]
CLOSE_NOTES = ["核查通过，予以销号。", "经核查完成，销号。"]

# 惠民实事: (area of work, title, target, owner unit code, amount for the progress text, progress text)
PLEDGES = [
    ("就业创业", "城镇新增就业1.2万人", "全年城镇新增就业1.2万人，城镇登记失业率控制在4%以内。", "rs", 12000,
     "截至目前，全市城镇新增就业{n}人，完成年计划的{pct}%。"),
    ("就业创业", "开发高校毕业生就业岗位2万个", "实施“百万大学生留江工程”，开发高校毕业生就业岗位2万个，开展线上线下招聘宣讲活动300场。",
     "rs", 20000, "已累计开发高校毕业生就业岗位{n}个，开展招聘宣讲活动若干场。"),
    ("就业创业", "建设零工驿站10个", "在主城区建设零工驿站10个，为灵活就业人员提供岗位对接、技能培训服务。", "rs", 10,
     "已建成零工驿站{n}个，其余正在选址装修。"),
    ("社会保障", "调整退休人员基本养老金", "按国家和省统一部署调整退休人员基本养老金，足额发放到位。", "rs", 0,
     "调整方案已报批，信息系统测算完成{pct}%。"),
    ("社会保障", "提高城乡特困人员基本生活标准", "提高城乡特困人员基本生活标准和60年代精简退职职工生活补助。", "mz", 0,
     "新标准已印发，资金发放完成{pct}%。"),
    ("社会保障", "提高城乡居民医保财政补助标准", "城乡居民基本医疗保险人均财政补助标准提高30元，异地就医直接结算扩面。", "yb", 0,
     "补助资金拨付完成{pct}%。"),
    ("教育", "新建改扩建中小学和幼儿园8所", "新建、改扩建中小学和幼儿园8所，新增学位5000个。", "jy", 8,
     "已有{n}所学校主体完工，其余正在施工。"),
    ("教育", "中小学课后服务全覆盖", "义务教育学校课后服务全覆盖，有需求的学生应留尽留。", "jy", 0,
     "开展课后服务的学校占比{pct}%。"),
    ("教育", "中小学专职心理健康教师配备", "每所中小学至少配备1名专职心理健康教师。", "jy", 0, "配备工作完成{pct}%。"),
    ("医疗卫生", "二级以上公立医院全面推行预约诊疗", "二级以上公立医院全面推行分时段预约诊疗，预约时段精确到30分钟。",
     "wj", 0, "已有{pct}%的医院上线分时段预约。"),
    ("医疗卫生", "新建社区卫生服务中心5个", "在新建城区和人口密集街道新建社区卫生服务中心5个。", "wj", 5,
     "已有{n}个中心完成主体建设。"),
    ("城乡建设", "改造老旧小区126个", "改造老旧小区126个、居民楼432栋，同步改造管网、道路和停车设施。", "zj", 126,
     "已开工{n}个小区，完成投资进度的{pct}%。"),
    ("城乡建设", "新建改造老旧供水管网268公里", "新建改造老旧供水管网268公里，解决高层水压不足问题。", "gs", 268,
     "已完成管网改造{n}公里。"),
    ("城乡建设", "新增绿化面积60公顷", "谋划重点绿化项目20项，新增绿化面积60公顷。", "yl", 60, "已完成绿化{n}公顷。"),
    ("城乡建设", "新施划停车泊位4000个", "在主次街路、巷道胡同、老旧小区内新施划停车泊位4000个。", "cg", 4000,
     "已新施划停车泊位{n}个。"),
    ("交通出行", "优化调整公交线路10条", "优化调整公交线路10条，加密早晚高峰班次。", "jt", 10, "已调整线路{n}条。"),
    ("交通出行", "开通网约定制公交线路5条", "在“江城行”APP推出网约定制公交，开通线路5条，公交怎么走、乘客来决定。",
     "jt", 5, "已开通定制公交线路{n}条。"),
    ("民生服务", "新建长者餐厅、乐龄食堂20个", "新建长者餐厅、乐龄食堂20个，为老年人提供助餐服务。", "mz", 20,
     "已建成长者餐厅、乐龄食堂{n}个。"),
    ("民生服务", "开展殡葬惠民便民服务行动", "减免基本殡葬服务费用，推行殡葬服务“一站式”办理。", "mz", 0,
     "惠民政策落实{pct}%。"),
    ("民生服务", "新建商品房交房即办证", "新建商品房项目推行“交房即办证”和不动产权证书自助取证。", "fc", 0,
     "已有{pct}%的交付项目实现交房即办证。"),
]
DONE = {"调整退休人员基本养老金", "提高城乡特困人员基本生活标准", "开展殡葬惠民便民服务行动", "新建商品房交房即办证"}
OVERDUE = {"新建社区卫生服务中心5个", "开通网约定制公交线路5条"}
INTERNAL_NOTES = ["资金拨付滞后，已向市财政局发函协调，预计下月到位。", "施工受雨季影响，已调整工期，请包保领导协调。",
                  "部分选址涉及征收，已提请市政府专题会研究。"]
PLEDGE_RESOLUTIONS = ["全年任务已完成，相关文件、台账和现场照片附后，请核查销号。", "已按期完成，佐证材料附后。"]


def load(city, rng, now):
    """Create the programme of campaigns and the list of pledges; return a summary."""
    today = timezone.localdate(now)
    name = PROGRAMME[0].format(year=today.year)
    if Programme.objects.filter(name=name).exists():
        return f"{name}：已载入 already loaded"
    demo = Demo(city, rng, now)
    with transaction.atomic():
        programme = Programme.objects.create(name=name, description=PROGRAMME[1])
        campaigns = [demo.campaign(programme, spec) for spec in CAMPAIGNS]
    with transaction.atomic():
        pledge_list = demo.pledges()
    rows = service.progress(Target.objects.filter(campaign__in=campaigns).select_related("category"))
    pledges = service.pledge_rows(pledge_list.pledges.select_related("ticket"), now)
    states = {state: sum(1 for p in pledges if p.state == state) for state in service.PLEDGE_STATES}
    return (f"{len(campaigns)} 项专项整治 campaigns, {len(rows)} 个目标 targets ({sum(r.met for r in rows)} 个已达成 met), "
            f"{CampaignTicket.objects.filter(campaign__in=campaigns).count()} 件关联工单 linked tickets, "
            f"{demo.tasks} 项任务 tasks, {demo.reports} 次上报 reports; {pledge_list.name}: {len(pledges)} 项 pledges "
            f"(完成 done {states['done']}, 进行中 under way {states['in_progress']}, 逾期 overdue {states['overdue']})")


class Demo:
    def __init__(self, city, rng, now):
        self.city, self.rng, self.now = city, rng, now
        self.today = timezone.localdate(now)
        self.photos = site_photos()
        root = city.units["city"].pk
        self.overseers = [s for s in city.supervisors if s.scope_id == root]
        self.linkers = self.overseers + list(city.dispatchers)
        _first, last = loaded_range()
        self.last_day = last or self.today
        self.tasks = self.reports = 0

    # time

    def moments(self, start, end, n):
        """n moments in office hours on working days between start and end, in order."""
        start, end = timezone.localtime(start), timezone.localtime(end)
        days = max((end.date() - start.date()).days, 0)
        found = []
        for _attempt in range(n * 30):
            day = start + timedelta(days=self.rng.randint(0, days))
            moment = (day.replace(hour=8, minute=30, second=0, microsecond=0)
                      + timedelta(minutes=self.rng.uniform(0, 540)))
            if start < moment < end and moment.weekday() < 5:
                found.append(moment)
                if len(found) == n:
                    break
        while len(found) < n:  # a short window: spread the rest evenly
            found.append(start + (end - start) * (len(found) + 1) / (n + 1))
        return sorted(found)

    def opening(self, days_ago):
        moment = timezone.localtime(self.now) - timedelta(days=days_ago)
        while moment.weekday() >= 5:
            moment -= timedelta(days=1)
        return moment.replace(hour=9, minute=self.rng.randint(0, 50), second=0, microsecond=0)

    def deadline(self, day):
        return min(day, self.last_day)

    def year_end(self):
        end = date(self.today.year, 12, 31)
        return self.deadline(end if end >= self.today + timedelta(days=30) else self.today + timedelta(days=75))

    # people

    def handler(self, unit):
        people = self.city.handlers.get(unit.pk) or [self.city.heads[unit.pk]]
        return self.rng.choice(people)

    def overseer(self):
        return self.rng.choice(self.overseers)

    def evidence(self, names=("现场照片.png",)):
        return [(BytesIO(self.rng.choice(self.photos)), name) for name in names]

    # campaigns

    def campaign(self, programme, spec):
        name, goal, lead, co, categories, targets, ticket_target = spec
        u = self.city.units
        opened = self.opening(self.rng.randint(150, 175))
        campaign = Campaign.objects.create(programme=programme, name=name, goal=goal, starts_on=opened.date(),
                                           ends_on=self.year_end(), lead_unit=u[lead])
        campaign.co_units.set([u[c] for c in co])
        campaign.categories.set([self.city.categories[c] for c in categories])
        linked = self.link(campaign)
        for order, (target_name, measure, goal_n, reached, tasks, note) in enumerate(targets, start=1):
            target = Target.objects.create(campaign=campaign, name=target_name, measure=measure, goal=goal_n,
                                           counts=Target.Counts.REPORTED, order=order)
            self.give_tasks(campaign, target, opened, reached, tasks, note)
        goal_n = max(10, math.ceil(linked * self.rng.uniform(1.0, 1.12) / 10) * 10)
        Target.objects.create(campaign=campaign, name=ticket_target, measure="件", goal=goal_n,
                              counts=Target.Counts.TICKETS, order=len(targets) + 1)
        return campaign

    def link(self, campaign):
        """Link most demo tickets of the campaign's categories from its period, soon after they came in."""
        tickets = (Ticket.objects.filter(service.covered(campaign), created_at__date__gte=campaign.starts_on)
                   .exclude(state__in=service.NOT_LINKABLE).order_by("created_at").only("pk", "created_at"))
        links = []
        for ticket in tickets:
            if self.rng.random() < 0.85:
                soon = ticket.created_at + timedelta(hours=self.rng.uniform(0.5, 48))
                at = min(soon, self.now - timedelta(minutes=1))
                links.append(CampaignTicket(campaign=campaign, ticket=ticket, linked_by=self.rng.choice(self.linkers),
                                            linked_at=at))
        CampaignTicket.objects.bulk_create(links)
        return len(links)

    def give_tasks(self, campaign, target, opened, reached, tasks, note):
        weights = [self.rng.uniform(0.6, 1.4) for _ in tasks]
        shares = split(reached, weights)
        for (unit_code, title), share in zip(tasks, shares):
            unit = self.city.units[unit_code]
            start = opened + timedelta(days=self.rng.randint(2, 12), minutes=self.rng.randint(0, 300))
            fate = self.rng.choices(["done", "working", "late"], [35, 50, 15])[0]
            if fate == "late":
                due = self.today - timedelta(days=self.rng.randint(3, 15))
            else:
                due = self.deadline(campaign.ends_on)
            if due <= start.date():
                fate, due = "working", self.deadline(campaign.ends_on)
            supervisor = self.overseer()
            task = service.add_task(campaign, unit=unit, title=title, due=due, target=target, actor=supervisor,
                                    at=start)
            self.tasks += 1
            self.work_on(task, share, note, fate, supervisor)

    def work_on(self, task, quantity, note, fate, supervisor):
        ticket, worker = task.ticket, self.handler(task.unit)
        finish = self.now - timedelta(hours=self.rng.uniform(2, 60))
        if fate == "done":
            finish = ticket.created_at + (self.now - ticket.created_at) * self.rng.uniform(0.6, 0.85)
        count = self.rng.randint(2, 5)
        times = self.moments(ticket.created_at, finish, count + 2)
        perform(ticket, "acknowledge", worker, at=times[0], text=self.rng.choice(TASK_NOTES))
        perform(ticket, "start", worker, at=times[1])
        for at, amount in zip(times[2:], split(quantity, [self.rng.uniform(0.5, 1.5) for _ in range(count)])):
            files = self.evidence() if self.rng.random() < 0.6 else []
            service.report(task, worker, amount, self.fill(note, amount), files=files, at=at)
            self.reports += 1
        if fate != "done":
            return
        resolved, verified, closed = self.moments(times[-1], self.now - timedelta(hours=1), 3)
        perform(ticket, "resolve", worker, at=resolved, text=self.rng.choice(TASK_RESOLUTIONS),
                files=self.evidence(("工作台账.png", "整改后.png")))
        perform(ticket, "verify", supervisor, at=verified, text=self.rng.choice(VERIFY_NOTES))
        perform(ticket, "close", supervisor, at=closed, text=self.rng.choice(CLOSE_NOTES))

    def fill(self, note, amount):
        company = self.rng.choice(["江城建工集团有限公司", "松江路桥工程有限公司", "江北宏达建筑安装有限公司"])
        return note.format(q=amount, road=self.rng.choice(texts.ROADS), xq=self.rng.choice(texts.XIAOQU),
                           market=self.rng.choice(texts.MARKETS), school=self.rng.choice(texts.SCHOOLS),
                           hospital=self.rng.choice(texts.HOSPITALS), company=company)

    # pledges

    def pledges(self):
        opened = self.opening(self.rng.randint(150, 165))
        year = self.today.year
        pledge_list = PledgeList.objects.create(
            name=f"{year}年建设幸福江城行动计划·惠民实事", year=year, published=True,
            description=f"围绕就业创业、社会保障、教育、医疗卫生、城乡建设、交通出行、民生服务等{len({p[0] for p in PLEDGES})}个方面"
                        f"确定{len(PLEDGES)}项惠民实事，逐项明确牵头单位、目标任务和完成时限，按月调度，进展向社会公开。")
        supervisor = self.overseer()
        for number, (area, title, target, owner_code, amount, progress) in enumerate(PLEDGES, start=1):
            owner = self.city.units[owner_code]
            at = opened + timedelta(minutes=number)
            fate = "done" if title in DONE else "overdue" if title in OVERDUE else "working"
            if fate == "overdue":
                deadline = self.today - timedelta(days=self.rng.randint(8, 30))
            elif fate == "done":
                deadline = self.deadline(self.today + timedelta(days=self.rng.randint(-20, 60)))
            else:
                deadline = self.year_end()
            pledge = service.add_pledge(pledge_list, area=area, number=number, title=title, target=target, owner=owner,
                                        deadline=deadline, actor=supervisor, at=at)
            self.progress(pledge, fate, amount, progress)
        return pledge_list

    def progress(self, pledge, fate, amount, text):
        ticket, worker = pledge.ticket, self.handler(pledge.owner)
        due = ticket.resolve_due_at
        end = self.now - timedelta(hours=self.rng.uniform(3, 72))
        if fate == "done":
            end = min(end, due - timedelta(days=2)) if due - timedelta(days=5) > ticket.created_at else end
        count = self.rng.randint(2, 4)
        times = self.moments(ticket.created_at + timedelta(days=7), end, count + 2)
        perform(ticket, "acknowledge", worker, at=times[0], text="已签收，已制定推进方案，明确时间表、路线图。")
        perform(ticket, "start", worker, at=times[1])
        top = 100 if fate == "done" else self.rng.randint(55, 85) if fate == "overdue" else self.rng.randint(40, 90)
        percents = sorted(self.rng.sample(range(10, top), count - 1)) + [top]
        internal = self.rng.randrange(count) if self.rng.random() < 0.4 else None
        for i, (at, pct) in enumerate(zip(times[2:], percents)):
            if i == internal:
                words, public = self.rng.choice(INTERNAL_NOTES), False
            else:
                words, public = text.format(n=round(amount * pct / 100), pct=pct), True
            files = self.evidence(("进展照片.png",)) if self.rng.random() < 0.5 else []
            service.update_pledge(pledge, worker, pct, words, public=public, files=files, at=at)
        if fate != "done":
            return
        resolved, verified, closed = self.moments(times[-1], min(self.now - timedelta(hours=1), due), 3)
        perform(ticket, "resolve", worker, at=resolved, text=self.rng.choice(PLEDGE_RESOLUTIONS),
                files=self.evidence(("佐证材料.png", "现场照片.png")))
        supervisor = self.overseer()
        perform(ticket, "verify", supervisor, at=verified, text=self.rng.choice(VERIFY_NOTES))
        perform(ticket, "close", supervisor, at=closed, text=self.rng.choice(CLOSE_NOTES))


def split(total, weights):
    """Whole numbers in proportion to the weights that add up to total exactly."""
    whole = sum(weights)
    parts = [math.floor(total * w / whole) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


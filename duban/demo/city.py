"""The demo city 江城市: its units, catalogue, dispatch rules, people and stewardships.

Fictional, but drawn from the seeds (Jilin City, Jixi, Changchun, Jinan Changqing): five areas
with streets, communities and grids; thirty-odd city departments beside the tree; a category
tree with the matters the seeds name; a dispatch catalogue where the most specific rule wins.
Every function here creates rows; the data are plain lists at the top.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from duban.catalogue.models import Category, Channel, DispatchRule
from duban.org.models import Person, Stewardship, Unit

CITY_NAME = "江城市"
PASSWORD = "duban2026"
VIEWERS_GROUP = "台账查看 ledger viewers"

# Areas: code, name, tier, aliases, short name (for the area's own departments), centre (lat, lon),
# and streets or towns: code, name, tier, communities (villages under a town are 村, tier community).
AREAS = [
    ("jn", "江南区", "district", ["江南", "江南区政府"], "江南区", (43.835, 126.560), [
        ("xishan", "西山街道", "street", ["富强社区", "腾飞社区", "西山社区"]),
        ("wenhua", "文化街道", "street", ["文化路社区", "柳浪社区", "明珠社区"]),
        ("xinhua", "新华街道", "street", ["新华社区", "吉化社区", "红旗社区", "江湾社区"]),
        ("zhanqian", "站前街道", "street", ["站前社区", "东站社区"]),
    ]),
    ("jb", "江北区", "district", ["江北", "江北区政府"], "江北区", (43.905, 126.570), [
        ("songlin", "松林街道", "street", ["松林社区", "夜市社区", "青松社区"]),
        ("beishan", "北山街道", "street", ["北山社区", "龙潭社区", "承德社区"]),
        ("hadawan", "哈达湾街道", "street", ["哈达湾社区", "铁东社区"]),
        ("jiangbei_t", "江北镇", "town", ["江北镇社区", "前进村", "永安村"]),
    ]),
    ("sj", "松江区", "district", ["松江", "松江区政府"], "松江区", (43.860, 126.520), [
        ("songjiang", "松江街道", "street", ["松江社区", "江畔社区", "临江社区"]),
        ("dongsheng", "东升街道", "street", ["东升社区", "朝阳社区", "光明社区"]),
        ("changchunlu", "长春路街道", "street", ["长春路社区", "德胜社区"]),
        ("yanan", "延安街道", "street", ["延安社区", "胜利社区", "幸福社区"]),
        ("jiangwan", "江湾街道", "street", ["江湾北社区", "滨江社区"]),
    ]),
    ("sh", "双河县", "county", ["双河", "双河县政府"], "双河县", (43.520, 126.830), [
        ("shuanghe_t", "双河镇", "town", ["城关社区", "东关村", "西关村"]),
        ("taiping", "太平镇", "town", ["太平村", "新立村", "永丰村"]),
        ("luxiang", "鹿乡镇", "town", ["鹿乡村", "梅花鹿村"]),
        ("qijia", "齐家镇", "town", ["齐家村", "平湖村", "奢岭村", "石溪村"]),
    ]),
    ("gx", "江城高新技术产业开发区", "zone", ["高新区", "江城高新区", "高新区管委会"], "高新区",
     (43.880, 126.480), [
        ("gaoxinbei", "高新北街道", "street", ["创新社区", "科技社区"]),
        ("gaoxinnan", "高新南街道", "street", ["硅谷社区", "博雅社区", "锦湖社区"]),
        ("yueshan", "越山街道", "street", ["越山社区", "双创社区", "深圳街社区"]),
    ]),
]

# City departments beside the tree: code, name, aliases.
DEPARTMENTS = [
    ("zj", "住房和城乡建设局", ["住建局", "市住建局"]),
    ("cg", "城市管理行政执法局", ["城管局", "市城管", "城管执法局"]),
    ("jt", "交通运输局", ["交通局", "市交通局"]),
    ("jj", "公安局交通警察支队", ["交警支队", "交管部门", "市交警"]),
    ("jy", "教育局", ["市教育局"]),
    ("wj", "卫生健康委员会", ["卫健委", "市卫健委"]),
    ("rs", "人力资源和社会保障局", ["人社局", "市人社局"]),
    ("scjg", "市场监督管理局", ["市场监管局", "市监局"]),
    ("sthj", "生态环境局", ["环保局", "市生态环境局"]),
    ("zrzy", "自然资源局", ["国土局", "市自然资源局"]),
    ("swu", "水务局", ["市水务局"]),
    ("mz", "民政局", ["市民政局"]),
    ("yb", "医疗保障局", ["医保局", "市医保局"]),
    ("fc", "房产服务中心", ["房产中心", "市房产中心"]),
    ("yl", "园林绿化中心", ["园林处", "园林局"]),
    ("hw", "环境卫生管理处", ["环卫处", "环卫局"]),
    ("rq", "燃气集团", ["燃气公司", "燃气企业"]),
    ("gr", "供热集团", ["热力公司", "供热公司"]),
    ("gs", "供水集团", ["自来水公司", "水司"]),
    ("yshj", "营商环境建设局", ["营商局", "软环境办"]),
    ("tc", "投资促进局", ["投促局"]),
    ("xzsp", "行政审批局", ["审批局", "政务服务中心"]),
    ("yj", "应急管理局", ["应急局"]),
    ("wl", "文化广电和旅游局", ["文旅局"]),
    ("swj", "商务局", ["市商务局"]),
    ("gxj", "工业和信息化局", ["工信局"]),
    ("nync", "农业农村局", ["农业局", "市农业农村局"]),
    ("tyjr", "退役军人事务局", ["退役军人局"]),
    ("rx", "12345政务服务便民热线中心", ["12345热线", "热线中心", "便民热线"]),
    ("zfb", "市委作风建设年工作专班", ["作风办", "作风专班"]),
    ("dcs", "市政府督查室", ["市督查室", "督查室"]),
]

# Departments every area has under its own government: code suffix, name suffix, alias suffixes.
AREA_DEPARTMENTS = [
    ("dcs", "督查室", ["督查"]),
    ("cg", "城市管理局", ["城管", "城管局"]),
    ("fc", "房产服务中心", ["房产中心"]),
]

# The category tree: (name, default kind, children); a leaf has no children.
CATEGORIES = [
    ("城市管理", "complaint", [
        ("停车秩序", "complaint", [("停车难", "complaint"), ("僵尸车", "complaint"), ("地桩地锁", "complaint")]),
        ("环境卫生", "complaint", [("垃圾清理", "complaint"), ("占道经营", "complaint")]),
        ("市容秩序", "complaint", [("违章建筑", "report"), ("噪声扰民", "complaint"), ("油烟污染", "complaint")]),
        ("园林绿化", "help", [("树木修剪", "help")]),
    ]),
    ("公共安全", "report", [("燃气管线隐患", "report"), ("消防通道堵塞", "report")]),
    ("市场监管", "complaint", [("食品安全", "report"), ("消费维权", "complaint")]),
    ("教育", "complaint", [("校外培训", "report"), ("学位入学", "inquiry")]),
    ("住房", "complaint", [("外墙渗水", "help"), ("老旧小区改造", "suggestion"), ("物业服务", "complaint")]),
    ("卫生健康", "complaint", [("就医投诉", "complaint"), ("医保报销", "inquiry")]),
    ("就业社保", "help", [("就业服务", "help"), ("社保待遇", "inquiry"), ("拖欠工资", "help")]),
    ("供暖", "complaint", [("供热不达标", "complaint")]),
    ("供水", "help", [("停水", "help"), ("水质问题", "complaint")]),
    ("营商环境", "complaint", [("审批服务", "complaint"), ("惠企政策", "inquiry"), ("涉企检查", "complaint")]),
    ("交通出行", "help", [("公交线路", "suggestion"), ("道路破损", "help"), ("信号灯故障", "help")]),
    ("民生服务", "help", [("养老服务", "help"), ("优抚政策", "inquiry")]),
    ("农业农村", "complaint", [("农村人居环境", "complaint")]),
    ("咨询", "inquiry", [("政策咨询", "inquiry")]),
    ("其他", "complaint", [("其他诉求", "complaint")]),
]

# The dispatch catalogue: (category, area code or None, lead unit code, co-unit codes, note).
# Area codes name an area or a street; "{area}_cg" is that area's own department.
# No rule covers 噪声扰民, 消防通道堵塞, 养老服务 and 其他诉求: they go to the district government.
RULES = [
    ("停车秩序", None, "cg", ["jj"], "静态交通综合整治：城管主办，交警协办"),
    ("僵尸车", None, "jj", ["cg"], "僵尸车清理：交警主办，城管协办"),
    ("环境卫生", None, "hw", [], "市环卫处负责城区环境卫生"),
    ("占道经营", None, "cg", [], "占道经营由城管执法查处"),
    ("垃圾清理", "jn", "jn_cg", ["hw"], "属地管理：区城管局负责辖区垃圾清运"),
    ("垃圾清理", "jb", "jb_cg", ["hw"], "属地管理：区城管局负责辖区垃圾清运"),
    ("垃圾清理", "sj", "sj_cg", ["hw"], "属地管理：区城管局负责辖区垃圾清运"),
    ("垃圾清理", "sh", "sh_cg", [], "属地管理：县城管局负责辖区垃圾清运"),
    ("垃圾清理", "xishan", "xishan", [], "徒步走城区试点：西山街道直接办理"),
    ("违章建筑", None, "cg", ["zrzy"], "违法建设由城管执法查处，自然资源局协办"),
    ("油烟污染", None, "sthj", ["cg"], "餐饮油烟：生态环境局主办"),
    ("园林绿化", None, "yl", [], ""),
    ("燃气管线隐患", None, "rq", ["yj"], "燃气安全专项整治：燃气企业主办，应急局协办"),
    ("市场监管", None, "scjg", [], ""),
    ("教育", None, "jy", [], ""),
    ("校外培训", None, "jy", ["scjg"], "校外培训机构治理：教育局主办，市场监管局协办"),
    ("外墙渗水", None, "fc", [], ""),
    ("外墙渗水", "jn", "jn_fc", [], "属地管理：区房产服务中心"),
    ("外墙渗水", "jb", "jb_fc", [], "属地管理：区房产服务中心"),
    ("外墙渗水", "sj", "sj_fc", [], "属地管理：区房产服务中心"),
    ("老旧小区改造", None, "zj", ["fc"], "老旧小区改造：住建局主办"),
    ("物业服务", None, "fc", [], ""),
    ("就医投诉", None, "wj", [], ""),
    ("医保报销", None, "yb", [], ""),
    ("就业社保", None, "rs", [], ""),
    ("供暖", None, "gr", ["zj"], "供热保障：供热集团主办，住建局协办"),
    ("供水", None, "gs", ["swu"], "供水保障：供水集团主办，水务局协办"),
    ("营商环境", None, "yshj", [], ""),
    ("审批服务", None, "xzsp", ["yshj"], ""),
    ("惠企政策", None, "yshj", ["gxj"], ""),
    ("营商环境", "gx", "gx", [], "高新区企业诉求由管委会直接办理"),
    ("公交线路", None, "jt", [], ""),
    ("道路破损", None, "zj", [], ""),
    ("信号灯故障", None, "jj", [], ""),
    ("优抚政策", None, "tyjr", [], ""),
    ("农村人居环境", None, "nync", [], ""),
    ("农村人居环境", "sh", "sh", ["nync"], "双河县农村人居环境整治由县政府牵头"),
    ("政策咨询", None, "rx", [], "一般政策咨询由热线知识库直接答复"),
]

# Enterprises and key projects that tickets name as their subject: (name, street code).
ENTERPRISES = [
    ("江城新元医疗器械有限公司", "gaoxinnan"),
    ("江城圣泰生物材料有限公司", "gaoxinbei"),
    ("江城北方化纤股份有限公司", "hadawan"),
    ("松江精密机械制造有限公司", "dongsheng"),
    ("双河梅花鹿产业发展有限公司", "luxiang"),
    ("江城鑫源食品有限公司", "yueshan"),
]
PROJECTS = [
    ("江城高新生物医药产业园项目", "gaoxinnan"),
    ("松花江南岸老旧供热管网改造工程", "xinhua"),
    ("双河县冷链物流园项目", "shuanghe_t"),
    ("江北区老旧小区改造（一期）项目", "beishan"),
]

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋"
            "蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万"
            "段钱汤尹黎常武乔贺赖龚文战温")
GIVEN = ("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 冰 鹏 雪 琳 博 浩 宇 丹 "
         "秀兰 桂英 建华 志强 海燕 晓东 红梅 玉兰 国庆 建国 淑珍 春梅 立新 秀英 宏伟 欣怡 子涵 "
         "思远 俊杰 继宏 君 明秀 庆华 秀丽 海跃 立军 长富 凤霞 文博 雅琴 振宇 德胜 玉珍 凯 "
         "晓燕 永强 金凤 福生 佳怡 宏图 春雨 树林 丽华 国华 桂兰 雨萱 天宇 文静").split()

ORDINALS = "一二三四五"
# Tiers of the units that can lead a ticket: departments, streets and towns, area governments.
LEAD_TIERS = (Unit.Tier.DEPARTMENT, Unit.Tier.STREET, Unit.Tier.TOWN, *Unit.AREA_GOVERNMENTS)

# The accounts worth trying first: username, what they are (Chinese, English).
LOGINS = [
    ("admin", "超级管理员，可见全部", "superuser, sees everything"),
    ("dispatcher1", "12345热线派单员，全市", "hotline dispatcher, whole city"),
    ("handler_cg1", "市城管局承办人", "handler at the city management bureau"),
    ("head_cg", "市城管局负责人", "head of the city management bureau"),
    ("handler_xishan1", "江南区西山街道承办人", "handler at 西山街道 (a street)"),
    ("supervisor_zfb1", "市作风办督查人员，可查看举报人身份", "city supervisor, may see whistle-blowers"),
    ("supervisor_dcs1", "市政府督查室督查人员", "city supervisor"),
    ("supervisor_jn", "江南区督查室督查人员，仅江南区", "district supervisor, 江南区 only"),
    ("leader_jn", "江南区委书记，包保西山街道", "district leader stewarding 西山街道"),
    ("ambassador1", "服务大使，包保重点企业", "service ambassador stewarding an enterprise"),
    ("project_chief1", "重点项目首席负责人", "chief of a key project"),
]


@dataclass
class City:
    """What the ticket generator needs, held in memory so it never asks the database twice."""

    units: dict = field(default_factory=dict)  # code → Unit
    by_id: dict = field(default_factory=dict)  # pk → Unit
    centres: dict = field(default_factory=dict)  # area government pk → (lat, lon)
    handlers: dict = field(default_factory=dict)  # unit pk → [Person]
    heads: dict = field(default_factory=dict)  # unit pk → Person
    dispatchers: list = field(default_factory=list)
    supervisors: list = field(default_factory=list)
    categories: dict = field(default_factory=dict)  # leaf name → Category
    channels: dict = field(default_factory=dict)  # code → Channel
    names: set = field(default_factory=set)  # staff names already given


def is_loaded():
    return Unit.objects.filter(tier=Unit.Tier.CITY, name=CITY_NAME).exists()


def build(rng):
    """Create the whole city; return a City."""
    city = City()
    build_units(city)
    build_catalogue(city)
    build_people(city, rng)
    city.channels = {c.code: c for c in Channel.objects.all()}
    return city


# --- units ---------------------------------------------------------------------------------

def add_unit(city, code, name, tier, parent, aliases=()):
    unit = Unit.objects.create(name=name, tier=tier, parent=parent, aliases=list(aliases))
    city.units[code] = unit
    city.by_id[unit.pk] = unit
    return unit


def build_units(city):
    root = add_unit(city, "city", CITY_NAME, Unit.Tier.CITY, None, ["江城", "市政府"])
    for code, name, aliases in DEPARTMENTS:
        add_unit(city, code, name, Unit.Tier.DEPARTMENT, root, aliases)
    for code, name, tier, aliases, short, centre, streets in AREAS:
        area = add_unit(city, code, name, tier, root, aliases)
        city.centres[area.pk] = centre
        for suffix, dept_name, alias_suffixes in AREA_DEPARTMENTS:
            add_unit(city, f"{code}_{suffix}", short + dept_name, Unit.Tier.DEPARTMENT, area,
                     [short + a for a in alias_suffixes])
        for street_code, street_name, street_tier, communities in streets:
            street = add_unit(city, street_code, street_name, street_tier, area)
            for i, community_name in enumerate(communities, 1):
                community = add_unit(city, f"{street_code}_c{i}", community_name, Unit.Tier.COMMUNITY, street)
                grids = 2 + (i + len(community_name)) % 2  # two or three
                for g in range(1, grids + 1):
                    add_unit(city, f"{street_code}_c{i}_g{g}", f"{community_name}第{ORDINALS[g - 1]}网格",
                             Unit.Tier.GRID, community)


# --- catalogue -----------------------------------------------------------------------------

def add_categories(nodes, parent, lineage, found):
    """Create the nodes under parent; fill `found` with name → (Category, names from the root)."""
    for name, kind, *children in nodes:
        category = Category.objects.create(name=name, default_kind=kind, parent=parent)
        found[name] = (category, lineage + [name])
        add_categories(children[0] if children else [], category, lineage + [name], found)


def build_catalogue(city):
    found = {}
    add_categories(CATEGORIES, None, [], found)
    for category_name, area_code, lead_code, co_codes, note in RULES:
        rule = DispatchRule.objects.create(
            category=found[category_name][0], area=city.units[area_code] if area_code else None,
            lead_unit=city.units[lead_code], note=note)
        rule.co_units.set([city.units[c] for c in co_codes])
    parents = {lineage[-2] for _, lineage in found.values() if len(lineage) > 1}
    city.categories = {name: category for name, (category, _) in found.items() if name not in parents}


# --- people --------------------------------------------------------------------------------

def person_name(city, rng):
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in city.names:
            city.names.add(name)
            return name


def phone_number(rng):
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def build_people(city, rng):
    password = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
    people = []

    def person(username, role, unit, scope=None, **extra):
        p = Person(username=username, name=extra.pop("name", None) or person_name(city, rng), role=role,
                   unit=unit, scope=scope, password=password, is_staff=True, phone=phone_number(rng), **extra)
        people.append(p)
        return p

    u = city.units
    admin = person("admin", Person.Role.ADMIN, None, name="系统管理员", is_superuser=True)
    for i in range(1, 7):
        city.dispatchers.append(person(f"dispatcher{i}", Person.Role.DISPATCHER, u["rx"], u["city"]))
    for office in ("zfb", "dcs"):
        for i in (1, 2):
            city.supervisors.append(person(f"supervisor_{office}{i}", Person.Role.SUPERVISOR, u[office], u["city"]))
    for code, *_ in AREAS:
        city.supervisors.append(person(f"supervisor_{code}", Person.Role.SUPERVISOR, u[f"{code}_dcs"], u[code]))

    # Two handlers in every unit that can lead a ticket (the supervision offices never do).
    for code, unit in u.items():
        if unit.tier in LEAD_TIERS and code not in ("zfb", "dcs") and not code.endswith("_dcs"):
            city.handlers[unit.pk] = [person(f"handler_{code}{i}", Person.Role.HANDLER, unit) for i in (1, 2)]
    # A head for every unit (the grids' heads are 网格长).
    for code, unit in u.items():
        city.heads[unit.pk] = person(f"head_{code}", Person.Role.UNIT_HEAD, unit)

    leaders = build_leaders(city, person)
    Person.objects.bulk_create(people)
    for unit_pk, head in city.heads.items():
        city.by_id[unit_pk].head = head
    Unit.objects.bulk_update(city.by_id.values(), ["head"])
    build_stewardships(leaders)

    viewers, _ = Group.objects.get_or_create(name=VIEWERS_GROUP)
    viewers.permissions.set(Permission.objects.filter(
        content_type__app_label__in=["ledger", "org", "catalogue"], codename__startswith="view_")
        .exclude(codename="view_whistleblower"))
    Person.groups.through.objects.bulk_create(
        [Person.groups.through(person_id=p.pk, group_id=viewers.pk) for p in people if p is not admin])
    whistle_reader = city.supervisors[0]
    whistle_reader.user_permissions.add(Permission.objects.get(codename="view_whistleblower"))


def build_leaders(city, person):
    """Leaders and their charges (包保); returns (person, kind, unit, subject, note) tuples."""
    u = city.units
    charges = []
    mayor = person("leader_city", Person.Role.LEADER, u["city"], u["city"])
    charges.append((mayor, "unit", u["jn"], "", "市级领导包保江南区"))
    for code, name, tier, aliases, short, centre, streets in AREAS:
        leader = person(f"leader_{code}", Person.Role.LEADER, u[code], u[code])
        charges.append((leader, "unit", u[streets[0][0]], "", f"{short}主要领导包保街道"))
    # Cadres sent down from city departments, each stewarding a community (下沉包保).
    departments = ["zj", "cg", "rs", "jy", "wj", "mz", "scjg", "sthj"]
    communities = ["xishan_c1", "xishan_c2", "wenhua_c2", "songlin_c2", "beishan_c2", "songjiang_c1",
                   "dongsheng_c2", "gaoxinnan_c1"]
    for i, (dept, community) in enumerate(zip(departments, communities), 1):
        cadre = person(f"cadre{i}", Person.Role.LEADER, u[dept])
        charges.append((cadre, "unit", u[community], "", "机关干部下沉包保社区"))
    place_keeper = person("cadre9", Person.Role.LEADER, u["zj"])
    charges.append((place_keeper, "place", None, "吉化新居", "包保小区"))
    ambassadors = [person("ambassador1", Person.Role.LEADER, u["tc"]),
                   person("ambassador2", Person.Role.LEADER, u["yshj"])]
    for i, (enterprise, _) in enumerate(ENTERPRISES):
        charges.append((ambassadors[i % 2], "enterprise", None, enterprise, "服务大使“一对一”包保企业"))
    for i, (project, street_code) in enumerate(PROJECTS, 1):
        area = city.by_id[city.units[street_code].parent_id]
        chief = person(f"project_chief{i}", Person.Role.LEADER, area, area)
        secretary = person(f"project_secretary{i}", Person.Role.LEADER, area)
        charges.append((chief, "project", None, project, "项目首席负责人（365服务）"))
        charges.append((secretary, "project", None, project, "项目首办秘书（365服务）"))
    return charges


def build_stewardships(charges):
    starts_on = timezone.localdate() - timedelta(days=300)
    Stewardship.objects.bulk_create([
        Stewardship(person=p, kind=kind, unit=unit, subject=subject, starts_on=starts_on, note=note)
        for p, kind, unit, subject, note in charges
    ])

"""Demo tickets: plans drawn at random, then played through receive() and perform() in time order.

A plan is a ticket's whole life decided in advance: the state it ends in, the actions that lead
there and when each happens (office hours, every step after the one before, none in the future),
and what the ticket says. Plans are played oldest first, so ticket numbers follow time.
"""
import math
import struct
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO

from django.db import transaction
from django.utils import timezone

from duban.demo import texts
from duban.demo.city import ENTERPRISES, GIVEN, PROJECTS, SURNAMES, phone_number
from duban.ledger.machine import perform, receive
from duban.ledger.models import State
from duban.org.models import Unit

WINDOW_DAYS = 182
BATCH = 250

# Most matters end closed; about two weeks' intake is still open, a few at every step.
STATE_WEIGHTS = {
    State.CLOSED: 84, State.IN_PROGRESS: 3, State.RESOLVED: 1.5, State.VERIFIED: 0.7, State.ACKNOWLEDGED: 1,
    State.DISPATCHED: 0.6, State.RECEIVED: 0.4, State.RETURNED: 0.6, State.DECLINED: 3, State.REOPENED: 0.6,
    State.MERGED: 2,
}
CHANNEL_WEIGHTS = {"hotline": 55, "wechat": 14, "web": 9, "app": 8, "inspection": 5, "mailbox": 3,
                   "survey": 3, "import": 2.5, "open311": 0.5}
KIND_WEIGHTS = {"complaint": 40, "help": 25, "inquiry": 15, "suggestion": 10, "report": 10}
URGENCY_WEIGHTS = {"normal": 90, "urgent": 8, "critical": 2}
URGENT_CATEGORIES = {"燃气管线隐患": {"normal": 45, "urgent": 40, "critical": 15},
                     "停水": {"normal": 75, "urgent": 22, "critical": 3},
                     "供热不达标": {"normal": 75, "urgent": 22, "critical": 3},
                     "信号灯故障": {"normal": 70, "urgent": 30, "critical": 0}}
DECLINE_WEIGHTS = {"no_substance": 40, "petition": 20, "legal_procedure": 15, "emergency": 10,
                   "unlawful": 10, "secret": 5}
CATEGORY_WEIGHTS = {
    "停车难": 8, "僵尸车": 3, "地桩地锁": 3, "垃圾清理": 8, "占道经营": 3, "违章建筑": 2, "噪声扰民": 4,
    "油烟污染": 2, "树木修剪": 2, "燃气管线隐患": 2, "消防通道堵塞": 1.5, "食品安全": 2, "消费维权": 3,
    "校外培训": 2, "学位入学": 2, "外墙渗水": 4, "老旧小区改造": 3, "物业服务": 7, "就医投诉": 3, "医保报销": 3,
    "就业服务": 3, "社保待遇": 3, "拖欠工资": 4, "供热不达标": 10, "停水": 4, "水质问题": 1.5, "审批服务": 2,
    "惠企政策": 2, "涉企检查": 1.5, "公交线路": 2, "道路破损": 3, "信号灯故障": 1.5, "养老服务": 1.5,
    "优抚政策": 0.8, "农村人居环境": 1.5, "政策咨询": 6, "其他诉求": 2,
}
HEATING_MONTHS = {10, 11, 12, 1, 2, 3, 4}
HOUSING = {"外墙渗水", "物业服务", "老旧小区改造"}
# Matters a village raises as well as a town; the others are about 小区 and city streets.
RURAL = {"农村人居环境", "道路破损", "停水", "就业服务", "社保待遇", "拖欠工资", "医保报销", "优抚政策",
         "养老服务", "政策咨询", "其他诉求", "食品安全", "消费维权", "学位入学", "就医投诉"}

# Hours from the step before, drawn log-uniformly between the two bounds.
GAPS = {"dispatch": (0.05, 3), "decline": (0.05, 2), "merge": (0.1, 3), "acknowledge": (0.2, 20),
        "return": (1, 30), "reassign": (1, 24), "start": (0.3, 24), "note": (2, 72), "resolve": (3, 240),
        "send_back": (2, 48), "verify": (2, 72), "close": (1, 72), "reopen": (24, 240)}
HOTLINE_HOURS, OFFICE_HOURS = (7, 22), (8, 18)
HOTLINE_ACTIONS = {"receive", "dispatch", "decline", "merge", "reassign"}
# When a ticket is left open, how long ago (at most, in days) its last step happened.
IDLE_DAYS = {State.RECEIVED: 0.5, State.DISPATCHED: 3, State.ACKNOWLEDGED: 10, State.IN_PROGRESS: 40,
             State.RESOLVED: 12, State.VERIFIED: 10, State.RETURNED: 8, State.REOPENED: 20}
# Finished tickets thin out over the last days, where the open ones are, so intake stays even.
RAMP_DAYS = 30
MERGE_TARGET_STATES = {State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS, State.REOPENED}
# Calls come in mostly by day: relative weight of each hour 0–23.
HOUR_WEIGHTS = [1, 0.5, 0.3, 0.3, 0.5, 1, 3, 6, 10, 12, 12, 10, 8, 9, 11, 11, 10, 9, 8, 7, 6, 5, 3, 2]


@dataclass
class Plan:
    state: str
    actions: list
    times: list = field(default_factory=list)
    channel: str = "hotline"
    category: str = ""
    fields: dict = field(default_factory=dict)  # what receive() is given
    context: dict = field(default_factory=dict)  # the template's place names, for the replies
    original: "Plan | None" = None  # the ticket a duplicate is merged into
    has_duplicate: bool = False
    ticket: object = None


def generate(city, count, rng, log=print):
    """Create `count` tickets (fewer only if a duplicate finds no open original) and return them."""
    now = timezone.now()
    places = Places(city, rng)
    plans = draw_plans(count, now, rng)
    for plan in plans:
        if plan.state != State.MERGED:
            fill(plan, city, places, rng)
    plans = [plan for plan in plans if plan.state != State.MERGED or pair_duplicate(plan, plans, now, rng)]
    plans.sort(key=lambda plan: plan.times[0])
    player = Player(city, rng)
    for start in range(0, len(plans), BATCH):
        with transaction.atomic():
            for plan in plans[start:start + BATCH]:
                player.play(plan)
        done = min(start + BATCH, len(plans))
        if done % 1000 < BATCH or done == len(plans):
            log(f"  {done}/{len(plans)} 工单 tickets")
    return [plan.ticket for plan in plans]


# --- drawing the plans ---------------------------------------------------------------------

def covering(weights, n, rng):
    """n keys drawn by weight, each key at least once (when n allows), in random order."""
    keys = list(weights)
    drawn = keys[:n] + rng.choices(keys, weights=list(weights.values()), k=max(0, n - len(keys)))
    rng.shuffle(drawn)
    return drawn


def draw_plans(count, now, rng):
    window_start = now - timedelta(days=WINDOW_DAYS)
    plans = []
    for state, channel in zip(covering(STATE_WEIGHTS, count, rng), covering(CHANNEL_WEIGHTS, count, rng)):
        plan = Plan(state=state, actions=actions_for(state, rng), channel=channel)
        if state != State.MERGED:
            plan.times = place(timeline(plan.actions, window_start, rng), state, now, window_start, rng)
        plans.append(plan)
    return plans


def actions_for(state, rng):
    """The actions that take a new ticket to `state`, detours included."""
    if state == State.RECEIVED:
        return ["receive"]
    if state in (State.DECLINED, State.MERGED):
        return ["receive", "decline" if state == State.DECLINED else "merge"]
    actions = ["receive", "dispatch"]
    if state == State.RETURNED:
        return actions + (["acknowledge"] if rng.random() < 0.3 else []) + ["return"]
    if rng.random() < 0.06:  # the unit disputes the dispatch; the dispatcher reviews and reassigns
        actions += (["acknowledge"] if rng.random() < 0.3 else []) + ["return", "reassign"]
    work = ["acknowledge", "start", "resolve", "verify", "close"]
    reached = {State.DISPATCHED: 0, State.ACKNOWLEDGED: 1, State.IN_PROGRESS: 2, State.RESOLVED: 3,
               State.VERIFIED: 4, State.CLOSED: 5, State.REOPENED: 5}[state]
    steps = work[:reached]
    if reached >= 2 and rng.random() < 0.25:
        steps.insert(2, "note")
    if reached >= 4 and rng.random() < 0.05:  # the supervisor finds it not done
        steps[steps.index("resolve") + 1:steps.index("resolve") + 1] = ["send_back", "resolve"]
    if state == State.CLOSED and rng.random() < 0.03:  # the call-back finds it not fixed
        steps += ["reopen"] + work[:5]
    if state == State.REOPENED:
        steps.append("reopen")
    return actions + steps


def log_uniform(low, high, rng):
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def within_hours(moment, hours, rng):
    """Move a moment outside the opening hours (local time) forward to some time they are open."""
    opens, closes = hours
    local = timezone.localtime(moment)
    if opens <= local.hour < closes:
        return local
    day = local if local.hour < opens else local + timedelta(days=1)
    return day.replace(hour=opens, minute=0) + timedelta(hours=rng.uniform(0, closes - opens))


def timeline(actions, day, rng):
    """Times for the actions, starting on `day` at an hour callers favour."""
    start = timezone.localtime(day).replace(hour=0, minute=0, second=0, microsecond=0)
    times = [start + timedelta(hours=rng.choices(range(24), HOUR_WEIGHTS)[0], minutes=rng.uniform(0, 60))]
    for action in actions[1:]:
        moment = times[-1] + timedelta(hours=log_uniform(*GAPS[action], rng))
        times.append(within_hours(moment, HOTLINE_HOURS if action in HOTLINE_ACTIONS else OFFICE_HOURS, rng))
    return times


def place(times, state, now, window_start, rng):
    """Shift the timeline by whole days (keeping the hours) into the window; open tickets end recently."""
    idle = IDLE_DAYS.get(state)
    latest = now - timedelta(days=rng.uniform(0, idle) if idle else 0, minutes=1)
    most = math.floor((latest - times[-1]) / timedelta(days=1))
    least = math.ceil((window_start - times[0]) / timedelta(days=1))
    days = most
    while not idle:
        days = rng.randint(min(least, most), most)
        if rng.random() < ((now - times[0] - timedelta(days=days)) / timedelta(days=RAMP_DAYS)) ** 2:
            break
    return [t + timedelta(days=days) for t in times]


def pair_duplicate(plan, plans, now, rng):
    """Make `plan` a second report of an open ticket, received and merged after its last step."""
    candidates = [p for p in plans if p.state in MERGE_TARGET_STATES and not p.has_duplicate
                  and p.times[-1] < now - timedelta(hours=6)]
    if not candidates:
        return False
    original = rng.choice(candidates)
    original.has_duplicate = True
    room = now - original.times[-1]
    received = original.times[-1] + room * rng.uniform(0.05, 0.5)
    merged = received + min((now - received) / 2, timedelta(hours=log_uniform(0.1, 3, rng)))
    plan.times, plan.original = [received, merged], original
    plan.category, plan.context = original.category, original.context
    fields = dict(original.fields)
    fields.update(reporter(plan.channel, fields["kind"], rng))
    fields["title"] = (texts.DUPLICATE_PREFIX + fields["title"])[:200]
    plan.fields = fields
    return True


# --- what a ticket says --------------------------------------------------------------------

class Places:
    """The city's grids and communities, and the 小区 names given to each community."""

    def __init__(self, city, rng):
        self.city = city
        units = list(city.by_id.values())
        self.grids = [u for u in units if u.tier == Unit.Tier.GRID]
        self.communities = [u for u in units if u.tier == Unit.Tier.COMMUNITY]
        self.xiaoqu = {u.pk: rng.sample(texts.XIAOQU, 2) for u in self.communities}
        self.by_street = {}
        for unit in self.grids:
            self.by_street.setdefault(self.lineage(unit)[2].pk, []).append(unit)
        rural = [u for u in self.grids + self.communities if self.in_village(u)]
        self.county_villages = [u for u in rural if u.path.startswith(city.units["sh"].path)]
        self.urban = [u for u in self.grids + self.communities if not self.in_village(u)]
        self.anywhere = self.grids + self.communities

    def lineage(self, unit):
        """Units from the city down to `unit`."""
        return [self.city.by_id[pk] for pk in unit.ancestor_ids()]

    def area(self, category, subject_street, rng):
        if subject_street:
            return rng.choice(self.by_street[self.city.units[subject_street].pk])
        if category == "农村人居环境":
            return rng.choice(self.county_villages)
        return rng.choice(self.anywhere if category in RURAL else self.urban)

    def community(self, unit):
        return unit if unit.tier == Unit.Tier.COMMUNITY else self.city.by_id[unit.parent_id]

    def in_village(self, unit):
        return self.community(unit).name.endswith("村")


def choose_category(month, rng):
    names, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    while True:
        name = rng.choices(names, weights)[0]
        if name != "供热不达标" or month in HEATING_MONTHS:
            return name


def reporter_name(rng):
    """A full name, or the way people give it on the phone: 周大爷, 李女士."""
    calls = texts.REPORTER_CALLS if rng.random() < 0.35 else GIVEN
    return rng.choice(SURNAMES) + rng.choice(calls)


def reporter(channel, kind, rng):
    """Who reported it, as the channel records them; some report anonymously."""
    if channel == "inspection":
        return {"reporter_name": rng.choice(texts.INSPECTION_TEAMS), "reporter_phone": "", "reporter_email": ""}
    anonymous = {"survey": 1, "mailbox": 0.6, "import": 0.3}.get(channel, 0.1) + (0.3 if kind == "report" else 0)
    if rng.random() < anonymous:
        return {"reporter_name": "", "reporter_phone": "", "reporter_email": ""}
    email = ""
    if channel == "web" and rng.random() < 0.4:
        email = "".join(rng.choice("abcdefghjkmnpqrstwxyz") for _ in range(5)) + f"{rng.randint(10, 999)}@qq.com"
    return {"reporter_name": reporter_name(rng), "reporter_phone": phone_number(rng), "reporter_email": email}


def fill(plan, city, places, rng):
    """Choose what the ticket is about and write it."""
    name = choose_category(timezone.localtime(plan.times[0]).month, rng)
    title, description = rng.choice(texts.TEMPLATES[name])
    subject, subject_street = "", ""
    if "{project}" in title + description:
        subject, subject_street = rng.choice(PROJECTS)
    elif "{company}" in title + description:
        subject, subject_street = rng.choice(ENTERPRISES)
    area = places.area(name, subject_street, rng)
    lineage = places.lineage(area)
    community = places.community(area)
    village = places.in_village(area)
    xq = f"{community.name}{rng.randint(1, 9)}组" if village else rng.choice(places.xiaoqu[community.pk])
    roads = rng.sample(texts.ROADS, 2)
    context = {
        "xq": community.name if village else xq, "road": roads[0], "road2": roads[1], "bld": rng.randint(1, 36),
        "unit": rng.randint(1, 6), "floor": rng.randint(1, 7), "n": rng.randint(2, 9), "months": rng.randint(2, 8),
        "days": rng.randint(3, 20), "amount": rng.choice([3800, 4980, 12600, 26000, 68000, 135000]),
        "color": rng.choice(texts.COLORS), "market": rng.choice(texts.MARKETS), "school": rng.choice(texts.SCHOOLS),
        "hospital": rng.choice(texts.HOSPITALS), "shop": rng.choice(texts.SHOPS), "bus": rng.choice(texts.BUS_LINES),
        "company": subject, "project": subject,
    }
    if name in HOUSING and not subject and not village and rng.random() < 0.5:
        subject = xq
    category = city.categories[name]
    kind = category.default_kind if rng.random() < 0.85 else rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
    description = description.format(**context)
    prefix = {"inspection": rng.choice(texts.INSPECTION_PREFIXES), "survey": texts.SURVEY_PREFIX,
              "import": texts.IMPORT_PREFIX}.get(plan.channel, "")
    place_names = "".join(u.name for u in lineage[1:3])
    address = f"{place_names}{xq}" if village else f"{place_names}{xq}{context['bld']}号楼"
    if subject and subject == context["company"]:
        address = f"{place_names}{subject}"
    urgency = URGENT_CATEGORIES.get(name, URGENCY_WEIGHTS)
    plan.category, plan.context = name, context
    plan.fields = {
        "kind": kind, "category": category, "channel": city.channels[plan.channel],
        "title": title.format(**context)[:200], "description": prefix + description, "address": address,
        "area": area, "subject": subject, "urgency": rng.choices(list(urgency), list(urgency.values()))[0],
        **reporter(plan.channel, kind, rng), **coordinates(city, lineage, plan.channel, rng),
    }


def coordinates(city, lineage, channel, rng):
    """Apps and inspectors send a position; phone calls rarely do."""
    if rng.random() > {"app": 0.9, "wechat": 0.6, "open311": 1, "inspection": 0.8}.get(channel, 0.1):
        return {}
    lat, lon = city.centres[lineage[1].pk]
    return {"latitude": round(lat + rng.gauss(0, 0.015), 6), "longitude": round(lon + rng.gauss(0, 0.02), 6)}


# --- evidence ------------------------------------------------------------------------------

def png(width, height, pixel):
    """A valid PNG (RGB, 8 bits) drawn by pixel(x, y) → (r, g, b); no imaging library needed."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def site_photos():
    """A handful of small 'photos': sky, a wall, the ground, each in its own colours."""
    palettes = [((135, 180, 220), (190, 170, 150), (90, 90, 90)), ((200, 210, 220), (160, 60, 50), (110, 100, 80)),
                ((150, 190, 230), (230, 230, 220), (70, 120, 60)), ((120, 130, 150), (180, 180, 170), (60, 60, 60)),
                ((170, 200, 230), (210, 180, 120), (100, 80, 60)), ((220, 220, 230), (120, 140, 160), (80, 80, 90))]

    def drawing(sky, wall, ground):
        return lambda x, y: sky if y < 16 else (wall if y < 38 and (x // 8) % 5 else ground)
    return [png(64, 48, drawing(*palette)) for palette in palettes]


# --- playing the plans ---------------------------------------------------------------------

class Player:
    """Plays plans through the state machine with people allowed to take each step."""

    def __init__(self, city, rng):
        self.city, self.rng = city, rng
        self.photos = site_photos()
        self.inspectors = [s for s in city.supervisors if s.scope_id == city.units["city"].pk]
        self.handler = self.supervisor = None  # the people of the ticket being played (see play)

    def play(self, plan):
        receiver = {"inspection": self.rng.choice(self.inspectors), "wechat": None, "web": None, "app": None,
                    "open311": None}.get(plan.channel, self.rng.choice(self.city.dispatchers))
        ticket = receive(actor=receiver, at=plan.times[0], **plan.fields)
        self.handler = self.supervisor = None
        for action, at in zip(plan.actions[1:], plan.times[1:]):
            getattr(self, "do_" + action)(ticket, at, plan)
        plan.ticket = ticket

    # people

    def handler_of(self, ticket):
        if self.handler is None or self.handler.unit_id != ticket.lead_unit_id:
            people = self.city.handlers[ticket.lead_unit_id]
            head = self.city.heads[ticket.lead_unit_id]
            self.handler = head if self.rng.random() < 0.1 else self.rng.choice(people)
        return self.handler

    def supervisor_of(self, ticket):
        """A supervisor overseeing the lead unit, outside it, who did not resolve the ticket."""
        lead = self.city.by_id[ticket.lead_unit_id]
        if self.supervisor is None or not self.may_verify(self.supervisor, lead, ticket):
            able = [s for s in self.city.supervisors if self.may_verify(s, lead, ticket)]
            local = [s for s in able if s.scope_id != self.city.units["city"].pk]
            self.supervisor = self.rng.choice(local if local and self.rng.random() < 0.6 else able)
        return self.supervisor

    @staticmethod
    def may_verify(supervisor, lead, ticket):
        return (lead.path.startswith(supervisor.scope.path) and supervisor.unit_id != lead.pk
                and supervisor.pk != ticket.resolver_id)

    def dispatcher(self):
        return self.rng.choice(self.city.dispatchers)

    def other_unit(self, ticket):
        """Where a returned ticket goes: a co-unit, the street of its area, or (return refused) back."""
        lead = self.city.by_id[ticket.lead_unit_id]
        if self.rng.random() < 0.3:
            return lead
        co_units = list(ticket.co_units.all())
        if co_units and self.rng.random() < 0.5:
            return co_units[0]
        area_lineage = [self.city.by_id[pk] for pk in self.city.by_id[ticket.area_id].ancestor_ids()]
        street = area_lineage[2]
        return street if street.pk != lead.pk else area_lineage[1]

    # steps

    def do_dispatch(self, ticket, at, plan):
        perform(ticket, "dispatch", self.dispatcher(), at=at)

    def do_decline(self, ticket, at, plan):
        reason = self.rng.choices(list(DECLINE_WEIGHTS), list(DECLINE_WEIGHTS.values()))[0]
        perform(ticket, "decline", self.dispatcher(), at=at, decline_reason=reason, text=texts.DECLINE_NOTES[reason])

    def do_merge(self, ticket, at, plan):
        perform(ticket, "merge", self.dispatcher(), at=at, target=plan.original.ticket, text=texts.MERGE_NOTE)

    def do_acknowledge(self, ticket, at, plan):
        perform(ticket, "acknowledge", self.handler_of(ticket), at=at, text=self.rng.choice(texts.ACKNOWLEDGE_NOTES))

    def do_return(self, ticket, at, plan):
        perform(ticket, "return", self.handler_of(ticket), at=at, reason=self.rng.choice(texts.RETURN_REASONS))

    def do_reassign(self, ticket, at, plan):
        unit = self.other_unit(ticket)
        if unit.pk == ticket.lead_unit_id:
            reason = texts.REASSIGN_REJECTED
        else:
            reason = texts.REASSIGN_UPHELD.format(unit=unit.name)
        perform(ticket, "reassign", self.dispatcher(), at=at, unit=unit, reason=reason)

    def do_start(self, ticket, at, plan):
        if ticket.kind == "inquiry" and "resolve" in plan.actions:
            return  # an inquiry is answered at once, not worked on
        perform(ticket, "start", self.handler_of(ticket), at=at, text=self.rng.choice(texts.START_NOTES))

    def do_note(self, ticket, at, plan):
        if self.rng.random() < 0.3:
            perform(ticket, "note", self.supervisor_of(ticket), at=at, text=self.rng.choice(texts.SUPERVISOR_NOTES))
        else:
            perform(ticket, "note", self.handler_of(ticket), at=at, text=self.rng.choice(texts.HANDLER_NOTES))

    def do_resolve(self, ticket, at, plan):
        replies = texts.RESOLUTIONS.get(plan.category, [texts.GENERIC_RESOLUTION])
        text = self.rng.choice(replies).format(**plan.context)
        files = []
        if ticket.kind != "inquiry":
            names = ["现场照片.png"] if self.rng.random() < 0.7 else ["整改前.png", "整改后.png"]
            files = [(BytesIO(self.rng.choice(self.photos)), name) for name in names]
        perform(ticket, "resolve", self.handler_of(ticket), at=at, text=text, files=files)

    def do_send_back(self, ticket, at, plan):
        perform(ticket, "send_back", self.supervisor_of(ticket), at=at, reason=self.rng.choice(texts.SEND_BACK_REASONS))

    def do_verify(self, ticket, at, plan):
        notes = texts.INQUIRY_VERIFY_NOTES if ticket.kind == "inquiry" else texts.VERIFY_NOTES
        perform(ticket, "verify", self.supervisor_of(ticket), at=at, text=self.rng.choice(notes))

    def do_close(self, ticket, at, plan):
        actor = self.supervisor_of(ticket) if self.rng.random() < 0.7 else self.dispatcher()
        perform(ticket, "close", actor, at=at, text=self.rng.choice(texts.CLOSE_NOTES))

    def do_reopen(self, ticket, at, plan):
        actor = self.supervisor_of(ticket) if self.rng.random() < 0.5 else self.dispatcher()
        perform(ticket, "reopen", actor, at=at, reason=self.rng.choice(texts.REOPEN_REASONS))


# --- the clock: extensions, pauses, and the escalation ladder ------------------------------

EXTENSION_REASONS = ["需协调燃气集团停气施工，申请延期", "涉及多个产权单位，需联合会商", "施工受降雨影响，申请延期",
                     "需等待维修资金审批", "需协调物业公司和业委会共同处置"]
PAUSE_REASONS = ["群众要求待其出差返回后上门核实", "等待法院判决结果", "等待第三方检测报告"]


def ask_for_time(city, tickets, now, rng, share=0.25):
    """Some units still working ask for an extension (mostly granted) or a pause (mostly waiting)."""
    player = Player(city, rng)
    player.handler = player.supervisor = None
    supervisor_of = player.supervisor_of
    working = [t for t in tickets if t.state in (State.ACKNOWLEDGED, State.IN_PROGRESS)]
    for ticket in rng.sample(working, min(len(working), max(int(len(working) * share), 8))):
        ticket.refresh_from_db()  # a merge may have written to it since it was played
        handler = player.handler_of(ticket)
        asked = min(ticket.updated_at + timedelta(hours=rng.uniform(1, 48)), now - timedelta(hours=2))
        if asked <= ticket.updated_at:
            continue
        with transaction.atomic():
            if rng.random() < 0.7:
                perform(ticket, "request_extension", handler, reason=rng.choice(EXTENSION_REASONS),
                        days=rng.choice([3, 5, 10]), at=asked)
                if rng.random() < 0.8:
                    perform(ticket, "approve_request", supervisor_of(ticket), text="同意延期，请按期办结",
                            at=asked + timedelta(hours=1))
            else:
                perform(ticket, "request_pause", handler, reason=rng.choice(PAUSE_REASONS), at=asked)
                if rng.random() < 0.5:
                    perform(ticket, "approve_request", supervisor_of(ticket), text="同意挂起",
                            at=asked + timedelta(hours=1))

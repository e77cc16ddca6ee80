"""A realistic city at scale, for the read benchmarks: `make bench-data SIZE=…`.

    .venv/bin/python bench/city.py SIZE [--seed N] [--fresh] [--workers N]
    make bench-data SIZE=100000                 # into BENCH_CITY_URL (postgres://…/duban_bench_city)

    import city                                 # from a bench script in bench/
    meta = city.ensure(size)                    # the database holds that city; Django is set up on it

`ensure` creates the database named in BENCH_CITY_URL (its name must contain "bench_city"),
migrates it and generates the city into it, unless a marker row (table bench_city_meta: size, seed,
generator version) says it holds that city already, in which case it returns at once; `--fresh`
(fresh=True) drops and rebuilds it. One builder at a time (a lock file in var/bench/); it refuses a
city the database's disk cannot hold with BENCH_CITY_MIN_FREE_GB (10) to spare. `generate` does the
work on Django's current connection (the tests run it inside a test database's transaction).

The city: 江城市 with 12 districts, 288 streets, 28 city departments and 6 departments in each
district: 400 units that lead matters, plus the hotline centre (12345), the supervision office
(作风办) and the inspection office (督查室); the category tree of the demo city and the city-wide
rules of its dispatch catalogue; one handler per leading unit, four dispatchers, three
supervisors and a leader (password "duban2026", hashed once); a sample (抽件回访) per month.

Then `size` tickets received over the twelve months before NOW (2026-11-01 00:00, Asia/Shanghai),
more by day than by night, their text drawn from the demo's templates (duban/demo/texts.py) with
made-up places and reporters. Each ticket lives a history the state machine could have written —
the same transitions, actors allowed to take them, payloads and clock arithmetic
(duban.clock.deadlines on the working-day calendar) — stopped at NOW, so the recent ones are open
at every step, some yellow, some overdue, a few paused: received; declined (1.5%) or merged into an
open ticket received shortly before (2%); dispatched by the catalogue or by hand, sometimes with a
co-unit; returned and reassigned (4%); acknowledged, started, noted, extended or paused and
resumed; resolved with a photo as evidence (inquiries in words), sometimes sent back; verified;
closed; escalated by the sweep whenever a deadline passes unresolved (remind, supervise, summon). A
closed matter takes six events at least (receive, dispatch, acknowledge, resolve, verify, close), so a
ticket has about seven: 10,000,000 tickets make about 72,000,000 events and 65 GB of database.
Closed matters with a contact phone get their call-back (回访) the next working day — reached and
rated, or unreached and called again, given up after three calls — and some reporters rate on
the public page; a verdict that says "not solved" reopens the matter for another round; a few bad
ratings are appealed; a sample takes 3% of each month's closed matters with a phone. Every event
is chained with the real hash chain (duban.lib.chain.link over Event.content), and the ticket row
caches the state, head, event count, clock fields and last change of its history, so
`duban verify_ledger` passes; the counters per unit and day (UnitDay, AreaDay) are summed while the
events are made, as `duban figures rebuild` would compute them.

How it is fast: the tickets are cut in chunks of CHUNK, each played from its own generator seeded
by (seed, chunk) and written by COPY of preformatted text, with ids derived from the ticket's
(event id = ticket id × 100 + seq; attachments, call-backs and requests likewise), so chunks are
independent and `--workers` processes play and write them in parallel, each on its own
connection; the same size and seed give the same rows whatever the order. Secondary indexes and
constraints of the big tables are dropped before the load and re-created after it from their own
definitions (pg_get_indexdef, pg_get_constraintdef: exactly as the migrations made them; the few
partial indexes stay, see `secondary`); then the sequences are moved past the ids written and the
tables vacuumed and analyzed. From duban it uses the clock's own functions, the demo's texts and
weights, and one private piece: the calendar's cache, pinned for the run (`pinned_calendar`).

Not made (and so absent from the pages): rectifications of bad ratings (差评整改, their own
tickets), notifications (outbox), the duplicate-search index (`duban triage reindex`), checkpoints,
coordinates, stewardships; a sample's draw is made up (3% of the month's candidates, not the
verdict service's seeded draw).
"""
import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from bisect import bisect
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone as dt_timezone
from hashlib import sha256
from itertools import accumulate
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
URL = os.environ.get("BENCH_CITY_URL", "postgres://postgres@127.0.0.1:5432/duban_bench_city")
VERSION = 1  # bump when the generator writes anything differently
SEED = 2026
CHUNK = 10_000  # tickets per chunk: its own generator, its own COPY, its own transaction
WORKERS = (os.cpu_count() or 1) + 1  # processes playing chunks; PostgreSQL works while they play
BYTES_PER_TICKET = 7_500  # the database at 100,000 and 1,000,000 tickets, with room for index builds
MIN_FREE_GB = float(os.environ.get("BENCH_CITY_MIN_FREE_GB", 10))  # left on the disk after the city

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt_timezone.utc
NOW = datetime(2026, 11, 1, tzinfo=SHANGHAI)
DAYS = 365
START = NOW - timedelta(days=DAYS)
NOW_UTC, START_UTC = NOW.astimezone(UTC), START.astimezone(UTC)
EIGHT = timedelta(hours=8)  # Asia/Shanghai has had no summer time since 1991
PASSWORD = "duban2026"

# Ids derived from the ticket's, so that chunks never share a sequence.
EVENT_SLOTS, CALL_SLOTS, REQUEST_SLOTS = 100, 8, 8
OPTIONAL_EVENTS = 40  # past this many events a ticket takes no detour and no new round

# How often things happen.
DECLINED, MERGED, RETURNED, RETURN_ACKNOWLEDGED, REASSIGN_SAME = 0.015, 0.02, 0.04, 0.3, 0.3
BY_CATALOGUE, TO_STREET = 0.55, 0.35  # else to a department by hand
CO_UNIT = 0.05  # a co-unit beside the one chosen by hand
STARTED, NOTED, CO_NOTED, EXTENDED, EXTENSION_GRANTED, PAUSED = 0.3, 0.12, 0.3, 0.05, 0.8, 0.01
SENT_BACK = 0.03
ANONYMOUS, WITH_PHONE = 0.08, 0.30  # callers who give no name; who leave a number to be called back
ONLINE_RATING = 0.05  # the reporter rates on the public page
REACHED = 0.7  # a call-back reaches the reporter (three tries, then given up)
APPEALED, APPEAL_DECIDED, APPEAL_UPHELD = 0.15, 0.8, 0.4
SAMPLED = 0.03
MERGE_LOOKBACK = 2000

DISTRICTS = ("江南区", "江北区", "城东区", "城西区", "高新区", "经开区", "临江区", "青山区", "白沙区", "云湖区",
             "石桥县", "梅岭县")
STREETS_PER_DISTRICT = 24
STREET_FIRST = "东西南北新中长永安和兴福华明光胜青云龙凤"
STREET_SECOND = "山河湖林桥园城泉阳平宁丰康源江"
DISTRICT_DEPARTMENTS = ("城市管理局", "住房和城乡建设局", "市场监督管理局", "房产服务中心", "生态环境分局",
                        "卫生健康局")
OFFICES = ("rx", "zfb", "dcs")  # the demo's hotline centre, supervision office, inspection office
RECEIVED_BY = {"hotline": "dispatcher", "mailbox": "dispatcher", "import": "dispatcher",
               "inspection": "supervisor", "survey": "supervisor"}  # else the application (None)
GAPS = {"dispatch": (0.05, 3), "merge": (0.1, 3), "return": (1, 30), "reassign": (1, 24),
        "start": (0.3, 24), "note": (2, 72), "request": (1, 48), "decide": (1, 24), "send_back": (2, 48),
        "resolve_again": (3, 72), "verify": (2, 72), "close": (1, 72), "call": (2, 30), "online": (1, 72),
        "appeal": (2, 48), "appeal_decision": (4, 72)}
ESCALATION_DELAY = timedelta(minutes=2)  # the sweep runs every minute or two
CLOCKED = ("dispatched", "acknowledged", "in_progress", "reopened")
MERGE_TARGETS = ("dispatched", "acknowledged", "in_progress", "reopened")
APPEAL_STATEMENTS = ("诉求人反映的问题不属于本单位此次办理事项，评价与办理结果无关。",
                     "已按政策规定办理并多次沟通，诉求人提出的要求超出政策范围。",
                     "诉求人以评价施压，要求与本诉求无关的额外补偿。")
APPEAL_DECISIONS = {True: "经复核，申诉理由成立，该评价不计入考核。", False: "经复核，申诉理由不成立，维持原评价。"}
EXTENSION_REASONS = ("需协调燃气集团停气施工，申请延期", "涉及多个产权单位，需联合会商", "施工受降雨影响，申请延期",
                     "需等待维修资金审批", "需协调物业公司和业委会共同处置")
PAUSE_REASONS = ("群众要求待其出差返回后上门核实", "等待法院判决结果", "等待第三方检测报告")
RESUME_NOTES = ("诉求人已返回，恢复办理。", "检测报告已出具，恢复计时。")
REFUSALS = ("理由不充分，请按期办结。", "该事项可先行处置，不同意延期。")


class Stop(Exception):
    """The next step would happen at or after NOW: the ticket stays as it is."""


# --- time ------------------------------------------------------------------------------------

def log_uniform(rng, low, high):
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def hours(value):
    return timedelta(hours=value)


def hour_table():
    """The share of a day's calls that came in before each hour (callers call by day)."""
    from duban.demo.tickets import HOUR_WEIGHTS

    total = sum(HOUR_WEIGHTS)
    return [0.0, *accumulate(w / total for w in HOUR_WEIGHTS)]


def received_at(i, total, table):
    """When ticket number i (from 0) of `total` came in: evenly over DAYS days, by hour of day as
    callers call; later for a later i."""
    position = (i + 0.5) / total * DAYS
    day = int(position)
    share = position - day
    hour = min(bisect(table, share) - 1, 23)
    seconds = (hour + (share - table[hour]) / (table[hour + 1] - table[hour])) * 3600
    return START_UTC + timedelta(days=day, seconds=seconds)


def utc_text(moment):
    """A UTC moment as duban.lib.chain writes it (…T03:04:05.000000Z), for the hash and for COPY."""
    text = moment.isoformat()  # quicker than strftime; it drops the microseconds when they are 0
    return text[:26] + "Z" if len(text) == 32 else text[:19] + ".000000Z"


def json_encoder():
    """canonical()'s JSON (sorted keys, no spaces, UTF-8), its C encoder made once."""
    from json import encoder

    if encoder.c_make_encoder is None:
        return json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode

    def refuse(value):
        raise TypeError(f"cannot hash a {type(value).__name__}")
    made = encoder.c_make_encoder(None, refuse, encoder.encode_basestring, None, ":", ",", True, False, True)
    return lambda value: "".join(made(value, 0))


to_json = json_encoder()


# --- the city: units, catalogue, people (a few hundred rows, through the ORM) ----------------

def street_names():
    names = [a + b for b in STREET_SECOND for a in STREET_FIRST]
    return [f"{name}街道" for name in names[:len(DISTRICTS) * STREETS_PER_DISTRICT]]


def make_units():
    """Every unit, with an explicit id and path: (the demo's departments by code and each district's by
    "d<n>:<name>", every unit, the ids of those that lead matters, the districts, the streets, the
    district of each street)."""
    from duban.demo.city import DEPARTMENTS
    from duban.org.models import Unit

    rows = []

    def unit(name, tier, parent=None, aliases=()):
        pk = len(rows) + 1
        path = (parent.path if parent else "/") + f"{pk}/"
        rows.append(Unit(pk=pk, name=name, tier=tier, parent_id=parent.pk if parent else None, path=path,
                         aliases=list(aliases)))
        return rows[-1]

    city = unit("江城市", "city")
    units = {"city": city}
    for code, name, aliases in DEPARTMENTS:
        units[code] = unit(name, "department", city, aliases)
    names = iter(street_names())
    districts, streets, district_of = [], [], {}
    for d, name in enumerate(DISTRICTS):
        district = unit(name, "county" if name.endswith("县") else "district", city, [name[:2]])
        districts.append(district)
        for department in DISTRICT_DEPARTMENTS:
            units[f"d{d}:{department}"] = unit(name + department, "department", district)
        for _ in range(STREETS_PER_DISTRICT):
            street = unit(next(names), "street", district)
            streets.append(street)
            district_of[street.pk] = district.pk
    Unit.objects.bulk_create(rows)
    offices = {units[code].pk for code in OFFICES}
    leading = [u.pk for u in rows if u.tier != "city" and u.pk not in offices]
    return units, rows, leading, districts, streets, district_of


def make_categories():
    """The demo city's category tree, explicit ids: {leaf name: Category}."""
    from duban.catalogue.models import Category
    from duban.demo.city import CATEGORIES

    rows, leaves, by_name = [], {}, {}

    def add(nodes, parent):
        for name, kind, *children in nodes:
            pk = len(rows) + 1
            node = Category(pk=pk, name=name, default_kind=kind, parent_id=parent.pk if parent else None,
                            path=(parent.path if parent else "/") + f"{pk}/")
            rows.append(node)
            by_name[name] = node
            if children:
                add(children[0], node)
            else:
                leaves[name] = node
    add(CATEGORIES, None)
    Category.objects.bulk_create(rows)
    return leaves, by_name


def make_rules(units, categories):
    """The demo's dispatch catalogue, for the whole city (its rules for one area left out)."""
    from duban.catalogue.models import DispatchRule
    from duban.demo.city import RULES

    rules, co_rows = [], []
    for category, area, lead, co_units, note in RULES:
        if area is not None or lead in OFFICES:
            continue
        rule = DispatchRule(pk=len(rules) + 1, category=categories[category], lead_unit=units[lead], note=note)
        rules.append(rule)
        co_rows += [DispatchRule.co_units.through(dispatchrule_id=rule.pk, unit_id=units[c].pk) for c in co_units]
    DispatchRule.objects.bulk_create(rules)
    DispatchRule.co_units.through.objects.bulk_create(co_rows)


def make_people(units, leading):
    """A handler per leading unit, four dispatchers, three supervisors and a leader (one password)."""
    from django.contrib.auth.hashers import make_password

    from duban.demo.city import GIVEN, SURNAMES
    from duban.org.models import Person

    password, rows = make_password(PASSWORD), []
    city = units["city"]

    def person(username, role, unit, scope=None):
        pk = len(rows) + 1
        name = SURNAMES[pk * 7 % len(SURNAMES)] + GIVEN[pk * 11 % len(GIVEN)]
        rows.append(Person(pk=pk, username=username, name=name, role=role, unit_id=unit.pk,
                           scope_id=scope.pk if scope else None, password=password))
        return rows[-1]

    by_id = {u.pk: u for u in units["_all"]}
    handlers = {pk: person(f"h{pk}", "handler", by_id[pk]).pk for pk in leading}
    dispatchers = [person(f"dispatcher{n}", "dispatcher", units["rx"], city).pk for n in (1, 2, 3, 4)]
    supervisors = [person(f"supervisor{n}", "supervisor", units["zfb"], city).pk for n in (1, 2, 3)]
    person("leader1", "leader", units["zfb"], city)
    Person.objects.bulk_create(rows)
    return handlers, dispatchers, supervisors, {p.pk: str(p) for p in rows}


def make_samples(supervisor):
    """One sample (抽件回访) per month, drawn on the third at 09:00: {(year, month): (id, drawn at)}."""
    from duban.verdict.models import Sample

    samples, rows = {}, []
    month = date(START.year, START.month, 1)
    while month < NOW.date():
        after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        drawn = datetime(after.year, after.month, 3, 9, tzinfo=SHANGHAI)
        pk = len(rows) + 1
        rows.append(Sample(pk=pk, name=f"{month.year}年{month.month}月抽件回访", starts_on=month,
                           ends_on=after - timedelta(days=1), share="0.0300", seed=SEED, drawn_at=drawn,
                           drawn_by_id=supervisor))
        samples[month.year, month.month] = (pk, drawn.astimezone(UTC))
        month = after
    Sample.objects.bulk_create(rows)
    return samples


def texts_pool(rng, leaves, size=150):
    """`size` tellings of each category: (title, description, place, resolution)."""
    from duban.demo import texts
    from bench_duplicates import context

    pool = {}
    for name, category in leaves.items():
        pool[category.pk] = []
        for _ in range(size):
            title, description = rng.choice(texts.TEMPLATES[name])
            values = context(rng)
            reply = rng.choice(texts.RESOLUTIONS.get(name, [texts.GENERIC_RESOLUTION]))
            place = f"{values['xq']}{values['bld']}号楼"
            pool[category.pk].append((title.format(**values)[:200], description.format(**values), place,
                                      reply.format(**values)))
    return pool


def photos():
    """The demo's site photos: (sha256, size, content) — evidence shared by every resolution."""
    from duban.demo.tickets import site_photos

    return [(hashlib.sha256(content).hexdigest(), len(content), content) for content in site_photos()]


def store_photos(found):
    """Write the photos where the attachments say they are (content-addressed, once)."""
    from django.conf import settings

    for sha, _size, content in found:
        path = Path(settings.MEDIA_ROOT) / "attachments" / sha[:2] / f"{sha}.png"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def decisions(leaves, districts, streets):
    """What the catalogue says for each category in each district: (lead, co-units, rule, fallback,
    explanation), as choose_units says it."""
    from duban.catalogue.dispatch import choose_units

    found = {}
    first = {}
    for street in streets:
        first.setdefault(street.parent_id, street)
    for category in leaves.values():
        for district in districts:
            decision = choose_units(category, first[district.pk])
            found[category.pk, district.pk] = (decision.lead_unit.pk, tuple(u.pk for u in decision.co_units),
                                               decision.rule.pk if decision.rule else None, decision.fallback,
                                               decision.explanation[:300])
    return found


def profiles(rng, leading, units):
    """Each leading unit's share of the matters sent to departments by hand, and its ways: (mean share
    of the time to acknowledge used, of the time to resolve used, chance a verdict finds it solved)."""
    departments = [pk for pk in leading if units[pk].tier == "department"]
    shares = [rng.lognormvariate(0, 1) for _ in departments]
    ways = {pk: (rng.uniform(0.15, 0.9), rng.uniform(0.1, 0.6), rng.uniform(0.8, 0.99)) for pk in leading}
    return departments, list(accumulate(shares)), ways


def limits(categories):
    """The time limit for each kind and urgency (no category has its own in a fresh database)."""
    from duban.catalogue.models import RequestKind, Urgency
    from duban.clock.deadlines import limit_for

    category = next(iter(categories.values()))
    return {(kind, urgency): limit_for(SimpleNamespace(category=category, category_id=category.pk, kind=kind,
                                                       urgency=urgency))
            for kind in RequestKind.values for urgency in Urgency.values}


def build(seed, size):
    """Create the city's rows and return the facts every chunk plays with."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    from duban.catalogue.models import Channel
    from duban.clock.calendar import work_calendar
    from duban.demo import tickets as demo

    rng = random.Random(f"{seed}:city")
    with translation.override(settings.LANGUAGE_CODE):
        units, rows, leading, districts, streets, district_of = make_units()
        units["_all"] = rows
        by_id = {u.pk: u for u in rows}
        leaves, categories = make_categories()
        make_rules(units, categories)
        handlers, dispatchers, supervisors, names = make_people(units, leading)
        departments, shares, ways = profiles(rng, leading, by_id)
        calendar = work_calendar()
        facts = SimpleNamespace(
            size=size, seed=seed, calendar=calendar,
            workdays=frozenset(d.toordinal() for d in _days(calendar) if calendar.is_workday(d)),
            channels=dict(Channel.objects.values_list("code", "pk")),
            leaves={c.pk: (name, c.default_kind) for name, c in leaves.items()},
            leaf_ids=[c.pk for c in leaves.values()],
            leaf_cumulative=list(accumulate(demo.CATEGORY_WEIGHTS[name] for name in leaves)),
            heating=leaves["供热不达标"].pk,
            urgencies={c.pk: cumulative(demo.URGENT_CATEGORIES.get(name, demo.URGENCY_WEIGHTS))
                       for name, c in leaves.items()},
            pool=texts_pool(rng, leaves),
            streets=[(s.pk, district_of[s.pk], f"{by_id[district_of[s.pk]].name}{s.name}") for s in streets],
            unit_names={u.pk: u.name for u in rows}, leading=leading, departments=departments, shares=shares,
            ways=ways, handlers=handlers, dispatchers=dispatchers, supervisors=supervisors, names=names,
            decisions=decisions(leaves, districts, streets),
            by_hand={pk: _("Dispatched by hand to %(unit)s") % {"unit": by_id[pk].name} for pk in leading},
            reassigned_by={pk: _("Reassigned by %(person)s after review") % {"person": names[pk]}
                           for pk in dispatchers},
            not_solved={via: _("The reporter says the matter is not solved (%(via)s).") % {"via": text}
                        for via, text in (("sampled", _("sampled call-back")), ("", _("verdict")))},
            limits=limits(leaves), samples=make_samples(supervisors[0]),
            photo_sizes={sha: size for sha, size, _content in photos()},
            photo_shas=[sha for sha, _size, _content in photos()],
            kinds=cumulative(demo.KIND_WEIGHTS), declines=cumulative(demo.DECLINE_WEIGHTS),
            channels_drawn=cumulative(demo.CHANNEL_WEIGHTS),
            hour_table=hour_table(), year_starts=year_starts(size, hour_table()),
        )
    return facts


def cumulative(weights):
    """(keys, cumulative weights) to draw from with `drawn`."""
    return list(weights), list(accumulate(weights.values()))


def drawn(rng, table):
    keys, totals = table
    return keys[bisect(totals, rng.random() * totals[-1])]


def _days(calendar):
    day = calendar.first_day
    while day <= calendar.last_day:
        yield day
        day += timedelta(days=1)


def year_starts(size, table):
    """{year: index of its first ticket}, for numbers that start again each year."""
    starts = {}
    for year in range(START.year, NOW.year + 1):
        first = datetime(year, 1, 1, tzinfo=SHANGHAI)
        low, high = 0, size
        while low < high:
            middle = (low + high) // 2
            if received_at(middle, size, table) < first:
                low = middle + 1
            else:
                high = middle
        starts[year] = low
    return starts


# --- one ticket's life ------------------------------------------------------------------------

clock = texts = work_calendar = verdict_counts = phone_number = None
GIVEN = SURNAMES = REPORTER_CALLS = DUPLICATE_PREFIX = DECLINE_NOTES = GENESIS = None


def _imports():
    """What a ticket's life takes from duban, imported once Django is set up (module globals, as the
    life reads them at every step)."""
    global clock, texts, work_calendar, verdict_counts, phone_number
    global GIVEN, SURNAMES, REPORTER_CALLS, DUPLICATE_PREFIX, DECLINE_NOTES, GENESIS
    from duban.clock import deadlines as clock
    from duban.clock.calendar import work_calendar
    from duban.demo import texts
    from duban.demo.city import GIVEN, SURNAMES, phone_number
    from duban.figures.counters import verdict_counts
    from duban.lib.chain import GENESIS

    REPORTER_CALLS, DUPLICATE_PREFIX, DECLINE_NOTES = texts.REPORTER_CALLS, texts.DUPLICATE_PREFIX, texts.DECLINE_NOTES


class Life:
    """One ticket, played through the transitions the machine allows, with their payloads and clock
    arithmetic, up to NOW; its attributes are the ticket row's (the clock functions take it as a
    ticket)."""

    address = subject = reporter_email = dispatch_explanation = decline_reason = ""
    latitude = longitude = lead_unit_id = dispatch_rule_id = merged_into_id = resolver_id = None
    clock_started_at = ack_due_at = resolve_due_at = warn_at = acknowledged_at = ack_on_time = None
    resolved_at = resolve_on_time = resolve_work_seconds = paused_at = next_escalation_at = demand_due_at = None
    dispatch_fallback = False
    paused_work_seconds = escalation_level = event_count = 0
    head_hash = ""

    def __init__(self, chunk, i):
        self.chunk, self.facts, self.rng = chunk, chunk.facts, chunk.rng
        self.id = i + 1
        self.events, self.patches, self.calls, self.requests, self.files = [], [], [], [], []
        self.co_units = ()
        self.has_duplicate = False
        self.state = ""

    # -- writing events

    def emit(self, at, actor, action, payload, to_state=None, files=()):
        """Append an event (the hash comes later, when every ticket of the chunk is played)."""
        if at.tzinfo is not UTC:
            at = at.astimezone(UTC)
        before = self.state
        if to_state:
            self.state = to_state
        event = [at, actor, action, before, self.state, payload, files, 0]
        self.events.append(event)
        self.updated_at = at
        self.chunk.count(self, action, at, payload)
        return event

    def when(self, at):
        """The time of the next step: refused at or after NOW; the sweep's escalations first."""
        if at >= NOW_UTC:
            raise Stop
        self.sweep(at)
        return max(at, self.updated_at)

    def sweep(self, until):
        """The escalation ladder, climbed by the sweep when each step falls due (before `until`)."""
        while self.state in CLOCKED and self.paused_at is None and self.next_escalation_at is not None \
                and self.escalation_level < 3:
            moment = max(self.next_escalation_at.astimezone(UTC) + ESCALATION_DELAY, self.updated_at)
            if moment >= until:
                return
            self.emit(moment, None, "escalate", clock.escalate(self, moment))

    def reloaded(self):
        """The deadlines as the next transition reads them back from the database (in UTC)."""
        if self.ack_due_at is not None:
            self.ack_due_at = self.ack_due_at.astimezone(UTC)
        if self.resolve_due_at is not None:
            self.resolve_due_at = self.resolve_due_at.astimezone(UTC)

    # -- moments

    def office(self, at):
        """`at`, or a moment of the next office hours on a working day (the units work then)."""
        if at >= NOW_UTC:
            return at  # too late: when() stops there
        local = at + EIGHT
        day, minutes = local.date(), local.hour * 60 + local.minute
        workday = day.toordinal() in self.facts.workdays
        if workday and 510 <= minutes < 1050:
            return at
        if not (workday and minutes < 510):
            day += timedelta(days=1)
            while day.toordinal() not in self.facts.workdays:
                day += timedelta(days=1)
        return datetime(day.year, day.month, day.day, tzinfo=UTC) - EIGHT + timedelta(
            minutes=510 + self.rng.random() * 540)

    def hotline(self, at):
        """`at`, or a moment when the hotline is staffed (07:00-22:00, every day)."""
        local = at + EIGHT
        if 7 <= local.hour < 22:
            return at
        day = local.date() + timedelta(days=1 if local.hour >= 22 else 0)
        return datetime(day.year, day.month, day.day, tzinfo=UTC) - EIGHT + hours(7 + self.rng.random() * 15)

    def after(self, gap, place):
        return self.when(place(self.updated_at + hours(log_uniform(self.rng, *GAPS[gap]))))

    # -- people

    def handler(self):
        return self.facts.handlers[self.lead_unit_id]

    def dispatcher(self):
        return self.rng.choice(self.facts.dispatchers)

    def supervisor(self):
        return self.rng.choice(self.facts.supervisors)

    # -- what the ticket says

    def tell(self, created):
        """Draw what the ticket is about and who reported it."""
        f, rng = self.facts, self.rng
        month = (created + EIGHT).month
        while True:
            category = f.leaf_ids[bisect(f.leaf_cumulative, rng.random() * f.leaf_cumulative[-1])]
            if category != f.heating or month in (10, 11, 12, 1, 2, 3, 4):
                break
        _name, kind = f.leaves[category]
        if rng.random() >= 0.85:
            kind = drawn(rng, f.kinds)
        self.title, self.description, place, self.resolution = rng.choice(f.pool[category])
        self.area_id, self.district_id, street_name = rng.choice(f.streets)
        self.address = street_name + place
        self.category_id, self.kind = category, kind
        self.urgency = drawn(rng, f.urgencies[category])
        self.channel = drawn(rng, f.channels_drawn)
        self.reporter(rng)

    def reporter(self, rng):
        """Who called: a name, or none (anonymous); a number to call back for some."""
        chance = rng.random()
        if self.channel == "survey" or chance < ANONYMOUS:
            self.reporter_name = self.reporter_phone = ""
            return
        calls = REPORTER_CALLS if rng.random() < 0.35 else GIVEN
        self.reporter_name = rng.choice(SURNAMES) + rng.choice(calls)
        self.reporter_phone = phone_number(rng) if chance < ANONYMOUS + WITH_PHONE else ""
        if self.channel == "web" and rng.random() < 0.3:
            self.reporter_email = f"{rng.randrange(10**6, 10**9)}@qq.com"

    def copy_of(self, original):
        """A second report of the same matter by someone else."""
        for name in ("title", "description", "address", "resolution", "area_id", "district_id", "category_id",
                     "kind", "urgency"):
            setattr(self, name, getattr(original, name))
        self.title = (DUPLICATE_PREFIX + self.title)[:200]
        self.channel = "hotline"
        self.reporter(self.rng)

    # -- the life

    def live(self, i, created):
        """Play ticket number i (from 0), received at `created`, from its receipt up to NOW."""
        f, rng = self.facts, self.rng
        year = (created + EIGHT).year
        self.number = f"JC{year}-{i - f.year_starts[year] + 1:07d}"
        original = self.chunk.original_for(self, created) if rng.random() < MERGED else None
        if original is None:
            self.tell(created)
        else:
            self.copy_of(original[0])
        self.created_at = created
        self.receive(created)
        try:
            if original is not None:
                return self.merge(*original)
            at = self.when(self.hotline(created + hours(log_uniform(rng, *GAPS["dispatch"]))))
            if rng.random() < DECLINED:
                return self.decline(at)
            self.dispatch(at)
            returned = rng.random() < RETURNED
            while True:
                if returned:
                    self.return_and_reassign()
                    returned = False
                self.work()
                if not self.verdicts() and not self.sampled():
                    break
        except Stop:
            pass
        self.sweep(NOW_UTC)

    def receive(self, at):
        role = RECEIVED_BY.get(self.channel)
        self.created_by_id = None if role is None else self.dispatcher() if role == "dispatcher" else self.supervisor()
        self.channel_id = self.facts.channels[self.channel]
        self.updated_at = at
        self.emit(at, self.created_by_id, "receive", {
            "kind": self.kind, "category": self.category_id, "channel": self.channel, "title": self.title,
            "description": self.description, "address": self.address, "area": self.area_id,
            "urgency": self.urgency, "subject": self.subject,
            "reporter": hashlib.sha256(to_json([self.reporter_name, self.reporter_phone,
                                                self.reporter_email]).encode()).hexdigest()},  # reporter_digest
            to_state="received")

    def decline(self, at):
        reason = drawn(self.rng, self.facts.declines)
        self.decline_reason = reason
        self.emit(at, self.dispatcher(), "decline", {"reason": reason, "note": DECLINE_NOTES[reason]},
                  to_state="declined")

    def merge(self, original, at):
        actor = self.dispatcher()
        self.merged_into_id = original.id
        self.emit(at, actor, "merge", {"into": original.number, "into_ticket": original.id}, to_state="merged")
        original.merged_in(self, actor, at)

    def merged_in(self, duplicate, actor, at):
        """The original's own event for a duplicate merged into it, in its place in time."""
        events = self.events
        k = len(events)
        while events[k - 1][0] > at:
            k -= 1
        state = events[k - 1][4]
        events.insert(k, [at, actor, "merge_in", state, state,
                          {"merged": duplicate.number, "merged_ticket": duplicate.id}, (), 0])
        self.has_duplicate = True

    def state_at(self, at):
        """The state the ticket was in at `at` (None: not yet received)."""
        for event in reversed(self.events):
            if event[0] <= at:
                return event[4]
        return None

    def assign(self, unit, co_units):
        self.lead_unit_id = unit
        self.co_units = tuple(sorted({pk for pk in co_units if pk != unit}))

    def unit_payload(self):
        return {"lead_unit": self.lead_unit_id, "lead_unit_name": self.facts.unit_names[self.lead_unit_id],
                "co_units": list(self.co_units)}

    def limit(self):
        return self.facts.limits[self.kind, self.urgency]

    def dispatch(self, at):

        f, rng = self.facts, self.rng
        chance = rng.random()
        if chance < BY_CATALOGUE:
            lead, co_units, rule, fallback, explanation = f.decisions[self.category_id, self.district_id]
        else:
            lead = self.area_id if chance < BY_CATALOGUE + TO_STREET else \
                f.departments[bisect(f.shares, rng.random() * f.shares[-1])]
            co_units = (rng.choice(f.departments),) if rng.random() < CO_UNIT else ()
            rule, fallback, explanation = None, False, f.by_hand[lead]
        self.assign(lead, co_units)
        self.dispatch_rule_id, self.dispatch_fallback, self.dispatch_explanation = rule, fallback, explanation
        started = clock.start(self, at, limit=self.limit())
        self.emit(at, self.dispatcher(), "dispatch", {
            **self.unit_payload(), "category": self.category_id, "rule": rule, "fallback": fallback,
            "explanation": explanation, "note": "", "clock": started}, to_state="dispatched")
        self.reloaded()

    def return_and_reassign(self):

        rng = self.rng
        if rng.random() < RETURN_ACKNOWLEDGED:
            self.acknowledge()
        at = self.after("return", self.office)
        clock.stop(self)
        self.emit(at, self.handler(), "return", {"reason": rng.choice(texts.RETURN_REASONS),
                                                 "unit": self.lead_unit_id}, to_state="returned")
        at = self.after("reassign", self.hotline)
        previous = self.lead_unit_id
        unit = previous if rng.random() < REASSIGN_SAME else self.area_id if previous != self.area_id \
            else self.district_id
        reason = texts.REASSIGN_REJECTED if unit == previous else \
            texts.REASSIGN_UPHELD.format(unit=self.facts.unit_names[unit])
        actor = self.dispatcher()
        self.assign(unit, ())
        self.dispatch_rule_id, self.dispatch_fallback = None, False
        self.dispatch_explanation = self.facts.reassigned_by[actor]
        self.emit(at, actor, "reassign", {**self.unit_payload(), "previous_unit": previous, "reason": reason,
                                          "return_upheld": previous != unit,
                                          "clock": clock.start(self, at, limit=self.limit())},
                  to_state="dispatched")
        self.reloaded()

    def acknowledge(self):

        ack_share = self.facts.ways[self.lead_unit_id][0]
        allowed = self.ack_due_at - self.updated_at
        at = self.when(self.office(self.updated_at + max(allowed, hours(0.5)) * self.rng.expovariate(1 / ack_share)))
        self.emit(at, self.handler(), "acknowledge", {"note": self.rng.choice(texts.ACKNOWLEDGE_NOTES),
                                                      "clock": clock.acknowledged(self, at)},
                  to_state="acknowledged")

    def work(self):
        """From dispatched (or reopened) to closed: acknowledge, work, resolve, verify, close."""
        rng = self.rng
        self.acknowledge()
        optional = len(self.events) < OPTIONAL_EVENTS
        if self.kind != "inquiry" and rng.random() < STARTED:
            at = self.after("start", self.office)
            self.emit(at, self.handler(), "start", {"note": rng.choice(texts.START_NOTES)}, to_state="in_progress")
        if optional and rng.random() < NOTED:
            self.note()
        if optional and rng.random() < EXTENDED:
            self.extension()
        elif optional and rng.random() < PAUSED:
            self.pause()
        self.resolve(self.planned_resolution())
        if optional and rng.random() < SENT_BACK:
            self.send_back()
            self.resolve(self.after("resolve_again", self.office))
        self.verify_and_close()

    def planned_resolution(self):
        resolve_share = self.facts.ways[self.lead_unit_id][1]
        allowed = self.resolve_due_at - self.clock_started_at
        planned = self.clock_started_at + max(allowed, hours(1)) * (0.02 + self.rng.expovariate(1 / resolve_share))
        return self.when(self.office(max(planned, self.updated_at + hours(0.5))))

    def note(self):
        rng = self.rng
        at = self.after("note", self.office)
        chance = rng.random()
        if self.co_units and chance < CO_NOTED:
            actor = self.facts.handlers[self.co_units[0]]
            text = rng.choice(texts.HANDLER_NOTES)
        elif chance > 0.85:
            actor, text = self.supervisor(), rng.choice(texts.SUPERVISOR_NOTES)
        else:
            actor, text = self.handler(), rng.choice(texts.HANDLER_NOTES)
        self.emit(at, actor, "note", {"text": text})

    def request(self, kind, reason, days):
        """A request of the unit (a ClockRequest row) and its event; returns the row (a list)."""
        at = self.after("request", self.office)
        pk = self.id * REQUEST_SLOTS + len(self.requests)
        actor = self.handler()
        row = [pk, self.id, kind, reason, days, "pending", actor, at, None, None, ""]
        self.requests.append(row)
        self.emit(at, actor, f"request_{kind}", {"request": pk, "kind": kind, "reason": reason, "days": days})
        return row

    def decide(self, row, approve, note, apply):
        at = self.after("decide", self.office)
        actor = self.supervisor()
        row[5] = "approved" if approve else "refused"
        row[8:] = [actor, at, note]
        payload = {"request": row[0], "kind": row[2], "approved": approve, "note": note}
        if approve:
            payload["clock"] = apply(at)
        self.emit(at, actor, "approve_request" if approve else "refuse_request", payload)
        self.reloaded()

    def extension(self):

        rng = self.rng
        days = rng.choice((3, 5, 10))
        row = self.request("extension", rng.choice(EXTENSION_REASONS), days)
        granted = rng.random() < EXTENSION_GRANTED
        self.decide(row, granted, "同意延期，请按期办结" if granted else rng.choice(REFUSALS),
                    lambda at: clock.extend(self, days, at))

    def pause(self):

        rng = self.rng
        row = self.request("pause", rng.choice(PAUSE_REASONS), None)
        granted = rng.random() < 0.7
        self.decide(row, granted, "同意挂起" if granted else rng.choice(REFUSALS), lambda at: clock.pause(self, at))
        if granted:
            at = self.when(self.office(self.updated_at + timedelta(days=rng.uniform(1, 10))))
            self.emit(at, self.handler(), "resume", {"note": rng.choice(RESUME_NOTES), "clock": clock.resume(self, at)})
            self.reloaded()

    def resolve(self, at):

        actor = self.handler()
        files = ()
        if self.kind != "inquiry":
            shas = self.facts.photo_shas
            files = (self.rng.choice(shas),) if self.rng.random() < 0.7 else tuple(self.rng.sample(shas, 2))
        self.resolver_id = actor
        event = self.emit(at, actor, "resolve", {"resolution": self.resolution, "clock": clock.resolved(self, at)},
                          to_state="resolved", files=files)
        if files:
            self.files.append(event)

    def send_back(self):

        at = self.after("send_back", self.office)
        self.emit(at, self.supervisor(), "send_back", {"reason": self.rng.choice(texts.SEND_BACK_REASONS),
                                                       "clock": clock.reopened_for_work(self, at)},
                  to_state="in_progress")

    def verify_and_close(self):

        rng = self.rng
        at = self.after("verify", self.office)
        notes = texts.INQUIRY_VERIFY_NOTES if self.kind == "inquiry" else texts.VERIFY_NOTES
        self.emit(at, self.supervisor(), "verify", {"note": rng.choice(notes), "resolver": self.resolver_id},
                  to_state="verified")
        at = self.after("close", self.office)
        actor = self.supervisor() if rng.random() < 0.7 else self.dispatcher()
        clock.stop(self)
        self.emit(at, actor, "close", {"note": rng.choice(texts.CLOSE_NOTES)}, to_state="closed")

    # -- verdicts

    def verdicts(self):
        """The call-back after closing, or the reporter's own rating; True when a verdict reopened it."""
        rng, closed = self.rng, self.updated_at
        call = None
        if self.reporter_phone:
            call = self.call_back("ordinary", None, closed, work_calendar().add_workdays(closed, 1), None)
        if rng.random() < ONLINE_RATING:
            at = self.after("online", self.hotline)
            event = self.rate("rate", at, None, "reporter")
            if call is not None:
                call.update(status="answered", done_at=at, done_by=None, verdict=event)
            return self.after_verdict(event, "")
        if call is None:
            return False
        return self.call(call, "rate", closed)

    def call(self, call, action, since):
        """Call until the reporter answers (a verdict) or three calls reached nobody; True: reopened."""
        while True:
            at = self.when(self.office(since + hours(log_uniform(self.rng, *GAPS["call"]))))
            actor = self.dispatcher()
            if self.rng.random() < REACHED:
                event = self.rate(action, at, actor, "call_back" if action == "rate" else "sampled")
                call.update(status="done", done_at=at, done_by=actor, verdict=event)
                return self.after_verdict(event, "sampled" if action == "sample_rate" else "")
            self.emit(at, actor, "unreached", {"note": ""})
            call["attempts"] += 1
            if call["attempts"] >= 3:
                call.update(status="unreached", done_at=at, done_by=actor)
                return False
            call["due_at"] = work_calendar().add_workdays(at, 1)
            since = at

    def call_back(self, kind, sample, created, due, assigned):
        call = {"id": self.id * CALL_SLOTS + len(self.calls), "kind": kind, "sample": sample, "status": "pending",
                "due_at": due, "assigned_to": assigned, "attempts": 0, "created_at": created, "done_at": None,
                "done_by": None, "verdict": None}
        self.calls.append(call)
        return call

    def rate(self, action, at, actor, via):
        rng = self.rng
        quality = self.facts.ways[self.lead_unit_id][2]
        last_round = len(self.events) >= OPTIONAL_EVENTS
        solved = None if rng.random() < 0.03 else (last_round or rng.random() < quality)
        contacted = None if rng.random() < 0.05 else rng.random() < min(quality + 0.05, 0.99)
        chance = rng.random()
        if solved is not False:
            rating = 5 if chance < 0.65 else 4 if chance < 0.87 else 3 if chance < 0.97 else 2
        else:
            rating = 3 if chance < 0.3 else 2 if chance < 0.6 else 1
        return self.emit(at, actor, action, {"rating": rating, "solved": solved, "contacted": contacted, "note": "",
                                             "via": via, "unit": self.lead_unit_id})

    def after_verdict(self, event, via):
        """What follows a verdict (duban.verdict.service.rate): an unsolved matter is reopened at once;
        a bad rating may be appealed. True: reopened."""
        payload, rater = event[5], event[1]
        reopened = payload["solved"] is False
        if reopened:
            at = self.updated_at
            self.resolver_id = None
            self.emit(at, rater, "reopen", {"reason": self.facts.not_solved[via],
                                            "clock": clock.start(self, at, limit=self.limit())}, to_state="reopened")
            self.reloaded()
        if payload["rating"] <= 2 and self.rng.random() < APPEALED and len(self.events) < OPTIONAL_EVENTS:
            self.appeal(event)
        return reopened

    def appeal(self, verdict):
        rng = self.rng
        at, payload = self.after("appeal", self.office), verdict[5]
        rating = {"seq": 0, "action": verdict[2], "at": verdict[0].isoformat(),
                  **{k: payload[k] for k in ("rating", "solved", "contacted", "via", "unit")}}
        self.patches.append((rating, "seq", verdict))
        appeal = self.emit(at, self.handler(), "appeal", {"grounds": rng.choice(("mistaken", "malicious")),
                                                          "statement": rng.choice(APPEAL_STATEMENTS),
                                                          "rating": rating})
        if rng.random() >= APPEAL_DECIDED:
            return
        at = self.after("appeal_decision", self.office)
        upheld = rng.random() < APPEAL_UPHELD
        decision = {"upheld": upheld, "note": APPEAL_DECISIONS[upheld], "appeal_seq": 0, "rating": rating}
        self.patches.append((decision, "appeal_seq", appeal))
        self.emit(at, self.supervisor(), "uphold_appeal" if upheld else "reject_appeal", decision)

    def sampled(self):
        """A month's sample (抽件回访) may take a closed matter with a phone; True when it reopened it."""
        if self.state != "closed" or not self.reporter_phone or self.rng.random() >= SAMPLED:
            return False
        local = self.resolved_at.astimezone(UTC) + EIGHT
        sample = self.facts.samples.get((local.year, local.month))
        if sample is None or sample[1] <= self.updated_at or sample[1] >= NOW_UTC:
            return False
        pk, drawn = sample
        call = self.call_back("sampled", pk, drawn, work_calendar().add_workdays(drawn, 5), self.dispatcher())
        return self.call(call, "sample_rate", drawn)

    # -- rows

    def row(self):
        """The ticket row as COPY text, in the order of TICKET_COLUMNS."""
        t, n = moment_value, number_value
        return (f"{self.id}\t{self.number}\t{self.kind}\t{self.category_id}\t{self.channel_id}\t{escape(self.title)}\t"
                f"{escape(self.description)}\t{escape(self.address)}\t{NULL}\t{NULL}\t{self.area_id}\t"
                f"{escape(self.subject)}\t{self.urgency}\t{self.reporter_name}\t{self.reporter_phone}\t"
                f"{self.reporter_email}\t{self.state}\t{n(self.lead_unit_id)}\t{n(self.dispatch_rule_id)}\t"
                f"{'t' if self.dispatch_fallback else 'f'}\t{escape(self.dispatch_explanation)}\t"
                f"{self.decline_reason}\t{n(self.merged_into_id)}\t{n(self.resolver_id)}\t"
                f"{t(self.clock_started_at)}\t{t(self.ack_due_at)}\t{t(self.resolve_due_at)}\t{t(self.warn_at)}\t"
                f"{t(self.acknowledged_at)}\t{boolean_value(self.ack_on_time)}\t{t(self.resolved_at)}\t"
                f"{boolean_value(self.resolve_on_time)}\t{n(self.resolve_work_seconds)}\t{t(self.paused_at)}\t"
                f"{self.paused_work_seconds}\t{self.escalation_level}\t{t(self.next_escalation_at)}\t"
                f"{t(self.demand_due_at)}\t{t(self.created_at)}\t{t(self.updated_at)}\t{n(self.created_by_id)}\t"
                f"{self.event_count}\t{self.head_hash}\n")

    def finish(self, out):
        """Chain the events and write every row of the ticket as COPY text into `out`."""
        events = self.events
        assert len(events) < EVENT_SLOTS, (self.number, len(events))
        for seq, event in enumerate(events, 1):
            event[7] = seq
        for payload, key, event in self.patches:
            payload[key] = event[7]
        previous, number, base = GENESIS, self.number, self.id * EVENT_SLOTS
        lines = out.events
        for at, actor, action, before, after, payload, files, seq in events:
            body = to_json(payload)
            shas = f'["{files[0]}"]' if len(files) == 1 else to_json(list(files))
            when = utc_text(at)
            actor_text = "null" if actor is None else str(actor)
            content = (f'{{"action":"{action}","actor":{actor_text},"at":"{when}","attachments":{shas},'
                       f'"from":"{before}","payload":{body},"seq":{seq},"ticket":"{number}","to":"{after}"}}')
            digest = sha256(f"{previous}\n{content}".encode()).hexdigest()  # duban.lib.chain.link
            if "\\" in body:  # JSON escapes every tab and newline with a backslash: COPY doubles them all
                body = body.replace("\\", "\\\\")
            lines.append(f"{base + seq}\t{self.id}\t{seq}\t{when}\t{actor_text if actor is not None else NULL}\t"
                         f"{action}\t{before}\t{after}\t{body}\t{shas}\t{previous}\t{digest}\t{when}\n")
            previous = digest
        self.event_count, self.head_hash, self.updated_at = len(events), previous, events[-1][0]
        out.tickets.append(self.row())
        out.co_units.extend(f"{self.id}\t{unit}\n" for unit in self.co_units)
        for event in self.files:
            for k, sha in enumerate(event[6]):
                size = self.facts.photo_sizes[sha]
                name = "现场照片.png" if len(event[6]) == 1 else ("整改前.png", "整改后.png")[k]
                out.attachments.append(f"{(base + event[7]) * 2 + k}\t{self.id}\t{base + event[7]}\t"
                                       f"attachments/{sha[:2]}/{sha}.png\t{name}\timage/png\t{size}\t{sha}\t"
                                       f"{event[1]}\t{utc_text(event[0])}\n")
        for call in self.calls:
            verdict = call["verdict"]
            out.calls.append("\t".join(map(value, (
                call["id"], self.id, call["kind"], call["sample"], call["status"], call["due_at"],
                call["assigned_to"], call["attempts"], call["created_at"], call["done_at"], call["done_by"],
                verdict[7] if verdict else None))) + "\n")
        out.requests.extend("\t".join(map(value, row)) + "\n" for row in self.requests)


NULL = "\\N"
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def escape(text):
    return text.translate(ESCAPES) if "\\" in text or "\t" in text or "\n" in text or "\r" in text else text


def moment_value(item):
    return NULL if item is None else item.isoformat()


def number_value(item):
    return NULL if item is None else str(item)


def boolean_value(item):
    return NULL if item is None else "t" if item else "f"


def value(item):
    """One value as COPY text."""
    if item is None:
        return NULL
    kind = type(item)
    if kind is str:
        return escape(item)
    if kind is bool:
        return "t" if item else "f"
    if kind is datetime:
        return item.isoformat()
    return str(item)


# --- a chunk of tickets -----------------------------------------------------------------------

SIMPLE_COUNTS = {"close": "closed", "reopen": "reopened", "unreached": "unreached"}

COLUMNS = {
    "events": ("ledger_event", ("id", "ticket_id", "seq", "at", "actor_id", "action", "from_state", "to_state",
                                "payload", "attachments", "prev_hash", "hash", "recorded_at")),
    "co_units": ("ledger_ticket_co_units", ("ticket_id", "unit_id")),
    "attachments": ("ledger_attachment", ("id", "ticket_id", "event_id", "file", "name", "content_type", "size",
                                          "sha256", "uploaded_by_id", "at")),
    "calls": ("verdict_callback", ("id", "ticket_id", "kind", "sample_id", "status", "due_at", "assigned_to_id",
                                   "attempts", "created_at", "done_at", "done_by_id", "verdict_seq")),
    "requests": ("clock_clockrequest", ("id", "ticket_id", "kind", "reason", "days", "status", "requested_by_id",
                                        "requested_at", "decided_by_id", "decided_at", "decision_note")),
}


TICKET_COLUMNS = (
    "id", "number", "kind", "category_id", "channel_id", "title", "description", "address", "latitude", "longitude",
    "area_id", "subject", "urgency", "reporter_name", "reporter_phone", "reporter_email", "state", "lead_unit_id",
    "dispatch_rule_id", "dispatch_fallback", "dispatch_explanation", "decline_reason", "merged_into_id",
    "resolver_id", "clock_started_at", "ack_due_at", "resolve_due_at", "warn_at", "acknowledged_at", "ack_on_time",
    "resolved_at", "resolve_on_time", "resolve_work_seconds", "paused_at", "paused_work_seconds",
    "escalation_level", "next_escalation_at", "demand_due_at", "created_at", "updated_at", "created_by_id",
    "event_count", "head_hash")


def ticket_columns():
    """The columns Life.row writes: every column of the ticket table (a new one must be added there)."""
    from duban.ledger.models import Ticket

    found = {f.column for f in Ticket._meta.concrete_fields}
    if found != set(TICKET_COLUMNS):
        raise SystemExit(f"the ticket table's columns changed: {sorted(found ^ set(TICKET_COLUMNS))}; teach "
                         "bench/city.py (Life.row) to write them")
    return TICKET_COLUMNS


class Chunk:
    """Tickets first..last-1, played from their own generator; their rows as COPY text and their counts."""

    def __init__(self, facts, index):
        from duban.figures.models import UNIT_DAY_COLUMNS

        _imports()
        self.facts, self.index = facts, index
        self.rng = random.Random(f"{facts.seed}:{index}")
        self.first = index * CHUNK
        self.last = min(self.first + CHUNK, facts.size)
        self.lives = []
        self.width = len(UNIT_DAY_COLUMNS)
        self.column = {c: k for k, c in enumerate(UNIT_DAY_COLUMNS)}
        self.units = {}  # (unit, day) → [count per UnitDay column]
        self.areas = defaultdict(int)  # (area, category, day) → received
        self.ticket_columns = ticket_columns()
        self.tickets, self.events, self.co_units, self.attachments, self.calls, self.requests = [], [], [], [], [], []

    def play(self):
        table = self.facts.hour_table
        for i in range(self.first, self.last):
            life = Life(self, i)
            life.live(i, received_at(i, self.facts.size, table))
            self.lives.append(life)
        for life in self.lives:
            life.finish(self)
        self.lives = []
        return self

    def original_for(self, life, created):
        """An open ticket of this chunk, received a little earlier, that a second report may join:
        (the original, when they are merged), or None."""
        rng = self.rng
        at = created + hours(log_uniform(rng, *GAPS["merge"]))
        lives = self.lives
        if not lives or at >= NOW_UTC:
            return None
        for _ in range(3):
            original = lives[max(0, len(lives) - 1 - int(rng.random() * min(MERGE_LOOKBACK, len(lives))))]
            if not original.has_duplicate and original.state_at(at) in MERGE_TARGETS \
                    and len(original.events) < OPTIONAL_EVENTS:
                return original, at
        return None

    # -- counters, as duban.figures.counters.counts says each event counts

    def add(self, unit, at, columns):
        key = (unit, (at + EIGHT).date())
        row = self.units.get(key)
        if row is None:
            row = self.units[key] = [0] * self.width
        for name, n in columns.items():
            row[self.column[name]] += n

    def count(self, life, action, at, payload):
        if action == "receive":
            self.areas[payload.get("area") or 0, payload.get("category") or 0, (at + EIGHT).date()] += 1
        elif action in ("dispatch", "reassign"):
            self.add(payload["lead_unit"], at, {"assigned": 1})
        elif action in ("rate", "sample_rate"):
            self.add(payload.get("unit") or life.lead_unit_id, at, verdict_counts(action, payload))
        elif action == "uphold_appeal":
            rated = payload["rating"]
            unit = rated.get("unit") or life.lead_unit_id
            self.add(unit, datetime.fromisoformat(rated["at"]).astimezone(UTC),
                     verdict_counts(rated["action"], rated, sign=-1))
            self.add(unit, at, {"appeals_upheld": 1})
        elif life.lead_unit_id is not None:
            lead, told = life.lead_unit_id, payload.get("clock") or {}
            if action == "acknowledge":
                self.add(lead, at, {"acknowledged": 1, "acknowledged_on_time": int(told.get("on_time") is True)})
            elif action == "resolve":
                self.add(lead, at, {"resolved": 1, "resolved_on_time": int(told.get("on_time") is True),
                                    "resolve_work_seconds": told.get("work_seconds") or 0})
            elif action == "return":
                self.add(payload.get("unit") or lead, at, {"returned": 1})
            elif action in SIMPLE_COUNTS:
                self.add(lead, at, {SIMPLE_COUNTS[action]: 1})

    def counts(self):
        return self.units, dict(self.areas), len(self.events), self.last - self.first

    def write(self, cursor):
        """COPY every row of the chunk through a psycopg cursor."""
        from duban.ledger.models import Ticket

        copy(cursor, Ticket._meta.db_table, self.ticket_columns, self.tickets)
        for name, (table, columns) in COLUMNS.items():
            copy(cursor, table, columns, getattr(self, name))


def copy(cursor, table, columns, lines, piece=4 << 20):
    """COPY preformatted lines into the table, a few megabytes per write."""
    if not lines:
        return
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as stream:
        buffer, size = [], 0
        for line in lines:
            buffer.append(line)
            size += len(line)
            if size > piece:
                stream.write("".join(buffer))
                buffer, size = [], 0
        if buffer:
            stream.write("".join(buffer))


# --- loading: chunks in this process or in workers, each on its own connection ----------------

_worker = {}


def _load(index):
    """In a worker: play one chunk and write it on this process's own connection."""
    import psycopg

    if "connection" not in _worker:
        _worker["connection"] = psycopg.connect(_worker["url"])
        _worker["connection"].execute("SET synchronous_commit = off")
    connection = _worker["connection"]
    chunk = Chunk(_worker["facts"], index).play()
    with connection.cursor() as cursor:
        chunk.write(cursor)
    connection.commit()
    return chunk.counts()


@contextmanager
def pinned_calendar():
    """The working-day calendar read once and kept for the whole run (the clock functions ask for it
    at every step; it checks the table again every few seconds otherwise) — duban.clock.calendar's
    private cache, used as it is."""
    from duban.clock import calendar

    calendar.work_calendar()
    calendar._cache["checked"] = float("inf")
    try:
        yield
    finally:
        calendar._cache["checked"] = 0.0


def load(facts, workers, url, log):
    """Play and write every chunk; return the summed counters and the number of events."""
    from django.db import connection

    chunks = math.ceil(facts.size / CHUNK)
    unit_rows, areas, events, done = {}, defaultdict(int), 0, 0
    started = time.perf_counter()

    def take(result):
        nonlocal events, done
        chunk_units, chunk_areas, chunk_events, chunk_tickets = result
        for key, row in chunk_units.items():
            total = unit_rows.get(key)
            if total is None:
                unit_rows[key] = row
            else:
                for k, n in enumerate(row):
                    total[k] += n
        for key, n in chunk_areas.items():
            areas[key] += n
        events += chunk_events
        done += chunk_tickets
        if done % (CHUNK * 20) < CHUNK or done == facts.size:
            rate = done / (time.perf_counter() - started)
            log(f"  {done:,} tickets, {events:,} events ({rate:,.0f} tickets/s)")

    if workers <= 1 or chunks == 1:
        with connection.cursor() as cursor:
            for index in range(chunks):
                chunk = Chunk(facts, index).play()
                chunk.write(cursor.cursor)
                take(chunk.counts())
    else:
        import multiprocessing

        _worker.update(facts=facts, url=url)
        connection.close()  # never shared with the workers
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for result in pool.imap_unordered(_load, range(chunks)):
                take(result)
        _worker.clear()
    return unit_rows, areas, events


# --- indexes and constraints around the load ---------------------------------------------------

BIG_TABLES = ("ledger_ticket", "ledger_ticket_co_units", "ledger_event", "ledger_attachment", "verdict_callback",
              "clock_clockrequest")


def secondary(cursor, tables=BIG_TABLES):
    """The tables' constraints (primary keys aside) and their other indexes but the partial ones, as
    the catalogue defines them: ([(table, name, definition)], [(name, CREATE INDEX …)]).

    A partial index stays through the load: few rows reach it, and its predicate, read back from the
    catalogue, is not always the expression the migration wrote (an IN list comes back as an array of
    casts), so it could not be made again exactly from its definition."""
    cursor.execute("""
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype <> 'p'
        ORDER BY c.contype = 'f', c.conrelid::regclass::text, c.conname""", [list(tables)])
    constraints = cursor.fetchall()
    cursor.execute("""
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND i.indpred IS NULL
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('u', 'x'))
        ORDER BY 1""", [list(tables)])
    return constraints, cursor.fetchall()


@contextmanager
def without_secondary(log):
    """Drop the big tables' secondary indexes and constraints for the load; create them again after,
    from their own definitions, so they are exactly what the migrations made."""
    from django.db import connection

    with connection.cursor() as cursor:
        # Inside a transaction (a test's), rows written before may still owe their deferred checks,
        # and a table with checks pending cannot be altered: check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        constraints, indexes = secondary(cursor)
        for table, name, _definition in reversed(constraints):
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        slowest = []
        statements = [definition for _name, definition in indexes] + \
            [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in constraints]
        for statement in statements:
            began = time.perf_counter()
            cursor.execute(statement)
            slowest.append((time.perf_counter() - began, statement[:90]))
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django's constraints are
    log(f"  {len(indexes)} indexes and {len(constraints)} constraints made again in "
        f"{time.perf_counter() - started:.0f} s; the slowest: "
        + "; ".join(f"{text} ({seconds:.1f} s)" for seconds, text in sorted(slowest, reverse=True)[:3]))


# --- the whole city ----------------------------------------------------------------------------

def generate(size, seed=SEED, workers=0, url=None, log=print):
    """Build the city with `size` tickets on Django's current connection (an empty, migrated
    database); `workers` > 1 plays chunks in that many processes, each writing on its own connection
    to `url` (the same database; committed as they go). Returns what was made."""
    from django.db import connection

    from duban.figures.models import UNIT_DAY_COLUMNS, AreaDay, UnitDay
    from duban.ledger.models import Ticket, TicketCounter
    from duban.lib.rows import insert_rows

    if Ticket.objects.exists():
        raise SystemExit("city.generate fills an empty ledger; this database has tickets already")
    started = time.perf_counter()
    sys.path.insert(0, str(HERE))
    with pinned_calendar():
        facts = build(seed, size)
        store_photos(photos())
        with without_secondary(log):
            unit_rows, areas, events = load(facts, workers, url, log)
    loaded = time.perf_counter() - started
    with connection.cursor() as cursor:
        copy(cursor.cursor, UnitDay._meta.db_table, ("unit_id", "day", *UNIT_DAY_COLUMNS),
             ("\t".join(map(str, (unit, day, *row))) + "\n" for (unit, day), row in sorted(unit_rows.items())))
        copy(cursor.cursor, AreaDay._meta.db_table, ("area_id", "category_id", "day", "received"),
             (f"{a}\t{c}\t{d}\t{n}\n" for (a, c, d), n in sorted(areas.items())))
        cursor.execute("UPDATE verdict_sample s SET size = (SELECT count(*) FROM verdict_callback c "
                       "WHERE c.sample_id = s.id)")
    counters = [(year, (facts.year_starts.get(year + 1, size) - first)) for year, first in facts.year_starts.items()]
    insert_rows(TicketCounter, ("year", "value"), [(year, n) for year, n in counters if n > 0])
    reset_sequences()
    return {"tickets": size, "events": events, "unit_days": len(unit_rows), "area_days": len(areas),
            "load_seconds": round(loaded, 1), "seconds": round(time.perf_counter() - started, 1)}


def reset_sequences():
    """Move every sequence past the ids written here."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [m for m in apps.get_models(include_auto_created=True)]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


# --- the marker, the database, the command ------------------------------------------------------

META = "bench_city_meta"


def read_meta(url):
    """The marker of the city in the database at url, or None (no database, no marker)."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute(f"SELECT to_regclass('{META}')").fetchone()
            if row[0] is None:
                return None
            found = conn.execute(f"SELECT details FROM {META} ORDER BY finished_at DESC LIMIT 1").fetchone()
            return found[0] if found else None
    except psycopg.OperationalError:
        return None


def write_meta(details):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META} (size bigint, seed bigint, version int, "
                       "finished_at timestamptz DEFAULT now(), details jsonb)")
        cursor.execute(f"DELETE FROM {META}")
        cursor.execute(f"INSERT INTO {META} (size, seed, version, details) VALUES (%s, %s, %s, %s)",
                       [details["size"], details["seed"], details["version"], json.dumps(details)])


def use_database(url):
    """Set Django up on the database at url (or check that it already is)."""
    import django
    from django.apps import apps

    name = url.rsplit("/", 1)[1]
    if apps.ready:
        from django.conf import settings

        if settings.DATABASES["default"]["NAME"] != name:
            raise SystemExit(f"Django is set up on {settings.DATABASES['default']['NAME']}, not on the city {name}")
        return
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    django.setup()


def log_line(text):
    print(text, file=sys.stderr, flush=True)


def room(url, size):
    """Refuse to start a city the disk of the database cannot hold (when that disk can be seen here);
    the city there now, which would be dropped, counts as free."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5) as conn:
            folder = conn.execute("SHOW data_directory").fetchone()[0]
            held = conn.execute("SELECT pg_database_size(datname) FROM pg_database WHERE datname = %s",
                                [name]).fetchone()
        stat = os.statvfs(folder)
    except (psycopg.Error, OSError):
        return
    free_gb = (stat.f_bavail * stat.f_frsize + (held[0] if held else 0)) / 2**30
    need_gb = size * BYTES_PER_TICKET / 2**30
    if free_gb - need_gb < MIN_FREE_GB:
        raise SystemExit(f"a city of {size:,} tickets needs about {need_gb:.0f} GB and the database's disk has "
                         f"{free_gb:.0f} GB free: it would leave less than {MIN_FREE_GB:.0f} GB "
                         "(BENCH_CITY_MIN_FREE_GB). Free some room or ask for fewer tickets.")


@contextmanager
def locked(name):
    """One builder of a city at a time (a second bench waits, then finds it built)."""
    import fcntl

    folder = HERE.parent / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def ensure(size=None, seed=SEED, url=URL, fresh=False, workers=WORKERS, log=log_line):
    """The database at url holds the city of `size` tickets from `seed`: at once when its marker says
    so, else after building it (dropping whatever was there). Django is set up on it. Returns the marker."""
    size = size or int(os.environ.get("SIZE", 10_000_000))
    name = url.rsplit("/", 1)[1]
    if not url.startswith("postgres") or "bench_city" not in name:
        raise SystemExit(f"the city drops and creates its database: give it a PostgreSQL one named *bench_city*, "
                         f"not {url}")
    with locked(name):
        return _ensure(size, seed, url, name, fresh, workers, log)


def _ensure(size, seed, url, name, fresh, workers, log):
    wanted = {"size": size, "seed": seed, "version": VERSION, "chunk": CHUNK}
    meta = None if fresh else read_meta(url)
    if meta and all(meta.get(k) == v for k, v in wanted.items()):
        log(f"the city in {name} is ready: {meta['tickets']:,} tickets, {meta['events']:,} events")
        use_database(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # what was added since (an index) reaches the city too
        return meta
    sys.path.insert(0, str(HERE))
    from common import fresh_database

    log(f"building the city in {name}: {size:,} tickets from seed {seed}, {workers} workers")
    started = time.perf_counter()
    room(url, size)
    fresh_database(url)
    use_database(url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    made = generate(size, seed, workers=workers, url=url, log=log)
    vacuumed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    made["vacuum_seconds"] = round(time.perf_counter() - vacuumed, 1)
    made["total_seconds"] = round(time.perf_counter() - started, 1)
    made["database_mb"] = database_mb()
    meta = {**wanted, **made, "workers": workers, "now": NOW.isoformat()}
    write_meta(meta)
    log(f"the city is ready: {json.dumps(meta)}")
    return meta


def database_mb():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return round(cursor.fetchone()[0] / 2**20)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Generate the bench city into BENCH_CITY_URL.")
    parser.add_argument("size", type=int, nargs="?", default=int(os.environ.get("SIZE", 10_000_000)))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild even if the city is there")
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args(argv)
    ensure(args.size, args.seed, fresh=args.fresh, workers=args.workers)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()

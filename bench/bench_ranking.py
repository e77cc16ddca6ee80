"""The monthly ranking of 400 units over 10,000,000 tickets on PostgreSQL, against a GROUP BY over the tickets.

    .venv/bin/python bench/bench_ranking.py [size] [runs]     # on postgres://…/duban_bench_ranking
    SIZE=200000 .venv/bin/python bench/bench_ranking.py       # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/my_bench .venv/bin/python bench/bench_ranking.py

Fills a fresh database (the one named in DATABASE_URL, dropped and created; by default
duban_bench_ranking, and never one whose name lacks "bench") with a city of 400 units (the city,
12 districts, 240 streets, 147 departments; all but the city lead tickets, a few departments so
rarely that they fall below the minimum sample) and `size` (SIZE, 10,000,000) tickets received
evenly over the twelve months up to 2026-11-01, by COPY, from a fixed seed. Each ticket is
dispatched once, 5 to 90 minutes after it came in, to a unit drawn by that unit's share; the
unit's own speed and quality decide when it acknowledges, resolves and how the reporter judges
it. On 2026-11-01 the old tickets are closed, the recent ones in every state. The history is
one the ticket row tells whole: the clock facts (clock_started_at for the dispatch,
acknowledged_at / ack_on_time, resolved_at / resolve_on_time / resolve_work_seconds) and the
last step, `updated_at`, for a ticket now returned (2%, not yet reassigned), reopened (1.5%, after
verification, kept with the clock facts of its first round) or closed. Verdicts are events: 30%
of closed tickets have a `rate` event (rating 1-5, solved, contacted, unit, via) and 2% a
`sample_rate` one, seq 1..n per ticket with a made-up 64-hex hash (no hash chain, no other
events: `duban verify_ledger` would object; a rating leaves `updated_at` at the close). The
counters (figures_unitday) are then computed from those tickets and events in SQL, one row per
unit and local day, as the live counters would hold them for that history.

Measured in the same run, warm, for the month 2026-10:
- `duban.figures.figures.ranking(period)`: `runs` (20) times after a warm-up, p50/p95 in ms;
- the baseline: the same ranking computed straight from the ledger, one GROUP BY lead_unit over
  all tickets (each count filtered on its own moment in the month) beside a GROUP BY over the
  month's verdict events, then ranked by the same `rank()`: a few times, p50/p95, as the server
  runs it by default (JIT compilation on: it compiles a query this costly) and without JIT.
Before timing, the two are checked to agree unit by unit, every count and every rank; if they
do not the bench fails. Reports the ratio baseline / ranking (p50, the faster baseline), the
goal (ranking under 300 ms, p95), how much of it is `unit_figures` (the query and its rows),
generation times, table sizes, the load average of the machine (other work skews every figure),
and the plans of the ranking's query and of the baseline's (stderr).
Writes one JSON line to bench/results/ranking.json.
"""
import hashlib
import json
import os
import random
import sys
import time
from bisect import bisect
from datetime import datetime, timedelta
from itertools import accumulate, islice
from pathlib import Path
from zoneinfo import ZoneInfo

from common import copy_rows, copy_tickets, fresh_database, percentile

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "ranking.json"
URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/duban_bench_ranking")
SEED = 2026
SHANGHAI = ZoneInfo("Asia/Shanghai")
START, NOW = datetime(2025, 11, 1, tzinfo=SHANGHAI), datetime(2026, 11, 1, tzinfo=SHANGHAI)
MONTH = "2026-10"
GOAL_MS = 300
WARM_UP, BASELINE_RUNS = 3, 3
CHUNK = 1_000_000
DECLINED, RETURNED, REOPENED = 0.015, 0.02, 0.015
RATED, SAMPLED = 0.3, 0.02
WORK_SHARE = 8 / 24 * 5 / 7  # working seconds per second, roughly: 8 hours a day, 5 days a week
KINDS = ("complaint",) * 16 + ("inquiry",) * 2 + ("suggestion", "help", "report")
DISTRICTS = ("江南区", "江北区", "城东区", "城西区", "高新区", "经开区", "临江区", "青山区", "白沙区", "云湖区",
             "石桥县", "梅岭县")
DEPARTMENTS = ("城市管理行政执法局", "住房和城乡建设局", "公安局交通警察支队", "市场监督管理局", "生态环境局",
               "人力资源和社会保障局", "交通运输局", "水务局", "自然资源和规划局", "卫生健康委员会", "教育局",
               "民政局", "应急管理局", "文化广电旅游局", "商务局", "税务局", "医疗保障局", "供电公司", "燃气集团",
               "公交集团")
COLUMNS = ["number", "kind", "category_id", "channel_id", "title", "description", "area_id", "reporter_name",
           "reporter_phone", "state", "lead_unit_id", "decline_reason", "created_at", "updated_at",
           "clock_started_at", "ack_due_at", "resolve_due_at", "warn_at", "next_escalation_at", "acknowledged_at",
           "ack_on_time", "resolved_at", "resolve_on_time", "resolve_work_seconds"]
EVENT_FIELDS = ["ticket", "seq", "at", "action", "from_state", "to_state", "payload", "attachments", "prev_hash",
                "hash", "recorded_at"]

# What each counter counts, straight from the ledger. A ticket's count: (the moment it is dated by,
# a condition, the value summed); a verdict's: (the action, a condition on its payload).
TICKET_COUNTS = {
    "assigned": ("clock_started_at", "", "1"),
    "acknowledged": ("acknowledged_at", "", "1"),
    "acknowledged_on_time": ("acknowledged_at", "ack_on_time", "1"),
    "returned": ("updated_at", "state = 'returned'", "1"),
    "resolved": ("resolved_at", "", "1"),
    "resolved_on_time": ("resolved_at", "resolve_on_time", "1"),
    "resolve_work_seconds": ("resolved_at", "", "resolve_work_seconds"),
    "closed": ("updated_at", "state = 'closed'", "1"),
    "reopened": ("updated_at", "state = 'reopened'", "1"),
}
VERDICT_COUNTS = {
    f"{prefix}{column}": (action, condition)
    for prefix, action in (("", "rate"), ("sampled_", "sample_rate"))
    for column, condition in (
        ("verdicts", ""), ("contacted", "payload->>'contacted' = 'true'"),
        ("not_contacted", "payload->>'contacted' = 'false'"), ("solved", "payload->>'solved' = 'true'"),
        ("unsolved", "payload->>'solved' = 'false'"),
        *((f"rated_{n}", f"payload->>'rating' = '{n}'") for n in (5, 4, 3, 2, 1)))
}


def setup_city():
    """The city, 12 districts of 20 streets each, 147 departments: 400 units; the catalogue."""
    from duban.catalogue.models import Category, Channel
    from duban.demo import texts
    from duban.org.models import Unit

    U = Unit.objects.create
    city = U(name="江城市", tier="city")
    districts = [U(name=name, tier="district", parent=city) for name in DISTRICTS]
    streets = [U(name=f"{district.name}第{s + 1}街道", tier="street", parent=district)
               for district in districts for s in range(20)]
    names = list(DEPARTMENTS) + [f"市直部门{i}" for i in range(147 - len(DEPARTMENTS))]
    departments = [U(name=name, tier="department", parent=city) for name in names]
    parents = [Category.objects.create(name=name, default_kind="complaint")
               for name in ("城市管理", "住房保障", "交通出行", "市场监管", "生态环境", "社会保障")]
    categories = [Category.objects.create(name=leaf, parent=parents[i % len(parents)])
                  for i, leaf in enumerate(texts.TEMPLATES)]
    return {"city": city, "districts": districts, "streets": streets, "departments": departments,
            "categories": categories, "channel": Channel.objects.get(code="hotline")}


def profiles(rng, city):
    """Each leading unit's share of the tickets, speed and quality: (ids, cumulative shares, profile by id)."""
    shares = {}
    for unit in city["districts"]:
        shares[unit.pk] = 0.3
    for unit in city["streets"]:
        shares[unit.pk] = rng.lognormvariate(0, 0.5)
    for unit in city["departments"]:
        shares[unit.pk] = 2.5 * rng.lognormvariate(0, 1)
    for unit in city["departments"][-3:]:  # 档案 offices and the like: below the minimum sample
        shares[unit.pk] = 0.02
    ids = list(shares)
    profile = {pk: (rng.uniform(1, 5),  # mean hours to acknowledge
                    rng.uniform(2, 12),  # mean days to resolve
                    rng.uniform(0.55, 0.97))  # chance the reporter says it is solved
               for pk in ids}
    return ids, list(accumulate(shares[pk] for pk in ids)), profile


def verdict(rng, quality, action, at, via):
    """One reporter's verdict: (action, at, rating, solved, contacted, via)."""
    solved = None if rng.random() < 0.03 else rng.random() < quality
    contacted = None if rng.random() < 0.05 else rng.random() < min(quality + 0.1, 0.99)
    chance = rng.random()
    if solved:
        rating = 5 if chance < 0.65 else 4 if chance < 0.87 else 3
    else:
        rating = 3 if chance < 0.3 else 2 if chance < 0.6 else 1
    return action, at, rating, solved, contacted, via


def tickets(total, rng, city, verdicts):
    """`total` ticket rows (COLUMNS), received evenly over START..NOW; appends each rated ticket to
    `verdicts` as (row index, lead unit, its verdicts in time order)."""
    ids, cumulative, profile = profiles(rng, city)
    pool, streets = city["pool"], [u.pk for u in city["streets"]]
    channel, span, top = city["channel"].pk, NOW - START, cumulative[-1]
    for i in range(total):
        created = START + span * ((i + rng.random()) / total)
        category, title, description = rng.choice(pool)
        head = [f"JC{created.year}-{i + 1:08d}", rng.choice(KINDS), category, channel, title, description,
                rng.choice(streets), "市民", f"1{rng.randint(3, 9)}{i:09d}"]
        dispatched = created + timedelta(minutes=rng.uniform(5, 90))
        if rng.random() < DECLINED or dispatched >= NOW:
            declined = dispatched < NOW
            yield head + ["declined" if declined else "received", None, "no_substance" if declined else "", created,
                          dispatched if declined else created] + [None] * 10
            continue
        lead = ids[bisect(cumulative, rng.random() * top)]
        ack_hours, resolve_days, quality = profile[lead]
        ack_due, resolve_due = dispatched + timedelta(hours=4), dispatched + timedelta(days=21)
        acked = dispatched + timedelta(hours=rng.expovariate(1 / ack_hours))
        resolved = finished = None
        fate = rng.random()
        if fate < RETURNED:  # the unit sends it back to the hotline, half of them before acknowledging
            finished = dispatched + timedelta(hours=rng.uniform(1, 48))
            if acked >= finished or rng.random() < 0.5:
                acked = None
            ending = "returned"
        else:
            resolved = acked + timedelta(days=0.05 + rng.expovariate(1 / resolve_days))
            finished = resolved + timedelta(hours=rng.uniform(2, 72))  # verified, then closed or reopened
            ending = "reopened" if fate < RETURNED + REOPENED else "closed"
        if finished <= NOW:
            state, updated = ending, finished
        elif resolved and resolved <= NOW:
            state, updated = "verified" if rng.random() < 0.4 else "resolved", resolved
        elif acked and acked <= NOW:
            state, updated = "in_progress" if rng.random() < 0.7 else "acknowledged", acked
        else:
            state, updated, acked = "dispatched", dispatched, None
        if state in ("dispatched", "returned") or (resolved and resolved > NOW):
            resolved = None
        clocked = state in ("dispatched", "acknowledged", "in_progress", "reopened")
        yield head + [state, lead, "", created, updated, dispatched, ack_due, resolve_due,
                      resolve_due - timedelta(days=3), (ack_due if acked is None else resolve_due) if clocked else None,
                      acked, None if acked is None else acked <= ack_due,
                      resolved, None if resolved is None else resolved <= resolve_due,
                      None if resolved is None else int((resolved - dispatched).total_seconds() * WORK_SHARE)]
        if state == "closed":
            found = []
            if rng.random() < RATED:
                at = finished + timedelta(hours=rng.uniform(1, 72))
                found.append(verdict(rng, quality, "rate", at, "reporter" if rng.random() < 0.6 else "call_back"))
            if rng.random() < SAMPLED:
                at = finished + timedelta(days=rng.uniform(1, 10))
                found.append(verdict(rng, quality, "sample_rate", at, "sampled"))
            found = sorted((v for v in found if v[1] < NOW), key=lambda v: v[1])
            if found:
                verdicts.append((i, lead, found))


def digest(*parts):
    """A unique 64-hex stand-in for an event's hash (the bench writes no real chain)."""
    text = ":".join(str(p) for p in parts).encode()
    return hashlib.md5(text).hexdigest() + hashlib.md5(text[::-1]).hexdigest()


def event_rows(first_id, verdicts):
    from duban.lib.chain import GENESIS

    for i, lead, found in verdicts:
        previous = GENESIS
        for seq, (action, at, rating, solved, contacted, via) in enumerate(found, 1):
            payload = {"rating": rating, "solved": solved, "contacted": contacted, "note": "", "via": via, "unit": lead}
            own = digest(first_id + i, seq, action)
            yield (first_id + i, seq, at, action, "closed", "closed", json.dumps(payload), "[]", previous, own, at)
            previous = own


def fill(total, rng, city):
    """COPY the tickets, then their verdict events; return the number of events."""
    from django.db import connection

    from duban.ledger.models import Event, TicketCounter

    verdicts = []
    rows = tickets(total, rng, city, verdicts)
    for done in range(0, total, CHUNK):  # a COPY (and a transaction) per chunk
        copy_tickets(COLUMNS, islice(rows, CHUNK))
        print(f"{min(done + CHUNK, total)} tickets", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:  # a fresh table and one writer: the ids follow the rows
        cursor.execute("SELECT min(id), max(id), count(*) FROM ledger_ticket")
        first, last, count = cursor.fetchone()
    assert count == total and last - first + 1 == total, (first, last, count)
    copy_rows(Event, EVENT_FIELDS, event_rows(first, verdicts))
    for year in (START.year, NOW.year):
        TicketCounter.objects.update_or_create(year=year, defaults={"value": total})
    return sum(len(found) for _, _, found in verdicts)


def ticket_aggregate(column, condition, value, within=""):
    """The SQL aggregate of one ticket count, filtered to rows dated by `column` (and `within`)."""
    where = " AND ".join(c for c in (f"{column} IS NOT NULL", within.format(column=column), condition) if c)
    if value == "1":
        return f"count(*) FILTER (WHERE {where})"
    return f"coalesce(sum({value}) FILTER (WHERE {where}), 0)"


def verdict_aggregate(action, condition):
    return f"count(*) FILTER (WHERE {' AND '.join(c for c in (f'action = {action!r}', condition) if c)})"


def local_day(column):
    from django.conf import settings

    return f"({column} AT TIME ZONE '{settings.TIME_ZONE}')::date"


def fill_counters():
    """The counters of the tickets and events filled: one row per unit and local day (INSERT … SELECT)."""
    from django.db import connection, transaction

    from duban.figures.models import UNIT_DAY_COLUMNS

    branches = []
    for moment in sorted({column for column, _, _ in TICKET_COUNTS.values()}):
        mine = {name: ticket_aggregate(*spec) for name, spec in TICKET_COUNTS.items() if spec[0] == moment}
        values = ", ".join(f"{mine.get(c, '0')} AS {c}" for c in UNIT_DAY_COLUMNS)
        branches.append(f"SELECT lead_unit_id AS unit, {local_day(moment)} AS day, {values} FROM ledger_ticket "
                        f"WHERE lead_unit_id IS NOT NULL AND {moment} IS NOT NULL GROUP BY 1, 2")
    values = ", ".join(f"{verdict_aggregate(*VERDICT_COUNTS[c]) if c in VERDICT_COUNTS else '0'} AS {c}"
                       for c in UNIT_DAY_COLUMNS)
    branches.append(f"SELECT (payload->>'unit')::bigint AS unit, {local_day('at')} AS day, {values} "
                    "FROM ledger_event WHERE action IN ('rate', 'sample_rate') GROUP BY 1, 2")
    columns = ", ".join(UNIT_DAY_COLUMNS)
    sums = ", ".join(f"sum({c})" for c in UNIT_DAY_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # compiling 30 aggregates costs more than it saves here
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"INSERT INTO figures_unitday (unit_id, day, {columns}) SELECT unit, day, {sums} "
                       f"FROM ({' UNION ALL '.join(branches)}) AS facts GROUP BY unit, day")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE figures_unitday")
        cursor.execute("SELECT count(*) FROM figures_unitday")
        return cursor.fetchone()[0]


def baseline_sql():
    """The month's counts per unit straight from the ledger: one GROUP BY over all tickets, each count
    filtered on its own moment, beside one over the month's verdict events."""
    within = "{column} >= %(start)s AND {column} < %(end)s"
    tickets = ",\n  ".join(f"{ticket_aggregate(*spec, within=within)} AS {name}"
                           for name, spec in TICKET_COUNTS.items())
    verdicts = ",\n  ".join(f"{verdict_aggregate(*spec)} AS {name}" for name, spec in VERDICT_COUNTS.items())
    return (f"WITH tickets AS (SELECT lead_unit_id AS unit,\n  {tickets}\nFROM ledger_ticket "
            "WHERE lead_unit_id IS NOT NULL GROUP BY lead_unit_id),\n"
            f"verdicts AS (SELECT (payload->>'unit')::bigint AS unit,\n  {verdicts}\nFROM ledger_event "
            "WHERE action IN ('rate', 'sample_rate') AND at >= %(start)s AND at < %(end)s GROUP BY 1)\n"
            f"SELECT unit, {', '.join(TICKET_COUNTS)}, {', '.join(VERDICT_COUNTS)}\n"
            "FROM tickets FULL JOIN verdicts USING (unit)")


def moments(period):
    """The period's first and end moments, at local midnight."""
    return {"start": datetime.combine(period.start, datetime.min.time(), SHANGHAI),
            "end": datetime.combine(period.end, datetime.min.time(), SHANGHAI)}


def baseline(period, jit=True):
    """The period's ranking computed from the ledger, not the counters (`jit`: whether PostgreSQL
    may compile the query, as it does by default for one this costly)."""
    from django.db import connection, transaction

    from duban.figures.figures import Figures, rank
    from duban.figures.models import UNIT_DAY_COLUMNS
    from duban.org.models import Unit

    names = [*TICKET_COUNTS, *VERDICT_COUNTS]
    bounds = moments(period)
    with transaction.atomic(), connection.cursor() as cursor:
        if not jit:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(baseline_sql(), bounds)
        rows = cursor.fetchall()
    counts = {}
    for unit, *values in rows:
        found = dict(zip(names, (int(v or 0) for v in values)))
        if any(found.values()):
            counts[unit] = {c: found.get(c, 0) for c in UNIT_DAY_COLUMNS}
    units = Unit.objects.filter(pk__in=counts).values_list("pk", "name", "tier")
    return rank([Figures(pk, name, tier, counts[pk]) for pk, name, tier in units])


def same_figures(counted, straight):
    """Fail loudly unless both rankings hold the same units, counts and ranks, in the same order."""
    from duban.figures.models import UNIT_DAY_COLUMNS

    def table(figures):
        return [(f.unit_id, f.rank, {c: int(f.counts.get(c, 0)) for c in UNIT_DAY_COLUMNS}) for f in figures]

    a, b = table(counted), table(straight)
    if a != b:
        differ = [(x, y) for x, y in zip(a, b) if x != y][:3]
        raise SystemExit(f"ranking() and the GROUP BY disagree ({len(a)} against {len(b)} units); first "
                         f"differences:\n" + "\n".join(f"  counters: {x}\n  ledger:   {y}" for x, y in differ))
    return len(a)


def timed(function, runs, warm_up):
    for _ in range(warm_up):
        function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def sizes():
    """Rows and sizes (MB, with indexes) of the tables the two paths read."""
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for table in ("ledger_ticket", "ledger_event", "figures_unitday"):
            cursor.execute(f"SELECT count(*), pg_total_relation_size('{table}'), pg_relation_size('{table}') "
                           f"FROM {table}")
            rows, total, heap = cursor.fetchone()
            found[table] = {"rows": rows, "mb": round(total / 2**20), "heap_mb": round(heap / 2**20)}
    return found


def ranking_plan(period):
    """EXPLAIN ANALYZE of the query ranking() runs over the counters (as unit_figures builds it)."""
    from django.db.models import Sum

    from duban.figures.models import UNIT_DAY_COLUMNS, UnitDay

    days = UnitDay.objects.filter(day__gte=period.start, day__lt=period.end)
    return days.values("unit").annotate(**{f"s_{c}": Sum(c) for c in UNIT_DAY_COLUMNS}).explain(analyze=True,
                                                                                                  buffers=True)


def baseline_plan(period):
    """EXPLAIN ANALYZE of the baseline's query."""
    from django.db import connection

    bounds = moments(period)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + baseline_sql(), bounds)
        return "\n".join(row[0] for row in cursor.fetchall())


def main(total, runs=20):
    name = URL.rsplit("/", 1)[1]
    if not URL.startswith("postgres") or "bench" not in name:
        raise SystemExit(f"bench_ranking drops and creates its database: give it a PostgreSQL one named *bench*, "
                         f"not {URL}")
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    fresh_database(URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from duban.figures.figures import Period, ranking, unit_figures

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    city = setup_city()
    from bench_web import texts_pool
    city["pool"] = texts_pool(rng, city["categories"])

    started = time.perf_counter()
    events = fill(total, rng, city)
    fill_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ledger_ticket")
        cursor.execute("VACUUM ANALYZE ledger_event")
    vacuum_seconds = time.perf_counter() - started
    started = time.perf_counter()
    unit_days = fill_counters()
    counters_seconds = time.perf_counter() - started
    print(f"filled {total} tickets and {events} verdict events in {fill_seconds:.0f} s, vacuumed in "
          f"{vacuum_seconds:.0f} s, {unit_days} unit days in {counters_seconds:.0f} s", file=sys.stderr, flush=True)

    period = Period.month(MONTH)
    units = same_figures(ranking(period), baseline(period))
    ranked = sum(1 for f in ranking(period) if f.rank is not None)
    fast = timed(lambda: ranking(period), runs, WARM_UP)
    query = timed(lambda: unit_figures(period), runs, 1)
    slow = timed(lambda: baseline(period), BASELINE_RUNS, 1)
    slow_nojit = timed(lambda: baseline(period, jit=False), BASELINE_RUNS, 1)
    print(f"--- ranking(): the query over the counters\n{ranking_plan(period)}\n", file=sys.stderr)
    print(f"--- the baseline\n{baseline_sql()}\n{baseline_plan(period)}\n", file=sys.stderr)

    p50, p95 = percentile(fast, 0.5), percentile(fast, 0.95)
    b50, b95 = percentile(slow, 0.5), percentile(slow, 0.95)
    n50, n95 = percentile(slow_nojit, 0.5), percentile(slow_nojit, 0.95)
    tables = sizes()
    result = {"bench": "figures.ranking", "date": time.strftime("%Y-%m-%d"), "database": "postgresql",
              "tickets": total, "verdict_events": events, "unit_days": unit_days, "month": MONTH,
              "units_in_ranking": units, "units_ranked": ranked, "same_figures": True,
              "fill_seconds": round(fill_seconds, 1), "vacuum_seconds": round(vacuum_seconds, 1),
              "counters_seconds": round(counters_seconds, 1),
              "generation_seconds": round(fill_seconds + vacuum_seconds + counters_seconds, 1),
              "ranking_runs": runs, "ranking_p50_ms": round(p50, 1), "ranking_p95_ms": round(p95, 1),
              "unit_figures_p50_ms": round(percentile(query, 0.5), 1),
              "baseline_runs": BASELINE_RUNS, "baseline_p50_ms": round(b50, 1), "baseline_p95_ms": round(b95, 1),
              "baseline_nojit_p50_ms": round(n50, 1), "baseline_nojit_p95_ms": round(n95, 1),
              "ratio": round(min(b50, n50) / p50, 1),
              **{f"{table}_{key}": value for table, found in tables.items() for key, value in found.items()},
              "goal_p95_ms": GOAL_MS, "goal_met": p95 < GOAL_MS, "load_average": round(os.getloadavg()[0], 1)}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    arguments = [int(arg) for arg in sys.argv[1:3]]
    main(arguments[0] if arguments else int(os.environ.get("SIZE", 10_000_000)), *arguments[1:])

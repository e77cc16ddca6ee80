"""The monthly ranking of 400 units in a city of 10,000,000 tickets on PostgreSQL, against the same
ranking computed straight from the event log.

    .venv/bin/python bench/bench_ranking.py [size] [runs]        # the city of bench/city.py, SIZE (10,000,000)
    SIZE=200000 .venv/bin/python bench/bench_ranking.py          # a quick run

The city is bench/city.py's, `city.ensure(size)`: 400 leading units (12 districts, 288 streets, 100
departments), `size` tickets received over the twelve months up to 2026-11-01 with their whole
histories (about seven events each: dispatches, reassignments, acknowledgements, resolutions,
closings, reopenings, call-backs that reached nobody, verdicts and sampled verdicts, upheld appeals
that withdraw a verdict), and the counters per unit and day that the live path keeps for that log
(figures_unitday). Built once into BENCH_CITY_URL (postgres://…/duban_bench_city) and kept.

Measured in the same run, warm, for the month 2026-10:
- `duban.figures.figures.ranking(period)`: `runs` (20) times after a warm-up, p50/p95 in ms;
- the baseline: the same ranking computed from the ledger itself, as one would without counters: the
  events of every ticket with an event in the month, in order, each charged to the unit leading the
  ticket then (the last dispatch or reassignment before it: a window over the ticket's history), the
  counts of the month's events summed per unit in one GROUP BY as `duban.figures.counters.counts`
  defines them (an upheld appeal withdraws its verdict on the verdict's own day), then ranked by the
  same `rank()`: BASELINE_RUNS times, p50/p95, as the server runs it by default (JIT compilation on:
  it compiles a query this costly) and without JIT.
Before timing, the two are checked to agree unit by unit, every count and every rank; if they do not
the bench fails. Reports the ratio baseline / ranking (p50, the faster baseline), the goal (ranking
under 300 ms, p95), how much of it is `unit_figures` (the query and its rows), the city's size and
how long it took to build (when built by this run), table sizes, the load average of the machine
(other work skews every figure), and the plans of the ranking's query and of the baseline's (stderr).
Writes one JSON line to bench/results/ranking.json.
"""
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from common import percentile

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "ranking.json"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH = "2026-10"
GOAL_MS = 300
WARM_UP, BASELINE_RUNS = 3, 2
ASSIGNING = ("dispatch", "reassign")
# The counts of the other events (duban.figures.counters.counts): column → (actions, value summed).
EVENT_COUNTS = {
    "assigned": (ASSIGNING, "1"),
    "acknowledged": (("acknowledge",), "1"),
    "acknowledged_on_time": (("acknowledge",), "((payload->'clock'->>'on_time') = 'true')::int"),
    "returned": (("return",), "1"),
    "resolved": (("resolve",), "1"),
    "resolved_on_time": (("resolve",), "((payload->'clock'->>'on_time') = 'true')::int"),
    "resolve_work_seconds": (("resolve",), "coalesce((payload->'clock'->>'work_seconds')::bigint, 0)"),
    "closed": (("close",), "1"),
    "reopened": (("reopen",), "1"),
    "unreached": (("unreached",), "1"),
}
# A verdict's counts: (column without its prefix, a condition on the verdict as a JSON object `{v}`).
VERDICT_COUNTS = (("verdicts", "true"), ("contacted", "{v}->>'contacted' = 'true'"),
                  ("not_contacted", "{v}->>'contacted' = 'false'"), ("solved", "{v}->>'solved' = 'true'"),
                  ("unsolved", "{v}->>'solved' = 'false'"),
                  *((f"rated_{n}", f"{{v}}->>'rating' = '{n}'") for n in (5, 4, 3, 2, 1)))
VERDICTS = (("", "rate"), ("sampled_", "sample_rate"))


def listed(actions):
    return ", ".join(f"'{action}'" for action in actions)


def baseline_sql():
    """The month's counts per unit straight from the event log: the whole history of every ticket with
    an event in the month (or an appeal upheld against a verdict of the month), each event charged to
    the unit leading the ticket then, summed per unit in one GROUP BY."""
    in_month = "at >= %(start)s AND at < %(end)s"
    rated, rated_at = "(payload->'rating')", "(payload->'rating'->>'at')::timestamptz"
    withdrawn = f"action = 'uphold_appeal' AND {rated_at} >= %(start)s AND {rated_at} < %(end)s"
    columns = []
    for name, (actions, value) in EVENT_COUNTS.items():
        where = f"action IN ({listed(actions)}) AND {in_month}"
        columns.append(f"count(*) FILTER (WHERE {where}) AS {name}" if value == "1"
                       else f"coalesce(sum({value}) FILTER (WHERE {where}), 0) AS {name}")
    for prefix, action in VERDICTS:
        for column, condition in VERDICT_COUNTS:
            given = f"count(*) FILTER (WHERE action = '{action}' AND {in_month} AND {condition.format(v='payload')})"
            taken = (f"count(*) FILTER (WHERE {withdrawn} AND {rated}->>'action' = '{action}' AND "
                     f"{condition.format(v=rated)})")
            columns.append(f"{given} - {taken} AS {prefix}{column}")
    columns.append(f"count(*) FILTER (WHERE action = 'uphold_appeal' AND {in_month}) AS appeals_upheld")
    counted = [*(a for actions, _ in EVENT_COUNTS.values() for a in actions), "rate", "sample_rate", "uphold_appeal"]
    joined = ",\n  ".join(columns)
    return f"""WITH touched AS (
  SELECT DISTINCT ticket_id FROM ledger_event WHERE {in_month} OR ({withdrawn})),
history AS (
  SELECT e.ticket_id, e.seq, e.action, e.at, e.payload,
         count(*) FILTER (WHERE e.action IN ({listed(ASSIGNING)})) OVER (PARTITION BY e.ticket_id ORDER BY e.seq)
           AS assignment
  FROM ledger_event e WHERE e.ticket_id IN (SELECT ticket_id FROM touched)),
led AS (
  SELECT *, first_value((payload->>'lead_unit')::bigint) OVER (PARTITION BY ticket_id, assignment ORDER BY seq)
           AS lead
  FROM history),
steps AS (
  SELECT *, CASE WHEN action IN ({listed(ASSIGNING)}) THEN (payload->>'lead_unit')::bigint
                 WHEN action IN ('rate', 'sample_rate', 'return') THEN coalesce((payload->>'unit')::bigint, lead)
                 WHEN action = 'uphold_appeal' THEN coalesce((payload->'rating'->>'unit')::bigint, lead)
                 ELSE lead END AS unit
  FROM led WHERE action IN ({listed(counted)}) AND ({in_month} OR ({withdrawn})))
SELECT unit,
  {joined}
FROM steps WHERE unit IS NOT NULL GROUP BY unit"""


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

    bounds = moments(period)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        if not jit:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(baseline_sql(), bounds)
        names = [column.name for column in cursor.description][1:]
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
        raise SystemExit(f"ranking() and the event log disagree ({len(a)} against {len(b)} units); first "
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
    """Rows (as the last ANALYZE counted them) and sizes (MB, with indexes) of the tables the two paths read."""
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for table in ("ledger_ticket", "ledger_event", "figures_unitday"):
            cursor.execute(f"SELECT reltuples::bigint, pg_total_relation_size(oid), pg_relation_size(oid) "
                           f"FROM pg_class WHERE oid = '{table}'::regclass")
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
    """EXPLAIN ANALYZE of the baseline's query (as `baseline` runs it, JIT on)."""
    from django.db import connection, transaction

    bounds = moments(period)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + baseline_sql(), bounds)
        return "\n".join(row[0] for row in cursor.fetchall())


def main(total, runs=20):
    import city

    meta = city.ensure(total)  # Django is now set up on the city
    from duban.figures.figures import Period, ranking, unit_figures

    period = Period.month(MONTH)
    units = same_figures(ranking(period), baseline(period))
    ranked = sum(1 for f in ranking(period) if f.rank is not None)
    fast = timed(lambda: ranking(period), runs, WARM_UP)
    query = timed(lambda: unit_figures(period), runs, 1)
    slow = timed(lambda: baseline(period), BASELINE_RUNS, 0)
    slow_nojit = timed(lambda: baseline(period, jit=False), BASELINE_RUNS, 0)
    print(f"--- ranking(): the query over the counters\n{ranking_plan(period)}\n", file=sys.stderr)
    print(f"--- the baseline\n{baseline_sql()}\n{baseline_plan(period)}\n", file=sys.stderr)

    p50, p95 = percentile(fast, 0.5), percentile(fast, 0.95)
    b50, b95 = percentile(slow, 0.5), percentile(slow, 0.95)
    n50, n95 = percentile(slow_nojit, 0.5), percentile(slow_nojit, 0.95)
    tables = sizes()
    result = {"bench": "figures.ranking", "date": time.strftime("%Y-%m-%d"), "database": "postgresql",
              "tickets": meta["tickets"], "events": meta["events"], "unit_days": meta["unit_days"], "month": MONTH,
              "units_in_ranking": units, "units_ranked": ranked, "same_figures": True,
              "city_seconds": meta["total_seconds"], "city_workers": meta["workers"],
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

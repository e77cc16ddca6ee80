"""How fast add_workdays is, against a day-by-day walk over the same calendar.

    .venv/bin/python bench/bench_workdays.py [calls] [baseline_calls]

Times `calls` (1,000,000) add_workdays calls with random moments in 2024–2026 and random n
(0–20 working days), then `baseline_calls` (20,000) of a naive walk on the same inputs, checks
that both agree, prints ops/sec and the ratio, and writes one JSON line to
bench/results/workdays.json.
"""
import json
import platform
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from duban.lib.workdays import OFFICE_HOURS, SHANGHAI, WorkCalendar, days_from_chinesecalendar

RESULTS = Path(__file__).resolve().parent / "results" / "workdays.json"
FIRST, LAST = datetime(2024, 1, 1, tzinfo=SHANGHAI), datetime(2026, 11, 30, tzinfo=SHANGHAI)
MAX_N = 20


def random_inputs(count, seed=12345):
    """(moment, n) pairs: moments anywhere in the range, half in Shanghai time and half in UTC."""
    rng = random.Random(seed)
    span = int((LAST - FIRST).total_seconds())
    inputs = []
    for _ in range(count):
        moment = FIRST + timedelta(seconds=rng.randrange(span))
        if rng.random() < 0.5:
            moment = moment.astimezone(timezone.utc)
        inputs.append((moment, rng.randint(0, MAX_N)))
    return inputs


def naive_add_workdays(days, moment, n):
    """The baseline: the same convention, walking one day at a time."""
    day = moment.astimezone(SHANGHAI).date()
    if n == 0:
        while not days[day]:
            day += timedelta(1)
    while n:
        day += timedelta(1)
        n -= days[day]
    return datetime.combine(day, OFFICE_HOURS[-1][1], SHANGHAI)


def timed(function, inputs):
    """Seconds taken to call function(moment, n) for every input."""
    started = time.perf_counter()
    for moment, n in inputs:
        function(moment, n)
    return time.perf_counter() - started


def main(calls=1_000_000, baseline_calls=20_000):
    days = days_from_chinesecalendar(2024, 2026)
    started = time.perf_counter()
    calendar = WorkCalendar(days)
    build = time.perf_counter() - started

    inputs = random_inputs(calls)
    sample = inputs[:baseline_calls]
    for moment, n in sample:
        assert calendar.add_workdays(moment, n) == naive_add_workdays(days, moment, n), (moment, n)

    indexed = timed(calendar.add_workdays, inputs)
    naive = timed(lambda moment, n: naive_add_workdays(days, moment, n), sample)
    indexed_rate, naive_rate = calls / indexed, baseline_calls / naive

    print(f"index built in {build * 1000:.1f} ms for {len(days)} days")
    print(f"add_workdays  {calls:>9,} calls  {indexed:7.2f} s  {indexed_rate:12,.0f} ops/s")
    print(f"day-by-day    {baseline_calls:>9,} calls  {naive:7.2f} s  {naive_rate:12,.0f} ops/s")
    print(f"ratio         {indexed_rate / naive_rate:.1f}× faster (n uniform in 0–{MAX_N})")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "bench": "workdays.add_workdays",
        "date": date.today().isoformat(),
        "python": platform.python_version(),
        "calls": calls,
        "seconds": round(indexed, 4),
        "ops_per_sec": round(indexed_rate),
        "baseline": "day-by-day walk",
        "baseline_calls": baseline_calls,
        "baseline_seconds": round(naive, 4),
        "baseline_ops_per_sec": round(naive_rate),
        "ratio": round(indexed_rate / naive_rate, 2),
        "max_n": MAX_N,
        "index_build_ms": round(build * 1000, 2),
    }) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))

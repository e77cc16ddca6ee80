"""Duplicate search against 100,000 open tickets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench_dup .venv/bin/python bench/bench_duplicates.py [open] [queries]

Fills a fresh database (the PostgreSQL one named in DATABASE_URL, dropped and created; SQLite in
a temporary folder without it) with `open` (100,000) open tickets written from the demo city's
templates with random places, times and numbers, some with coordinates, and builds the index
(`duban triage reindex`). Then `queries` (1,000) searches as intake makes them: half retell an
existing ticket in other words (a clause dropped, particles changed, Traditional characters),
half are new matters. Measured in the same run:
- the search (`duplicates.find`): p50/p95/p99 latency; recall, how often a retold ticket's
  original is among the (at most five) answers — the templates make thousands of near-identical
  siblings, so this is a hard test; and agreement, how often the best answer is as similar as the
  best match of an exhaustive search (within 0.05) — what the index may miss;
- the baseline: the same search done the straightforward way, comparing the report with every
  open ticket's text (on a sample of queries, since it is slow).
The goal is p95 under 20 ms. Writes one JSON line to bench/results/duplicates.json.
"""
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from common import fresh_database, percentile

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "duplicates.json"
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
GOAL_P95_MS = 20
BASELINE_QUERIES = 50


def context(rng):
    from duban.demo import texts

    roads = rng.sample(texts.ROADS, 2)
    return {"xq": rng.choice(texts.XIAOQU) + rng.choice(["", "一期", "二期", "三期", "东区", "西区"]),
            "road": roads[0], "road2": roads[1], "bld": rng.randint(1, 36), "unit": rng.randint(1, 6),
            "floor": rng.randint(1, 7), "n": rng.randint(2, 9), "months": rng.randint(2, 8),
            "days": rng.randint(3, 20), "amount": rng.randint(1000, 200000), "color": rng.choice(texts.COLORS),
            "market": rng.choice(texts.MARKETS), "school": rng.choice(texts.SCHOOLS),
            "hospital": rng.choice(texts.HOSPITALS), "shop": rng.choice(texts.SHOPS),
            "bus": rng.choice(texts.BUS_LINES), "company": rng.choice(texts.SHOPS) + "有限公司",
            "project": rng.choice(texts.ROADS) + "改造工程"}


def write(rng):
    from duban.demo import texts

    title, description = rng.choice([t for group in texts.TEMPLATES.values() for t in group])
    values = context(rng)
    return title.format(**values)[:200], description.format(**values)


def retell(rng, description):
    """The same matter told by another caller: a clause dropped, words swapped, maybe Traditional."""
    from opencc import OpenCC

    clauses = [c for c in description.replace("。", "，").split("，") if c]
    if len(clauses) > 2:
        clauses.pop(rng.randrange(1, len(clauses)))
    text = "，".join(clauses)
    for a, b in [("希望", "请"), ("已经", ""), ("长期", "一直"), ("没有", "没"), ("尽快", "赶紧")]:
        text = text.replace(a, b)
    text = rng.choice(["", "市民来电反映：", "你好，", "我要反映个事，"]) + text + rng.choice(["。", "！", "，谢谢。"])
    return OpenCC("s2t").convert(text) if rng.random() < 0.2 else text


def fill(total, rng):
    from duban.catalogue.models import Category, Channel
    from duban.ledger.models import Ticket
    from duban.org.models import Unit

    city = Unit.objects.create(name="江城市", tier="city")
    district = Unit.objects.create(name="江南区", tier="district", parent=city)
    category = Category.objects.create(name="城市管理", default_kind="complaint")
    channel = Channel.objects.get(code="hotline")
    rows = []
    for i in range(total):
        title, description = write(rng)
        located = rng.random() < 0.6
        at = NOW - timedelta(minutes=rng.randint(1, 60 * 24 * 60))
        rows.append(Ticket(number=f"DP2026-{i + 1:07d}", kind="complaint", category=category, channel=channel,
                           title=title, description=description, area=district, state="dispatched",
                           latitude=43.80 + rng.random() * 0.1 if located else None,
                           longitude=126.50 + rng.random() * 0.1 if located else None,
                           created_at=at, updated_at=at, head_hash="0" * 64))
        if len(rows) == 5000:
            Ticket.objects.bulk_create(rows)
            rows.clear()
    Ticket.objects.bulk_create(rows)


def main(total=100_000, queries=1_000):
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    fresh_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from duban.ledger.models import Ticket
    from duban.lib.text import compact, pairs
    from duban.triage import duplicates
    from duban.triage.models import Fingerprint

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    started = time.perf_counter()
    fill(total, rng)
    fill_seconds = time.perf_counter() - started
    started = time.perf_counter()
    indexed = duplicates.reindex()
    index_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    sample = list(Ticket.objects.order_by("?").values_list("pk", "description", "latitude", "longitude")[:queries // 2])
    asks = [(retell(rng, d), lat, lon, pk) for pk, d, lat, lon in sample]
    asks += [(write(rng)[1], None, None, None) for _ in range(queries - len(asks))]
    rng.shuffle(asks)
    duplicates.find(asks[0][0])  # load OpenCC and the permutations once, as a warm worker has
    latencies, found, retold = [], 0, 0
    for text, lat, lon, original in asks:
        started = time.perf_counter()
        matches = duplicates.find(text, latitude=lat, longitude=lon)
        latencies.append((time.perf_counter() - started) * 1000)
        if original is not None:
            retold += 1
            found += any(m.ticket.pk == original for m in matches)

    def brute_force(text):
        mine = pairs(compact(text))
        return sorted(((duplicates.similarity(mine, pairs(other)), pk) for pk, other
                       in Fingerprint.objects.values_list("ticket_id", "text").iterator(chunk_size=10_000)),
                      reverse=True)[:5]

    # The exhaustive search is the truth the index approximates: how often is its best match
    # (when it is similar enough to be shown) among the index's answers?
    naive, agree, judged = [], 0, 0
    threshold = duplicates.DEFAULT_SIMILARITY
    for text, _lat, _lon, _original in asks[:BASELINE_QUERIES]:
        started = time.perf_counter()
        best = brute_force(text)
        naive.append((time.perf_counter() - started) * 1000)
        if best and best[0][0] >= threshold:
            judged += 1
            ours = max((m.similarity for m in duplicates.find(text)), default=0.0)
            agree += ours >= best[0][0] - 0.05

    p95 = percentile(latencies, 0.95)
    result = {"bench": "triage.duplicates", "date": time.strftime("%Y-%m-%d"), "database": connection.vendor,
              "open_tickets": indexed, "queries": len(asks), "fill_seconds": round(fill_seconds, 1),
              "reindex_seconds": round(index_seconds, 1), "reindex_per_sec": round(indexed / index_seconds),
              "p50_ms": round(percentile(latencies, 0.5), 2), "p95_ms": round(p95, 2),
              "p99_ms": round(percentile(latencies, 0.99), 2), "mean_ms": round(statistics.mean(latencies), 2),
              "recall_retold": round(found / retold, 3) if retold else None,
              "agreement_with_exhaustive": round(agree / judged, 3) if judged else None,
              "exhaustive_judged": judged,
              "baseline_scan_all_ms": round(statistics.median(naive), 1),
              "speedup_vs_scan": round(statistics.median(naive) / percentile(latencies, 0.5), 1),
              "goal_p95_ms": GOAL_P95_MS, "goal_met": p95 < GOAL_P95_MS}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))

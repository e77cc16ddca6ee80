"""The escalation sweep over 1,000,000 open tickets on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench .venv/bin/python bench/bench_sweep.py [open] [due]

Fills a fresh database with `open` (1,000,000) open tickets by COPY, `due` (10,000) of them past
their next escalation moment, and measures in the same run:
- finding the due tickets through the partial index (what the sweep does), against the
  straightforward alternative: reading every open ticket into Python and checking its clock;
- the whole sweep: escalating every due ticket, an event and its notifications each.
Writes one JSON line to bench/results/sweep.json.
"""
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from common import copy_tickets, fresh_database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/duban_bench")
os.environ["DATABASE_URL"] = URL
RESULTS = Path(__file__).resolve().parent / "results" / "sweep.json"
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def setup_city():
    from duban.catalogue.models import Category, Channel
    from duban.org.models import Person, Unit

    city = Unit.objects.create(name="江城市", tier="city")
    district = Unit.objects.create(name="江南区", tier="district", parent=city)
    units = [Unit.objects.create(name=f"部门{i}", tier="department", parent=city) for i in range(40)]
    category = Category.objects.create(name="僵尸车", default_kind="complaint")
    channel = Channel.objects.get(code="hotline")
    Person.objects.create_user("bench", role="dispatcher", unit=city, scope=city)
    return units, category, channel, district


def copy_open_tickets(total, due, units, category, channel, district):
    """COPY `total` dispatched tickets; `due` of them with their next escalation in the past."""
    rng = random.Random(2026)
    due_rows = set(rng.sample(range(total), due))

    def rows():
        for i in range(total):
            started = NOW - timedelta(days=rng.randint(3, 20))
            deadline = (NOW - timedelta(hours=rng.randint(1, 48)) if i in due_rows
                        else NOW + timedelta(days=rng.randint(1, 30)))
            yield (f"BN2026-{i + 1:07d}", rng.choice(units).pk, started, started, deadline, deadline, deadline,
                   started, started)

    copy_tickets(["number", "lead_unit_id", "clock_started_at", "ack_due_at", "resolve_due_at", "warn_at",
                  "next_escalation_at", "created_at", "updated_at"], rows(),
                 kind="complaint", category_id=category.pk, channel_id=channel.pk, title="僵尸车占道",
                 description="一辆车停了半年", area_id=district.pk, state="in_progress")


def main(total=1_000_000, due=10_000):
    fresh_database(URL)
    import django
    django.setup()
    from django.core.management import call_command
    from duban.clock.escalation import due_tickets, sweep
    from duban.ledger.models import Ticket

    call_command("migrate", verbosity=0)
    units, category, channel, district = setup_city()
    started = time.perf_counter()
    copy_open_tickets(total, due, units, category, channel, district)
    fill_seconds = time.perf_counter() - started

    started = time.perf_counter()
    indexed = list(due_tickets(NOW).values_list("pk", flat=True))
    indexed_seconds = time.perf_counter() - started
    plan = due_tickets(NOW).values("pk").explain()

    started = time.perf_counter()
    naive = [pk for pk, moment in Ticket.objects.exclude(state__in=["closed", "declined", "merged"])
             .values_list("pk", "next_escalation_at").iterator(chunk_size=20_000) if moment and moment <= NOW]
    naive_seconds = time.perf_counter() - started
    assert sorted(indexed) == sorted(naive) and len(indexed) == due

    started = time.perf_counter()
    steps = sweep(NOW)
    sweep_seconds = time.perf_counter() - started
    assert steps == due, steps
    started = time.perf_counter()
    assert sweep(NOW) == 0
    idle_seconds = time.perf_counter() - started

    result = {"bench": "clock.sweep", "date": time.strftime("%Y-%m-%d"), "open_tickets": total, "due": due,
              "fill_seconds": round(fill_seconds, 1),
              "find_due_indexed_ms": round(indexed_seconds * 1000, 1), "find_due_naive_ms": round(naive_seconds * 1000, 1),
              "find_ratio": round(naive_seconds / indexed_seconds, 1), "uses_index": "ticket_escalation_due" in plan,
              "sweep_seconds": round(sweep_seconds, 2), "escalations_per_sec": round(steps / sweep_seconds),
              "idle_sweep_ms": round(idle_seconds * 1000, 1)}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))

"""Intake of a ticket end to end through the REST API, in process.

    .venv/bin/python bench/bench_intake.py [tickets]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench_intake .venv/bin/python bench/bench_intake.py

On a fresh database (SQLite in a temporary folder, or the PostgreSQL one named in DATABASE_URL,
dropped and created) with a small city, its catalogue and 2,000 open tickets already indexed,
files `tickets` (500) complaints, each distinct, and measures in the same run:
- the API: POST /api/v1/tickets with an API key and an Idempotency-Key, through Django's whole
  request cycle (middleware, key check, idempotency record, take_in: normalise, receive, duplicate
  search, dispatch by the catalogue, the clock) — no network;
- take_in called directly, the same work without HTTP;
- the floor: one ORM insert of a one-row record per request, in its own transaction.
The HTTP figures over gunicorn belong to the load benchmark. Writes bench/results/intake.json.
"""
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import fresh_database

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "intake.json"
BACKGROUND = 2_000


def setup_city():
    from duban.catalogue.models import Category, Channel, DispatchRule
    from duban.intake import keys
    from duban.org.models import Unit

    city = Unit.objects.create(name="江城市", tier="city")
    district = Unit.objects.create(name="江南区", tier="district", parent=city)
    street = Unit.objects.create(name="西山街道", tier="street", parent=district)
    chengguan = Unit.objects.create(name="城市管理行政执法局", tier="department", parent=city)
    category = Category.objects.create(name="僵尸车", default_kind="complaint")
    DispatchRule.objects.create(category=category, lead_unit=chengguan)
    _key, raw = keys.create("市民App", Channel.objects.get(code="app"))
    return category, street, raw


def main(count=500):
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    fresh_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from bench.bench_duplicates import write
    from duban.intake.models import IdempotencyRecord
    from duban.intake.service import Report, take_in

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    category, street, raw = setup_city()
    rng = random.Random(7)
    for _ in range(BACKGROUND):
        take_in(Report(channel="hotline", description=write(rng)[1], category=category, area=street), dispatch=False)
    texts = [write(rng)[1] + f"（第{i}件）" for i in range(3 * count)]

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    started = time.perf_counter()
    for i in range(count):
        body = json.dumps({"description": texts[i], "category": category.pk, "area": street.pk,
                           "reporter_phone": "13812345678"})
        response = client.post("/api/v1/tickets", body, content_type="application/json",
                               HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **headers)
        assert response.status_code == 201, response.content
    api_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for i in range(count, 2 * count):
        take_in(Report(channel="app", description=texts[i], category=category, area=street))
    direct_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for i in range(count):
        with transaction.atomic():
            IdempotencyRecord.objects.create(scope="floor", key=str(i), fingerprint="0" * 64, status=201, body=b"{}")
    floor_seconds = time.perf_counter() - started

    result = {"bench": "intake.api", "date": time.strftime("%Y-%m-%d"), "database": connection.vendor,
              "tickets": count, "open_before": BACKGROUND,
              "api_per_sec": round(count / api_seconds, 1), "api_ms_each": round(api_seconds / count * 1000, 2),
              "take_in_per_sec": round(count / direct_seconds, 1),
              "floor_insert_per_sec": round(count / floor_seconds, 1),
              "api_vs_floor": round(floor_seconds / api_seconds, 3),
              "http_overhead_share": round(1 - direct_seconds / api_seconds, 3)}
    RESULTS.parent.mkdir(exist_ok=True)
    path = RESULTS.with_name(f"intake-{connection.vendor}.json")
    path.write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main(*(int(arg) for arg in sys.argv[1:2]))

"""Exporting 1,000,000 tickets to CSV and .xlsx, in constant memory.

    .venv/bin/python bench/bench_export.py [tickets]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench_export .venv/bin/python bench/bench_export.py

Fills a fresh database (SQLite in a temporary folder by default; the PostgreSQL database named in
DATABASE_URL is dropped and created) with `tickets` (1,000,000) tickets by bulk_create, then runs
each export in a child process and reports its rows/s and the child's peak memory (VmHWM),
against the baseline: the csv module writing as many plain rows of the same width. Writes one
JSON line to bench/results/export.json.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from common import fresh_database, peak_rss_mb

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "export.json"
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI)
BATCH = 5000
WIDTH = 18  # the columns of duban.ledger.export.HEADERS


def fill(total):
    from duban.catalogue.models import Category, Channel
    from duban.ledger.models import Ticket
    from duban.org.models import Person, Unit

    city = Unit.objects.create(name="江城市", tier="city")
    units = [Unit.objects.create(name=f"部门{i}", tier="department", parent=city) for i in range(40)]
    category = Category.objects.create(name="僵尸车", default_kind="complaint")
    channel = Channel.objects.get(code="hotline")
    Person.objects.create_user("bench", role="supervisor", unit=city, scope=city)
    rng = random.Random(2026)
    kinds = ["complaint"] * 8 + ["inquiry", "report"]
    for first in range(0, total, BATCH):
        batch = []
        for i in range(first, min(first + BATCH, total)):
            at = START + timedelta(minutes=i)
            batch.append(Ticket(
                number=f"JC2026-{i + 1:07d}", kind=rng.choice(kinds), category=category, channel=channel,
                title="小区门口僵尸车占道", description=f"一辆白色轿车在富强小区门口停了半年，落满灰尘。编号{i}",
                address="江南区富强小区东门", state="dispatched", lead_unit=rng.choice(units),
                reporter_name="周大爷", reporter_phone=f"138{i:08d}", created_at=at, updated_at=at,
                clock_started_at=at, ack_due_at=at + timedelta(hours=4), resolve_due_at=at + timedelta(days=21)))
        Ticket.objects.bulk_create(batch)


def child(mode, out):
    """Run one export (or the baseline) and print its seconds and the peak memory of this process."""
    import csv

    rows = 0
    started = time.perf_counter()
    if mode == "baseline":
        row = ["JC2026-0000001", "12345热线", "投诉", "僵尸车", "小区门口僵尸车占道", "一辆白色轿车……",
               "江南区富强小区东门", "", "部门1", "一般", "已派单", "2026-01-05 09:00", "2026-01-05 13:00",
               "2026-01-26 09:00", "", "", "周**", "138****0001"]
        assert len(row) == WIDTH
        with open(out, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            for _ in range(int(os.environ["BENCH_ROWS"])):
                writer.writerow(row)
                rows += 1
    else:
        import django

        django.setup()
        from duban.ledger import export
        from duban.ledger.models import Ticket
        from duban.org.models import Person

        viewer = Person.objects.get(username="bench")
        writer = export.write_csv if mode == "csv" else export.write_xlsx
        with open(out, "wb") as handle:
            writer(Ticket.objects.all(), handle, viewer)
        rows = Ticket.objects.count()
    seconds = time.perf_counter() - started
    peak_mb = peak_rss_mb()
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb, "bytes": Path(out).stat().st_size}))


def measure(mode, folder, env):
    out = folder / f"export.{'xlsx' if mode == 'xlsx' else 'csv'}"
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(out)], env=env, check=True,
                          capture_output=True, text=True, cwd=HERE.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(total=1_000_000):
    folder = Path(tempfile.mkdtemp(prefix="duban-bench-export-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "duban.settings",
           "BENCH_ROWS": str(total), "PYTHONPATH": str(HERE.parent)}
    os.environ.update(env)
    fresh_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill(total)
    fill_seconds = time.perf_counter() - started

    baseline, as_csv, as_xlsx = (measure(mode, folder, env) for mode in ("baseline", "csv", "xlsx"))
    assert as_csv["rows"] == as_xlsx["rows"] == total
    result = {"bench": "ledger.export", "date": time.strftime("%Y-%m-%d"),
              "database": "postgresql" if url.startswith("postgres") else "sqlite", "tickets": total,
              "fill_seconds": round(fill_seconds, 1),
              "baseline_csv_rows_per_sec": round(total / baseline["seconds"]),
              "baseline_peak_mb": round(baseline["peak_mb"]),
              "csv_rows_per_sec": round(total / as_csv["seconds"]), "csv_seconds": round(as_csv["seconds"], 1),
              "csv_peak_mb": round(as_csv["peak_mb"]), "csv_mb": round(as_csv["bytes"] / 2**20),
              "csv_slowdown": round(as_csv["seconds"] / baseline["seconds"], 1),
              "xlsx_rows_per_sec": round(total / as_xlsx["seconds"]), "xlsx_seconds": round(as_xlsx["seconds"], 1),
              "xlsx_peak_mb": round(as_xlsx["peak_mb"]), "xlsx_mb": round(as_xlsx["bytes"] / 2**20),
              "xlsx_slowdown": round(as_xlsx["seconds"] / baseline["seconds"], 1)}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        main(*(int(arg) for arg in sys.argv[1:2]))

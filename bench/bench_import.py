"""Importing a 100,000-row ledger workbook: parsing it, then writing every row through take_in.

    .venv/bin/python bench/bench_import.py [rows]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench_import .venv/bin/python bench/bench_import.py

Generates a workbook of `rows` (100,000) rows in the shape offices keep (a title row, the usual
columns, dates written three ways, a unit and a category on every row), on a fresh database
(SQLite in a temporary folder by default; the PostgreSQL database named in DATABASE_URL is dropped
and created). Measures in the same run the baseline, calamine (the reader duban uses) merely
reading every value of the file, and openpyxl's read-only reader for comparison (duban read with
it before), then duban.intake.sheets.read (parse) and sheets.write (every row through
take_in_many, in one transaction). The goal is parse + write under 60 s. The clock is frozen at a fixed
Monday so that the deadlines are in the future. Writes one JSON line to bench/results/import-DATABASE.json.
"""
import json
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

from common import fresh_database

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
GOAL_SECONDS = 60
HEADER = ["序号", "问题来源", "问题描述", "责任单位", "责任人", "整改时限", "整改措施", "整改进展", "是否销号",
          "问题类别"]


def setup_city():
    from duban.catalogue.models import Category
    from duban.org.models import Person, Unit

    city = Unit.objects.create(name="江城市", tier="city")
    units = [Unit.objects.create(name=f"第{i}部门", tier="department", parent=city, aliases=[f"{i}部"])
             for i in range(40)]
    top = Category.objects.create(name="作风建设", default_kind="complaint")
    categories = [Category.objects.create(name=f"作风问题{i}", parent=top) for i in range(20)]
    Person.objects.create_user("bench", role="dispatcher", unit=city, scope=city)
    return units, categories


def make_workbook(path, total, units, categories):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("问题清单")
    sheet.append(["2026年江城市作风建设问题整改台账"])
    sheet.append(HEADER)
    for i in range(total):
        month, day = 4 + i % 8, 1 + i % 28
        due = [f"2026年{month}月{day}日", f"2026.{month:02d}.{day:02d}", f"{month}月{day}日"][i % 3]
        sheet.append([i + 1, "督查暗访", f"第{i + 1}号问题：窗口工作人员上班时间脱岗，群众办事等候{i % 90 + 10}分钟",
                      units[i % len(units)].name, "张三", due, "加强考勤，约谈当事人", "已整改", "否",
                      categories[i % len(categories)].name])
    workbook.save(path)


def calamine_read(path):
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    return sum(1 for name in workbook.sheet_names for _row in workbook.get_sheet_by_name(name).iter_rows())


def openpyxl_read(path):
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    return sum(1 for sheet in workbook.worksheets for _row in sheet.iter_rows(values_only=True))


def main(total=100_000):
    folder = Path(tempfile.mkdtemp(prefix="duban-bench-import-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="duban.settings")
    fresh_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from duban.intake import sheets
    from duban.ledger.models import Ticket
    from duban.org.models import Person

    call_command("migrate", verbosity=0)
    with time_machine.travel(NOW, tick=True):
        units, categories = setup_city()
        path = folder / "台账.xlsx"
        make_workbook(path, total, units, categories)

        started = time.perf_counter()
        assert calamine_read(path) == total + 2
        baseline_seconds = time.perf_counter() - started
        started = time.perf_counter()
        assert openpyxl_read(path) == total + 2
        openpyxl_seconds = time.perf_counter() - started

        started = time.perf_counter()
        with open(path, "rb") as handle:
            preview = sheets.read(handle, path.name)
        parse_seconds = time.perf_counter() - started
        assert len(preview.rows) == total and not preview.errors, preview.errors[:5]

        started = time.perf_counter()
        written = sheets.write(preview, Person.objects.get(username="bench"))
        write_seconds = time.perf_counter() - started
        assert Ticket.objects.count() == total and not written.warnings, written.warnings[:5]

    result = {"bench": "intake.import", "date": time.strftime("%Y-%m-%d"),
              "database": "postgresql" if url.startswith("postgres") else "sqlite", "rows": total,
              "file_mb": round(path.stat().st_size / 2**20, 1),
              "baseline_calamine_read_seconds": round(baseline_seconds, 2),
              "openpyxl_read_seconds": round(openpyxl_seconds, 1),
              "parse_seconds": round(parse_seconds, 1), "parse_ratio": round(parse_seconds / baseline_seconds, 1),
              "parse_rows_per_sec": round(total / parse_seconds),
              "write_seconds": round(write_seconds, 1), "write_rows_per_sec": round(total / write_seconds),
              "total_seconds": round(parse_seconds + write_seconds, 1),
              "goal_met": parse_seconds + write_seconds < GOAL_SECONDS}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"import-{result['database']}.json").write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    for item in folder.iterdir():
        item.unlink()
    folder.rmdir()


if __name__ == "__main__":
    import sys

    main(*(int(arg) for arg in sys.argv[1:2]))

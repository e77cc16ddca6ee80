"""The test city in a database that child processes can reach, written by a child process.

pytest-django's SQLite test database lives in memory, out of reach of a `duban` child; the tests of
backups and of a killed worker use a file database of their own (`migrated_sqlite`), or on PostgreSQL
the test database itself, and fill it from a child of this module with tests/base's city and helpers.

Usage (DATABASE_URL names the database):
  python -m tests.backup.city write READY_FILE STOP_FILE TICKETS
      the city, TICKETS tickets (received, dispatched, noted) and a checkpoint; then READY_FILE is
      touched and more tickets are written until STOP_FILE exists; prints how many in all
  python -m tests.backup.city supervise TICKETS ROBOT_URL
      the city, a WeCom robot for 城管局 at ROBOT_URL and a phone for the steward, then TICKETS
      dispatched tickets each supervised (督办): two messages each in the outbox, robot and SMS
"""
import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITE_AT_MOST_SECONDS = 120


def child_env(database_url, **extra):
    """A child's environment: this database, the parent's travelled clock (tests/child.py)."""
    from tests import child

    return {**child.env(), "DATABASE_URL": database_url, **extra}


def sqlite_url(path):
    return f"sqlite:///{Path(path).resolve()}"


def duban(*args, env, timeout=180):
    return subprocess.run([sys.executable, "-m", "duban", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def migrated_sqlite(folder):
    """A migrated, empty SQLite database file in `folder` (copy it for each use)."""
    path = Path(folder) / "migrated.sqlite3"
    done = duban("migrate", "--verbosity", "0", env=child_env(sqlite_url(path)), timeout=600)
    assert done.returncode == 0, done.stderr
    return path


def copy_database(template, target):
    shutil.copy(template, target)
    return target


def wait_for(condition, timeout, what):
    """Poll `condition` until it holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def city():
    """tests/base's city, built here, as a class with its helpers (new_ticket, dispatched_ticket)."""
    from tests.base import DubanTestCase, build_city

    class City(DubanTestCase):
        pass

    build_city(City)
    return City


def a_ticket(city_class, i):
    ticket = city_class.dispatched_ticket(title=f"备份测试工单 {i}")
    from duban.ledger.machine import perform

    perform(ticket, "note", city_class.handler, text=f"第 {i} 件的办理备注")
    return ticket


def write(ready_file, stop_file, tickets):
    from duban.ledger.integrity import make_checkpoint

    town = city()
    for i in range(tickets):
        a_ticket(town, i)
    make_checkpoint(margin_seconds=0)
    Path(ready_file).touch()
    written, started = tickets, time.monotonic()
    while not Path(stop_file).exists() and time.monotonic() - started < WRITE_AT_MOST_SECONDS:
        a_ticket(town, written)
        written += 1
    print(written)


def supervise(tickets, robot_url):
    from django.utils import timezone

    from duban.ledger.machine import perform
    from duban.notify.models import Endpoint

    town = city()
    Endpoint.objects.create(unit=town.chengguan, transport="wecom", url=robot_url)
    town.steward.phone = "13900001111"
    town.steward.save(update_fields=["phone"])
    for i in range(tickets):
        ticket = town.dispatched_ticket(title=f"督办测试工单 {i}")
        perform(ticket, "supervise", town.supervisor, text=f"三日内办结第 {i} 件",
                due=timezone.now() + timedelta(days=3))


def main(command, *args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    from tests.child import follow_parent_clock

    follow_parent_clock()
    import django

    django.setup()
    if command == "write":
        write(args[0], args[1], int(args[2]))
    elif command == "supervise":
        supervise(int(args[0]), args[1])
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(*sys.argv[1:])

"""Child processes started by tests: same database, same moment.

The suite runs on a travelled clock (see conftest.py). A child process started with `env()` reads
the test database from DATABASE_URL and, by calling `follow_parent_clock()` first, travels to the
same moment as its parent — the same offset from the real clock, so parent and siblings agree on
the order of what they write — and its tickets are numbered in the same year and its deadlines fall
in the same calendar.
"""
import os
from datetime import datetime, timedelta, timezone

NOW, REAL = "DUBAN_TEST_NOW", "DUBAN_TEST_REAL"


def env():
    from django.db import connection

    settings = connection.settings_dict
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
        USER=settings["USER"], HOST=settings["HOST"] or "127.0.0.1", PORT=settings["PORT"] or 5432,
        NAME=settings["NAME"])
    import time_machine

    return {**os.environ, "DATABASE_URL": url, NOW: datetime.now(timezone.utc).isoformat(),
            REAL: repr(time_machine.escape_hatch.time.time())}


def follow_parent_clock():
    if NOW in os.environ:
        import time

        import time_machine

        moment = datetime.fromisoformat(os.environ[NOW]) + timedelta(
            seconds=time.time() - float(os.environ[REAL]))
        time_machine.travel(moment, tick=True).start()

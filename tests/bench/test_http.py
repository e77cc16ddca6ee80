"""bench/bench_intake_http.py: duban and the floor under gunicorn, loaded by wrk for a few seconds,
store every ticket they acknowledge exactly once; and the check that says so can tell when not."""
import shutil
from urllib.parse import quote

import pytest

from tests.bench import bench_module

PORTS = {"duban": 8911, "floor": 8912, "peer": 8913}
needs_wrk = pytest.mark.skipif(shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)")


@pytest.fixture(scope="module")
def http():
    return bench_module("bench_intake_http")


def briefly(http, url, folder):
    return http.measure(url, str(folder), seconds=3, warm_up=1, background=20, overdue=5, with_peer=False,
                        ports=PORTS, logs=folder)


def assert_stored_as_acknowledged(result, found):
    assert found == {"duban": [], "floor": []}
    assert result["duban_requests"] > 0 and result["floor_requests"] > 0
    assert result["duban_non_2xx"] == 0 and result["floor_non_2xx"] == 0
    assert result["duban_tickets_stored"] >= result["duban_requests"]
    assert result["duban_dispatched_share"] >= 0.99  # no report held back as a possible duplicate
    assert 0 < result["duban_web_peak_rss_mb"] and 0 < result["duban_worker_peak_rss_mb"]
    assert result["duban_vs_floor"] == round(result["duban_per_sec"] / result["floor_per_sec"], 3)


@needs_wrk
def test_every_acknowledged_ticket_is_stored_once_on_sqlite(http, tmp_path):
    result, found = briefly(http, f"sqlite:///{tmp_path}/duban.sqlite3", tmp_path)

    assert result["database"] == "sqlite"
    assert_stored_as_acknowledged(result, found)


@needs_wrk
@pytest.mark.postgres
def test_every_acknowledged_ticket_is_stored_once_on_postgresql(http, tmp_path):
    from django.conf import settings

    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/duban_bench_http_test"
    result, found = briefly(http, url, tmp_path)

    assert result["database"] == "postgresql"
    assert_stored_as_acknowledged(result, found)


def run(ok, sent, answered, captured):
    return {"ok": ok, "sent": sent, "answered": answered, "captured": captured}


def test_the_check_passes_when_the_unanswered_were_stored(http):
    runs = [run(2, 4, 2, ["A", "B"]), run(1, 2, 2, ["C"])]
    held = {"stored": 5, "distinct": 5, "acknowledged_found": 3, "with_first_event": 5}

    assert http.problems(runs, held) == []


def test_the_check_reports_an_acknowledged_ticket_not_stored(http):
    runs = [run(3, 3, 3, ["A", "B", "C"])]
    held = {"stored": 3, "distinct": 3, "acknowledged_found": 2, "with_first_event": 3}

    assert http.problems(runs, held) == ["1 acknowledged rows are not stored"]


def test_the_check_reports_a_request_stored_twice(http):
    runs = [run(2, 2, 2, ["A", "B"])]
    held = {"stored": 3, "distinct": 2, "acknowledged_found": 2, "with_first_event": 3}

    assert http.problems(runs, held) == ["1 requests stored twice", "3 stored for 2 acknowledged and 0 unanswered"]


def test_the_check_reports_a_ticket_without_its_first_event(http):
    runs = [run(1, 1, 1, ["A"])]
    held = {"stored": 1, "distinct": 1, "acknowledged_found": 1, "with_first_event": 0}

    assert http.problems(runs, held) == ["1 tickets without their first event"]


def test_the_check_reports_an_answer_that_names_a_row_twice(http):
    runs = [run(2, 2, 2, ["A", "A"])]
    held = {"stored": 2, "distinct": 2, "acknowledged_found": 2, "with_first_event": 2}

    assert http.problems(runs, held) == ["1 answers named a row already named"]

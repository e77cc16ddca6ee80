"""bench/load.py, briefly: clients at once against gunicorn and a PostgreSQL cluster of the tests' own —
no 5xx, every ticket answered 201 stored once with its first event, the ledger intact; and the same
after gunicorn is killed with SIGKILL in the middle, and after PostgreSQL restarts in the middle (503
with Retry-After meanwhile, never a 500, and served again without restarting gunicorn).

The cluster is started once for the module, a city prepared once in a template database; each test
loads a copy of it. Everything runs on the loopback and stops by itself."""
import psycopg
import pytest

from tests.bench import bench_module
from tests.deploy.test_stack import free_port

CLIENTS, SECONDS, WORKERS = 20, 8, 2


@pytest.fixture(scope="module")
def load():
    return bench_module("load")


@pytest.fixture(scope="module")
def cluster(load):
    """A private cluster with the city in database `load_city`; its URL, restart() and the setup."""
    port = free_port()
    with load.private_postgres(port) as restart:
        server = f"postgres://postgres@127.0.0.1:{port}"
        load.fresh_database(f"{server}/load_city")
        setup = load.in_django(load.__file__, f"{server}/load_city", "prepare", "20")
        yield {"server": server, "restart": restart, "setup": setup}


@pytest.fixture
def database(cluster, request):
    """A copy of the city for one test."""
    name = "load_" + request.node.name.removeprefix("test_")[:40]
    with psycopg.connect(f"{cluster['server']}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE load_city')
    return f"{cluster['server']}/{name}"


def loaded(load, cluster, database, tmp_path, **faults):
    port = free_port()
    return load.run(database, clients=CLIENTS, seconds=SECONDS, port=port, logs=tmp_path, setup=cluster["setup"],
                    workers=WORKERS, **faults)


def answered_after_the_fault(result, records, status):
    """Some request sent after the fault was over got `status`; else what the requests after it got."""
    (_began, ended), = result["fault_spans"]
    after = [r["status"] for r in records if r["at"] > ended]
    return status in after or pytest.fail(f"after the fault ({result['fault_spans']}): {after}\n{result}")


@pytest.mark.postgres
def test_every_ticket_answered_201_is_stored_once_with_no_5xx(load, cluster, database, tmp_path):
    result, records, wrong = loaded(load, cluster, database, tmp_path)

    assert wrong == [], result
    assert result["signed_in"] == CLIENTS
    assert result["http_5xx"] == 0 and result["connection_errors"] == 0
    assert all(result["kinds"][kind]["requests"] > 0 and result["kinds"][kind]["unexpected"] == 0
               for kind in ("intake", "queue", "ticket", "transition"))
    assert result["tickets_acknowledged"] > 0 and result["tickets_stored"] == result["tickets_acknowledged"]
    assert result["inquiries_acknowledged"] + result["inquiries_resolved"] > 0  # the handlers' forms worked
    assert result["ledger_ok"]


@pytest.mark.postgres
def test_after_sigkill_of_gunicorn_every_ticket_answered_201_is_complete(load, cluster, database, tmp_path):
    result, records, wrong = loaded(load, cluster, database, tmp_path, kill_at=3)

    assert wrong == [], result  # stored once, first event, none without it, the ledger verifies
    assert result["connection_errors"] > 0  # the kill did cut requests off
    assert result["http_500"] == 0
    assert answered_after_the_fault(result, records, 201)  # the new gunicorn took tickets
    assert result["served_after"] == 200


@pytest.mark.postgres
def test_a_postgresql_restart_answers_503_with_retry_after_and_recovers_without_restarting_gunicorn(
        load, cluster, database, tmp_path):
    result, records, wrong = loaded(load, cluster, database, tmp_path, restart_postgres=(3, cluster["restart"]))

    assert wrong == [], result
    failed = [r for r in records if r["status"] is not None and r["status"] >= 500]
    assert failed, "no request met the restart"
    assert all(r["status"] == 503 and r["retry_after"] == "5" for r in failed)
    assert result["served_after"] == 200, result
    assert answered_after_the_fault(result, records, 201)
    assert result["connection_errors"] == 0  # gunicorn was there all along: never restarted


def intake(status, number=None):
    return {"kind": "intake", "status": status, "number": number}


def held(**changes):
    return {"stored": 2, "distinct": 2, "acknowledged_found": 2, "with_first_event": 2, "without_first_event": 0,
            "ledger_ok": True, "ledger_problems": [], **changes}


def test_the_check_passes_when_a_request_cut_off_was_stored(load):
    records = [intake(201, "A"), intake(201, "B"), intake(None)]

    assert load.problems(records, held()) == []
    assert load.problems(records, held(stored=3, distinct=3, with_first_event=3)) == []


def test_the_check_reports_a_ticket_answered_201_that_is_not_stored(load):
    records = [intake(201, "A"), intake(201, "B"), intake(503)]

    assert load.problems(records, held(stored=1, distinct=1, acknowledged_found=1, with_first_event=1)) == [
        "1 acknowledged rows are not stored", "1 stored for 2 acknowledged and 1 unanswered"]


def test_the_check_reports_a_ticket_without_its_first_event_and_a_broken_ledger(load):
    records = [intake(201, "A"), intake(201, "B")]

    assert load.problems(records, held(without_first_event=1, ledger_ok=False, ledger_problems=["JC1: edited"])) == [
        "1 tickets in the database without their first event", "the ledger does not verify: JC1: edited"]

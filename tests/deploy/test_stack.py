"""The production stack for real: deploy/serve (what `make serve` runs) starts gunicorn with the repo's
config and a worker against a PostgreSQL database of its own, serves a page and a hashed static file,
and stops both processes on SIGTERM."""
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from types import SimpleNamespace

import psycopg
import pytest
from django.conf import settings

from tests.deploy.conftest import ROOT, SECRET, child_env

pytestmark = pytest.mark.postgres

PORTS = range(8600, 8700)
STARTED = re.compile(r"gunicorn pid (\d+), worker pid (\d+)")


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail("no free port in 8600-8699")


def server():
    db = settings.DATABASES["default"]
    return dict(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"] or "postgres")


def drop(name):
    with psycopg.connect(dbname="postgres", autocommit=True, **server()) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def get(url, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def wait_for(predicate, seconds, what, log):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.5)
    pytest.fail(f"{what} within {seconds} s; the stack said:\n{log.read_text()[-4000:]}")


@pytest.fixture
def stack(tmp_path, collected_static):
    """deploy/serve on a free port, with its own database (created by the script, dropped after)."""
    name = f"{settings.DATABASES['default']['NAME']}_stack"[:63]
    drop(name)
    port, log = free_port(), tmp_path / "serve.log"
    s = server()
    env = child_env(DATABASE_URL=f"postgres://{s['user']}@{s['host']}:{s['port']}/{name}", SECRET_KEY=SECRET,
                    DUBAN_VAR_DIR=str(tmp_path / "var"), STATIC_ROOT=str(collected_static),
                    GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2")
    with open(log, "w") as out:
        process = subprocess.Popen([str(ROOT / "deploy" / "serve")], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        pids = wait_for(lambda: STARTED.search(log.read_text()), 300, "the stack did not start", log)
        base = f"http://127.0.0.1:{port}"

        def answering():
            try:
                return get(base + "/")[0] == 200
            except OSError:
                return False

        wait_for(answering, 60, "gunicorn did not answer", log)
        yield SimpleNamespace(base=base, process=process, pids=[int(pid) for pid in pids.groups()], log=log)
    finally:
        stop_if_running(process, log)
        drop(name)


def stop_if_running(process, log):
    """Only when a test failed before stopping the stack itself: ask, then force."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        for pid in map(int, STARTED.search(log.read_text()).groups()):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.kill()
        process.wait(timeout=30)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_stack_serves_pages_and_hashed_static_files_and_stops_on_sigterm(stack):
    status, headers, body = get(stack.base + "/")
    assert status == 200
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Server"] == "gunicorn"
    stylesheet = re.search(rb'href="(/static/web/web\.[0-9a-f]{12}\.css)"', body).group(1).decode()
    status, headers, _ = get(stack.base + stylesheet, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    assert headers["Content-Encoding"] == "gzip"
    # The public board reads through the replica's (read-only) connection.
    assert get(stack.base + "/board/")[0] == 200

    stack.process.send_signal(signal.SIGTERM)
    assert stack.process.wait(timeout=90) == 0
    assert not any(alive(pid) for pid in stack.pids)
    assert "== stopped" in stack.log.read_text()

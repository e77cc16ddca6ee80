"""What the benchmarks share: a fresh database, tickets filled by COPY, percentiles; gunicorn and Django
in processes of their own, for the benchmarks over HTTP (bench_intake_http.py, load.py)."""
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
SYNC_WORKERS = ("--workers", "2", "--worker-class", "sync", "--threads", "1")


def fresh_database(url):
    """Drop and create the PostgreSQL database named in the URL; SQLite needs nothing."""
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def copy_rows(model, fields, rows):
    """Write rows (tuples in the order of `fields`) into the model's table (COPY on PostgreSQL), then
    let the planner know the table's new size."""
    from django.db import connection

    from duban.lib.rows import insert_rows

    insert_rows(model, fields, rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def copy_tickets(fields, rows, **same):
    """Write tickets: each row gives the values of `fields`; every other column that may not be null
    takes one value for all rows: `same`'s, or else the model's default ("" for text)."""
    from duban.ledger.models import Ticket

    fixed = {f.attname: f.get_default() for f in Ticket._meta.concrete_fields if not f.null and not f.primary_key}
    fixed.update(same)
    for name in fields:
        fixed.pop(name, None)
    tail = tuple(fixed.values())
    copy_rows(Ticket, [*fields, *fixed], (tuple(row) + tail for row in rows))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def peak_rss_mb(pid="self"):
    """VmHWM of a process (this one by default): the most resident memory it has had, in MB, which
    unlike ru_maxrss is not inherited across exec; None once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None


def django_env(db_url, **extra):
    """The environment of every process of ours: the database, no inherited Django settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(DATABASE_URL=db_url, DB_CONN_MAX_AGE="60", DEBUG="false", ALLOWED_HOSTS="127.0.0.1,localhost",
               SECRET_KEY="bench-http-" + "k" * 50, PYTHONPATH=str(ROOT), **extra)
    return env


def in_django(script, db_url, *args):
    """Run `script` with `args` (prepare, check) in a process of its own on `db_url`; its JSON answer
    (the last line it prints)."""
    done = subprocess.run([sys.executable, str(script), *args], cwd=ROOT, capture_output=True, text=True,
                          env=django_env(db_url, DJANGO_SETTINGS_MODULE="duban.settings"))
    if done.returncode:
        raise RuntimeError(f"{args[0]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def workers_of(pid):
    """The children of a process: a gunicorn master's workers."""
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def tail(log):
    return Path(log).read_text(errors="replace")[-4000:]


def answers(url, path="/", timeout=5):
    """The status of a GET of `path`, or None when nothing answers."""
    host, port = url.removeprefix("http://").split("/")[0].split(":")
    connection = HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def stop(process, grace=40):
    """SIGTERM to a process we started (in a session of its own), then SIGKILL to its group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Server:
    def __init__(self, url, process):
        self.url, self.process = url, process

    def pids(self):
        return workers_of(self.process.pid)


@contextmanager
def gunicorn(app, db_url, port, log, probe, options=SYNC_WORKERS, **env):
    """gunicorn serving `app` on `port`, started and stopped around the block: deploy/gunicorn.conf.py
    (when it exists) with `options` over it (2 sync workers by default) and `env` added."""
    args = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", *options, "--chdir", str(ROOT)]
    if GUNICORN_CONF.exists():
        args += ["--config", str(GUNICORN_CONF)]
    with open(log, "wb") as out:
        process = subprocess.Popen(args, cwd=ROOT, env=django_env(db_url, **env), stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while answers(url, probe) is None:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{app} did not start on port {port}; its log ({log}):\n{tail(log)}")
            time.sleep(0.3)
        yield Server(url, process)
    finally:
        stop(process)

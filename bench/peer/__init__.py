"""django-helpdesk 2.6.1, the measured peer: built from PyPI in its own venv, served by gunicorn beside duban.

    import peer                                  # bench scripts have bench/ on sys.path
    peer.prepare(url, fresh=True)                # postgres://…/peer_x or sqlite:////abs/path.sqlite3
    peer.fill(url, 200_000)                      # PostgreSQL only
    with peer.serve(url, 8710) as server:
        method, path, headers, body = peer.create_request(0)
        cookies = peer.login_cookies(server.url)
        paths = peer.read_paths(url)

Nothing of helpdesk is a duban dependency. Its venv is var/bench/helpdesk-venv, with every package pinned
in bench/peer/requirements.txt; its Django project is this folder (settings.py, urls.py, wsgi.py), which
runs there with bench/ on PYTHONPATH. This module itself runs under duban's venv and uses the stdlib and
psycopg only: it drives the peer through subprocesses of the peer venv's python and gunicorn.
"""
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ROOT = BENCH.parent
VAR = ROOT / "var" / "bench"
VENV = VAR / "helpdesk-venv"
PINS = HERE / "requirements.txt"
STAMP = VENV / "peer-pins.sha256"

USERNAME, PASSWORD = "bench", "bench-pass-2026"
QUEUE_TITLE, QUEUE_SLUG = "12345热线", "hotline"
QUEUE_ID = 1  # prepare() makes the hotline queue first, in a database that has none
# The queues of a fill: the general hotline first, then one per topic (see texts.PROBLEMS).
QUEUES = ((QUEUE_TITLE, QUEUE_SLUG), ("城市管理", "city"), ("住房与物业", "housing"), ("交通出行", "traffic"),
          ("市场监管", "market"), ("人社与医保", "social"), ("教育", "education"), ("生态环境", "environment"))
STAFF = 400
START_TIMEOUT = 60  # seconds for gunicorn to answer
STOP_TIMEOUT = 15  # seconds for gunicorn to stop after SIGTERM before it is killed


class PeerUnavailable(RuntimeError):
    """The peer's venv could not be built (no package registry, say): callers skip what needs it."""


# -- the venv ----------------------------------------------------------------------------------------


def install():
    """Create var/bench/helpdesk-venv if it is missing or was built from other pins, and pip install the
    pinned packages of bench/peer/requirements.txt into it; return the path of its python.

    Idempotent and quick once done (a stamp file holds the digest of the pins and of the base python).
    Safe when several benchmarks call it at once (a lock file). Raises PeerUnavailable when the venv
    cannot be built."""
    python = VENV / "bin" / "python"
    want = _pins_digest()
    if _stamped(want):
        return python
    VAR.mkdir(parents=True, exist_ok=True)
    with open(VAR / "helpdesk-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _stamped(want):
            return python
        shutil.rmtree(VENV, ignore_errors=True)
        try:
            _run([_base_python(), "-m", "venv", str(VENV)], timeout=180)
            _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input",
                  "-r", str(PINS)], timeout=900)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
            shutil.rmtree(VENV, ignore_errors=True)
            raise PeerUnavailable(f"cannot build {VENV}: {_tail(error)}") from error
        STAMP.write_text(want)
    return python


def _pins_digest():
    return hashlib.sha256(PINS.read_bytes() + _base_python().encode() + sys.version.encode()).hexdigest()


def _stamped(want):
    return (VENV / "bin" / "python").exists() and STAMP.exists() and STAMP.read_text() == want


def _base_python():
    return getattr(sys, "_base_executable", None) or sys.executable


def _run(command, timeout, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout, **kwargs)


def _tail(error, lines=15):
    text = "\n".join(filter(None, [getattr(error, "stdout", None), getattr(error, "stderr", None)]))
    return "\n".join((text or str(error)).strip().splitlines()[-lines:])


def _env(db_url):
    """The peer's environment: its settings and database, and nothing of duban's venv or of helpdesk's
    webhook variables (which would make it post to the network)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HELPDESK_", "DJANGO_", "PYTHON", "VIRTUAL_ENV", "DATABASE_URL", "GUNICORN"))}
    env.update(PYTHONPATH=str(BENCH), DJANGO_SETTINGS_MODULE="peer.settings", PEER_DATABASE_URL=db_url,
               PEER_VAR=str(VAR))
    return env


def _helpdesk(db_url, *args, timeout=600):
    """Run `python -m peer.helpdesk_side ARGS` in the peer's venv; return the JSON it prints."""
    try:
        done = _run([str(install()), "-m", "peer.helpdesk_side", *args], timeout=timeout, env=_env(db_url),
                    cwd=VAR)
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"helpdesk {' '.join(args)} failed:\n{_tail(error, 30)}") from error
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the database -----------------------------------------------------------------------------------


def prepare(db_url, fresh=False):
    """Make the database ready for helpdesk: create it if needed (PostgreSQL: dropped first when `fresh`;
    SQLite: the file removed when `fresh`), run helpdesk's migrations, and make the superuser `bench`
    (password `bench-pass-2026`, staff) and the queue "12345热线" (slug hotline, id QUEUE_ID), which
    accepts API tickets. E-mail goes to a dummy backend (settings.py). Idempotent without `fresh`."""
    install()
    if _is_sqlite(db_url):
        path = Path(_sqlite_path(db_url))
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        _create_database(db_url, fresh)
    made = _helpdesk(db_url, "prepare")
    if made["queue_id"] != QUEUE_ID:
        raise RuntimeError(f"the hotline queue has id {made['queue_id']}, not {QUEUE_ID}: prepare a fresh database")


def _is_sqlite(db_url):
    return db_url.startswith("sqlite:")


def _sqlite_path(db_url):
    if not db_url.startswith("sqlite:////"):
        raise ValueError(f"a SQLite URL names an absolute path, sqlite:////abs/path.sqlite3, not {db_url!r}")
    return db_url[len("sqlite:///"):]


def _create_database(db_url, fresh):
    import psycopg

    name = urllib.parse.unquote(urllib.parse.urlsplit(db_url).path.lstrip("/"))
    with psycopg.connect(db_url, dbname="postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# -- the server ---------------------------------------------------------------------------------------


@dataclass
class Server:
    """A running peer: `url` is its base URL (no trailing slash); `pids()` its worker processes now."""

    url: str
    process: subprocess.Popen

    def pids(self):
        return _children(self.process.pid)


def _children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


@contextlib.contextmanager
def serve(db_url, port, workers=2, timeout=30, memory_limit=4 * 2**30):
    """Run helpdesk under gunicorn on 127.0.0.1:`port` with `workers` sync workers (DEBUG off, database
    connections kept 60 s); wait until it answers with all its workers up; yield a Server; stop it on
    exit (SIGTERM, then SIGKILL after STOP_TIMEOUT s).

    `timeout` is gunicorn's worker timeout (its default, 30 s): a request that takes longer gets its
    worker killed and no answer. `memory_limit` caps each gunicorn process's address space (bytes; None
    for no cap), so that a page that loads a whole table (helpdesk's dashboard averages the age of every
    closed ticket in Python) fails with a MemoryError instead of taking the shared machine's memory.
    The error log is var/bench/helpdesk-gunicorn-PORT.log."""
    python = install()
    gunicorn = python.parent / "gunicorn"
    log = VAR / f"helpdesk-gunicorn-{port}.log"
    command = [str(gunicorn), "peer.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--worker-class", "sync", "--timeout", str(timeout), "--graceful-timeout", "5",
               "--log-level", "warning", "--error-logfile", str(log)]

    def limit():
        if memory_limit:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    process = subprocess.Popen(command, env=_env(db_url), cwd=VAR, start_new_session=True, preexec_fn=limit,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        _wait_until_up(server, workers, log)
        yield server
    finally:
        _stop(process)


def _wait_until_up(server, workers, log):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}:\n{_log_tail(log)}")
        try:
            with urllib.request.urlopen(f"{server.url}/login/", timeout=5) as response:
                if response.status == 200 and len(server.pids()) >= workers:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"helpdesk did not answer on {server.url} within {START_TIMEOUT} s:\n{_log_tail(log)}")


def _log_tail(log):
    return "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else "(no log)"


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(STOP_TIMEOUT)
    # Workers left behind by an arbiter that died (they are in its process group, which we started).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


# -- requests -----------------------------------------------------------------------------------------


def create_request(i, cookies=None):
    """The i-th distinct ticket-creation request to helpdesk's REST API, as (method, path, headers, body):
    POST /api/tickets/ (DRF's TicketViewSet; it answers 201 with the ticket as JSON), a JSON body with a
    Chinese complaint's title and description, its priority, the hotline queue and the caller's e-mail.

    Authenticated with HTTP Basic as `bench`, as an integration would call it: each request then pays
    for Django's password hash (PBKDF2, 1,000,000 iterations in Django 5.2). With `cookies` (from
    login_cookies) the request rides the logged-in session instead (DRF's SessionAuthentication, with
    the CSRF token it requires), which measures ticket creation without that hash."""
    title, description, priority, email = _complaint(i)
    body = json.dumps({"queue": QUEUE_ID, "title": title, "description": description, "priority": priority,
                       "submitter_email": email}, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
        headers["X-CSRFToken"] = cookies["csrftoken"]
    else:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    return "POST", "/api/tickets/", headers, body


def _complaint(i):
    from peer.texts import complaint

    return complaint(i)


def cookie_header(cookies):
    """The Cookie header for a dict of cookies."""
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login_cookies(base_url):
    """Log in as `bench` through helpdesk's login page (GET it for the CSRF cookie and token, POST the
    form, expect the redirect) and return the cookies ({"csrftoken": …, "sessionid": …}) for page reads."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    with opener.open(f"{base_url}/login/", timeout=30) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        raise RuntimeError("helpdesk's login page has no CSRF token")
    form = urllib.parse.urlencode({"username": USERNAME, "password": PASSWORD, "next": "/dashboard/",
                                   "csrfmiddlewaretoken": token.group(1)}).encode()
    try:
        opener.open(urllib.request.Request(f"{base_url}/login/", data=form, headers={"Referer": f"{base_url}/login/"}),
                    timeout=30)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise
    else:
        raise RuntimeError("helpdesk refused the login (no redirect)")
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("helpdesk's login set no session cookie")
    return cookies


# The ticket list page's default query (helpdesk.views.staff.ticket_list: open and reopened tickets,
# oldest first), base64 of its JSON as helpdesk.query.query_to_base64 writes it; the page asks
# /datatables_ticket_list/<this> for its rows, as DataTables (server-side) does on load.
LIST_QUERY = base64.b64encode(json.dumps({"filtering": {"status__in": [1, 2]}, "sorting": "created",
                                          "search_string": "", "sortreverse": False}).encode()).decode()


def read_paths(db_url):
    """The paths of helpdesk's staff pages, for reads as the logged-in `bench`:
    - "ticket_list": the staff ticket list page, /tickets/ (the page itself: filters, no rows);
    - "ticket_list_rows": the JSON its DataTables fetches for the rows on load (first 25 open tickets);
    - "ticket": the newest ticket's page;
    - "dashboard": the staff dashboard (bench's open and closed tickets, the unassigned ones, and the age
      statistics of every ticket)."""
    rows = urllib.parse.urlencode({"draw": 1, "start": 0, "length": 25, "search[value]": "",
                                   "search[regex]": "false"})
    return {"ticket_list": "/tickets/", "ticket_list_rows": f"/datatables_ticket_list/{LIST_QUERY}?{rows}",
            "ticket": f"/tickets/{_newest_ticket(db_url)}/", "dashboard": "/dashboard/"}


def _newest_ticket(db_url):
    sql = "SELECT max(id) FROM helpdesk_ticket"
    if _is_sqlite(db_url):
        import sqlite3

        with contextlib.closing(sqlite3.connect(_sqlite_path(db_url))) as conn:
            newest = conn.execute(sql).fetchone()[0]
    else:
        import psycopg

        with psycopg.connect(db_url) as conn:
            newest = conn.execute(sql).fetchone()[0]
    if newest is None:
        raise RuntimeError("helpdesk has no ticket yet: fill it or create some first")
    return newest


# -- the fill -----------------------------------------------------------------------------------------


def fill(db_url, size, seed=2026, fresh=False):
    """Replace helpdesk's tickets (PostgreSQL only) with `size` of them and about two follow-ups each, by
    COPY; return {"tickets", "followups", "seconds", "skipped"}.

    Realistic and reproducible from `seed` (and the day: tickets arrive over the 365 days before today,
    PostgreSQL's today in UTC): Chinese complaints, mostly closed, a few percent open, reopened or
    resolved (see texts.chunks), priorities 1-5, in the 8 queues of QUEUES, assigned to STAFF staff users
    staff001… (made here) and bench. One transaction: the tables are truncated (with whatever refers to
    them), their secondary indexes dropped, the rows copied with FREEZE and without foreign-key
    triggers, the indexes rebuilt; then ANALYZE. The table peer_fill records (size, seed): a second call
    with the same ones returns at once unless `fresh`."""
    if _is_sqlite(db_url):
        raise ValueError("fill() writes PostgreSQL only")
    import psycopg

    from peer.texts import FOLLOWUP_COLUMNS, TICKET_COLUMNS, chunks

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS peer_fill (size bigint NOT NULL, seed integer NOT NULL, "
                     "followups bigint NOT NULL, seconds double precision NOT NULL, filled_at timestamptz NOT NULL)")
        done = conn.execute("SELECT size, seed, followups FROM peer_fill").fetchone()
    if done and done[:2] == (size, seed) and not fresh:
        return {"tickets": size, "followups": done[2], "seconds": 0.0, "skipped": True}
    made = _helpdesk(db_url, "staff", str(STAFF))
    started = time.monotonic()
    with psycopg.connect(db_url) as conn:
        anchor = conn.execute("SELECT (now() AT TIME ZONE 'UTC')::date").fetchone()[0]
        conn.execute("SET maintenance_work_mem = '512MB'")
        # No foreign-key triggers (the rows are consistent by construction): without this, PostgreSQL
        # would queue one deferred check per row until the commit. Needs a superuser; else it is slower.
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("SET session_replication_role = replica")
        conn.execute("TRUNCATE helpdesk_ticket, helpdesk_followup RESTART IDENTITY CASCADE")
        indexes = _drop_secondary_indexes(conn, ("helpdesk_ticket", "helpdesk_followup"))
        followups = 0
        staff = [*made["user_ids"], made["bench_id"]]
        copy_tickets = f"COPY helpdesk_ticket ({', '.join(TICKET_COLUMNS)}) FROM STDIN (FREEZE)"
        copy_followups = f"COPY helpdesk_followup ({', '.join(FOLLOWUP_COLUMNS)}) FROM STDIN (FREEZE)"
        for ticket_rows, followup_rows in _ahead(chunks(size, seed, anchor, made["queue_ids"], staff)):
            with conn.cursor().copy(copy_tickets) as copy:
                copy.write(ticket_rows)
            with conn.cursor().copy(copy_followups) as copy:
                copy.write(followup_rows)
            followups += followup_rows.count(b"\n")
        for sql in indexes:
            conn.execute(sql)
        for table, count in (("helpdesk_ticket", size), ("helpdesk_followup", followups)):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [max(count, 1)])
        seconds = time.monotonic() - started
        conn.execute("DELETE FROM peer_fill")
        conn.execute("INSERT INTO peer_fill VALUES (%s, %s, %s, %s, now())", [size, seed, followups, seconds])
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("ANALYZE helpdesk_ticket, helpdesk_followup, helpdesk_queue, auth_user, helpdesk_usersettings")
    return {"tickets": size, "followups": followups, "seconds": time.monotonic() - started, "skipped": False}


def _drop_secondary_indexes(conn, tables):
    """Drop the indexes of `tables` that back no constraint; return the statements that rebuild them."""
    found = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [list(tables)]).fetchall()
    for name, _ in found:
        conn.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def _ahead(chunks):
    """Generate the next chunk in a thread while the current one is copied (PostgreSQL works meanwhile)."""
    import queue
    import threading

    ready = queue.Queue(maxsize=2)
    failure = []

    def produce():
        try:
            for chunk in chunks:
                ready.put(chunk)
        except BaseException as error:  # handed to the consumer
            failure.append(error)
        finally:
            ready.put(None)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    while (chunk := ready.get()) is not None:
        yield chunk
    thread.join()
    if failure:
        raise failure[0]

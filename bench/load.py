"""Load: many clients at once against gunicorn and PostgreSQL for a fixed time, then the database
checked against every answer; optionally with a fault in the middle.

    make load                                   # 200 clients for 60 s
    .venv/bin/python bench/load.py [clients] [seconds] [--kill-at S] [--restart-postgres-at S]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_load .venv/bin/python bench/load.py

On a fresh PostgreSQL database (DATABASE_URL, default duban_load on 127.0.0.1:5432; dropped and
created; with --restart-postgres-at, a private cluster of its own instead: the shared server is never
restarted), migrated, with a small city — the catalogue sends every matter to 城管局, whose handlers
and a city supervisor sign in through the login page — duban runs under gunicorn with
deploy/gunicorn.conf.py (gthread, 4 workers of 4 threads, connections kept 60 s, DEBUG off). Each
client is a thread with one keep-alive HTTP connection, signed in once (its own session cookie; a few
at a time, before the clock starts: each login hashes a password), that for `seconds` repeats a mix of
(weights in MIX):
- intake: POST /api/v1/tickets with the API key and an Idempotency-Key, a complaint or an inquiry
  worded its own way (so that duplicate search holds none back); each 201's ticket number is kept;
- queue: the handler's queue /work/ (a supervisor's: /oversight/);
- ticket: the page of a ticket it filed (or one of the city's earlier ones);
- transition: a handler takes an inquiry it filed through the ticket page's forms: acknowledge (签收),
  then resolve (办结) with an answer in words.
Every response is recorded: kind, status (None when the connection failed: refused, reset, timed
out), latency, and for intake the number. Reported: requests answered per second, p50/p95/p99 per
kind and overall, the statuses, the 5xx (and how many were 503 with Retry-After), the connection
errors. Then the database must hold every ticket answered 201 exactly once, each with its first
event; no ticket without its first event; and the ledger verifies (duban.ledger.integrity.verify,
what `duban verify_ledger` runs).
Faults: --kill-at S sends SIGKILL to gunicorn's master and workers S seconds in, and starts it again
at once; --restart-postgres-at S restarts PostgreSQL (pg_ctl restart -m fast) S seconds in, gunicorn
untouched. Requests cut off by either are connection errors or 503s, never 500s; the load goes on
while the fault lasts and at least AFTER_FAULT seconds after it.
Writes bench/results/load.json (load-faults.json with a fault); the servers' logs go to var/bench/load/.
"""
import functools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from http.client import BadStatusLine, HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import bench_duplicates  # noqa: F401 (report_text imports it when called: a test has bench/ on its path only now)
from bench_intake_http import check as intake_check
from bench_intake_http import problems as intake_problems
from bench_intake_http import report_text, vocabulary
from common import ROOT, fresh_database, gunicorn, in_django, percentile

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
LOGS = ROOT / "var" / "bench" / "load"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duban_load"
CLIENTS, SECONDS, PORT = 200, 60, 8921
WORKERS, THREADS = 4, 4  # gunicorn's; the rest (gthread, timeouts) from deploy/gunicorn.conf.py
MIX = {"intake": 3, "queue": 3, "ticket": 2, "transition": 2}  # weights of what a client does next
EXPECTED = {"intake": {201}, "queue": {200}, "ticket": {200}, "transition": {302}, "login": {200, 302}}
HANDLERS, SUPERVISORS, BACKGROUND = 8, 2, 200
PASSWORD = "load-test-2026"
TIMEOUT = 180  # seconds a client waits for an answer: past it, a connection error (the tail is measured, not cut)
# Clients signing in at once: each login hashes the password (Argon2, about 0.7 s of a core on the loaded
# machine), so 200 at once would keep each waiting past TIMEOUT. Signing in is not part of the measure.
SIGN_IN_AT_ONCE = 4
AFTER_FAULT = 5  # seconds the load goes on at least once a fault is over (gunicorn may take longer to start)
PG_BIN = Path("/usr/lib/postgresql/15/bin")


# --- the city (in a process of its own, on the database) ----------------------------------------------

def prepare(background):
    """Migrate; make the city, its people and the API key, and `background` earlier tickets."""
    import django

    django.setup()
    from django.core.management import call_command

    from bench_intake import setup_city
    from duban.catalogue.models import DispatchRule
    from duban.intake.service import Report, take_in
    from duban.org.models import Person, Unit

    call_command("migrate", verbosity=0)
    category, street, raw = setup_city()
    lead = DispatchRule.objects.get(category=category).lead_unit
    office = Unit.objects.create(name="市政府督查室", tier="department", parent=lead.parent)
    people = [Person.objects.create_user(f"handler{i}", password=PASSWORD, name=f"办理员{i}", role="handler", unit=lead)
              for i in range(HANDLERS)]
    people += [Person.objects.create_user(f"supervisor{i}", password=PASSWORD, name=f"督查员{i}", role="supervisor",
                                          unit=office, scope=lead.parent) for i in range(SUPERVISORS)]
    rng = random.Random(11)
    numbers = [take_in(Report(channel="hotline", description=report_text(rng, words()), category=category,
                              area=street)).ticket.number for _ in range(background)]
    return {"key": raw, "category": category.pk, "area": street.pk, "background": numbers,
            "people": [{"username": p.username, "role": p.role} for p in people]}


def check(acknowledged_file):
    """What the database holds after the load: bench_intake_http's count of the tickets filed through the
    API (stored, distinct, named by an answer, with their first event), the tickets anywhere without their
    first event, the inquiries acknowledged and resolved, and whether the ledger verifies."""
    held = intake_check("duban", acknowledged_file)  # sets Django up
    from duban.ledger.integrity import verify
    from duban.ledger.models import Ticket

    report = verify()
    held.update(without_first_event=Ticket.objects.exclude(events__seq=1).count(),
                acknowledged=Ticket.objects.filter(channel__code="app", state="acknowledged").count(),
                resolved=Ticket.objects.filter(channel__code="app", state="resolved").count(),
                ledger_ok=report.ok, ledger_problems=[f"{number}: {text}" for number, text in report.problems[:20]])
    return held


def problems(records, held):
    """What is wrong with what the database `held` after the load `records` (empty when all is well).
    An intake that got no answer, or a 5xx, may or may not have been stored; every 201 must be."""
    intake = [r for r in records if r["kind"] == "intake"]
    numbers = [r["number"] for r in intake if r["status"] == 201]
    settled = [r for r in intake if r["status"] is not None and r["status"] < 500]
    run = {"ok": len(numbers), "sent": len(intake), "answered": len(settled), "captured": numbers}
    found = intake_problems([run], held)
    if held["without_first_event"]:
        found.append(f"{held['without_first_event']} tickets in the database without their first event")
    if not held["ledger_ok"]:
        found.append("the ledger does not verify: " + "; ".join(held["ledger_problems"]))
    return found


# --- one client -----------------------------------------------------------------------------------------

class Client:
    """One keep-alive connection, its cookies, and what it has filed and still has to take through."""

    def __init__(self, port, index, setup, words, records):
        self.port, self.index, self.setup, self.words, self.records = port, index, setup, words, records
        self.person = setup["people"][index % len(setup["people"])]
        self.rng = random.Random(index)
        self.connection, self.cookies, self.filed, self.pending, self.sent = None, {}, [], [], 0
        self.signed_in = False

    def send(self, kind, method, path, body=None, headers=None):
        """One request; its record (status None when the connection failed). A connection kept alive
        that the server closed meanwhile is opened again once, as any HTTP client does; a POST to the API
        carries an Idempotency-Key, so sending it again is safe."""
        headers = {**(headers or {}), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        started = time.monotonic()
        status, answer, retried = None, None, False
        for attempt in (1, 2):
            reused = self.connection is not None
            try:
                if self.connection is None:
                    self.connection = HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                status, answer = response.status, response.read()
                self._keep(response)
                break
            except (OSError, HTTPException) as error:  # refused, reset, timed out, closed before answering
                self.close()
                answer = repr(error)
                again = reused and attempt == 1 and isinstance(error, (ConnectionError, BadStatusLine))
                retried = retried or again
                if not again:
                    break
        record = {"kind": kind, "status": status, "ms": (time.monotonic() - started) * 1000,
                  "at": started, "retried": retried}
        if status is None:
            record["error"] = answer
        elif status == 503:
            record["retry_after"] = response.getheader("Retry-After")
        self.records.append(record)
        return record, answer

    def _keep(self, response):
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.close()

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def log_in(self):
        """The login page, then its form: a session cookie, and the CSRF token the forms need."""
        self.send("login", "GET", "/login/")
        body = urlencode({"username": self.person["username"], "password": PASSWORD, "next": "/work/",
                          "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
        record, _answer = self.send("login", "POST", "/login/", body,
                                    {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base()})
        return record["status"] == 302 and "sessionid" in self.cookies

    def base(self):
        return f"http://127.0.0.1:{self.port}/"

    def intake(self):
        self.sent += 1
        kind = "inquiry" if self.sent % 2 else "complaint"
        body = {"description": report_text(self.rng, self.words) + f"（{self.index}-{self.sent}）", "kind": kind,
                "category": self.setup["category"], "area": self.setup["area"], "reporter_phone": "13812345678"}
        record, answer = self.send("intake", "POST", "/api/v1/tickets", json.dumps(body, ensure_ascii=False).encode(),
                                   {"Content-Type": "application/json", "Authorization": f"Bearer {self.setup['key']}",
                                    "Idempotency-Key": f"load-{self.index}-{self.sent}"})
        if record["status"] == 201:
            filed = json.loads(answer)
            record["number"] = filed["number"]
            self.filed.append(filed["number"])
            if kind == "inquiry" and filed.get("dispatched") and self.person["role"] == "handler":
                self.pending.append([filed["number"], "acknowledge"])

    def queue(self):
        self.send("queue", "GET", "/work/" if self.person["role"] == "handler" else "/oversight/")

    def ticket(self):
        number = self.rng.choice(self.filed or self.setup["background"])
        self.send("ticket", "GET", f"/tickets/{number}/")

    def transition(self):
        """The next step of the oldest inquiry this handler filed: acknowledge it, then resolve it."""
        if not self.pending:
            return self.ticket()
        step = self.pending[0]
        number, action = step
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        if action == "resolve":
            fields["text"] = "已电话答复市民，问题已解答。"
        record, _answer = self.send("transition", "POST", f"/tickets/{number}/do/{action}/", urlencode(fields),
                                    {"Content-Type": "application/x-www-form-urlencoded",
                                     "Referer": f"{self.base()}tickets/{number}/"})
        if record["status"] == 302:
            if action == "acknowledge":
                step[1] = "resolve"
            else:
                self.pending.pop(0)

    def work(self, window):
        kinds, weights = list(MIX), list(MIX.values())
        while time.monotonic() < window["until"]:
            getattr(self, self.rng.choices(kinds, weights)[0])()
            if self.records[-1]["status"] is None:
                time.sleep(0.2)  # the server is away: do not spin
        self.close()


@functools.cache
def words():
    """bench_intake_http's vocabulary, read once per process."""
    return vocabulary()


def drive(port, setup, clients, seconds, faults=()):
    """`clients` clients signed in, then working for `seconds`; `faults` are (seconds in, callable), called
    from this thread meanwhile. Every record (its `at` in seconds from the start), how long the load
    really ran, how many clients signed in and how long that took, and when each fault began and ended."""
    everyone, records, window, began = [], [], {}, time.monotonic()
    wording = words()  # read once here: the clients would all read it at once

    def start():  # when the last client has signed in, before any goes on
        window["signed_in"] = time.monotonic() - began
        window["started"] = time.monotonic()
        window["until"] = window["started"] + seconds

    ready = threading.Barrier(clients + 1, action=start, timeout=1800)
    signing_in = threading.Semaphore(SIGN_IN_AT_ONCE)

    def run(index):
        client = Client(port, index, setup, wording, [])
        everyone.append(client)
        try:
            with signing_in:
                client.signed_in = client.log_in() or client.log_in()  # a second try, as a person would
        finally:
            ready.wait()
        if client.signed_in:
            client.work(window)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = window["started"]
    spans = []  # when each fault began and ended, in seconds from the start
    for at, fault in sorted(faults, key=lambda f: f[0]):
        time.sleep(max(0.0, started + at - time.monotonic()))
        fault_began, planned = time.monotonic() - started, window["until"]
        window["until"] = float("inf")  # the load goes on while the fault lasts,
        fault()
        spans.append((round(fault_began, 2), round(time.monotonic() - started, 2)))
        window["until"] = max(planned, time.monotonic() + AFTER_FAULT)  # and for a while after it
    for thread in threads:
        thread.join(timeout=max(1.0, window["until"] - time.monotonic()) + 2 * TIMEOUT + 30)
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError("a client did not stop")
    for client in everyone:
        records.extend(client.records)
    for record in records:
        record["at"] = round(record["at"] - started, 3)
    return {"records": records, "seconds": time.monotonic() - started, "fault_spans": spans,
            "signed_in": sum(client.signed_in for client in everyone), "signing_in": round(window["signed_in"], 1)}


# --- figures --------------------------------------------------------------------------------------------

def latencies(records):
    values = [r["ms"] for r in records if r["status"] is not None]
    if not values:
        return {}
    return {"p50_ms": round(percentile(values, 0.5), 1), "p95_ms": round(percentile(values, 0.95), 1),
            "p99_ms": round(percentile(values, 0.99), 1)}


def summary(records, seconds):
    """The figures of a run: every login left out but counted."""
    work = [r for r in records if r["kind"] != "login"]
    answered = [r for r in work if r["status"] is not None]
    kinds = {}
    for kind in MIX:
        mine = [r for r in work if r["kind"] == kind]
        statuses = {}
        for r in mine:
            statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
        kinds[kind] = {"requests": len(mine), **latencies(mine), "statuses": statuses,
                       "unexpected": sum(r["status"] is not None and r["status"] not in EXPECTED[kind] for r in mine)}
    failed = [r for r in records if r["status"] is not None and r["status"] >= 500]
    return {"seconds": round(seconds, 1), "requests": len(work), "answered": len(answered),
            "per_sec": round(len(answered) / seconds, 1), **latencies(work), "kinds": kinds,
            "logins": sum(r["kind"] == "login" for r in records), "http_5xx": len(failed),
            "http_500": sum(r["status"] == 500 for r in failed),
            "http_503_with_retry_after": sum(r["status"] == 503 and bool(r.get("retry_after")) for r in failed),
            "connection_errors": sum(r["status"] is None for r in records),
            "reconnected": sum(r["retried"] for r in records),
            "tickets_acknowledged": sum(r["status"] == 201 for r in work)}


# --- servers and faults ---------------------------------------------------------------------------------

@contextmanager
def private_postgres(port):
    """A PostgreSQL cluster of our own on 127.0.0.1:`port` (trust), in a temporary folder: initdb refuses
    root, so it runs as the postgres user. Yields a restart(); stopped and removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="duban_load_pg_"))
    shutil.chown(folder, "postgres", "postgres")
    data, log = folder / "data", folder / "postgres.log"

    def as_postgres(*args, timeout=120):
        subprocess.run(["runuser", "-u", "postgres", "--", *map(str, args)], check=True, timeout=timeout,
                       capture_output=True)

    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} -c max_connections=200"
    try:
        as_postgres(PG_BIN / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                    "--no-sync")
        as_postgres(PG_BIN / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start")

        def restart():
            as_postgres(PG_BIN / "pg_ctl", "-D", data, "-l", log, "-o", options, "-m", "fast", "-w", "-t", "60",
                        "restart")

        yield restart
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(data), "-m",
                            "immediate", "-w", "-t", "60", "stop"], capture_output=True, timeout=90)
        shutil.rmtree(folder, ignore_errors=True)


def serves(port, setup):
    """The status of an API read that needs the database (the key is looked up): 200 once it serves."""
    client = Client(port, 0, setup, [], [])
    try:
        key = {"Authorization": f"Bearer {setup['key']}"}
        return client.send("after", "GET", "/api/v1/categories", headers=key)[0]["status"]
    finally:
        client.close()


def serve(stack, db_url, port, log, workers):
    """duban under gunicorn (added to `stack`, stopped when it closes)."""
    options = ("--workers", str(workers), "--threads", str(THREADS))
    return stack.enter_context(gunicorn("duban.wsgi:application", db_url, port, log, "/login/", options=options))


def killer(stack, server, db_url, port, logs, workers):
    """A fault: SIGKILL to gunicorn's whole process group (master and workers), then gunicorn again."""
    def kill():
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(30)
        serve(stack, db_url, port, logs / "gunicorn-after-kill.log", workers)
    return kill


def run(db_url, *, clients=CLIENTS, seconds=SECONDS, port=PORT, logs=LOGS, setup=None, background=BACKGROUND,
        workers=WORKERS, kill_at=None, restart_postgres=None):
    """Load duban on `db_url` (prepared first unless `setup` is given) and check the database afterwards:
    (the summary, the problems found). `restart_postgres` is (seconds in, restart) for the private cluster."""
    logs.mkdir(parents=True, exist_ok=True)
    if setup is None:
        fresh_database(db_url)
        setup = in_django(__file__, db_url, "prepare", str(background))
    clock = [("prepared", time.monotonic())]
    with ExitStack() as stack:
        server = serve(stack, db_url, port, logs / "gunicorn.log", workers)
        clock.append(("gunicorn_started", time.monotonic()))
        faults = [(kill_at, killer(stack, server, db_url, port, logs, workers))] if kill_at is not None else []
        faults += [restart_postgres] if restart_postgres else []
        ran = drive(port, setup, clients, seconds, faults)
        served_after = serves(port, setup)
        clock.append(("load_done", time.monotonic()))
    acknowledged = logs / "acknowledged.json"
    acknowledged.write_text(json.dumps([r["number"] for r in ran["records"] if r.get("number")]))
    held = in_django(__file__, db_url, "check", str(acknowledged))
    clock.append(("checked", time.monotonic()))
    result = {"bench": "load", "date": time.strftime("%Y-%m-%d"), "clients": clients, "signed_in": ran["signed_in"],
              "gunicorn": f"gthread, {workers} workers of {THREADS} threads", **summary(ran["records"], ran["seconds"]),
              "served_after": served_after, "tickets_stored": held["stored"],
              "inquiries_acknowledged": held["acknowledged"], "inquiries_resolved": held["resolved"],
              "ledger_ok": held["ledger_ok"],
              "faults": [name for name, at in (("sigkill", kill_at), ("postgres_restart", restart_postgres)) if at],
              "fault_spans": ran["fault_spans"], "signing_in_seconds": ran["signing_in"],
              "phase_seconds": {name: round(t - before, 1) for (_, before), (name, t) in zip(clock, clock[1:])}}
    return result, ran["records"], problems(ran["records"], held)


def main(clients=CLIENTS, seconds=SECONDS, kill_at=None, restart_at=None):
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    with ExitStack() as stack:
        restart = None
        if restart_at is not None:  # never the shared server: a cluster of our own
            pg_port = 5491
            restart = (restart_at, stack.enter_context(private_postgres(pg_port)))
            url = f"postgres://postgres@127.0.0.1:{pg_port}/duban_load"
        result, _records, wrong = run(url, clients=clients, seconds=seconds, kill_at=kill_at, restart_postgres=restart)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / ("load-faults.json" if result["faults"] else "load.json")
    path.write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if result["http_500"]:
        wrong.append(f"{result['http_500']} answers were 500")
    if not result["faults"] and result["http_5xx"]:
        wrong.append(f"{result['http_5xx']} answers were 5xx")
    if wrong:
        sys.exit("the load was not stored as acknowledged:\n" + "\n".join(wrong))


def option(name):
    return float(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else None


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["prepare"]:
        print(json.dumps(prepare(int(sys.argv[2]))))
    elif sys.argv[1:2] == ["check"]:
        print(json.dumps(check(sys.argv[2])))
    else:
        args = sys.argv[1:]
        given = [int(a) for i, a in enumerate(args) if a.isdigit() and (i == 0 or not args[i - 1].startswith("--"))]
        main(*given[:2], kill_at=option("--kill-at"), restart_at=option("--restart-postgres-at"))

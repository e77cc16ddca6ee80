"""Intake over HTTP: tickets created per second through gunicorn, against the framework floor and
the peer; and the memory of duban's processes under that load.

    .venv/bin/python bench/bench_intake_http.py [seconds] [--no-peer]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench_http .venv/bin/python bench/bench_intake_http.py

On a fresh database — a SQLite file in a temporary folder, or the PostgreSQL one named in
DATABASE_URL with "_http" added unless its name holds "bench_http" (dropped and created) — with a
small city, its catalogue, an API key and 2,000 open tickets already indexed (100 of them dispatched
and past their deadline, so that the sweep has work), three servers are loaded one after the other.
Each runs under gunicorn with 2 sync workers of one thread (everything else from
deploy/gunicorn.conf.py when it exists: timeouts, a worker replaced after about 1,000 requests, the
access log), DEBUG off, connections kept (DB_CONN_MAX_AGE=60), and is driven by wrk (1 thread, 8
connections, for `seconds` (20) after a 3 s warm-up) with bench/intake_http.lua, which makes every
request distinct. After each wrk run the bench waits for the server to finish what wrk left
unanswered, so that no run inherits the last one's queue.
- duban: POST /api/v1/tickets with the API key, an Idempotency-Key of its own and JSON
  {description, category, area, reporter_phone}; each description is a complaint from the demo
  city's templates with twenty words of the caller's own (so that duplicate search holds none back)
  and a number. A `duban worker` runs on the same database meanwhile (sweeping every 5 s, delivering
  every 2 s, mail to Django's dummy backend). Then the database must hold each acknowledged ticket
  exactly once, with its first event (seq 1): every number answered is stored, no description twice,
  and acknowledged <= stored <= acknowledged + requests unanswered when wrk stopped (wrk cannot wait
  for them; gunicorn finishes them).
- the floor (bench/floor/): a bare Django project on the same database, with no middleware, whose one
  view parses the same JSON bodies and inserts one row in a transaction; checked the same way.
- the peer: django-helpdesk's ticket-creation API (bench/peer/) on a fresh database of its own of the
  same kind (PostgreSQL: the same name with "_peer"), 2 sync workers (peer.serve), its own distinct
  complaints: logged in with a session (peer_*, the figure compared), then with HTTP Basic as an
  integration would call it, which hashes the password on every request (peer_basic_auth_*).
Reports for each: requests per second answered 2xx, p50/p95/p99 latency in ms, and answers that
were not 2xx (none allowed for duban and the floor); duban_vs_floor (goal >= 0.5) and
duban_vs_peer (goal >= 3). Memory: peak RSS (VmHWM, read every second and once more before the
server stops) of each gunicorn worker and of the duban worker — the highest of duban's web workers
and the worker's own (goal under 200 MB each), the floor's and the peer's workers beside them.
The servers' output goes to var/bench/http/. Writes one JSON line to
bench/results/intake-http-sqlite.json or intake-http-postgresql.json.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from common import (GUNICORN_CONF, ROOT, answers, django_env, fresh_database, gunicorn, in_django, peak_rss_mb,
                    stop, tail)

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
LOGS = ROOT / "var" / "bench" / "http"
LUA = HERE / "intake_http.lua"
PORTS = {"duban": 8901, "floor": 8902, "peer": 8903}
SECONDS, WARM_UP, CONNECTIONS, WRK_THREADS = 20, 3, 8, 1
BACKGROUND, OVERDUE = 2_000, 100
POOL = 30_000  # distinct bodies; request n carries body n modulo this
WORDS = 20  # of the caller's own in each description
GOAL_VS_FLOOR, GOAL_VS_PEER, GOAL_RSS_MB = 0.5, 3, 200


# --- databases ----------------------------------------------------------------------------------

def databases(url, folder):
    """duban's database URL (SQLite in `folder` when `url` is empty) and the peer's."""
    if not url:
        return f"sqlite:///{folder}/duban.sqlite3", f"sqlite:///{folder}/peer.sqlite3"
    base, name = url.rsplit("/", 1)
    if url.startswith("sqlite"):
        return url, f"{base}/peer-{name}"
    name = name if "bench_http" in name else name + "_http"
    return f"{base}/{name}", f"{base}/{name}_peer"


def vocabulary():
    """Common words of two to four characters from jieba's dictionary."""
    import jieba

    with jieba.get_dict_file() as lines:
        entries = (line.decode().split() for line in lines)
        return [word for word, frequency, *_ in entries if 2 <= len(word) <= 4 and int(frequency) >= 200]


def report_text(rng, words):
    """A complaint from the demo city's templates, then WORDS words of the caller's own: with them no
    two reports share half their character pairs, so duplicate search holds none back."""
    from bench_duplicates import write

    return write(rng)[1] + "另外，" + "".join(rng.choice(words) for _ in range(WORDS)) + "。"


def prepare(bodies, background, overdue):
    """(In its own process.) Migrate, make the city, the key and the open tickets; write the bodies."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench_intake import setup_city
    from duban.catalogue.models import DispatchRule
    from duban.intake.service import Report, take_in
    from duban.ledger.models import Ticket
    from duban.org.models import Person

    call_command("migrate", verbosity=0)
    category, street, raw = setup_city()
    lead = DispatchRule.objects.get(category=category).lead_unit
    lead.head = Person.objects.create_user("bench-head", name="张局长", role="unit_head", unit=lead,
                                           email="head@example.org")
    lead.save(update_fields=["head"])
    rng, words = random.Random(7), vocabulary()
    for i in range(background):
        take_in(Report(channel="hotline", description=report_text(rng, words), category=category, area=street),
                dispatch=i < overdue)
    past = timezone.now() - timedelta(days=10)
    Ticket.objects.filter(state="dispatched").update(resolve_due_at=past, next_escalation_at=past)
    with open(bodies, "w", encoding="utf-8") as out:
        for _ in range(POOL):
            body = {"description": report_text(rng, words) + "（第{n}件）", "category": category.pk,
                    "area": street.pk, "reporter_phone": "13812345678"}
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
    return {"key": raw}


def check(kind, acknowledged_file):
    """(In its own process.) What the database holds of what the load wrote: the rows, how many
    distinct, how many of those the answers named; for duban also their first events, how many were
    dispatched and how many escalations the worker's sweep wrote."""
    import django

    django.setup()
    from django.db import connection

    from duban.ledger.models import Event, Ticket

    acknowledged = json.loads(Path(acknowledged_file).read_text())
    if kind == "floor":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*), count(DISTINCT body) FROM bench_floor_row")
            stored, distinct = cursor.fetchone()
            cursor.execute("SELECT id FROM bench_floor_row")
            named = {int(pk) for pk in acknowledged}
            found = sum(pk in named for (pk,) in cursor.fetchall())
        return {"stored": stored, "distinct": distinct, "acknowledged_found": found}
    new = Ticket.objects.filter(channel__code="app")  # the background came by the hotline
    found = sum(new.filter(number__in=acknowledged[i:i + 1000]).count() for i in range(0, len(acknowledged), 1000))
    return {"stored": new.count(), "distinct": new.values("description").distinct().count(),
            "acknowledged_found": found, "with_first_event": Event.objects.filter(ticket__in=new, seq=1).count(),
            "dispatched": new.filter(state="dispatched").count(),
            "escalations": Event.objects.filter(action="escalate").count()}


def problems(runs, held):
    """What is wrong with what the database `held` after the `runs` (warm-up and measured load)."""
    acknowledged = sum(run["ok"] for run in runs)
    unanswered = sum(run["sent"] - run["answered"] for run in runs)
    numbers = [value for run in runs for value in run["captured"]]
    found = []
    if len(numbers) != acknowledged:
        found.append(f"{acknowledged} answers 2xx but {len(numbers)} of them named what they stored")
    if len(set(numbers)) != len(numbers):
        found.append(f"{len(numbers) - len(set(numbers))} answers named a row already named")
    if held["acknowledged_found"] != len(numbers):
        found.append(f"{len(numbers) - held['acknowledged_found']} acknowledged rows are not stored")
    if held["distinct"] != held["stored"]:
        found.append(f"{held['stored'] - held['distinct']} requests stored twice")
    if not acknowledged <= held["stored"] <= acknowledged + unanswered:
        found.append(f"{held['stored']} stored for {acknowledged} acknowledged and {unanswered} unanswered")
    if held.get("with_first_event", held["stored"]) != held["stored"]:
        found.append(f"{held['stored'] - held['with_first_event']} tickets without their first event")
    return found


# --- servers ------------------------------------------------------------------------------------

@contextmanager
def duban_worker(db_url, log):
    """`duban worker` on the same database, sweeping and delivering often, mail to nowhere."""
    env = django_env(db_url, SWEEP_EVERY_SECONDS="5", DELIVER_EVERY_SECONDS="2",
                     EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with open(log, "wb") as out:
        process = subprocess.Popen([Path(sys.executable).with_name("duban"), "worker"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        time.sleep(1)
        if process.poll() is not None:
            raise RuntimeError(f"duban worker stopped at once; its log ({log}):\n{tail(log)}")
        yield process
    finally:
        stop(process)


# --- load ---------------------------------------------------------------------------------------

def load(url, folder, name, *, seconds, first, method, path, headers, bodies, idempotency=None, capture=None,
         watch=list):
    """wrk against `url` for `seconds`; its summary, with the peak RSS of the pids `watch()` gives."""
    out = Path(folder) / f"{name}.json"
    env = {**os.environ, "BENCH_BODIES": str(bodies), "BENCH_FIRST": str(first), "BENCH_THREADS": str(WRK_THREADS),
           "BENCH_METHOD": method, "BENCH_PATH": path, "BENCH_OUT": str(out),
           "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items())}
    env.update({k: v for k, v in (("BENCH_IDEMPOTENCY", idempotency), ("BENCH_CAPTURE", capture)) if v})
    args = ["wrk", "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "60s",
            "-s", str(LUA), url]
    peaks = {}

    def sample():
        for pid in watch():
            rss = peak_rss_mb(pid)
            if rss is not None:
                peaks[pid] = max(rss, peaks.get(pid, 0))

    with open(out.with_suffix(".log"), "wb") as log:
        process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        while process.poll() is None:
            sample()
            try:
                process.wait(1)
            except subprocess.TimeoutExpired:
                pass
    sample()  # at the end of the run, before the server stops
    if process.returncode or not out.exists():
        raise RuntimeError(f"wrk failed: {out.with_suffix('.log').read_text(errors='replace')}")
    summary = json.loads(out.read_text(errors="replace"))
    summary["peak_rss_mb"] = peaks
    return summary


def figures(name, run):
    """A run's figures, named for the server; the first answer that was not 2xx, if any."""
    found = {f"{name}_per_sec": round(run["ok"] / run["seconds"], 1), f"{name}_p50_ms": round(run["p50_ms"], 1),
             f"{name}_p95_ms": round(run["p95_ms"], 1), f"{name}_p99_ms": round(run["p99_ms"], 1),
             f"{name}_requests": run["ok"], f"{name}_non_2xx": run["non_2xx"],
             f"{name}_socket_errors": run["socket_errors"]}
    if run["failure_sample"]:
        found[f"{name}_failure_sample"] = run["failure_sample"][:200]
    return found


def settle(server, probe):
    """Wait until the server has finished what wrk left unanswered when it stopped: the requests still
    queued are served before two probes, one after the other, each waiting for a free worker."""
    for _ in range(2):
        if answers(server.url, probe, timeout=300) is None:
            raise RuntimeError(f"{server.url} stopped answering after the load")


def warm_and_run(server, folder, name, seconds, warm_up, probe, watch=None, first=0, **request):
    """A warm-up, then the measured load, each followed by `settle`."""
    warm = load(server.url, folder, f"{name}-warm", seconds=warm_up, first=first, **request)
    settle(server, probe)
    run = load(server.url, folder, name, seconds=seconds, first=warm["next"], watch=watch or server.pids, **request)
    settle(server, probe)
    return warm, run


def held(db_url, folder, kind, runs):
    """What the database holds after the runs, and what is wrong with it."""
    named = Path(folder) / f"{kind}-acknowledged.json"
    named.write_text(json.dumps([value for run in runs for value in run["captured"]]))
    found = in_django(__file__, db_url, "check", kind, str(named))
    return found, problems(runs, found)


def measure_duban(db_url, folder, seconds, warm_up, port, key, bodies, log):
    """duban's API under load, its worker beside it; the figures and the problems of what it stored."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    probe = "/api/v1/tickets"  # a GET without the key: refused at once
    with duban_worker(db_url, log("worker")) as worker, \
            gunicorn("duban.wsgi:application", db_url, port, log("duban"), probe) as server:
        runs = warm_and_run(server, folder, "duban", seconds, warm_up, probe,
                            watch=lambda: server.pids() + [worker.pid], method="POST", path="/api/v1/tickets",
                            headers=headers, bodies=bodies, idempotency="bench", capture='"number":%s*"([^"]+)"')
    rss = runs[1]["peak_rss_mb"]
    worker_rss = rss.pop(worker.pid, None)
    stored, wrong = held(db_url, folder, "duban", runs)
    return {**figures("duban", runs[1]), "duban_tickets_stored": stored["stored"],
            "duban_dispatched_share": round(stored["dispatched"] / max(1, stored["stored"]), 3),
            "sweep_escalations": stored["escalations"],
            "duban_web_peak_rss_mb": round(max(rss.values()), 1), "duban_web_workers_seen": len(rss),
            "duban_worker_peak_rss_mb": round(worker_rss, 1) if worker_rss else None}, wrong


def measure_floor(db_url, folder, seconds, warm_up, port, bodies, log):
    """The floor under the same load, on the same database."""
    subprocess.run([sys.executable, "-m", "django", "migrate", "--settings", "bench.floor.settings", "-v", "0"],
                   cwd=ROOT, env=django_env(db_url), check=True)
    with gunicorn("bench.floor.wsgi:application", db_url, port, log("floor"), "/floor/") as server:
        runs = warm_and_run(server, folder, "floor", seconds, warm_up, "/floor/", method="POST", path="/floor/",
                            headers={"Content-Type": "application/json"}, bodies=bodies, capture='"id":%s*(%d+)')
    rss = runs[1]["peak_rss_mb"]
    _stored, wrong = held(db_url, folder, "floor", runs)
    return {**figures("floor", runs[1]), "floor_web_peak_rss_mb": round(max(rss.values()), 1),
            "floor_web_workers_seen": len(rss)}, wrong


def measure(url, folder, *, seconds=SECONDS, warm_up=WARM_UP, background=BACKGROUND, overdue=OVERDUE,
            with_peer=True, ports=PORTS, logs=LOGS):
    """Load duban, the floor and (with_peer) the peer on `url`'s kind of database; the figures, and
    what the database checks found wrong for duban and the floor (nothing, when all is well)."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is missing: apt-get install wrk")
    db_url, peer_url = databases(url, folder)
    vendor = "postgresql" if db_url.startswith("postgres") else "sqlite"
    fresh_database(db_url)
    logs.mkdir(parents=True, exist_ok=True)
    bodies = Path(folder) / "bodies.jsonl"
    key = in_django(__file__, db_url, "prepare", str(bodies), str(background), str(overdue))["key"]
    result = {"bench": "intake.http", "date": time.strftime("%Y-%m-%d"), "database": vendor, "seconds": seconds,
              "warm_up_seconds": warm_up, "wrk_connections": CONNECTIONS, "gunicorn_workers": "2 sync",
              "gunicorn_config": "deploy/gunicorn.conf.py" if GUNICORN_CONF.exists() else "defaults",
              "open_before": background}

    def log(server):
        return logs / f"{server}-{vendor}.log"

    duban, found_duban = measure_duban(db_url, folder, seconds, warm_up, ports["duban"], key, bodies, log)
    floor, found_floor = measure_floor(db_url, folder, seconds, warm_up, ports["floor"], bodies, log)
    result.update(duban)
    result.update(floor)
    result["duban_vs_floor"] = round(result["duban_per_sec"] / result["floor_per_sec"], 3)
    if with_peer:
        result.update(measure_peer(peer_url, folder, seconds, warm_up, ports["peer"]))
        result["duban_vs_peer"] = round(result["duban_per_sec"] / max(result["peer_per_sec"], 0.1), 2)
    result.update({"goal_vs_floor": GOAL_VS_FLOOR, "goal_vs_peer": GOAL_VS_PEER, "goal_rss_mb": GOAL_RSS_MB})
    result["goal_met"] = (result["duban_vs_floor"] >= GOAL_VS_FLOOR and result.get("duban_vs_peer", 0) >= GOAL_VS_PEER
                          and result["duban_web_peak_rss_mb"] < GOAL_RSS_MB
                          and (result["duban_worker_peak_rss_mb"] or 0) < GOAL_RSS_MB)
    return result, {"duban": found_duban, "floor": found_floor}


def measure_peer(peer_url, folder, seconds, warm_up, port):
    """django-helpdesk's ticket-creation API under the same load, on its own fresh database: first
    as a logged-in session (DRF's SessionAuthentication), which measures the creation itself; then
    with HTTP Basic as an integration calls it, which adds Django's password hash to every request."""
    import peer

    peer.prepare(peer_url, fresh=True)
    bodies = Path(folder) / "peer-bodies.jsonl"
    with open(bodies, "wb") as out:
        for i in range(POOL):
            body = peer.create_request(i)[3]
            assert b"\n" not in body, "a peer request body spans lines"
            out.write(body + b"\n")
    with peer.serve(peer_url, port, workers=2) as server:
        method, path, headers, _body = peer.create_request(0, peer.login_cookies(server.url))
        _warm, run = warm_and_run(server, folder, "peer", seconds, warm_up, "/login/", method=method, path=path,
                                  headers=headers, bodies=bodies)
        method, path, headers, _body = peer.create_request(0)
        _warm, basic = warm_and_run(server, folder, "peer-basic", seconds, warm_up, "/login/", first=run["next"],
                                    method=method, path=path, headers=headers, bodies=bodies)
    rss = [*run["peak_rss_mb"].values(), *basic["peak_rss_mb"].values()]
    return {**figures("peer", run), **figures("peer_basic_auth", basic),
            "peer_web_peak_rss_mb": round(max(rss, default=0), 1)}


def main(seconds=SECONDS, with_peer=True):
    with tempfile.TemporaryDirectory(prefix="bench_http_") as folder:
        result, found = measure(os.environ.get("DATABASE_URL", ""), folder, seconds=seconds, with_peer=with_peer)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"intake-http-{result['database']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    wrong = [f"{name}: {problem}" for name, listed in found.items() for problem in listed]
    wrong += [f"{name}: {result[name + '_non_2xx']} answers not 2xx" for name in ("duban", "floor")
              if result[name + "_non_2xx"]]
    if wrong:
        sys.exit("the load was not stored as acknowledged:\n" + "\n".join(wrong))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["prepare"]:
        print(json.dumps(prepare(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    elif sys.argv[1:2] == ["check"]:
        print(json.dumps(check(sys.argv[2], sys.argv[3])))
    else:
        numbers = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
        main(*numbers[:1], with_peer="--no-peer" not in sys.argv)

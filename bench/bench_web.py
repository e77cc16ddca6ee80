"""The pages people read all day, over HTTP, in a city of 10,000,000 tickets; against django-helpdesk's
list, ticket and dashboard at the same size.

    .venv/bin/python bench/bench_web.py [size] [requests] [--no-peer]
    SIZE=100000 .venv/bin/python bench/bench_web.py               # a quick run

The city is bench/city.py's, `city.ensure(size)` (SIZE, 10,000,000 tickets with their whole
histories, built once into BENCH_CITY_URL, postgres://…/duban_bench_city, and kept). duban serves it
with gunicorn — deploy/gunicorn.conf.py when it exists (else gunicorn's defaults) with 2 workers, on
127.0.0.1:8810, DEBUG off, database connections kept (DB_CONN_MAX_AGE=60). Each person reads through
one keep-alive connection (http.client), one request after the other, signed in with a session made
for them beforehand (Django's test client, force_login); each page is read WARM_UP (5) times, then
`requests` (50) times, each timed from sending the request to the last byte of the answer:
- queue: /work/, as the handler of the unit that leads the most open matters;
- ticket: /tickets/NUMBER/, as that handler, going round 50 of the unit's matters of the city's last
  month, open and closed;
- hotline: /hotline/, the dispatcher's entry page, as a dispatcher over the whole city;
- dashboard: /dashboard/?month=2026-10, as a supervisor over the whole city;
- rankings: /rankings/?month=2026-10, as that supervisor.
Then django-helpdesk 2.6 (bench/peer: its own venv) with the same number of tickets in
BENCH_PEER_URL (postgres://…/duban_bench_peer; prepared and filled once, peer.fill), served on
127.0.0.1:8811 by gunicorn with 2 sync workers and read the same way, logged in as its superuser:
- list: its staff ticket list, the page and then the JSON of rows the page fetches on load, one after
  the other: one sample is the time until the list shows;
- ticket: its newest ticket's page;
- dashboard: its staff dashboard.
A page that fails 3 times in a row, or has been read for 5 minutes, is read no more (the peer's
dashboard takes seconds, then more than gunicorn's 30 s timeout as the tickets grow). Reports each
page's p50/p95 in ms, its samples and its failed requests (not 200: none is allowed for duban; a page
of the peer that never answered has no figures); each of duban's pages against the peer's list and
dashboard (the peer's p95 over ours: above 1 when ours is faster); the goals (each page under 200 ms at p95, the rankings under 300 ms); the SQL queries of one
request of each of duban's pages (in this process, with Django's test client) and whether they stay
flat as the rows grow: the queue of the unit with the fewest open matters against the busiest, the
closed ticket of that unit with the fewest events against the one with the most. The load average
is reported beside (the machine is shared). The servers' logs go to var/bench/web/.
Writes one JSON line to bench/results/web.json.
"""
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

from common import percentile

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "web.json"
LOGS = ROOT / "var" / "bench" / "web"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PEER_URL = os.environ.get("BENCH_PEER_URL", "postgres://postgres@127.0.0.1:5432/duban_bench_peer")
PORT, PEER_PORT = 8810, 8811
MONTH = "2026-10"
WARM_UP, TICKETS = 5, 50
GIVE_UP, PAGE_SECONDS = 3, 300
GOALS_MS = {"queue": 200, "ticket": 200, "hotline": 200, "dashboard": 200, "rankings": 300}
START_SECONDS = 90


# --- who reads what -------------------------------------------------------------------------------

def readers():
    """The people and the pages each reads: {page: (person, [paths])}, and what the choice found."""
    from django.db.models import Count

    from duban.ledger.models import UNIT_QUEUE_STATES, Ticket
    from duban.org.models import Person

    import city

    open_by_unit = (Ticket.objects.filter(state__in=UNIT_QUEUE_STATES).values("lead_unit")
                    .annotate(n=Count("id")).order_by("-n", "lead_unit"))
    busiest = open_by_unit.first()
    handler = Person.objects.get(role="handler", unit_id=busiest["lead_unit"])
    recent = (Ticket.objects.filter(lead_unit_id=handler.unit_id, created_at__gte=city.NOW - timedelta(days=30))
              .order_by("created_at").values_list("number", flat=True))
    numbers = list(recent)
    numbers = numbers[::max(1, len(numbers) // TICKETS)][:TICKETS]
    dispatcher = Person.objects.get(username="dispatcher1")
    supervisor = Person.objects.get(username="supervisor1")
    pages = {"queue": (handler, ["/work/"]),
             "ticket": (handler, [f"/tickets/{number}/" for number in numbers]),
             "hotline": (dispatcher, ["/hotline/"]),
             "dashboard": (supervisor, [f"/dashboard/?month={MONTH}"]),
             "rankings": (supervisor, [f"/rankings/?month={MONTH}"])}
    return pages, {"queue_unit": handler.unit.name, "queue_open": busiest["n"], "tickets_read": len(numbers)}


def flat_queries(pages):
    """The SQL queries of one request of each page, and of the thinnest and fullest queue and ticket."""
    from django.db.models import Count, Max, Min

    from duban.ledger.models import UNIT_QUEUE_STATES, Ticket
    from duban.org.models import Person

    counts = {name: queries(person, paths[0]) for name, (person, paths) in pages.items()}
    open_by_unit = (Ticket.objects.filter(state__in=UNIT_QUEUE_STATES).values("lead_unit")
                    .annotate(n=Count("id")).order_by("n", "lead_unit"))
    fewest, most = open_by_unit.first(), open_by_unit.last()
    handler = pages["queue"][0]
    mine = Ticket.objects.filter(lead_unit_id=handler.unit_id, state="closed")  # the same actions on both
    bounds = mine.aggregate(least=Min("event_count"), most=Max("event_count"))
    short = mine.filter(event_count=bounds["least"]).values_list("number", flat=True).first()
    long = mine.filter(event_count=bounds["most"]).values_list("number", flat=True).first()
    found = {
        f"queue_{fewest['n']}_open": queries(Person.objects.get(role="handler", unit_id=fewest["lead_unit"]), "/work/"),
        f"queue_{most['n']}_open": queries(Person.objects.get(role="handler", unit_id=most["lead_unit"]), "/work/"),
        f"ticket_{bounds['least']}_events": queries(handler, f"/tickets/{short}/"),
        f"ticket_{bounds['most']}_events": queries(handler, f"/tickets/{long}/"),
    }
    values = list(found.values())
    return counts, found, values[0] == values[1] and values[2] == values[3]


def queries(person, path):
    """The SQL queries of one request (after one that warms the caches), in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(person)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


def session_cookie(person):
    """A session for the person, made here and good for the server (same database, same key)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(person)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


# --- reading over HTTP ----------------------------------------------------------------------------

class Reader:
    """One keep-alive connection, one request at a time, with the person's cookies."""

    def __init__(self, base_url, cookies):
        self.address = urlsplit(base_url)
        self.headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        self.connection = None

    def get(self, path):
        """(status, milliseconds to the last byte); status 0 when the server closed without answering."""
        if self.connection is None:
            self.connection = HTTPConnection(self.address.hostname, self.address.port, timeout=120)
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
            response.read()
            status = response.status
        except OSError:  # the worker was killed (a timeout) or the connection dropped
            self.connection.close()
            self.connection, status = None, 0
        return status, (time.perf_counter() - started) * 1000


def timed(reader, paths, count, group=1):
    """Milliseconds of up to `count` samples going round `paths` (`group` paths read one after the other
    make one sample), after WARM_UP samples: {samples, failed (requests not answered 200, the warm-up's
    included), last status}. A page that fails GIVE_UP times in a row, or has taken PAGE_SECONDS, is read
    no more (a page of seconds is not read 50 times)."""
    samples, failed, in_a_row, began, last = [], 0, 0, time.monotonic(), None
    for n in range(-WARM_UP, count):
        total, answered = 0.0, True
        for k in range(group):
            last, ms = reader.get(paths[(n * group + k) % len(paths)])
            answered = answered and last == 200
            total += ms
        failed += not answered
        in_a_row = 0 if answered else in_a_row + 1
        if n >= 0:
            samples.append(total)
        if in_a_row >= GIVE_UP or (time.monotonic() - began > PAGE_SECONDS and len(samples) >= WARM_UP):
            break
    return {"samples": samples, "failed": failed, "status": last}


def summary(found):
    """p50/p95 of the samples, the failed ones included (a reader waited for them too); None when the
    page was given up on."""
    samples, failed = found["samples"], found["failed"]
    figures = {"samples": len(samples), "failed": failed, "last_status": found["status"]}
    if not samples or failed >= len(samples):
        return {"p50_ms": None, "p95_ms": None, **figures}
    return {"p50_ms": round(percentile(samples, 0.5), 1), "p95_ms": round(percentile(samples, 0.95), 1), **figures}


# --- the servers -----------------------------------------------------------------------------------

@contextmanager
def gunicorn(db_url, port, log):
    """duban under gunicorn on `port` with 2 workers, started and stopped around the block."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_SETTINGS", "GUNICORN_"))}
    env.update(DATABASE_URL=db_url, DB_CONN_MAX_AGE="60", DEBUG="false", ALLOWED_HOSTS="127.0.0.1,localhost",
               GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2", GUNICORN_ACCESS_LOG=str(log) + ".access",
               GUNICORN_ERROR_LOG=str(log), PYTHONPATH=str(ROOT))
    args = [sys.executable, "-m", "gunicorn"]
    args += ["--config", str(GUNICORN_CONF)] if GUNICORN_CONF.exists() else \
        ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--error-logfile", str(log)]
    process = subprocess.Popen([*args, "duban.wsgi:application"], cwd=ROOT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while Reader(url, {}).get("/login/")[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start on {port}: see {log}")
            time.sleep(0.5)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def read_duban(db_url, pages, count):
    cookies = {name: session_cookie(person) for name, (person, _paths) in pages.items()}
    with gunicorn(db_url, PORT, LOGS / "duban.log") as url:
        return {name: summary(timed(Reader(url, cookies[name]), paths, count))
                for name, (_person, paths) in pages.items()}


def read_peer(size, count, log):
    """The peer's list, ticket and dashboard, filled with `size` tickets (once)."""
    import peer

    started = time.perf_counter()
    peer.prepare(PEER_URL)
    filled = peer.fill(PEER_URL, size)
    log(f"the peer holds {size:,} tickets ({'already' if filled['skipped'] else 'filled'}, "
        f"{time.perf_counter() - started:.0f} s)")
    paths = peer.read_paths(PEER_URL)
    pages = {"list": ([paths["ticket_list"], paths["ticket_list_rows"]], 2), "ticket": ([paths["ticket"]], 1),
             "dashboard": ([paths["dashboard"]], 1)}
    with peer.serve(PEER_URL, PEER_PORT) as server:
        cookies = peer.login_cookies(server.url)
        found = {}
        for name, (page_paths, group) in pages.items():
            found[name] = summary(timed(Reader(server.url, cookies), page_paths, count, group))
    return found, {"peer_followups": filled["followups"], "peer_fill_seconds": round(filled["seconds"], 1)}


def main(size, count=50, with_peer=True):
    import city

    log = city.log_line
    meta = city.ensure(size)  # Django is now set up on the city
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client, for query counts
    LOGS.mkdir(parents=True, exist_ok=True)
    pages, chosen = readers()
    counts, flat, is_flat = flat_queries(pages)
    ours = read_duban(city.URL, pages, count)
    result = {"bench": "web.pages", "date": time.strftime("%Y-%m-%d"), "tickets": meta["tickets"],
              "events": meta["events"], "requests_each": count, "warm_up": WARM_UP, **chosen,
              "server": "gunicorn, 2 workers, " + ("deploy/gunicorn.conf.py" if GUNICORN_CONF.exists() else "defaults")}
    for name, found in ours.items():
        result.update({f"{name}_{key}": value for key, value in found.items()})
        result[f"{name}_queries"] = counts[name]
    result.update(flat, flat_queries=is_flat)
    if with_peer:
        theirs, filled = read_peer(size, count, log)
        result.update(filled)
        for name, found in theirs.items():
            result.update({f"peer_{name}_{key}": value for key, value in found.items()})
        for name in ours:
            for against in ("list", "dashboard"):
                mine, other = ours[name]["p95_ms"], theirs[against]["p95_ms"]
                result[f"{name}_vs_peer_{against}"] = round(other / mine, 1) if mine and other else None
        mine, other = ours["ticket"]["p95_ms"], theirs["ticket"]["p95_ms"]
        result["ticket_vs_peer_ticket"] = round(other / mine, 1) if mine and other else None
    result["goals_p95_ms"] = GOALS_MS
    result["goal_met"] = all(ours[name]["failed"] == 0 and ours[name]["p95_ms"] < goal
                             for name, goal in GOALS_MS.items())
    result["load_average"] = round(os.getloadavg()[0], 1)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    numbers = [int(arg) for arg in arguments[:2]]
    main(numbers[0] if numbers else int(os.environ.get("SIZE", 10_000_000)), *numbers[1:],
         with_peer="--no-peer" not in sys.argv)

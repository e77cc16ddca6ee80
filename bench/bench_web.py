"""Server time of the three busiest pages of duban/web with 1,000,000 tickets on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench .venv/bin/python bench/bench_web.py [tickets] [requests]

Fills a fresh database by COPY with `tickets` (1,000,000) tickets over two years of a city of
about 400 units: most closed, a few hundred open per unit with their deadlines (some yellow, many
red, a few paused), some waiting for dispatch or returned, some with a co-unit; one department
(城管局) leads several thousand open ones. Fifty of its tickets are then made through the ledger
(receive, dispatch with a co-unit, acknowledge, start, notes by both units, half with a pending
request for an extension), so their events are real, hash chains and all; the tickets filled by
COPY have no events (as in bench_sweep.py), which `duban verify_ledger` would report.

Then requests, in process with django.test.Client as a person signed in with the right role
(force_login), `requests` (50) times each after a warm-up:
- the handler's queue, /work/, as a handler of 城管局;
- the ticket page, /tickets/NUMBER/, the same handler on the fifty tickets in turn;
- the dispatcher's entry page, /hotline/, as a dispatcher over the whole city;
- the floor: a bare view behind the same middleware and login that reads one ticket by primary
  key and renders a one-line template.
Reports p50/p95 in ms, each page's p50 as a multiple of the floor's, and the SQL queries of one
request; and that the query counts do not grow with the rows shown: the queue of a unit with 5
open tickets against one with 50, a ticket with 3 events against one with 15 (reported, not
asserted; tests/web/test_queries.py asserts it). The goal: under 200 ms each (p95). Connections
are kept between requests (DB_CONN_MAX_AGE, as a deployment would); the plan of each page's
slowest query goes to stderr.
Writes one JSON line to bench/results/web.json.
"""
import json
import os
import random
import sys
import time
import types
from datetime import timedelta
from pathlib import Path

from common import copy_rows, copy_tickets, fresh_database, percentile

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "web.json"
URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/duban_bench")
GOAL_MS = 200
WARM_UP = 5
BIG_SHARE = 0.03  # 城管局's share of all tickets
DAYS = 730  # the tickets were received over this many days, the newest just now
MEASURED = 50  # tickets made through the ledger, whose pages are opened
OPEN = ("dispatched",) * 20 + ("acknowledged",) * 25 + ("in_progress",) * 50 + ("reopened",) * 2 + ("returned",) * 3
KINDS = ("complaint",) * 16 + ("inquiry",) * 2 + ("suggestion", "help", "report")
COLUMNS = ["number", "kind", "category_id", "channel_id", "title", "description", "address", "area_id",
           "reporter_name", "reporter_phone", "state", "lead_unit_id", "decline_reason", "created_at", "updated_at",
           "clock_started_at", "ack_due_at", "resolve_due_at", "warn_at", "next_escalation_at", "acknowledged_at",
           "ack_on_time", "resolved_at", "resolve_on_time", "paused_at"]


def setup_city():
    """400 units that lead tickets (120 city departments, 280 streets in 20 districts), the hotline
    centre and two small departments; the catalogue; the people."""
    from duban.catalogue.models import Category, Channel
    from duban.demo import texts
    from duban.org.models import Person, Unit

    U = Unit.objects.create
    city = U(name="江城市", tier="city")
    hotline = U(name="12345热线中心", tier="department", parent=city)
    big = U(name="城市管理行政执法局", tier="department", parent=city, aliases=["城管局"])
    co = U(name="公安局交通警察支队", tier="department", parent=city, aliases=["交警支队"])
    few, many = U(name="档案馆", tier="department", parent=city), U(name="气象局", tier="department", parent=city)
    leads = [big, co] + [U(name=f"市直部门{i}", tier="department", parent=city) for i in range(118)]
    districts = [U(name=f"第{d + 1}区", tier="district", parent=city) for d in range(20)]
    streets = [U(name=f"第{d + 1}区街道{s + 1}", tier="street", parent=district)
               for d, district in enumerate(districts) for s in range(14)]
    leads += streets

    parents = [Category.objects.create(name=name, default_kind="complaint")
               for name in ("城市管理", "住房保障", "交通出行", "市场监管", "生态环境", "社会保障")]
    categories = [Category.objects.create(name=leaf, parent=parents[i % len(parents)])
                  for i, leaf in enumerate(texts.TEMPLATES)]

    P = Person.objects.create_user
    people = {"handler": P("huang", name="黄晓明", role="handler", unit=big),
              "co_handler": P("sun", name="孙丽", role="handler", unit=co),
              "dispatcher": P("li", name="李娜", role="dispatcher", unit=hotline, scope=city),
              "few": P("few", name="档案员", role="handler", unit=few),
              "many": P("many", name="气象员", role="handler", unit=many)}
    return {"city": city, "big": big, "co": co, "few": few, "many": many, "leads": leads, "streets": streets,
            "categories": categories, "channel": Channel.objects.get(code="hotline"), **people}


def texts_pool(rng, categories, size=3000):
    """(category, title, description) as callers tell them, written once and drawn from."""
    from bench_duplicates import context
    from duban.demo import texts

    pool = []
    for _ in range(size):
        category = rng.choice(categories)
        title, description = rng.choice(texts.TEMPLATES[category.name])
        values = context(rng)
        pool.append((category.pk, title.format(**values)[:200], description.format(**values)))
    return pool


def ticket_row(n, created, state, lead, rng, city, now):
    """The values of COLUMNS for ticket number `n`, received at `created`, now in `state`."""
    category, title, description = rng.choice(city["pool"])
    held = state not in ("received", "declined")
    row = [f"JC{created.year}-{n:07d}", rng.choice(KINDS), category, city["channel"].pk, title, description, "",
           rng.choice(city["streets"]).pk, "市民", f"1{rng.randint(3, 9)}{n:09d}", state, lead if held else None,
           "no_substance" if state == "declined" else "", created, created]
    if not held:
        return row + [None] * 10
    started = created + timedelta(minutes=30)
    due = started + timedelta(days=21 + 7 * (rng.random() < 0.1))  # 15 working days; some extended
    acknowledged = started + timedelta(hours=rng.uniform(0.5, 6))
    clocked = state in OPEN and state != "returned"
    resolved = None if state in OPEN else min(now, started + timedelta(days=rng.uniform(1, 25)))
    paused = clocked and state != "dispatched" and rng.random() < 0.03
    return row + [started, started + timedelta(hours=4), due, due - timedelta(days=3),
                  due if clocked and not paused else None,
                  None if state == "dispatched" else acknowledged,
                  None if state == "dispatched" else acknowledged < started + timedelta(hours=4),
                  resolved, resolved <= due if resolved else None,
                  now - timedelta(days=rng.uniform(0, 3)) if paused else None]


def tickets(total, rng, city, now, co_rows):
    """`total` tickets received over DAYS days, oldest first; appends to co_rows those given a co-unit.

    A ticket younger than 45 days is open nine times in ten, one younger than 120 days half the
    time, an older one rarely; 3% are 城管局's, the rest spread over all units."""
    big, leads, step = city["big"].pk, [u.pk for u in city["leads"]], timedelta(days=DAYS) / total
    for i in range(total):
        created = now - timedelta(days=DAYS) + step * i
        age, chance = (now - created).days, rng.random()
        if chance < 0.015:
            state = "declined"
        elif chance < (0.9 if age < 45 else 0.5 if age < 120 else 0.02):
            state = rng.choice(OPEN)
        elif age < 2:
            state = "received"
        else:
            state = "resolved" if age < 45 else "closed"
        lead = big if rng.random() < BIG_SHARE else rng.choice(leads)
        if state not in ("received", "declined") and rng.random() < 0.08:
            co_rows.append(i)
        yield ticket_row(i + 1, created, state, lead, rng, city, now)


def fill(total, rng, city, now):
    """COPY the tickets and their co-units; two small units get 5 and 50 open tickets."""
    from duban.ledger.models import Ticket, TicketCounter

    co_rows = []
    copy_tickets(COLUMNS, tickets(total, rng, city, now, co_rows))
    first = Ticket.objects.order_by("pk").values_list("pk", flat=True)[0]  # one COPY: ids in row order
    leads = [u.pk for u in city["leads"]]
    copy_rows(Ticket.co_units.through, ["ticket_id", "unit_id"], ((first + i, rng.choice(leads)) for i in co_rows))
    small = [(city["few"].pk, i) for i in range(5)] + [(city["many"].pk, i) for i in range(50)]
    copy_tickets(COLUMNS, (ticket_row(total + 1 + n, now - timedelta(days=1 + i % 30), "in_progress", unit, rng,
                                      city, now) for n, (unit, i) in enumerate(small)))
    TicketCounter.objects.create(year=now.year, value=total + len(small))


def timelines(rng, city, now):
    """MEASURED tickets of 城管局 made through the ledger, a handful of events each; and two more to
    compare a short timeline (3 events) with a long one (15)."""
    from duban.ledger.machine import perform, receive

    def made(days_ago, steps):
        category, title, description = rng.choice(city["pool"])
        at = now - timedelta(days=days_ago)
        ticket = receive(actor=city["dispatcher"], at=at, kind="complaint", category_id=category,
                         channel=city["channel"], title=title, description=description, address="",
                         area=rng.choice(city["streets"]), reporter_name="市民", reporter_phone="13812345678")
        for hours, action, person, params in steps:
            perform(ticket, action, city[person], at=at + timedelta(hours=hours), **params)
        return ticket

    opened = [(0.2, "dispatch", "dispatcher", {"unit": city["big"], "co_units": [city["co"]]}),
              (1, "acknowledge", "handler", {})]
    measured = []
    for i in range(MEASURED):
        steps = [*opened, (2, "start", "handler", {}), (20, "note", "handler", {"text": "已到现场查看，正在联系产权单位"}),
                 (26, "note", "co_handler", {"text": "交警支队已安排人员配合处置"})]
        if i % 2:
            steps.append((30, "request_extension", "handler", {"days": 3, "reason": "需协调多个部门"}))
        measured.append(made(rng.uniform(2, 10), steps).number)
    short = made(5, opened).number
    notes = [(2 + k, "note", "handler" if k % 2 else "co_handler", {"text": f"进展{k}"}) for k in range(12)]
    long = made(5, [*opened, *notes]).number
    return measured, short, long


def floor_urls():
    """The floor: the project's addresses plus one bare view, behind the same middleware and login."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import include, path

    from duban.ledger.models import Ticket

    template = engines["django"].from_string("<p>{{ ticket.number }} {{ ticket.title }}</p>")

    @login_required
    def floor(request, pk):
        return HttpResponse(template.render({"ticket": Ticket.objects.get(pk=pk)}, request))

    module = types.ModuleType("bench_web_urls")
    module.urlpatterns = [path("bench/floor/<int:pk>/", floor), path("", include("duban.urls"))]
    return module


def timed(client, urls, count):
    """Milliseconds for `count` GETs, going round the urls, after a warm-up of each."""
    for url in urls[:WARM_UP]:
        assert client.get(url).status_code == 200, url
    times = []
    for i in range(count):
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def queries(client, url):
    """The SQL queries of one request (after one that warms the caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def signed_in(person):
    from django.test import Client

    client = Client()
    client.force_login(person)
    return client


def explain_slowest(client, url):
    """EXPLAIN ANALYZE of the slowest query of one request: (ms, SQL, plan)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + slowest["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return float(slowest["time"]) * 1000, slowest["sql"], plan


def main(total=1_000_000, count=50):
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")  # as a deployment keeps its connections
    fresh_database(URL)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from duban.ledger.models import Event, Ticket

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    now = timezone.now()
    city = setup_city()
    city["pool"] = texts_pool(rng, city["categories"])
    started = time.perf_counter()
    fill(total, rng, city, now)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ledger_ticket")
    fill_seconds = time.perf_counter() - started
    started = time.perf_counter()
    measured, short, long = timelines(rng, city, now)
    ledger_seconds = time.perf_counter() - started

    handler, dispatcher = signed_in(city["handler"]), signed_in(city["dispatcher"])
    floor_pks = list(Ticket.objects.filter(number__in=measured).values_list("pk", flat=True))
    pages = {"queue": (handler, ["/work/"]),
             "ticket": (handler, [f"/tickets/{number}/" for number in measured]),
             "hotline": (dispatcher, ["/hotline/"]),
             "floor": (handler, [f"/bench/floor/{pk}/" for pk in floor_pks])}
    result = {"bench": "web.pages", "date": time.strftime("%Y-%m-%d"), "tickets": Ticket.objects.count(),
              "open_in_handlers_unit": Ticket.objects.filter(lead_unit=city["big"], state__in=OPEN).count(),
              "events": Event.objects.count(), "fill_seconds": round(fill_seconds, 1),
              "ledger_seconds": round(ledger_seconds, 1), "requests_each": count}
    with override_settings(ROOT_URLCONF=floor_urls()):
        times = {name: timed(client, urls, count) for name, (client, urls) in pages.items()}
        counts = {name: queries(client, urls[0]) for name, (client, urls) in pages.items()}
        flat = {"queue_5_rows": queries(signed_in(city["few"]), "/work/"),
                "queue_50_rows": queries(signed_in(city["many"]), "/work/"),
                "ticket_3_events": queries(handler, f"/tickets/{short}/"),
                "ticket_15_events": queries(handler, f"/tickets/{long}/")}
        slowest = {name: explain_slowest(client, urls[0]) for name, (client, urls) in pages.items() if name != "floor"}
    floor = percentile(times["floor"], 0.5)
    for name in ("queue", "ticket", "hotline", "floor"):
        p50, p95 = percentile(times[name], 0.5), percentile(times[name], 0.95)
        result.update({f"{name}_p50_ms": round(p50, 1), f"{name}_p95_ms": round(p95, 1),
                       f"{name}_queries": counts[name]})
        if name != "floor":
            result[f"{name}_vs_floor"] = round(p50 / floor, 1)
    result.update(flat)
    result["flat_queries"] = flat["queue_5_rows"] == flat["queue_50_rows"] and \
        flat["ticket_3_events"] == flat["ticket_15_events"]
    result["goal_p95_ms"] = GOAL_MS
    result["goal_met"] = all(result[f"{name}_p95_ms"] < GOAL_MS for name in ("queue", "ticket", "hotline"))
    for name, (ms, sql, plan) in slowest.items():
        print(f"--- {name}: slowest query {ms:.1f} ms\n{sql}\n{plan}\n", file=sys.stderr)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main(*(int(arg) for arg in sys.argv[1:3]))

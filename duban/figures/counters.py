"""From events to counters: one function (`counts`) for both the live path and the rebuild.

Live: every event the ledger writes reaches `on_recorded` (the `recorded` signal) inside the
writing transaction, and its counts are added to the unit's and the area's day with one upsert
each. Rebuild: `from_log` folds the whole event log through the same `counts`, ticket by ticket
in order, and `rebuild` replaces the tables with the result. The test of the two is
tests/figures/test_counters.py.

A unit is charged with what happens while it leads the matter: `lead` is the ticket's lead unit
after the event (a dispatch or a reassignment names the new one in its payload). A verdict names
its unit in its payload; an upheld appeal carries the verdict it withdraws, so withdrawing it
subtracts exactly what the verdict added, on the verdict's own day.
"""
from collections import Counter, defaultdict
from datetime import datetime

from django.db import connection, transaction
from django.dispatch import receiver
from django.utils import timezone

from duban.figures.models import UNIT_DAY_COLUMNS, AreaDay, UnitDay
from duban.ledger.machine import VERDICT_ACTIONS
from duban.ledger.models import Event, Ticket
from duban.ledger.signals import recorded
from duban.lib.rows import insert_rows

# Actions that name the unit they leave the matter with.
ASSIGNING = ("dispatch", "reassign")


def day_of(moment):
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return timezone.localtime(moment).date()


def verdict_counts(action, payload, sign=1):
    """What one verdict adds to its unit's day (sign -1: what withdrawing it takes away)."""
    prefix = "sampled_" if action == "sample_rate" else ""
    counts = {"verdicts": 1}
    for answer, yes, no in (("contacted", "contacted", "not_contacted"), ("solved", "solved", "unsolved")):
        if payload.get(answer) is not None:
            counts[yes if payload[answer] else no] = 1
    if payload.get("rating"):
        counts[f"rated_{payload['rating']}"] = 1
    return {prefix + column: sign * n for column, n in counts.items()}


def counts(action, at, payload, lead):
    """The counts one event adds: ([(unit, day, {column: n})], [((area, category, day), n)])."""
    day = day_of(at)
    clock = payload.get("clock") or {}
    if action == "receive":
        return [], [((payload.get("area") or 0, payload.get("category") or 0, day), 1)]
    if action in ASSIGNING:
        return [(payload["lead_unit"], day, {"assigned": 1})], []
    if action in VERDICT_ACTIONS:
        return [(payload.get("unit") or lead, day, verdict_counts(action, payload))], []
    if action == "uphold_appeal":
        rated = payload["rating"]
        unit = rated.get("unit") or lead
        return [(unit, day_of(rated["at"]), verdict_counts(rated["action"], rated, sign=-1)),
                (unit, day, {"appeals_upheld": 1})], []
    simple = {
        "acknowledge": {"acknowledged": 1, "acknowledged_on_time": int(clock.get("on_time") is True)},
        "return": {"returned": 1},
        "resolve": {"resolved": 1, "resolved_on_time": int(clock.get("on_time") is True),
                    "resolve_work_seconds": clock.get("work_seconds") or 0},
        "close": {"closed": 1},
        "reopen": {"reopened": 1},
        "unreached": {"unreached": 1},
    }.get(action)
    if simple is None or lead is None:
        return [], []
    unit = payload.get("unit") or lead if action == "return" else lead
    return [(unit, day, simple)], []


class Tally:
    """Counts summed in memory: per (unit, day) and per (area, category, day)."""

    def __init__(self):
        self.units = defaultdict(Counter)
        self.areas = Counter()

    def add(self, action, at, payload, lead):
        unit_rows, area_rows = counts(action, at, payload, lead)
        for unit, day, columns in unit_rows:
            if unit:
                self.units[unit, day].update(columns)
        for key, n in area_rows:
            self.areas[key] += n

    def unit_rows(self):
        return [(unit, day, *(columns.get(c, 0) for c in UNIT_DAY_COLUMNS))
                for (unit, day), columns in sorted(self.units.items())]

    def area_rows(self):
        return [(area, category, day, n) for (area, category, day), n in sorted(self.areas.items())]


def _upsert(table, keys, columns, rows):
    """Add rows to the counters: insert a new day, or add to the one there (SQLite and PostgreSQL)."""
    if not rows:
        return
    names = (*keys, *columns)
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "  # nosec B608 # quoted names
           f"VALUES ({', '.join(['%s'] * len(names))}) "
           f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET "
           + ", ".join(f"{quote(c)} = {quote(table)}.{quote(c)} + EXCLUDED.{quote(c)}" for c in columns))
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def add(tally):
    """Add a tally to the stored counters (rows in key order, so concurrent writers never deadlock)."""
    _upsert(UnitDay._meta.db_table, ("unit_id", "day"), UNIT_DAY_COLUMNS, tally.unit_rows())
    _upsert(AreaDay._meta.db_table, ("area_id", "category_id", "day"), ("received",), tally.area_rows())


@receiver(recorded, sender=Ticket)
def on_recorded(sender, events, **kwargs):
    tally = Tally()
    for event in events:
        tally.add(event.action, event.at, event.payload, event.ticket.lead_unit_id)
    add(tally)


def from_log(chunk=20_000):
    """Fold the whole event log, ticket by ticket, into a Tally."""
    tally = Tally()
    ticket, lead = None, None
    rows = Event.objects.order_by("ticket_id", "seq").values_list("ticket_id", "action", "at", "payload")
    for ticket_id, action, at, payload in rows.iterator(chunk_size=chunk):
        if ticket_id != ticket:
            ticket, lead = ticket_id, None
        if action in ASSIGNING:
            lead = payload["lead_unit"]
        tally.add(action, at, payload, lead)
    return tally


def stored():
    """The counters as stored, as a Tally (for comparison with `from_log`)."""
    tally = Tally()
    for row in UnitDay.objects.values("unit_id", "day", *UNIT_DAY_COLUMNS).iterator():
        columns = {c: row[c] for c in UNIT_DAY_COLUMNS if row[c]}
        if columns:
            tally.units[row["unit_id"], row["day"]].update(columns)
    for row in AreaDay.objects.values_list("area_id", "category_id", "day", "received").iterator():
        if row[3]:
            tally.areas[row[:3]] += row[3]
    return tally


def nonzero(tally):
    """A tally's non-zero counts only, to compare two: a withdrawn verdict leaves zeros in one path
    and nothing in the other. Returns ({(unit, day): {column: n}}, {(area, category, day): n})."""
    units = {key: {c: n for c, n in columns.items() if n} for key, columns in tally.units.items()}
    return ({key: columns for key, columns in units.items() if columns},
            {key: n for key, n in tally.areas.items() if n})


def rebuild():
    """Replace the counters with what the event log says; return (unit days, area days) written."""
    tally = from_log()
    unit_rows, area_rows = tally.unit_rows(), tally.area_rows()
    with transaction.atomic():
        UnitDay.objects.all().delete()
        AreaDay.objects.all().delete()
        insert_rows(UnitDay, ("unit", "day", *UNIT_DAY_COLUMNS), unit_rows)
        insert_rows(AreaDay, ("area_id", "category_id", "day", "received"), area_rows)
    return len(unit_rows), len(area_rows)

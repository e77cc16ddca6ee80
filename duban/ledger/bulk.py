"""Many new matters at once (a ledger import), written with a few bulk inserts.

Each matter is received, given its notes and dispatched to the unit its source named: the same
acts, permission checks, payloads, hash chains and clocks as `receive` and `perform`, whose pieces
this module calls. What differs is only how it is written: the numbers are handed out in one
block, each ticket's events are chained in memory, and every table gets one bulk insert per batch.
The caller holds the transaction, so a batch is written whole or not at all.

A matter whose source named no unit needs the duplicate search and the catalogue to decide where
it goes; duban.intake.service.take_in_many sends those through the single path instead.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from duban.clock import deadlines as clock
from duban.ledger.history import advance, next_event
from duban.ledger.machine import (
    TRANSITIONS, TransitionError, assign, check_may, dispatch_by_hand, dispatch_payload, new_ticket, receipt,
)
from duban.ledger.models import Event, State, Ticket
from duban.ledger.numbers import next_numbers
from duban.ledger.signals import recorded, states_changed
from duban.lib.rows import insert_objects, insert_rows
from duban.lib.workdays import CalendarRangeError
from duban.org.models import Unit


@dataclass
class Arrival:
    """One new matter: the ticket's fields (as `receive` takes them) and where it goes."""

    fields: dict
    unit: Unit
    co_units: list = field(default_factory=list)
    due: date | datetime | None = None
    notes: list = field(default_factory=list)  # non-empty texts, written as notes before dispatch
    source: dict | None = None
    at: datetime | None = None


class ArrivalRefused(Exception):
    """Arrival number `index` (from 0) cannot be taken; `error` says why. Nothing was written."""

    def __init__(self, index, error):
        super().__init__(f"{index}: {error}")
        self.index, self.error = index, error


def receive_and_dispatch(arrivals, actor=None):
    """Receive, note and dispatch every arrival; return the tickets in order. All or nothing."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a bulk intake runs inside the caller's transaction")
    now = timezone.now()
    tickets = []
    for index, arrival in enumerate(arrivals):
        try:
            tickets.append(new_ticket(actor=actor, at=arrival.at or now, check_relations=False, **arrival.fields))
        except ValidationError as error:
            raise ArrivalRefused(index, error) from error
    _number(tickets)
    limits, events, co_units, changes = {}, [], [], []
    for index, (ticket, arrival) in enumerate(zip(tickets, arrivals)):
        try:
            co_units.extend((ticket, unit) for unit in _play(ticket, arrival, actor, limits, events, changes))
        except (ValidationError, CalendarRangeError, clock.ClockError) as error:
            error = error if isinstance(error, ValidationError) else TransitionError(str(error))
            raise ArrivalRefused(index, error) from error
    insert_objects(Ticket, tickets, returning_ids=True)
    insert_objects(Event, events)
    insert_rows(Ticket.co_units.through, ("ticket", "unit"), [(ticket.pk, unit.pk) for ticket, unit in co_units])
    states_changed.send(Ticket, changes=changes)
    recorded.send(Ticket, events=events)
    return tickets


def _number(tickets):
    """Numbers in order, one block per year of receipt."""
    by_year = defaultdict(list)
    for ticket in tickets:
        by_year[timezone.localtime(ticket.created_at).year].append(ticket)
    for year, group in sorted(by_year.items()):
        for ticket, number in zip(group, next_numbers(year, len(group))):
            ticket.number = number


def _play(ticket, arrival, actor, limits, events, changes):
    """Chain the ticket's events in memory: receipt, notes, dispatch. Return the co-units."""
    at = ticket.created_at

    def write(event, from_state=None):
        advance(ticket, event)
        events.append(event)
        if from_state is not None:
            changes.append((ticket, event, from_state))

    write(receipt(ticket, actor, at, arrival.source), from_state="")
    note = TRANSITIONS["note"]
    for text in arrival.notes:
        check_may(actor, note, ticket)
        write(next_event(ticket, "note", actor, from_state=ticket.state, to_state=ticket.state,
                         payload={"text": text}, at=at))
    check_may(actor, TRANSITIONS["dispatch"], ticket)
    co_units = assign(ticket, arrival.unit, arrival.co_units)
    dispatch_by_hand(ticket, arrival.unit)
    key = (ticket.category_id, ticket.kind, ticket.urgency)
    if key not in limits:
        limits[key] = clock.limit_for(ticket)
    started = clock.start(ticket, at, resolve_due=arrival.due, limit=limits[key])
    ticket.state = State.DISPATCHED
    write(next_event(ticket, "dispatch", actor, from_state=State.RECEIVED, to_state=ticket.state,
                     payload=dispatch_payload(ticket, [u.pk for u in co_units], "", started), at=at),
          from_state=State.RECEIVED)
    return co_units

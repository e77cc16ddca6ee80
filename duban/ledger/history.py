"""Appending to a ticket's history: the only way events are written."""
from django.db import transaction
from django.utils import timezone

from duban.lib.chain import link
from duban.ledger.models import Event


def next_event(ticket, action, actor=None, *, from_state="", to_state="", payload=None, attachments=(), at=None):
    """The ticket's next event, linked to its chain head, not yet stored (see `advance`)."""
    event = Event(
        ticket=ticket, seq=ticket.event_count + 1, at=at or timezone.now(), actor=actor,
        action=action, from_state=from_state, to_state=to_state,
        payload=payload or {}, attachments=list(attachments), prev_hash=ticket.head_hash,
    )
    event.hash = link(event.prev_hash, event.content(ticket.number))
    return event


def advance(ticket, event):
    """Move the ticket's cached chain head to its newest event."""
    ticket.event_count = event.seq
    ticket.head_hash = event.hash
    ticket.updated_at = event.at


def append_event(ticket, action, actor=None, *, from_state="", to_state="", payload=None,
                 attachments=(), at=None):
    """Write the next event of a locked ticket and move the ticket's cached chain head.

    The caller holds the ticket row (select_for_update) inside a transaction, so events of
    one ticket are written one at a time while other tickets go on in parallel.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events are appended inside the transaction that changes the ticket")
    event = next_event(ticket, action, actor, from_state=from_state, to_state=to_state, payload=payload,
                       attachments=attachments, at=at)
    event.save()
    advance(ticket, event)
    return event

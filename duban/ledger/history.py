"""Appending to a ticket's history: the only way events are written."""
from django.db import transaction
from django.utils import timezone

from duban.lib.chain import link
from duban.ledger.models import Event


def append_event(ticket, action, actor=None, *, from_state="", to_state="", payload=None,
                 attachments=(), at=None):
    """Write the next event of a locked ticket and move the ticket's cached chain head.

    The caller holds the ticket row (select_for_update) inside a transaction, so events of
    one ticket are written one at a time while other tickets go on in parallel.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events are appended inside the transaction that changes the ticket")
    event = Event(
        ticket=ticket, seq=ticket.event_count + 1, at=at or timezone.now(), actor=actor,
        action=action, from_state=from_state, to_state=to_state,
        payload=payload or {}, attachments=list(attachments), prev_hash=ticket.head_hash,
    )
    event.hash = link(event.prev_hash, event.content(ticket.number))
    event.save()
    ticket.event_count = event.seq
    ticket.head_hash = event.hash
    ticket.updated_at = event.at
    return event

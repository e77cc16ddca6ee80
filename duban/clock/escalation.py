"""The escalation sweep: climb the ladder for every ticket whose next step is due.

Reads only tickets whose `next_escalation_at` has passed, through a partial index, in batches.
On PostgreSQL each batch is claimed with SELECT … FOR UPDATE SKIP LOCKED, so any number of
sweeps on any number of machines share the work; on SQLite the write lock does the same. Each
step re-checks the ticket under its lock, so a sweep run twice never escalates, or notifies,
twice.
"""
from django.db import transaction
from django.utils import timezone

from duban.ledger.machine import TransitionError, perform
from duban.ledger.models import Ticket


def due_tickets(now):
    return Ticket.objects.filter(next_escalation_at__lte=now).order_by("next_escalation_at")


def sweep(now=None, batch=200):
    """Escalate every due ticket; returns the number of steps taken."""
    now = now or timezone.now()
    steps = 0
    while True:
        taken = 0
        with transaction.atomic():
            tickets = list(due_tickets(now).select_for_update(skip_locked=True, of=("self",))[:batch])
            for ticket in tickets:
                try:
                    perform(ticket, "escalate", None, at=max(now, ticket.updated_at))
                    taken += 1
                except TransitionError:
                    pass  # moved on since it was read: nothing is due any more
        steps += taken
        # A ticket far overdue climbs one step per pass until it is level; stop when nothing moved.
        if not taken:
            return steps

"""Signals the ledger sends, inside the transaction that writes the event.

`state_changed(sender=Ticket, ticket, event, from_state)` follows every event that changes a
ticket's state, including its receipt (`from_state` is ""). Apps that keep data derived from the
ledger (the duplicate index) listen to it, so the ledger does not depend on them.
"""
from django.dispatch import Signal

state_changed = Signal()

"""Signals the ledger sends, inside the transaction that writes the event.

`state_changed(sender=Ticket, ticket, event, from_state)` follows every event that changes a
ticket's state, including its receipt (`from_state` is ""). Apps that keep data derived from the
ledger (the duplicate index) listen to it, so the ledger does not depend on them.

`states_changed(sender=Ticket, changes)` says the same of many tickets at once, when a bulk import
(duban.ledger.bulk) writes them together: `changes` is a list of (ticket, event, from_state) in
the order the events were written. A listener of one listens to the other too.

`recorded(sender=Ticket, events)` follows every event that receive, perform and the bulk intake
write, whether or not it changes the state: `events` in the order written, each with its
`ticket` set and that ticket's lead unit as it stands after the events. The figures' counters
(duban.figures.counters) listen to it.
"""
from django.dispatch import Signal

state_changed = Signal()
states_changed = Signal()
recorded = Signal()

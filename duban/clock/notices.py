"""Who is told when the clock acts, written to the outbox in the event's own transaction."""
from duban.ledger.access import stewards_of


def enqueue(*args, **kwargs):
    from duban.notify.outbox import enqueue as write  # the notify app depends on the ledger, not back

    return write(*args, **kwargs)

STEP_LABELS = {"remind": "催办 remind", "supervise": "督办 supervise", "summon": "约谈 summon"}


def _unit_head(ticket):
    head = ticket.lead_unit.head if ticket.lead_unit_id else None
    return [head] if head is not None and head.is_active else []


def _answerable(ticket):
    """The head of the lead unit and every steward of the matter, each once."""
    people = {person.pk: person for person in _unit_head(ticket) + stewards_of(ticket)}
    return list(people.values())


def escalation(ticket, event):
    enqueue(event, people=_answerable(ticket), units=[ticket.lead_unit], template="escalation",
            context={"ticket": ticket, "step": STEP_LABELS[event.payload["step"]],
                     "due": ticket.resolve_due_at, "days_late": event.payload["workdays_late"]})


def supervision(ticket, event):
    enqueue(event, people=_answerable(ticket), units=[ticket.lead_unit], template="supervision",
            context={"ticket": ticket, "demand": event.payload["demand"], "due": ticket.demand_due_at})


def decision(ticket, event):
    from duban.clock.models import ClockRequest

    request = ClockRequest.objects.select_related("requested_by").get(pk=event.payload["request"])
    people = {p.pk: p for p in [request.requested_by] + _unit_head(ticket)}
    enqueue(event, people=list(people.values()), template="request_decision",
            context={"ticket": ticket, "kind": request.get_kind_display(), "approved": event.payload["approved"],
                     "decision": request.get_status_display(), "reason": event.payload["note"]})

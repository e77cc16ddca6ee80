"""What Open311 shows the public: services, requests and their updates, without personal data.

The GET endpoints need no key, so everything here is public. A whistle-blowing report (举报) is
never shown at all; a merged ticket is left out of listings (the ticket it joined is there) but
still answers by its own number, closed, so a client that sent it learns where it went. The
reporter's name, phone and email never appear; phone numbers inside a description are masked.
Updates are the ticket's changes of state after receipt; notes, clock requests and escalations
are the administration's own business and stay out.
"""
from django.db.models import F, Q
from django.utils.translation import gettext as _

from duban.catalogue.models import Category, RequestKind
from duban.ledger.access import conceal
from duban.ledger.machine import TERMINAL_STATES
from duban.ledger.models import DeclineReason, Event, State, Ticket
from duban.lib.text import mask_phones

# Events whose public text becomes a request's status_notes; a later reopen or send-back clears it.
NOTE_ACTIONS = ("resolve", "decline", "merge", "reopen", "send_back")
CLEARING_ACTIONS = ("reopen", "send_back")


def public_tickets():
    return Ticket.objects.exclude(kind=RequestKind.REPORT).select_related("category", "lead_unit")


def status(state):
    return "closed" if state in TERMINAL_STATES else "open"


# --- services -------------------------------------------------------------------------------

def active_categories():
    return Category.objects.filter(active=True).order_by("path")


def category_names():
    return dict(Category.objects.values_list("pk", "name"))


def service(category, names):
    return {
        "service_code": str(category.pk), "service_name": category.name,
        "description": " › ".join(names[pk] for pk in category.ancestor_ids() if pk in names),
        "metadata": False, "type": "realtime", "keywords": "",
        "group": names.get(category.parent_id, "") if category.parent_id else "",
    }


def service_definition(category):
    # Categories define no attributes yet; attributes sent anyway are kept with the request.
    return {"service_code": str(category.pk), "attributes": []}


# --- requests -------------------------------------------------------------------------------

def public_text(event):
    """What the public may read about one event: a resolution, a reason for declining, a state."""
    payload = event.payload
    if event.action == "resolve":
        return mask_phones(payload.get("resolution", ""))
    if event.action == "decline" and payload.get("reason") in DeclineReason.values:
        return str(DeclineReason(payload["reason"]).label)
    if event.action == "merge":
        return _("Merged into ticket %(number)s.") % {"number": payload.get("into", "")}
    if event.action in ("dispatch", "reassign") and payload.get("lead_unit_name"):
        return _("Sent to %(unit)s.") % {"unit": payload["lead_unit_name"]}
    return str(State(event.to_state).label) if event.to_state in State.values else ""


def _sent(payload):
    """What the client sent with the request, as the receipt recorded it."""
    return ((payload.get("source") or {}).get("open311")) or {}


def _web_url(url):
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


def _extras(tickets):
    """Per ticket: what its client sent, and its status notes; one query for all of them."""
    extras = {t.pk: {"sent": {}, "notes": ""} for t in tickets}
    events = Event.objects.filter(Q(seq=1) | Q(action__in=NOTE_ACTIONS), ticket_id__in=list(extras))
    for event in events.order_by("ticket_id", "seq"):
        if event.seq == 1:
            extras[event.ticket_id]["sent"] = _sent(event.payload)
        if event.action in NOTE_ACTIONS:
            extras[event.ticket_id]["notes"] = "" if event.action in CLEARING_ACTIONS else public_text(event)
    return extras


def request(ticket, extra):
    sent = extra["sent"]
    category = ticket.category if ticket.category_id else None
    return {
        "service_request_id": ticket.number, "status": status(ticket.state),
        "status_notes": conceal(extra["notes"], ticket.reporter_name),
        "service_name": category.name if category else "", "service_code": str(category.pk) if category else "",
        "description": conceal(ticket.description, ticket.reporter_name),
        "agency_responsible": ticket.lead_unit.name if ticket.lead_unit_id else "", "service_notice": "",
        "requested_datetime": ticket.created_at, "updated_datetime": ticket.updated_at,
        "expected_datetime": ticket.resolve_due_at, "address": ticket.address,
        "address_id": sent.get("address_id", ""), "zipcode": "", "lat": ticket.latitude, "long": ticket.longitude,
        "media_url": _web_url((sent.get("media_url") or [None])[0]),
    }


def requests(tickets):
    tickets = list(tickets)
    extras = _extras(tickets)
    return [request(t, extras[t.pk]) for t in tickets]


# --- updates --------------------------------------------------------------------------------

def public_events():
    """The changes of state after receipt, of the tickets the public may see."""
    return (Event.objects.exclude(ticket__kind=RequestKind.REPORT).exclude(action="receive")
            .exclude(from_state=F("to_state")).select_related("ticket"))


def update(event):
    return {
        "update_id": str(event.pk), "service_request_id": event.ticket.number, "status": status(event.to_state),
        "updated_datetime": event.at, "description": public_text(event), "media_url": None,
        "external_status_code": event.to_state,
    }

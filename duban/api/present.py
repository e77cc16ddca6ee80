"""Tickets and events as the API shows them to one viewer: personal data only where allowed."""
from django.utils import timezone

from duban.clock.deadlines import warning
from duban.ledger.access import conceal, may_see_reporter, reporter_of
from duban.ledger.machine import allowed_actions
from duban.ledger.models import IdentityView


def _ref(obj):
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def ticket(t, viewer, *, full=False):
    mine = may_see_reporter(viewer, t)
    body = {
        "number": t.number, "state": t.state, "state_label": t.get_state_display(),
        "kind": t.kind, "kind_label": t.get_kind_display(), "category": _ref(t.category),
        "channel": t.channel.code, "title": t.title,
        "description": t.description if mine else conceal(t.description, t.reporter_name),
        "address": t.address, "latitude": t.latitude, "longitude": t.longitude, "area": _ref(t.area),
        "urgency": t.urgency, "lead_unit": _ref(t.lead_unit),
        "reporter": reporter_of(viewer, t, IdentityView.Where.API),
        "received_at": t.created_at, "updated_at": t.updated_at, "acknowledge_by": t.ack_due_at,
        "resolve_by": t.resolve_due_at, "acknowledged_at": t.acknowledged_at, "resolved_at": t.resolved_at,
        "resolved_on_time": t.resolve_on_time, "escalation_level": t.escalation_level,
        "clock": warning(t, timezone.now()), "merged_into": t.merged_into.number if t.merged_into_id else None,
    }
    if full:
        body.update({
            "co_units": [_ref(u) for u in t.co_units.all()], "subject": t.subject,
            "dispatch_explanation": t.dispatch_explanation, "dispatch_fallback": t.dispatch_fallback,
            "decline_reason": t.decline_reason, "paused_since": t.paused_at,
            "actions": [a.action for a in allowed_actions(viewer, t)],
            "attachments": [attachment(a) for a in t.attachment_set.order_by("pk")],
        })
    return body


def attachment(a):
    return {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
            "at": a.at, "event": a.event.seq}


def event(e):
    payload = {k: v for k, v in e.payload.items() if k != "reporter"}
    return {"seq": e.seq, "at": e.at, "action": e.action, "actor": (e.actor.name or e.actor.username) if e.actor_id else None,
            "from_state": e.from_state, "to_state": e.to_state, "payload": payload, "attachments": e.attachments,
            "hash": e.hash}


def match(m):
    t = m.ticket
    return {"number": t.number, "title": t.title, "state": t.state, "address": t.address,
            "received_at": t.created_at, "lead_unit": _ref(t.lead_unit), "score": round(m.score, 3),
            "distance_m": None if m.distance_m is None else round(m.distance_m), "reasons": m.reasons}


def suggestion(s):
    if s is None:
        return None
    return {"category": _ref(s.category), "unit": _ref(s.unit), "confidence": round(s.confidence, 3),
            "source": s.source, "explanation": s.explanation}

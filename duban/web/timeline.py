"""A ticket's events as people read them: the full timeline for staff, the public steps for the
reporter (no names of people, no notes, no personal data: the unit's reply with phones masked)."""
from dataclasses import dataclass, field

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from duban.clock.models import ClockRequest
from duban.ledger.machine import APPEAL_GROUNDS, TRANSITIONS, VERDICT_ACTIONS
from duban.ledger.models import APPEAL_ACTIONS, DeclineReason, Rating, State
from duban.lib.text import mask_phones
from duban.org.models import Unit

LABELS = {"receive": pgettext_lazy("event", "Received"),
          "merge_in": pgettext_lazy("event", "Another ticket merged in"),
          **{action: t.label for action, t in TRANSITIONS.items()}}
STEPS = {"remind": gettext_lazy("remind (催办)"), "supervise": gettext_lazy("supervise (督办)"),
         "summon": gettext_lazy("summon (约谈)")}


@dataclass
class Entry:
    event: object
    label: str
    lines: list = field(default_factory=list)  # (label, text)
    files: list = field(default_factory=list)
    by_co_unit: bool = False

    @property
    def change(self):
        """"dispatched → acknowledged" when the event moved the state."""
        before, after = self.event.from_state, self.event.to_state
        if not before or before == after or after not in State.values or before not in State.values:
            return ""
        return f"{State(before).label} → {State(after).label}"


DECLINE_REASONS = dict(DeclineReason.choices)
RATINGS = dict(Rating.choices)
REQUEST_KINDS = dict(ClockRequest.Kind.choices)


def _moment(value):
    return parse_datetime(value) if isinstance(value, str) else None


def _yes_no(value):
    return {True: _("yes"), False: _("no")}.get(value, "")


def _lines(event, units):
    """(label, text) for what the event's payload says; dates come back as datetimes."""
    p = event.payload
    clock = p.get("clock") or {}
    lines = [
        (_("Lead unit"), p.get("lead_unit_name", "")),
        (_("Co-units"), "、".join(units.get(pk, "?") for pk in p.get("co_units", []))),
        (_("Previous unit"), units.get(p.get("previous_unit"), "") if event.action == "reassign" else ""),
        (_("Why this unit"), p.get("explanation", "")),
        (_("Reason to decline"), DECLINE_REASONS.get(p.get("reason"), "") if event.action == "decline" else ""),
        (_("reason"), p.get("reason", "") if event.action != "decline" else ""),
        (_("Resolution"), p.get("resolution", "")),
        (_("Demand"), p.get("demand", "")),
        (_("Due by"), _moment(p.get("due")) if event.action == "supervise" else None),
        (_("Request"), REQUEST_KINDS.get(p.get("kind"), "")),  # a ticket's own kinds are not among them
        (_("Working days"), p.get("days") or ""),
        (_("Decision"), {True: _("approved"), False: _("refused")}.get(p.get("approved"), "")),
        (_("Step"), STEPS.get(p.get("step"), "")),
        (_("Working days late"), p.get("workdays_late", "") if event.action == "escalate" else ""),
        (_("Merged into"), p.get("into", "")),
        (_("Merged ticket"), p.get("merged", "")),
        (_("Rating"), RATINGS.get(p.get("rating"), "") if event.action in VERDICT_ACTIONS else ""),
        (_("Did the unit contact the reporter?"), _yes_no(p.get("contacted")) if event.action in VERDICT_ACTIONS
         else ""),
        (_("Solved?"), _yes_no(p.get("solved")) if event.action in VERDICT_ACTIONS else ""),
        (_("Grounds"), APPEAL_GROUNDS.get(p.get("grounds"), "")),
        (_("Statement"), p.get("statement", "")),
        (_("Rating appealed"), RATINGS.get((p.get("rating") or {}).get("rating"), "")
         if event.action in APPEAL_ACTIONS else ""),
        (_("Resolve by"), _moment(clock.get("resolve_due_at"))),
        (_("On time"), _yes_no(clock.get("on_time"))),
        (_("Note"), p.get("text", "") or p.get("note", "")),
    ]
    return [(label, value) for label, value in lines if value not in ("", None)]


def unit_names(events):
    """Names of every unit the events mention, in one query."""
    ids = set()
    for event in events:
        ids.update(event.payload.get("co_units", []))
        if event.action == "reassign":
            ids.add(event.payload.get("previous_unit"))
    return dict(Unit.objects.filter(pk__in=ids - {None}).values_list("pk", "name"))


def timeline(ticket, events, attachments, co_unit_ids):
    """Every event with what it says, its files, and whether a co-unit wrote it."""
    units = unit_names(events)
    files = {}
    for attachment in attachments:
        files.setdefault(attachment.event_id, []).append(attachment)
    return [Entry(event, str(LABELS.get(event.action, event.action)), _lines(event, units), files.get(event.pk, []),
                  event.actor is not None and event.actor.unit_id in co_unit_ids)
            for event in events]


# --- what the reporter sees ----------------------------------------------------------------------

PUBLIC = {
    "receive": gettext_lazy("Your report was received."),
    "dispatch": gettext_lazy("Sent to %(unit)s to handle."),
    "reassign": gettext_lazy("Sent on to %(unit)s to handle."),
    "acknowledge": gettext_lazy("%(unit)s took the matter on."),
    "start": gettext_lazy("%(unit)s started work."),
    "resolve": gettext_lazy("%(unit)s reported the matter resolved."),
    "send_back": gettext_lazy("The result was not accepted: sent back for more work."),
    "verify": gettext_lazy("The supervision office checked the result."),
    "close": gettext_lazy("The matter is closed."),
    "reopen": gettext_lazy("The matter was reopened for more work."),
    "decline": gettext_lazy("The hotline cannot take this matter: %(reason)s."),
    "merge": gettext_lazy("Joined to ticket %(into)s, which reports the same matter."),
    "rate": gettext_lazy("Rated: %(rating)s."),
}


@dataclass
class Step:
    at: object
    text: str
    reply: str = ""


def public_steps(events):
    """The steps a reporter may see, oldest first; the unit's reply is the resolution."""
    steps, unit = [], ""
    for event in events:
        p = event.payload
        unit = p.get("lead_unit_name", unit)
        if event.action not in PUBLIC:
            continue
        values = {"unit": unit or _("the responsible unit"), "into": p.get("into", ""),
                  "reason": DECLINE_REASONS.get(p.get("reason"), "") if event.action == "decline" else "",
                  "rating": RATINGS.get(p.get("rating"), "") if event.action == "rate" else ""}
        steps.append(Step(event.at, str(PUBLIC[event.action]) % values, mask_phones(p.get("resolution", ""))))
    return steps

"""The ticket state machine: one table of transitions, one function that performs them.

Every transition names the states it leaves from, the state it enters, the roles that may do
it, how the person must stand to the ticket (a member of its lead unit, overseeing it, or
merely able to see it), and what it needs (a reason, evidence, a unit …). A refused transition
raises TransitionError with a message for the user, and changes nothing.
"""
import copy
import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.catalogue.dispatch import choose_units
from duban.clock import deadlines as clock
from duban.clock import notices as clock_notices
from duban.clock.models import ClockRequest
from duban.ledger import attachments
from duban.ledger import notices as ledger_notices
from duban.ledger.access import can_see, is_admin, oversees
from duban.ledger.history import advance, append_event, next_event
from duban.ledger.models import APPEAL_ACTIONS, DeclineReason, Event, Rating, State, Ticket
from duban.ledger.numbers import next_number
from duban.ledger.signals import recorded, state_changed
from duban.lib.chain import canonical
from duban.lib.workdays import CalendarRangeError
from duban.org.models import Person

Role = Person.Role
ALL_ROLES = frozenset(Role.values)
UNIT_ROLES = frozenset({Role.HANDLER, Role.UNIT_HEAD})
OVERSEEING = frozenset({Role.SUPERVISOR, Role.DISPATCHER, Role.LEADER})
OPEN_STATES = frozenset({State.RECEIVED, State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS,
                         State.RESOLVED, State.VERIFIED, State.RETURNED, State.REOPENED})
TERMINAL_STATES = frozenset({State.CLOSED, State.DECLINED, State.MERGED})


class TransitionError(ValidationError):
    """A transition that may not happen; its message is for the person who asked."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: str | None  # None: the state does not change
    roles: frozenset
    # "lead": in the lead unit; "oversight": the unit is in their scope; "lead_or_oversight": a
    # unit role in the lead unit or an overseeing role over it; "visible": may see the ticket;
    # "system": only the application itself (actor None), e.g. the escalation sweep.
    relation: str
    guard: str = ""  # a condition of the ticket beyond its state, named in GUARDS
    system: bool = False  # the application may also perform it on its own (actor None), e.g. intake


def _t(action, label, sources, target, roles, relation, guard="", system=False):
    return Transition(action, label, frozenset(sources), target, frozenset(roles), relation, guard, system)


def _pending_request(ticket):
    return ClockRequest.objects.filter(ticket=ticket, status=ClockRequest.Status.PENDING).first()


# Conditions beyond the state: (test, message when it fails).
def _unrated(ticket):
    """Closed since its last rating: each closing may be rated once (a reopened matter again)."""
    last = (Event.objects.filter(ticket=ticket, action__in=("close", "rate")).order_by("-seq")
            .values_list("action", flat=True).first())
    return last == "close"


VERDICT_ACTIONS = ("rate", "sample_rate")


def _last(ticket, actions):
    """The latest of these actions in the ticket's history (or None)."""
    return (Event.objects.filter(ticket=ticket, action__in=actions).order_by("-seq")
            .values_list("action", flat=True).first())


def last_verdict(ticket):
    """The ticket's latest rating event (or None)."""
    return Event.objects.filter(ticket=ticket, action__in=VERDICT_ACTIONS).order_by("-seq").first()


GUARDS = {
    "running": (lambda t: t.paused_at is None and _pending_request(t) is None,
                gettext_lazy("The clock is paused or a request is already waiting for a decision.")),
    "paused": (lambda t: t.paused_at is not None, gettext_lazy("The clock of this ticket is not paused.")),
    "pending": (lambda t: _pending_request(t) is not None,
                gettext_lazy("No request for this ticket is waiting for a decision.")),
    "unrated": (_unrated, gettext_lazy("This ticket has already been rated since it was closed.")),
    "appealable": (lambda t: _last(t, VERDICT_ACTIONS + ("appeal",)) in VERDICT_ACTIONS,
                   gettext_lazy("There is no rating of this ticket left to appeal.")),
    "appeal_pending": (lambda t: _last(t, APPEAL_ACTIONS) == "appeal",
                       gettext_lazy("No appeal of this ticket is waiting for a decision.")),
    # "calling" (a call-back of the ticket is waiting) and "sampled" (a sampled one is) are the
    # verdict app's to answer: it adds its tests here when it starts (duban.verdict.apps), as the
    # call-backs are its rows.
}


S = State
CLOCKED = {S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED}  # a unit holds it, the clock runs
# Where a matter can be once it has been closed (reopened and worked on again, or closed again).
AFTER_CLOSING = {S.CLOSED, S.REOPENED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED, S.VERIFIED, S.RETURNED,
                 S.DISPATCHED}
TRANSITIONS = {t.action: t for t in [
    _t("dispatch", gettext_lazy("Dispatch"), {S.RECEIVED}, S.DISPATCHED, {Role.DISPATCHER}, "oversight",
       system=True),
    _t("decline", gettext_lazy("Decline"), {S.RECEIVED}, S.DECLINED, {Role.DISPATCHER}, "oversight"),
    _t("acknowledge", gettext_lazy("Acknowledge"), {S.DISPATCHED, S.REOPENED}, S.ACKNOWLEDGED,
       UNIT_ROLES, "lead"),
    _t("return", gettext_lazy("Return"), {S.DISPATCHED, S.ACKNOWLEDGED, S.REOPENED}, S.RETURNED,
       UNIT_ROLES, "lead"),
    _t("reassign", gettext_lazy("Reassign"), {S.RETURNED}, S.DISPATCHED,
       {Role.DISPATCHER, Role.SUPERVISOR}, "oversight"),
    _t("start", gettext_lazy("Start work"), {S.ACKNOWLEDGED}, S.IN_PROGRESS, UNIT_ROLES, "lead"),
    _t("note", gettext_lazy("Add a note"), OPEN_STATES, None, ALL_ROLES, "visible", system=True),
    _t("resolve", gettext_lazy("Resolve"), {S.ACKNOWLEDGED, S.IN_PROGRESS}, S.RESOLVED, UNIT_ROLES, "lead"),
    _t("send_back", gettext_lazy("Send back"), {S.RESOLVED}, S.IN_PROGRESS, {Role.SUPERVISOR}, "oversight"),
    _t("verify", gettext_lazy("Verify"), {S.RESOLVED}, S.VERIFIED, {Role.SUPERVISOR}, "oversight"),
    _t("close", gettext_lazy("Close"), {S.VERIFIED}, S.CLOSED, {Role.SUPERVISOR, Role.DISPATCHER}, "oversight"),
    _t("reopen", gettext_lazy("Reopen"), {S.VERIFIED, S.CLOSED}, S.REOPENED,
       {Role.SUPERVISOR, Role.DISPATCHER}, "oversight", system=True),
    _t("request_pause", gettext_lazy("Ask to pause the clock"), CLOCKED, None, UNIT_ROLES, "lead", "running"),
    _t("request_extension", gettext_lazy("Ask for an extension"), CLOCKED, None, UNIT_ROLES, "lead", "running"),
    _t("approve_request", gettext_lazy("Approve the request"), CLOCKED, None, {Role.SUPERVISOR}, "oversight",
       "pending"),
    _t("refuse_request", gettext_lazy("Refuse the request"), CLOCKED, None, {Role.SUPERVISOR}, "oversight",
       "pending"),
    _t("resume", gettext_lazy("Resume the clock"), CLOCKED, None, UNIT_ROLES | {Role.SUPERVISOR},
       "lead_or_oversight", "paused"),
    _t("supervise", gettext_lazy("Supervise with a written demand"), CLOCKED | {S.RETURNED, S.RESOLVED}, None,
       {Role.LEADER, Role.SUPERVISOR}, "visible"),
    _t("escalate", gettext_lazy("Escalate"), CLOCKED, None, set(), "system"),
    _t("merge", gettext_lazy("Merge into another ticket"),
       {S.RECEIVED, S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED, S.REOPENED}, S.MERGED,
       {Role.DISPATCHER, Role.SUPERVISOR}, "oversight"),
    # The reporter rates on the public page (the application acts: actor None); the hotline and the
    # supervision office record the rating a call-back heard.
    _t("rate", gettext_lazy("Record the rating"), {S.CLOSED}, None, {Role.DISPATCHER, Role.SUPERVISOR},
       "oversight", "unrated", system=True),
    # A sampled call-back (抽件回访) checks a closed matter again, whatever has happened to it since;
    # its verdict counts apart from the ordinary ones.
    _t("sample_rate", gettext_lazy("Record a sampled call-back"), AFTER_CLOSING, None,
       {Role.DISPATCHER, Role.SUPERVISOR}, "oversight", "sampled"),
    _t("unreached", gettext_lazy("Record a call-back that reached nobody"), AFTER_CLOSING, None,
       {Role.DISPATCHER, Role.SUPERVISOR}, "oversight", "calling"),
    # 申诉复核: the rated unit appeals its latest rating as mistaken or malicious; a supervisor decides.
    _t("appeal", gettext_lazy("Appeal the rating"), AFTER_CLOSING, None, UNIT_ROLES, "lead", "appealable"),
    _t("uphold_appeal", gettext_lazy("Uphold the appeal"), AFTER_CLOSING, None, {Role.SUPERVISOR}, "oversight",
       "appeal_pending"),
    _t("reject_appeal", gettext_lazy("Reject the appeal"), AFTER_CLOSING, None, {Role.SUPERVISOR}, "oversight",
       "appeal_pending"),
]}


def may(person, transition, ticket):
    """Whether the person's role and standing allow the transition (its state aside)."""
    if person is None:
        return transition.relation == "system" or transition.system
    if transition.relation == "system":
        return False
    if not person.is_active:
        return False
    if is_admin(person):
        return True
    if person.role not in transition.roles:
        return False
    in_lead_unit = person.unit_id is not None and person.unit_id == ticket.lead_unit_id
    if transition.relation == "lead":
        return in_lead_unit
    if transition.relation == "oversight":
        return oversees(person, ticket)
    if transition.relation == "lead_or_oversight":
        return in_lead_unit if person.role in UNIT_ROLES else oversees(person, ticket)
    return can_see(person, ticket)


def check_may(person, transition, ticket):
    """Refuse with TransitionError unless `may` allows it."""
    if not may(person, transition, ticket):
        raise TransitionError(_("You may not “%(action)s” ticket %(number)s.")
                              % {"action": transition.label, "number": ticket.number})


def allowed_actions(person, ticket):
    """The transitions this person may perform on this ticket now (each guard asked once)."""
    guarded = {}

    def holds(guard):
        if guard not in guarded:
            guarded[guard] = GUARDS[guard][0](ticket)
        return guarded[guard]
    return [t for t in TRANSITIONS.values() if ticket.state in t.sources and may(person, t, ticket)
            and (not t.guard or holds(t.guard))]


# --- receiving a matter --------------------------------------------------------------------

def reporter_digest(name, phone, email):
    """The reporter's identity enters the history as a digest, never in clear."""
    return hashlib.sha256(canonical([name, phone, email])).hexdigest()


def new_ticket(*, actor=None, at, check_relations=True, **fields):
    """A new matter in state `received`, checked but not yet numbered or stored.

    `check_relations=False` skips the look-up of every foreign key, for callers whose units and
    categories are rows they have just read (a bulk import).
    """
    ticket = Ticket(created_at=at, updated_at=at, created_by=actor, state=State.RECEIVED, **fields)
    if not ticket.kind and ticket.category_id:
        ticket.kind = ticket.category.default_kind
    ticket.number = "pending"
    relations = [] if check_relations else [f.name for f in Ticket._meta.concrete_fields if f.is_relation]
    ticket.full_clean(exclude=["number", *relations], validate_unique=check_relations)
    return ticket


def receipt(ticket, actor, at, source=None, attachments=()):
    """The first event of a new matter (the ticket has its number; the event is not stored)."""
    return next_event(ticket, "receive", actor, to_state=State.RECEIVED, at=at, payload={
        "kind": ticket.kind, "category": ticket.category_id, "channel": ticket.channel.code,
        "title": ticket.title, "description": ticket.description, "address": ticket.address,
        "area": ticket.area_id, "urgency": ticket.urgency, "subject": ticket.subject,
        "reporter": reporter_digest(ticket.reporter_name, ticket.reporter_phone, ticket.reporter_email),
        **({"source": source} if source else {}),
    }, attachments=attachments)


def receive(*, actor=None, at=None, co_units=(), files=(), source=None, **fields):
    """Put a new matter on the ledger in state `received`, with its first event.

    `files` are (file object, name) pairs sent with the matter (photos); `source` says where it came
    from beyond the channel (an API key, a sheet and row), recorded in the first event.
    """
    uploads = [attachments.check(f, name) for f, name in files]
    at = at or timezone.now()
    ticket = new_ticket(actor=actor, at=at, **fields)
    # No savepoint of its own: a failure here fails the caller's whole step (no caller goes on after one).
    with transaction.atomic(savepoint=False):
        ticket.number = next_number(timezone.localtime(at).year)
        # The first event hashes the number, not the row's id: it is made first, so the ticket row is
        # written once, already pointing at its chain head.
        event = receipt(ticket, actor, at, source, [u.sha256 for u in uploads])
        advance(ticket, event)
        ticket.save(force_insert=True)
        event.save()
        attachments.store(uploads, ticket, event, actor)
        state_changed.send(Ticket, ticket=ticket, event=event, from_state="")
        recorded.send(Ticket, events=[event])
    return ticket


def open_for(unit, *, actor=None, at=None, due=None, note="", co_units=(), **fields):
    """A matter the city opens itself — a bad rating's rectification, a black-listed unit's
    reflection, a project's blocker, an inspection's finding, a firm's request — received and
    dispatched at once to `unit`, due at `due` (None: its time limit). Returns the ticket.

    `actor` receives it; the dispatch is the actor's when they may dispatch, else the
    application's on their behalf (a supervisor files findings but does not dispatch).
    `fields` are receive()'s (kind, channel, title, description, area, source, files …).
    """
    with transaction.atomic():
        ticket = receive(actor=actor, at=at, **fields)
        dispatcher = actor if actor is not None and may(actor, TRANSITIONS["dispatch"], ticket) else None
        perform(ticket, "dispatch", dispatcher, at=ticket.created_at, unit=unit, co_units=list(co_units), due=due,
                text=note, held=True)
    return ticket


# --- performing a transition ---------------------------------------------------------------

def _require(value, message):
    if isinstance(value, str):
        value = value.strip()
    if not value:
        raise TransitionError(message)
    return value


def _unit_payload(ticket, co_unit_ids):
    return {"lead_unit": ticket.lead_unit_id, "lead_unit_name": ticket.lead_unit.name,
            "co_units": sorted(co_unit_ids)}


def assign(ticket, unit, co_units):
    """Give the matter to a lead unit (in memory); return the co-units to store beside it, each once."""
    ticket.lead_unit = unit
    return list({u.pk: u for u in co_units if u.pk != unit.pk}.values())


def _assign(ticket, unit, co_units, *, first=False):
    """Give the matter to `unit` with `co_units` (stored at once; the ticket row is saved by `perform`).
    `first`: its first dispatch, when it has no co-units yet to replace."""
    co_units = assign(ticket, unit, co_units)
    if first:
        ticket.co_units.add(*co_units)
    else:
        ticket.co_units.set(co_units)
    return [u.pk for u in co_units]


def dispatch_by_hand(ticket, unit):
    """The facts of a dispatch to a unit a person named, instead of the catalogue's choice."""
    ticket.dispatch_rule, ticket.dispatch_fallback = None, False
    ticket.dispatch_explanation = _("Dispatched by hand to %(unit)s") % {"unit": unit.name}


def dispatch_payload(ticket, co_unit_ids, note, clock_payload):
    return {**_unit_payload(ticket, co_unit_ids), "category": ticket.category_id, "rule": ticket.dispatch_rule_id,
            "fallback": ticket.dispatch_fallback, "explanation": ticket.dispatch_explanation, "note": note,
            "clock": clock_payload}


def _dispatch(ticket, actor, p):
    if p["category"] is not None:
        ticket.category = p["category"]
    if p["unit"] is not None:
        co_unit_ids = _assign(ticket, p["unit"], p["co_units"] or [], first=True)
        dispatch_by_hand(ticket, p["unit"])
    else:
        if ticket.category_id is None:
            raise TransitionError(_("Choose the category, or the lead unit by hand, before dispatching."))
        decision = choose_units(ticket.category, ticket.area)
        if decision.lead_unit is None:
            raise TransitionError(_("No dispatch rule covers this ticket and its district is unknown: "
                                    "choose the lead unit by hand."))
        co_unit_ids = _assign(ticket, decision.lead_unit, decision.co_units, first=True)
        ticket.dispatch_rule, ticket.dispatch_fallback = decision.rule, decision.fallback
        ticket.dispatch_explanation = decision.explanation[:300]
    return dispatch_payload(ticket, co_unit_ids, p["text"], clock.start(ticket, p["at"], resolve_due=p["due"]))


def _decline(ticket, actor, p):
    reason = p["decline_reason"]
    if reason not in DeclineReason.values:
        raise TransitionError(_("Choose one of the reasons for declining: %(reasons)s.")
                              % {"reasons": "; ".join(str(label) for label in DeclineReason.labels)})
    ticket.decline_reason = reason
    return {"reason": reason, "note": p["text"]}


def _acknowledge(ticket, actor, p):
    return {"note": p["text"], "clock": clock.acknowledged(ticket, p["at"])}


def _return(ticket, actor, p):
    reason = _require(p["reason"], _("Say why the ticket is returned."))
    _close_pending_requests(ticket, actor, p["at"])
    clock.stop(ticket)
    return {"reason": reason, "unit": ticket.lead_unit_id}


def _reassign(ticket, actor, p):
    unit = _require(p["unit"], _("Choose the unit the ticket goes to."))
    note = _require(p["reason"], _("Write the outcome of the review of the return."))
    previous = ticket.lead_unit_id
    co_unit_ids = _assign(ticket, unit, p["co_units"] or [])
    ticket.dispatch_rule, ticket.dispatch_fallback = None, False
    ticket.dispatch_explanation = _("Reassigned by %(person)s after review") % {"person": actor}
    return {**_unit_payload(ticket, co_unit_ids), "previous_unit": previous, "reason": note,
            "return_upheld": previous != unit.pk, "clock": clock.start(ticket, p["at"])}


def _note(ticket, actor, p):
    return {"text": _require(p["text"], _("The note is empty."))}


def _resolve(ticket, actor, p):
    text = _require(p["text"], _("Describe how the matter was resolved."))
    if not p["uploads"] and ticket.kind not in settings.RESOLVE_WITHOUT_ATTACHMENT_KINDS:
        raise TransitionError(_("Attach evidence (a photo or a document) to resolve the ticket."))
    ticket.resolver = actor
    if ticket.paused_at is not None:
        clock.resume(ticket, p["at"])
    _close_pending_requests(ticket, actor, p["at"])
    return {"resolution": text, "clock": clock.resolved(ticket, p["at"])}


def _send_back(ticket, actor, p):
    reason = _require(p["reason"], _("Say why the resolution is sent back."))
    return {"reason": reason, "clock": clock.reopened_for_work(ticket, p["at"])}


def _verify(ticket, actor, p):
    if ticket.resolver_id == actor.pk:
        raise TransitionError(_("The person who resolved a ticket cannot verify it."))
    if actor.unit_id is not None and actor.unit_id == ticket.lead_unit_id:
        raise TransitionError(_("A ticket is verified by someone outside the unit that resolved it."))
    return {"note": p["text"], "resolver": ticket.resolver_id}


def _close(ticket, actor, p):
    clock.stop(ticket)
    return {"note": p["text"]}


def _reopen(ticket, actor, p):
    reason = _require(p["reason"], _("Say why the ticket is reopened."))
    ticket.resolver = None
    return {"reason": reason, "clock": clock.start(ticket, p["at"])}


def _merge(ticket, actor, p):
    target = _require(p["target"], _("Choose the ticket to merge into."))
    if target.pk == ticket.pk:
        raise TransitionError(_("A ticket cannot be merged into itself."))
    if target.state in TERMINAL_STATES:
        raise TransitionError(_("Ticket %(number)s is %(state)s and cannot take another.")
                              % {"number": target.number, "state": target.get_state_display()})
    if not can_see(actor, target):
        raise TransitionError(_("You cannot see ticket %(number)s.") % {"number": target.number})
    if p["at"] < target.updated_at:
        raise TransitionError(_("An event cannot be dated before the ticket's last event."))
    ticket.merged_into = target
    _close_pending_requests(ticket, actor, p["at"])
    clock.stop(ticket)
    append_event(target, "merge_in", actor, from_state=target.state, to_state=target.state,
                 payload={"merged": ticket.number, "merged_ticket": ticket.pk}, at=p["at"])
    target.save(update_fields=["event_count", "head_hash", "updated_at"])
    return {"into": target.number, "into_ticket": target.pk}


# --- the clock: pauses, extensions, supervision, escalation ---------------------------------

def _close_pending_requests(ticket, actor, at):
    """A matter that leaves the unit takes its open requests with it, refused."""
    ClockRequest.objects.filter(ticket=ticket, status=ClockRequest.Status.PENDING).update(
        status=ClockRequest.Status.REFUSED, decided_by=actor, decided_at=at,
        decision_note=_("Closed because the ticket moved on."))


def _request(kind):
    def apply(ticket, actor, p):
        reason = _require(p["reason"], _("Say why you ask for it."))
        days = None
        if kind == ClockRequest.Kind.EXTENSION:
            days = p["days"]
            if not isinstance(days, int) or isinstance(days, bool) or days < 1:
                raise TransitionError(_("Say how many working days the extension needs (a whole number, "
                                        "at least 1)."))
        request = ClockRequest.objects.create(ticket=ticket, kind=kind, reason=reason, days=days,
                                              requested_by=actor, requested_at=p["at"])
        return {"request": request.pk, "kind": kind, "reason": reason, "days": days}
    return apply


def _decide(approve):
    def apply(ticket, actor, p):
        request = _pending_request(ticket)
        note = p["text"] or p["reason"]
        if not approve:
            _require(note, _("Say why the request is refused."))
        request.status = ClockRequest.Status.APPROVED if approve else ClockRequest.Status.REFUSED
        request.decided_by, request.decided_at, request.decision_note = actor, p["at"], note
        request.save()
        payload = {"request": request.pk, "kind": request.kind, "approved": approve, "note": note}
        if approve and request.kind == ClockRequest.Kind.PAUSE:
            payload["clock"] = clock.pause(ticket, p["at"])
        elif approve:
            payload["clock"] = clock.extend(ticket, request.days, p["at"])
        return payload
    return apply


def _resume(ticket, actor, p):
    return {"note": p["text"], "clock": clock.resume(ticket, p["at"])}


def _supervise(ticket, actor, p):
    demand = _require(p["text"], _("Write the demand: what must be done."))
    due = _require(p["due"], _("Set the deadline of the demand."))
    if due <= p["at"]:
        raise TransitionError(_("The deadline of the demand must be in the future."))
    ticket.demand_due_at = due
    return {"demand": demand, "due": clock.iso(due)}


def _verdict(ticket, actor, p, via):
    if isinstance(p["rating"], bool) or p["rating"] not in Rating.values:
        raise TransitionError(_("Choose one of the five levels: %(levels)s.")
                              % {"levels": "; ".join(str(label) for label in Rating.labels)})
    for answer in ("solved", "contacted"):
        if p[answer] not in (True, False, None):
            raise TransitionError(_("Answer yes or no (or leave it unsaid)."))
    return {"rating": int(p["rating"]), "solved": p["solved"], "contacted": p["contacted"], "note": p["text"],
            "via": via, "unit": ticket.lead_unit_id}


def _rate(ticket, actor, p):
    return _verdict(ticket, actor, p, p["via"] or ("reporter" if actor is None else "call_back"))


def _rating_of(ticket):
    """The rating an appeal is about: the latest, as its own event recorded it."""
    event = last_verdict(ticket)
    return {"seq": event.seq, "action": event.action, "at": clock.iso(event.at),
            **{k: event.payload.get(k) for k in ("rating", "solved", "contacted", "via", "unit")}}


def _appeal(ticket, actor, p):
    if p["grounds"] not in APPEAL_GROUNDS:
        raise TransitionError(_("Say whether the rating is mistaken or malicious."))
    statement = _require(p["reason"], _("Explain the appeal: what shows the rating is wrong."))
    return {"grounds": p["grounds"], "statement": statement, "rating": _rating_of(ticket)}


def _decide_appeal(upheld):
    def apply(ticket, actor, p):
        note = _require(p["reason"] or p["text"], _("Write the decision and its reasons."))
        appeal = Event.objects.filter(ticket=ticket, action="appeal").order_by("-seq").first()
        return {"upheld": upheld, "note": note, "appeal_seq": appeal.seq, "rating": appeal.payload["rating"]}
    return apply


def _escalate(ticket, actor, p):
    step = clock.escalate(ticket, p["at"])
    if step is None:
        raise TransitionError(_("No escalation is due for this ticket."))
    return step


APPLY = {
    "dispatch": _dispatch, "decline": _decline, "acknowledge": _acknowledge,
    "return": _return, "reassign": _reassign, "start": lambda t, a, p: {"note": p["text"]},
    "note": _note, "resolve": _resolve, "send_back": _send_back, "verify": _verify, "close": _close,
    "reopen": _reopen, "merge": _merge,
    "request_pause": _request(ClockRequest.Kind.PAUSE), "request_extension": _request(ClockRequest.Kind.EXTENSION),
    "approve_request": _decide(True), "refuse_request": _decide(False), "resume": _resume,
    "supervise": _supervise, "escalate": _escalate, "rate": _rate,
    "sample_rate": lambda t, a, p: _verdict(t, a, p, "sampled"),
    "unreached": lambda t, a, p: {"note": p["text"]},
    "appeal": _appeal, "uphold_appeal": _decide_appeal(True), "reject_appeal": _decide_appeal(False),
}
# Why a unit may appeal a rating (申诉复核).
APPEAL_GROUNDS = {"mistaken": gettext_lazy("mistaken (the rating is about something else)"),
                  "malicious": gettext_lazy("malicious")}

# What else happens in the same transaction once the event is written: notifications.
AFTER = {
    "escalate": lambda ticket, event: clock_notices.escalation(ticket, event),
    "supervise": lambda ticket, event: clock_notices.supervision(ticket, event),
    "approve_request": lambda ticket, event: clock_notices.decision(ticket, event),
    "refuse_request": lambda ticket, event: clock_notices.decision(ticket, event),
    "merge": lambda ticket, event: ledger_notices.merged(ticket, event),
}


def _lock(ticket, target):
    """Lock the ticket (and a merge target) in id order, so two merges never deadlock."""
    pks = sorted({ticket.pk} | ({target.pk} if target is not None else set()))
    locked = {t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    _keep_related(ticket, locked[ticket.pk])
    return locked[ticket.pk], locked.get(target.pk) if target is not None else None


@functools.cache
def _foreign_keys():
    """The ticket's foreign keys by name (the model does not change while the process runs)."""
    return {field.name: field for field in Ticket._meta.concrete_fields if field.many_to_one}


def _keep_related(ticket, locked):
    """Give the freshly locked row the related rows (category, area, channel…) the caller's object has
    already read, where the row still points at them: reference data, not read again."""
    if locked is ticket:
        return
    for name, related in ticket._state.fields_cache.items():
        field = _foreign_keys().get(name)
        if field is not None and related is not None and getattr(locked, field.attname) == related.pk:
            locked._state.fields_cache.setdefault(name, related)


def perform(ticket, action, actor, *, at=None, reason="", text="", unit=None, co_units=None,
            decline_reason="", target=None, days=None, due=None, category=None, files=(), rating=None,
            solved=None, contacted=None, via="", grounds="", held=False):
    """Perform a transition on the ticket and return its event; refuse with TransitionError.

    `held`: the caller wrote this ticket object in the transaction it runs in (it has just received
    it), so the row is already its own and up to date: it is not read and locked again.

    `files` are (file object, name) pairs; they are checked before anything is written. `rating`
    (1–5, Rating), `solved` and `contacted` (True, False or None: not said) are the verdict of a
    rating, `via` where it was heard (reporter, call_back, api); `grounds` are an appeal's.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(_("Unknown action %(action)s.") % {"action": action})
    uploads = [attachments.check(f, name) for f, name in files]
    with transaction.atomic():
        # A copy when held: a refused step must leave the caller's object as the row is.
        locked, target = (copy.copy(ticket), None) if held and target is None else _lock(ticket, target)
        if locked.state not in transition.sources:
            raise TransitionError(_("A ticket that is %(state)s cannot be sent to “%(action)s”.")
                                  % {"state": locked.get_state_display(), "action": transition.label})
        check_may(actor, transition, locked)
        if transition.guard and not GUARDS[transition.guard][0](locked):
            raise TransitionError(str(GUARDS[transition.guard][1]))
        if at is None:
            # "Now" on this server may trail the last writer's clock by a little (several app
            # servers, a clock adjusted): the ledger's order is the lock's order, so never earlier.
            at = max(timezone.now(), locked.updated_at)
        elif at < locked.updated_at:
            raise TransitionError(_("An event cannot be dated before the ticket's last event."))
        params = {"reason": reason, "text": text, "unit": unit, "co_units": co_units, "at": at, "days": days,
                  "due": due, "category": category, "decline_reason": decline_reason, "target": target, "uploads": uploads,
                  "rating": rating, "solved": solved, "contacted": contacted, "via": via, "grounds": grounds}
        try:
            payload = APPLY[action](locked, actor, params)
        except (CalendarRangeError, clock.ClockError) as error:
            raise TransitionError(str(error)) from error
        from_state = locked.state
        if transition.target:
            locked.state = transition.target
        event = append_event(locked, action, actor, from_state=from_state, to_state=locked.state,
                             payload=payload, attachments=[u.sha256 for u in uploads], at=at)
        locked.save()
        attachments.store(uploads, locked, event, actor)
        if action in AFTER:
            AFTER[action](locked, event)
        if locked.state != from_state:
            state_changed.send(Ticket, ticket=locked, event=event, from_state=from_state)
        recorded.send(Ticket, events=[event])
    _copy_state(locked, ticket)
    return event


def _copy_state(source, ticket):
    """Bring the caller's ticket object up to date with the row just written, without a query."""
    if source is ticket:
        return
    for field in Ticket._meta.concrete_fields:
        setattr(ticket, field.attname, getattr(source, field.attname))
    ticket._state.fields_cache = dict(source._state.fields_cache)



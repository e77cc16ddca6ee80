"""Deadlines and SLA facts of a ticket, set when things happen and stored, never re-derived.

Every function here works on a ticket row that the caller has locked inside the transaction
that writes the matching event (see duban.ledger.machine), and returns what the event records.

The clock starts when a unit is given the matter (dispatch, reassignment, reopening): the time
to acknowledge and to resolve come from the most specific TimeLimit. A ticket turns yellow when
WARNING_PERCENT of its working time to resolve is used and red when the deadline passes; then
the escalation ladder climbs: remind at the deadline, supervise and summon a set number of
working days later. A pause stops the clock and pushes every deadline by the working time it
lasted; an extension moves the deadline to resolve by whole working days.
"""
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from duban.clock.calendar import work_calendar
from duban.clock.models import TimeLimit
from duban.clock.models import Unit as TimeUnit

STEPS = {1: "remind", 2: "supervise", 3: "summon"}


class ClockError(ValueError):
    """The clock cannot be set, e.g. no time limit covers the ticket."""


def iso(moment):
    return moment.isoformat() if moment else None


def limit_for(ticket):
    """The most specific time limit: urgency first, then the deepest category, then kind."""
    candidates = (TimeLimit.objects
                  .filter(Q(category__isnull=True) | Q(category_id__in=ticket.category.ancestor_ids() if ticket.category_id else []))
                  .filter(Q(kind="") | Q(kind=ticket.kind))
                  .filter(Q(urgency="") | Q(urgency=ticket.urgency))
                  .select_related("category"))
    ranked = sorted(candidates, key=lambda limit: (bool(limit.urgency), limit.category.depth if limit.category
                                                   else 0, bool(limit.kind)), reverse=True)
    if not ranked:
        raise ClockError(_("No time limit covers this ticket: add a default time limit."))
    return ranked[0]


def _add(calendar, moment, amount, unit):
    if unit == TimeUnit.WORKHOURS:
        return calendar.add_workhours(moment, amount)
    return calendar.add_workdays(moment, amount)


def _schedule(ticket, calendar):
    """Set when the ticket turns yellow and when the next step of the ladder is due."""
    paused = timedelta(seconds=ticket.paused_work_seconds)
    allowed = max(calendar.working_time(ticket.clock_started_at, ticket.resolve_due_at) - paused, timedelta(0))
    ticket.warn_at = calendar.add_workhours(ticket.clock_started_at,
                                            allowed * settings.WARNING_PERCENT / 100 + paused)
    level = ticket.escalation_level
    if level == 0:
        ticket.next_escalation_at = ticket.resolve_due_at
    elif level == 1:
        ticket.next_escalation_at = calendar.add_workdays(ticket.resolve_due_at, settings.SUPERVISE_AFTER_WORKDAYS)
    elif level == 2:
        ticket.next_escalation_at = calendar.add_workdays(ticket.resolve_due_at, settings.SUMMON_AFTER_WORKDAYS)
    else:
        ticket.next_escalation_at = None


def start(ticket, at, resolve_due=None, limit=None):
    """Start both clocks for the unit that now holds the matter.

    `resolve_due` is a deadline the source already set (整改时限 in an imported ledger): a date means
    the close of office hours that day, or of the next working day. It must lie after the start.
    `limit` is `limit_for(ticket)` when the caller has it already (a bulk import asks once per kind).
    """
    calendar = work_calendar()
    limit = limit or limit_for(ticket)
    ticket.clock_started_at = at
    ticket.ack_due_at = _add(calendar, at, limit.ack_amount, limit.ack_unit)
    if resolve_due is None:
        ticket.resolve_due_at = _add(calendar, at, limit.resolve_amount, limit.resolve_unit)
    else:
        if not isinstance(resolve_due, datetime):
            resolve_due = calendar.add_workdays(resolve_due, 0)
        if resolve_due <= at:
            raise ClockError(_("The deadline %(due)s has already passed.") % {"due": resolve_due.date()})
        ticket.resolve_due_at = resolve_due
    ticket.acknowledged_at = ticket.ack_on_time = None
    ticket.resolved_at = ticket.resolve_on_time = ticket.resolve_work_seconds = None
    ticket.paused_at, ticket.paused_work_seconds, ticket.escalation_level = None, 0, 0
    _schedule(ticket, calendar)
    return {"limit": limit.pk, "ack_due_at": iso(ticket.ack_due_at), "resolve_due_at": iso(ticket.resolve_due_at)}


def acknowledged(ticket, at):
    ticket.acknowledged_at = at
    ticket.ack_on_time = ticket.ack_due_at is None or at <= ticket.ack_due_at
    return {"on_time": ticket.ack_on_time, "due": iso(ticket.ack_due_at)}


def resolved(ticket, at):
    """Stop the clock and store how long it took, in working time, pauses left out."""
    if ticket.clock_started_at is None:
        return {}
    worked = work_calendar().working_time(ticket.clock_started_at, at)
    ticket.resolved_at = at
    ticket.resolve_on_time = at <= ticket.resolve_due_at
    ticket.resolve_work_seconds = max(int(worked.total_seconds()) - ticket.paused_work_seconds, 0)
    ticket.next_escalation_at = None
    return {"on_time": ticket.resolve_on_time, "due": iso(ticket.resolve_due_at),
            "work_seconds": ticket.resolve_work_seconds}


def reopened_for_work(ticket, at):
    """A resolution sent back: the clock runs on against the same deadline."""
    ticket.resolved_at = ticket.resolve_on_time = ticket.resolve_work_seconds = None
    if ticket.clock_started_at is not None:
        _schedule(ticket, work_calendar())
    return {"due": iso(ticket.resolve_due_at)}


def stop(ticket):
    ticket.next_escalation_at = None
    ticket.paused_at = None


def pause(ticket, at):
    ticket.paused_at = at
    ticket.next_escalation_at = None
    return {"paused_at": iso(at)}


def resume(ticket, at):
    """End a pause: every deadline still ahead moves by the working time the pause lasted."""
    calendar = work_calendar()
    paused = calendar.working_time(ticket.paused_at, at)
    if ticket.acknowledged_at is None and ticket.ack_due_at:
        ticket.ack_due_at = calendar.add_workhours(ticket.ack_due_at, paused)
    ticket.resolve_due_at = calendar.add_workhours(ticket.resolve_due_at, paused)
    ticket.paused_work_seconds += int(paused.total_seconds())
    ticket.paused_at = None
    _schedule(ticket, calendar)
    return {"paused_seconds": int(paused.total_seconds()), "resolve_due_at": iso(ticket.resolve_due_at)}


def extend(ticket, days, at):
    """Move the deadline to resolve by whole working days; a deadline back in the future
    starts the ladder again."""
    calendar = work_calendar()
    previous = ticket.resolve_due_at
    ticket.resolve_due_at = calendar.add_workdays(previous, days)
    if ticket.resolve_due_at > at:
        ticket.escalation_level = 0
    if ticket.paused_at is None:
        _schedule(ticket, calendar)
    return {"days": days, "previous_due": iso(previous), "resolve_due_at": iso(ticket.resolve_due_at)}


def escalate(ticket, at):
    """Climb one step of the ladder; None when no step is due (already climbed, or moved)."""
    if ticket.next_escalation_at is None or ticket.next_escalation_at > at or ticket.escalation_level >= 3:
        return None
    ticket.escalation_level += 1
    late = work_calendar().count_workdays(ticket.resolve_due_at, at)
    _schedule(ticket, work_calendar())
    return {"step": STEPS[ticket.escalation_level], "level": ticket.escalation_level,
            "due": iso(ticket.resolve_due_at), "workdays_late": max(late, 0)}


def warning(ticket, now):
    """green, yellow or red for an open ticket with a running clock; paused; or None."""
    if ticket.resolve_due_at is None or ticket.resolved_at is not None:
        return None
    if ticket.paused_at is not None:
        return "paused"
    if now > ticket.resolve_due_at:
        return "red"
    if ticket.warn_at and now >= ticket.warn_at:
        return "yellow"
    return "green"

"""The verdict's rules, shared by the citizen page, the hotline's call-backs, the API and the CLI.

- Every matter closed with a reporter to call gets a call-back task, due the next working day;
  reopening it cancels the task, and the reporter's own rating answers it.
- A verdict (`rate`) that says "not solved" reopens the matter (重办); a bad rating (不满意 or
  非常不满意) opens a rectification for the rated unit, due in RECTIFICATION_WORKDAYS working days.
- A sample (抽件回访) draws closed matters per unit, reproducibly from its seed; its verdicts are
  `sample_rate` events and count apart.
"""
import math
import random
from datetime import datetime, time

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.catalogue.models import Channel
from duban.clock.calendar import work_calendar
from duban.ledger.machine import TransitionError, open_for, perform
from duban.ledger.models import Rating, State, Ticket
from duban.ledger.signals import state_changed, states_changed
from duban.verdict.models import CallBack, Rectification, Sample

BAD_RATINGS = (Rating.DISSATISFIED, Rating.VERY_DISSATISFIED)
SUPERVISION_CHANNEL = "supervision"


def _workdays_after(moment, days):
    return work_calendar().add_workdays(moment, days)


# --- call-back tasks follow the ledger ------------------------------------------------------

def _follow(ticket, event, from_state):
    if ticket.state == State.CLOSED and ticket.reporter_phone:
        CallBack.objects.create(ticket=ticket, kind=CallBack.Kind.ORDINARY, created_at=event.at,
                                due_at=_workdays_after(event.at, settings.CALL_BACK_DUE_WORKDAYS))
    elif from_state == State.CLOSED:
        CallBack.objects.filter(ticket=ticket, kind=CallBack.Kind.ORDINARY, status=CallBack.Status.PENDING).update(
            status=CallBack.Status.CANCELLED, done_at=event.at)


@receiver(state_changed, sender=Ticket)
def on_state_changed(sender, ticket, event, from_state, **kwargs):
    _follow(ticket, event, from_state)


@receiver(states_changed, sender=Ticket)
def on_states_changed(sender, changes, **kwargs):
    for ticket, event, from_state in changes:
        _follow(ticket, event, from_state)


def pending(ticket, kind=None):
    calls = CallBack.objects.filter(ticket=ticket, status=CallBack.Status.PENDING)
    return calls.filter(kind=kind) if kind else calls


# --- verdicts ---------------------------------------------------------------------------------

def rate(ticket, actor, *, rating, solved=None, contacted=None, note="", via="", call_back=None, at=None):
    """Record a verdict and what follows from it; return the verdict's event.

    `call_back` is the task the verdict answers (a sampled one makes it a sampled verdict); `at`
    dates it (an imported or demo history), now by default.
    """
    sampled = call_back is not None and call_back.kind == CallBack.Kind.SAMPLED
    with transaction.atomic():
        event = perform(ticket, "sample_rate" if sampled else "rate", actor, rating=rating, solved=solved,
                        contacted=contacted, text=note, via=via, at=at)
        answered = [call_back] if call_back is not None else list(pending(ticket, CallBack.Kind.ORDINARY))
        for task in answered:
            task.status = CallBack.Status.DONE if call_back is not None else CallBack.Status.ANSWERED
            task.done_at, task.done_by, task.verdict_seq = event.at, actor, event.seq
            task.save()
        if rating in BAD_RATINGS and ticket.lead_unit_id:
            open_rectification(ticket, event, actor)
        if solved is False and ticket.state == State.CLOSED:
            perform(ticket, "reopen", actor, at=event.at, reason=_("The reporter says the matter is not solved (%(via)s).")
                    % {"via": _("sampled call-back") if sampled else _("verdict")})
    return event


def open_rectification(ticket, event, actor):
    """差评整改: a matter for the rated unit, due in RECTIFICATION_WORKDAYS working days."""
    unit = ticket.lead_unit
    level = Rating(event.payload["rating"]).label
    rectification = open_for(
        unit, actor=actor, at=event.at, due=_workdays_after(event.at, settings.RECTIFICATION_WORKDAYS),
        note=_("Rectification of the bad rating of %(number)s.") % {"number": ticket.number},
        kind=ticket.kind, category=ticket.category,
        channel=Channel.objects.get(code=SUPERVISION_CHANNEL),
        title=(_("Rectify a bad rating: %(title)s") % {"title": ticket.title})[:200],
        description=_("Ticket %(number)s was rated “%(level)s”. %(note)s Find out what went wrong, put it right, "
                      "and reply; the reporter will be called back when this closes.")
        % {"number": ticket.number, "level": level, "note": event.payload.get("note") or ""},
        address=ticket.address, area=ticket.area, subject=ticket.subject, urgency=ticket.urgency,
        reporter_name=ticket.reporter_name, reporter_phone=ticket.reporter_phone,
        reporter_email=ticket.reporter_email, source={"rectifies": ticket.number, "rating_seq": event.seq})
    return Rectification.objects.create(rated=ticket, rating_seq=event.seq, unit=unit, ticket=rectification)


def record_call_back(call_back, person, *, reached, contacted=None, solved=None, rating=None, note="", at=None):
    """What a call-back heard: nobody (counted; given up after CALL_BACK_MAX_ATTEMPTS), or a verdict."""
    if call_back.status != CallBack.Status.PENDING:
        raise TransitionError(_("This call-back is already %(status)s.") % {"status": call_back.get_status_display()})
    if reached:
        if rating is None:
            raise TransitionError(_("Record how satisfied the reporter is."))
        return rate(call_back.ticket, person, rating=rating, solved=solved, contacted=contacted, note=note,
                    call_back=call_back, at=at)
    with transaction.atomic():
        event = perform(call_back.ticket, "unreached", person, text=note, at=at)
        call_back.attempts += 1
        if call_back.attempts >= settings.CALL_BACK_MAX_ATTEMPTS:
            call_back.status, call_back.done_at, call_back.done_by = CallBack.Status.UNREACHED, event.at, person
        else:
            call_back.due_at = _workdays_after(event.at, 1)
        call_back.save()
    return event


# --- sampled call-backs -------------------------------------------------------------------------

def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def candidates(starts_on, ends_on):
    """Closed matters resolved in the period that have a phone to call: {lead unit: [ticket ids]}."""
    rows = (Ticket.objects.filter(state=State.CLOSED, lead_unit__isnull=False, resolved_at__gte=_local_midnight(starts_on),
                                  resolved_at__lt=_local_midnight(ends_on) + timezone.timedelta(days=1))
            .exclude(reporter_phone="").values_list("lead_unit_id", "pk"))
    by_unit = {}
    for unit, pk in rows:
        by_unit.setdefault(unit, []).append(pk)
    return by_unit


def draw(by_unit, *, seed, share=None, count=None):
    """Which tickets a stratified sample takes: per unit, `share` of them (rounded up) or `count`.

    Each unit draws from its own generator seeded by (seed, unit), so the same seed on the same
    ledger draws the same tickets, and one unit's matters never change another's draw.
    """
    chosen = []
    for unit in sorted(by_unit):
        ids = sorted(by_unit[unit])
        k = min(len(ids), math.ceil(float(share) * len(ids)) if share is not None else count)
        chosen.extend((unit, pk) for pk in sorted(random.Random(f"{seed}:{unit}").sample(ids, k)))
    return chosen


def draw_sample(*, name, starts_on, ends_on, share=None, count=None, seed=None, verifiers=(), actor=None,
                now=None):
    """Draw a sample and give its call-backs to the verifiers in turn; return the Sample."""
    if (share is None) == (count is None):
        raise TransitionError(_("Give either a share of each unit's matters or a number per unit."))
    if share is not None and not 0 < float(share) <= 1:
        raise TransitionError(_("The share must be more than 0 and at most 1 (e.g. 0.05 for 5%)."))
    if count is not None and count < 1:
        raise TransitionError(_("The number per unit must be at least 1."))
    if ends_on < starts_on:
        raise TransitionError(_("The period ends before it starts."))
    now = now or timezone.now()
    seed = random.SystemRandom().randrange(10**9) if seed is None else seed
    chosen = draw(candidates(starts_on, ends_on), seed=seed, share=share, count=count)
    verifiers = list(verifiers)
    due = _workdays_after(now, settings.SAMPLED_CALL_BACK_WORKDAYS)
    with transaction.atomic():
        sample = Sample.objects.create(name=name, starts_on=starts_on, ends_on=ends_on, share=share, count=count,
                                       seed=seed, drawn_at=now, drawn_by=actor, size=len(chosen))
        CallBack.objects.bulk_create(CallBack(
            ticket_id=pk, kind=CallBack.Kind.SAMPLED, sample=sample, created_at=now, due_at=due,
            assigned_to=verifiers[i % len(verifiers)] if verifiers else None) for i, (_unit, pk) in enumerate(chosen))
    return sample

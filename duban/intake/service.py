"""The one way in: every channel hands a Report to `take_in`.

The web pages, the REST API, Open311, the message webhook and ledger imports all call it. It
normalises the text, finds the reporter's phone in it, suggests the category when none was given,
puts the matter on the ledger, looks for open tickets that are probably the same matter,
dispatches by the catalogue (or to the unit the source named) and so starts the clock.

A matter that cannot be dispatched on its own — no category, no area, no rule and no district —
stays `received` for the hotline's dispatchers, with the suggestion and the duplicates to judge.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.catalogue.models import Category, Channel, RequestKind
from duban.lib.text import find_phones, mask_phones, normalise
from duban.ledger.bulk import Arrival, ArrivalRefused, receive_and_dispatch
from duban.ledger.machine import TransitionError, perform, receive
from duban.ledger.models import Ticket
from duban.org.models import Unit
from duban.triage import duplicates
from duban.triage.suggest import suggest

TITLE_LENGTH = 30


class IntakeError(ValidationError):
    """The report cannot become a ticket; the message (or field messages) say why."""


@dataclass
class Report:
    """What arrived, before it is a ticket. Only `channel` and `description` are required."""

    channel: "str | Channel"  # a code, or the row itself when the caller has it
    description: str
    title: str = ""
    kind: str = ""
    category: Category | None = None
    area: Unit | None = None
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    urgency: str = ""
    subject: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    lead_unit: Unit | None = None  # the source named the unit: dispatch there, by hand
    co_units: list = field(default_factory=list)
    resolve_due: date | datetime | None = None  # the source set the deadline (整改时限)
    notes: list = field(default_factory=list)  # written as notes after receipt (整改措施, 整改进展)
    files: list = field(default_factory=list)  # (file object, name) pairs
    source: dict = field(default_factory=dict)  # where it came from beyond the channel
    at: datetime | None = None


@dataclass
class Outcome:
    ticket: Ticket
    duplicates: list = field(default_factory=list)  # duban.triage.duplicates.Match, best first
    suggestion: object = None  # duban.triage.suggest.Suggestion, when the category was not given
    dispatched: bool = False
    why_not_dispatched: str = ""


def _title(description):
    first = description.replace("\n", " ").split("。")[0].strip()
    return first if len(first) <= TITLE_LENGTH else first[:TITLE_LENGTH - 1] + "…"


def _channel(code, known=None):
    """The channel by its code (or the channel itself); `known` (a dict) keeps those found, for many
    reports at once."""
    if isinstance(code, Channel):
        return code
    if known is not None and code in known:
        return known[code]
    try:
        channel = Channel.objects.get(code=code)
    except Channel.DoesNotExist:
        raise IntakeError({"channel": _("Unknown channel “%(code)s”.") % {"code": code}}) from None
    if known is not None:
        known[code] = channel
    return channel


def prepare(report, channels=None):
    """Normalise the text and fill what can be derived; return the fields for the ledger."""
    description = normalise(report.description or "")
    if not description:
        raise IntakeError({"description": _("Describe the matter.")})
    phone = report.reporter_phone.strip()
    if not phone:
        found = find_phones(description)
        phone = found[0] if found else ""
    return {
        "channel": _channel(report.channel, channels), "description": description,
        # The title is shown in every list, to people who may not see the reporter: no phone in it.
        "title": mask_phones(normalise(report.title)[:200] or _title(description)), "kind": report.kind,
        "category": report.category, "area": report.area, "address": normalise(report.address)[:300],
        "latitude": report.latitude, "longitude": report.longitude, "subject": normalise(report.subject)[:200],
        "reporter_name": normalise(report.reporter_name)[:50], "reporter_phone": phone[:30],
        "reporter_email": report.reporter_email.strip(), **({"urgency": report.urgency} if report.urgency else {}),
    }


def _derive(report, channels=None):
    """The ledger's fields for a report, with the category suggested when none was given."""
    fields = prepare(report, channels)
    suggestion = None
    if fields["category"] is None:
        suggestion = suggest(fields["title"] + " " + fields["description"], area=fields["area"])
        if suggestion.category is not None and suggestion.confidence >= settings.INTAKE_AUTO_CATEGORY_CONFIDENCE:
            fields["category"] = suggestion.category
    if not fields["kind"]:
        # The category's usual kind; a complaint when nothing is known, for the dispatcher to correct.
        fields["kind"] = fields["category"].default_kind if fields["category"] else RequestKind.COMPLAINT
    return fields, suggestion


def _notes(report):
    return [normalise(text) for text in report.notes if text and text.strip()]


def take_in(report, *, actor=None, dispatch=True):
    """Put a report on the ledger; dispatch it when the catalogue (or the source) says where."""
    fields, suggestion = _derive(report)
    # Read before writing: the year's number is held from `receive` to the commit, so that span stays short.
    matches = duplicates.find(fields["title"] + " " + fields["description"], area=fields["area"],
                              latitude=fields["latitude"], longitude=fields["longitude"])
    with transaction.atomic():
        # Its category, area and channel are rows already read (a Report holds instances): no look-ups.
        ticket = receive(actor=actor, at=report.at, files=report.files, source=report.source or None,
                         check_relations=False, **fields)
        for text in _notes(report):
            perform(ticket, "note", actor, text=text, at=report.at, held=True)
        outcome = Outcome(ticket, suggestion=suggestion)
        outcome.duplicates = matches
        if dispatch:
            _dispatch(outcome, report, actor)
    return outcome


class IntakeFailed(Exception):
    """Report number `index` (from 0) of many could not be taken in; `error` (an IntakeError) says why."""

    def __init__(self, index, error):
        super().__init__(f"{index}: {error}")
        self.index, self.error = index, error


def take_in_many(reports, *, actor=None, batch=5000, progress=None):
    """Take in many reports in order (a ledger import); return their outcomes. All or nothing.

    A report that names its lead unit and brings no files goes where it says whatever else is
    open, so it needs no duplicate search: such reports are written in batches by
    duban.ledger.bulk, with the same fields, notes, permissions and clock as `take_in`. Any other
    report goes through `take_in` in its place in the order. `progress(n)` is told as rows land.
    Raises IntakeFailed naming the report that could not be taken in; nothing is then written.
    """
    outcomes, waiting = [], []  # waiting: (index, report, fields, suggestion) for the next batch
    channels = {}

    def flush():
        arrivals = [Arrival(fields, report.lead_unit, report.co_units, report.resolve_due, _notes(report),
                            report.source or None, report.at) for _index, report, fields, _s in waiting]
        try:
            tickets = receive_and_dispatch(arrivals, actor)
        except ArrivalRefused as refused:
            raise IntakeFailed(waiting[refused.index][0], IntakeError(refused.error.messages)) from refused
        outcomes.extend(Outcome(ticket, suggestion=item[3], dispatched=True) for ticket, item in zip(tickets, waiting))
        if progress:
            progress(len(waiting))
        waiting.clear()

    with transaction.atomic():
        for index, report in enumerate(reports):
            try:
                if report.lead_unit is not None and not report.files:
                    waiting.append((index, report, *_derive(report, channels)))
                    if len(waiting) >= batch:
                        flush()
                    continue
                if waiting:
                    flush()
                outcomes.append(take_in(report, actor=actor))
            except ValidationError as error:
                raise IntakeFailed(index, error if isinstance(error, IntakeError)
                                   else IntakeError(error.messages)) from error
            if progress:
                progress(1)
        if waiting:
            flush()
    return outcomes


def _dispatch(outcome, report, actor):
    ticket = outcome.ticket
    if report.lead_unit is None and not settings.INTAKE_AUTO_DISPATCH:
        outcome.why_not_dispatched = _("Automatic dispatch is switched off: a dispatcher will take it.")
        return
    if ticket.category_id is None and report.lead_unit is None:
        outcome.why_not_dispatched = _("The category is not known: a dispatcher will choose it.")
        return
    if outcome.duplicates and report.lead_unit is None:
        outcome.why_not_dispatched = _("It may repeat an open ticket: a dispatcher will judge.")
        return
    try:
        # The catalogue's choice is the application's act; a unit the source named is the actor's.
        by = actor if report.lead_unit is not None else None
        perform(ticket, "dispatch", by, unit=report.lead_unit, co_units=report.co_units, due=report.resolve_due,
                at=report.at, held=True)  # received just now, in this transaction
    except TransitionError as error:
        if report.lead_unit is not None or report.resolve_due is not None:
            raise IntakeError(error.messages) from error
        outcome.why_not_dispatched = " ".join(error.messages)
        return
    outcome.dispatched = True

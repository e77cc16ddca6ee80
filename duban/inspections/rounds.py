"""The rules of inspection rounds, shared by the pages, the demo and any command.

- Supervisors (and admins) create rounds; supervisors and leaders see them; only the round's
  leader and team (and admins) record its visits.
- A visit is recorded all or nothing: the visit, its photos, each finding's ticket and each
  suggestion, or none of them, with every problem named.
- Each finding is a complaint dispatched at once to the unit responsible (open_for) on the
  `inspection` channel, due `finding_workdays` working days later, carrying the visit's photos;
  its first event names the round and the visit as its source. When the visit's place names one
  of the round's targets (a project, an enterprise), that is the ticket's subject, so the
  target's steward follows it.
- The report counts what was found, fixed (the ticket verified or closed: 核查销号), still open,
  overdue and suggested, per unit. Closed is not fixed when it was reopened: the ticket's state
  now is what counts.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Count, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from duban.catalogue.models import Channel, RequestKind
from duban.clock.calendar import work_calendar
from duban.ledger import attachments
from duban.ledger.access import is_admin, visible_tickets
from duban.ledger.machine import CLOCKED, OPEN_STATES, open_for
from duban.ledger.models import State, Ticket
from duban.lib.workdays import CalendarRangeError
from duban.inspections.models import Finding, Round, Suggestion, Visit, VisitPhoto
from duban.org.models import Person, Unit

Role = Person.Role
CHANNEL = "inspection"
FIXED_STATES = frozenset({State.VERIFIED, State.CLOSED})
STILL_OPEN_STATES = OPEN_STATES - FIXED_STATES
MAX_FINDINGS, MAX_SUGGESTIONS = 5, 3  # rows of the visit form
TEAM_ROLES = (Role.SUPERVISOR, Role.LEADER)


def max_photos():
    return getattr(settings, "INSPECTION_MAX_PHOTOS", 9)


class InspectionError(ValidationError):
    """A round or a visit that cannot be recorded; its messages are for the person who asked."""


# --- who may do what ------------------------------------------------------------------------

def is_member(person, round_):
    return person.pk == round_.lead_id or round_.team.filter(pk=person.pk).exists()


def may_create(person):
    return person.is_authenticated and person.is_active and (is_admin(person) or person.role == Role.SUPERVISOR)


def may_see(person, round_):
    if not person.is_authenticated or not person.is_active:
        return False
    return is_admin(person) or person.role in TEAM_ROLES or is_member(person, round_)


def may_record(person, round_):
    if not person.is_authenticated or not person.is_active:
        return False
    return is_admin(person) or is_member(person, round_)


def team_candidates():
    """The people a team is made of: active supervisors and leaders."""
    return (Person.objects.filter(is_active=True, role__in=TEAM_ROLES).select_related("unit")
            .order_by("-role", "unit__path", "name"))


# --- rounds -----------------------------------------------------------------------------------

def create_round(actor, *, name, kind, starts_on, ends_on, team=(), units=(), targets=(), description="",
                 finding_workdays=10, lead=None, at=None):
    """A new round led by `lead` (the actor by default), who is always in its team."""
    if not may_create(actor):
        raise InspectionError(_("Only supervisors create inspection rounds."))
    name, targets = (name or "").strip(), [t.strip() for t in targets if t and t.strip()]
    problems = []
    if not name:
        problems.append(_("Name the round."))
    if kind not in Round.Kind.values:
        problems.append(_("Choose the kind of inspection."))
    if not starts_on or not ends_on:
        problems.append(_("Give the dates the round starts and ends."))
    elif ends_on < starts_on:
        problems.append(_("The round cannot end before it starts."))
    if not isinstance(finding_workdays, int) or finding_workdays < 1:
        problems.append(_("Give at least 1 working day to fix a finding."))
    if problems:
        raise InspectionError(problems)
    lead = lead or actor
    with transaction.atomic():
        round_ = Round.objects.create(
            name=name[:100], kind=kind, starts_on=starts_on, ends_on=ends_on, lead=lead, targets=targets,
            description=(description or "").strip(), finding_workdays=finding_workdays, created_by=actor,
            created_at=at or timezone.now())
        round_.team.set({p.pk: p for p in [lead, *team]}.values())
        round_.units.set(units)
    return round_


# --- visits -----------------------------------------------------------------------------------

def _date_text(day):
    return formats.date_format(day, "DATE_FORMAT")


def _visit_problems(round_, person, visited_at, place, findings, suggestions, photos, now):
    problems = []
    if not may_record(person, round_):
        problems.append(_("Only the round's leader and team record its visits."))
    if not (place or "").strip():
        problems.append(_("Say where the visit was."))
    if visited_at is None:
        problems.append(_("Give the time of the visit."))
    elif visited_at > now + timedelta(minutes=5):
        problems.append(_("The time of the visit is in the future."))
    elif not round_.starts_on <= timezone.localdate(visited_at) <= round_.ends_on:
        problems.append(_("The visit's date is outside the round (%(start)s to %(end)s).")
                        % {"start": _date_text(round_.starts_on), "end": _date_text(round_.ends_on)})
    for row, (unit, description) in enumerate(findings, 1):
        if unit is None:
            problems.append(_("Finding %(row)d: choose the unit responsible.") % {"row": row})
        if not (description or "").strip():
            problems.append(_("Finding %(row)d: describe the problem found.") % {"row": row})
    for row, (_unit, text) in enumerate(suggestions, 1):
        if not (text or "").strip():
            problems.append(_("Suggestion %(row)d: write the suggestion.") % {"row": row})
    if len(photos) > max_photos():
        problems.append(_("At most %(count)d photos a visit.") % {"count": max_photos()})
    return problems


def record_visit(round_, person, *, visited_at, place, unit=None, notes="", latitude=None, longitude=None,
                 photos=(), findings=(), suggestions=(), at=None):
    """Record a visit with its photos ((file, name) pairs), findings ((unit, description) pairs) and
    suggestions ((unit or None, text) pairs), all or nothing; return the visit.

    Each finding's ticket enters the ledger at `at` (now by default; the demo dates it at the
    visit) and is due the round's working days later. InspectionError names every problem.
    """
    now = timezone.now()
    at = at or now
    findings, suggestions, photos = list(findings), list(suggestions), list(photos)
    problems = _visit_problems(round_, person, visited_at, place, findings, suggestions, photos, now)
    uploads = []
    for fileobj, name in photos:
        try:
            uploads.append(attachments.check(fileobj, name))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise InspectionError(problems)
    try:
        due = work_calendar().add_workdays(at, round_.finding_workdays) if findings else None
    except CalendarRangeError as error:
        raise InspectionError(str(error)) from error
    try:
        with transaction.atomic():
            visit = Visit.objects.create(round=round_, visited_at=visited_at, place=place.strip()[:200], unit=unit,
                                         latitude=latitude, longitude=longitude, notes=(notes or "").strip(),
                                         by=person, recorded_at=now)
            _store_photos(visit, uploads)
            for responsible, description in findings:
                open_finding(visit, responsible, description.strip(), uploads, person, at, due)
            Suggestion.objects.bulk_create([
                Suggestion(round=round_, visit=visit, unit=to, text=text.strip(), by=person, at=visited_at)
                for to, text in suggestions])
    except InspectionError:
        raise
    except ValidationError as error:  # the ledger refused a ticket: nothing of the visit stays
        raise InspectionError(error.messages) from error
    return visit


def _store_photos(visit, uploads):
    for upload in uploads:
        photo = VisitPhoto(visit=visit, name=upload.name[:200], content_type=upload.content_type, size=upload.size,
                           sha256=upload.sha256)
        existing = VisitPhoto.objects.filter(sha256=upload.sha256).only("file").first()
        if existing and existing.file.storage.exists(existing.file.name):
            photo.file.name = existing.file.name  # the same photo is stored once
        else:
            photo.file.save(upload.name, File(upload.file), save=False)
        photo.save()


def finding_text(visit, description):
    """The ticket's title and description, in the site's language as the ledger's records are."""
    round_ = visit.round
    with translation.override(settings.LANGUAGE_CODE):
        first_line = description.splitlines()[0] if description else ""
        values = {"kind": round_.get_kind_display(), "place": visit.place, "problem": first_line[:80],
                  "round": round_.name,
                  "date": formats.date_format(timezone.localtime(visit.visited_at), "DATETIME_FORMAT")}
        title = _("[%(kind)s] %(place)s: %(problem)s") % values
        text = description + "\n\n" + _("Found by “%(round)s” at %(place)s on %(date)s.") % values
        note = _("Found by the inspection round “%(round)s”: fix it and reply with evidence.") % values
    return title[:200], text, note


def target_at(visit):
    """The round's target (a place, enterprise or project) the visit's place names, so that its
    steward (包保) sees the finding; else nothing."""
    named = [t for t in visit.round.targets if t and t in visit.place]
    return max(named, key=len)[:200] if named else ""


def open_finding(visit, unit, description, uploads, actor, at, due):
    """The finding's ticket, dispatched at once to the unit responsible; returns the Finding."""
    title, text, note = finding_text(visit, description)
    ticket = open_for(
        unit, actor=actor, at=at, due=due, note=note, kind=RequestKind.COMPLAINT,
        channel=Channel.objects.get(code=CHANNEL), title=title, description=text, address=visit.place,
        area=visit.unit, subject=target_at(visit), latitude=visit.latitude, longitude=visit.longitude,
        files=[(upload.file, upload.name) for upload in uploads],
        source={"inspection_round": visit.round_id, "visit": visit.pk})
    return Finding.objects.create(visit=visit, unit=unit, description=description, ticket=ticket)


# --- the report -------------------------------------------------------------------------------

@dataclass
class Line:
    """What one unit (or the whole round) was found, fixed and suggested."""

    name: str
    unit: Unit | None = None
    found: int = 0
    fixed: int = 0
    open: int = 0
    overdue: int = 0
    suggestions: int = 0

    @property
    def fixed_share(self):
        return self.fixed / self.found if self.found else None


@dataclass
class Report:
    round: Round
    visits: int
    units_visited: int
    units_targeted: int
    lines: list = field(default_factory=list)
    total: Line = None


def overdue_condition(now, prefix="ticket__"):
    """A ticket whose running clock has passed its deadline (the red of the clock)."""
    return Q(**{f"{prefix}state__in": CLOCKED, f"{prefix}resolved_at__isnull": True,
                f"{prefix}paused_at__isnull": True, f"{prefix}resolve_due_at__lt": now})


def report(round_, now=None):
    """The round's counts per unit responsible (or suggested to), most findings first, with the total."""
    now = now or timezone.now()
    rows = (Finding.objects.filter(visit__round=round_).order_by().values("unit").annotate(
        found=Count("pk"), fixed=Count("pk", filter=Q(ticket__state__in=FIXED_STATES)),
        open=Count("pk", filter=Q(ticket__state__in=STILL_OPEN_STATES)),
        overdue=Count("pk", filter=overdue_condition(now))))
    suggested = dict(round_.suggestions.order_by().values_list("unit").annotate(n=Count("pk")))
    units = Unit.objects.in_bulk({r["unit"] for r in rows} | {u for u in suggested if u is not None})
    lines = {}
    for row in rows:
        unit = units[row["unit"]]
        lines[unit.pk] = Line(unit.name, unit, row["found"], row["fixed"], row["open"], row["overdue"])
    for unit_id, n in suggested.items():
        if unit_id is None:
            continue
        lines.setdefault(unit_id, Line(units[unit_id].name, units[unit_id])).suggestions = n
    ordered = sorted(lines.values(), key=lambda line: (-line.found, -line.suggestions, line.unit.path))
    if suggested.get(None):
        ordered.append(Line(_("No unit named"), suggestions=suggested[None]))
    total = Line(_("Round total"), found=sum(x.found for x in ordered), fixed=sum(x.fixed for x in ordered),
                 open=sum(x.open for x in ordered), overdue=sum(x.overdue for x in ordered),
                 suggestions=sum(x.suggestions for x in ordered))
    visits = round_.visits.all()
    return Report(round_, visits.count(), visits.exclude(unit=None).values("unit").distinct().count(),
                  round_.units.count(), ordered, total)


def visible_ticket_ids(person, round_):
    """The finding tickets of the round this person may open (the ledger's visibility)."""
    tickets = Ticket.objects.filter(inspection_finding__visit__round=round_)
    return set(visible_tickets(person, tickets).values_list("pk", flat=True))

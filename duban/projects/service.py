"""The rules of key projects, shared by the pages, the admin and the demo.

- Who sees a project: admins, supervisors and leaders see all; its chief and secretary see theirs;
  handlers and unit heads see the projects their unit is responsible for, built in their district,
  or blocked on their unit. Only the chief and the secretary (and admins) file its reviews.
- A review (双周调度) updates the project's progress, investment completed and stage, and the
  progress of the milestones it reports; the first review in a stage of construction or later
  records the actual start (the period's end). Each blocker in it becomes a ticket (kind help,
  channel supervision) dispatched at once to the unit that can remove it, due
  PROJECT_BLOCKER_WORKDAYS working days after the review is filed; the ticket's first event names
  the project and the review. Anything wrong refuses the whole review: nothing is written.
- Status light: red when a blocker is open (its ticket not closed, declined or merged) or a
  milestone is past its planned date and not done; yellow when the project is behind plan: its
  start date has passed without a start, or its progress trails the share of its planned time
  already elapsed by more than PROJECT_BEHIND_POINTS; green otherwise.
- District race (赛马): per district, over its active projects — started on time (started no later
  than planned, of those due to start by today), investment completed against planned, and blockers
  open. Districts are ranked on one of them (competition ranks: equal values share a rank, 1 2 2 4);
  a district without the value is listed unranked.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.lib.ranking import competition_ranks
from duban.catalogue.models import Channel, RequestKind
from duban.clock.calendar import work_calendar
from duban.ledger.access import is_admin
from duban.ledger.machine import TERMINAL_STATES, open_for
from duban.lib.workdays import CalendarRangeError
from duban.org.models import Person, Stewardship
from duban.projects.models import Blocker, Milestone, Project, Review

Role = Person.Role
SEES_ALL = (Role.SUPERVISOR, Role.LEADER)
UNIT_ROLES = (Role.HANDLER, Role.UNIT_HEAD)
CHANNEL = "supervision"  # created by duban.verdict's migration 0002
# A blocker is open until its ticket is closed (declined or merged tickets no longer block either).
DONE_STATES = tuple(TERMINAL_STATES)


def blocker_workdays():
    return getattr(settings, "PROJECT_BLOCKER_WORKDAYS", 5)


def behind_points():
    return getattr(settings, "PROJECT_BEHIND_POINTS", 10)


class ReviewError(ValidationError):
    """A review that cannot be filed; the message is for the person filing it."""


# --- who sees what -----------------------------------------------------------------------------

def sees_all(person):
    return is_admin(person) or person.role in SEES_ALL


def visible_projects(person, queryset=None):
    queryset = Project.objects.all() if queryset is None else queryset
    if not person.is_authenticated or not person.is_active:
        return queryset.none()
    if sees_all(person):
        return queryset
    condition = Q(chief=person) | Q(secretary=person)
    if person.unit_id and person.role in UNIT_ROLES:
        condition |= Q(unit_id=person.unit_id) | Q(district_id=person.unit_id)
        condition |= Q(pk__in=Blocker.objects.filter(unit_id=person.unit_id).values("project_id"))
    return queryset.filter(condition)


def may_see(person, project):
    return visible_projects(person, Project.objects.filter(pk=project.pk)).exists()


def may_file(person, project):
    """The project's chief leader and secretary file its reviews (and admins may)."""
    if not person.is_authenticated or not person.is_active:
        return False
    return is_admin(person) or person.pk in (project.chief_id, project.secretary_id)


def steward(project, on=None):
    """The chief and the secretary answer for the project (包保, 365 service): each holds a stewardship
    of it running on and after `on` (today), so they see its tickets on the ledger; one from `on` is
    created for whoever has none. Returns the stewardships created."""
    on = on or timezone.localdate()
    made = []
    for person, note in ((project.chief, "项目首席负责人（365服务）"), (project.secretary, "项目秘书（365服务）")):
        if person is None:
            continue
        held = Stewardship.objects.filter(person=person, kind=Stewardship.Kind.PROJECT, subject=project.name).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        if not held.exists():
            made.append(Stewardship.objects.create(person=person, kind=Stewardship.Kind.PROJECT,
                                                   subject=project.name, starts_on=on, note=note))
    return made


# --- filing a review ----------------------------------------------------------------------------

@dataclass
class BlockerInput:
    kind: str
    unit: object  # a Unit
    description: str


def _check(condition, message):
    if not condition:
        raise ReviewError(message)


def _percent(value, what):
    _check(isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100,
           _("%(what)s is a percentage: a whole number from 0 to 100.") % {"what": what})


def check_review(project, *, period_end, progress, investment_completed, stage, summary, milestones, blockers,
                 today):
    """Refuse a review that cannot be filed, with the first reason found (ReviewError)."""
    _percent(progress, _("The progress"))
    _check(isinstance(investment_completed, Decimal) and investment_completed.is_finite()
           and investment_completed >= 0, _("The investment completed cannot be negative."))
    _check(stage in Project.Stage.values, _("Choose the stage of the project."))
    _check(bool((summary or "").strip()), _("Write the progress of the fortnight."))
    _check(isinstance(period_end, date) and period_end <= today,
           _("The period of a review cannot end in the future."))
    _check(not project.reviews.filter(period_end=period_end).exists(),
           _("A review of the period ending %(date)s has already been filed.") % {"date": period_end.isoformat()})
    own = {m.pk: m for m in project.milestones.all()}
    for pk, (value, done_on) in milestones.items():
        _check(pk in own, _("That milestone is not one of this project's."))
        _percent(value, _("The progress of “%(name)s”") % {"name": own[pk].name})
        _check(done_on is None or done_on <= today,
               _("“%(name)s” cannot be done on a date still to come.") % {"name": own[pk].name})
    for blocker in blockers:
        _check(blocker.kind in Blocker.Kind.values, _("Say what kind of problem blocks the project."))
        _check(blocker.unit is not None, _("Name the unit that can remove the blocker."))
        _check(bool((blocker.description or "").strip()), _("Describe the problem that blocks the project."))


@transaction.atomic
def file_review(project, person, *, period_end, progress, investment_completed, summary, problems="", stage=None,
                milestones=None, blockers=(), at=None):
    """File a fortnightly review and open a ticket for each blocker; return the Review.

    `milestones` maps a milestone pk to (progress, done_on or None): progress 100 without a date is
    done on the period's end, a date without 100 makes it 100. `blockers` are BlockerInput.
    """
    if not may_file(person, project):
        raise ReviewError(_("Only the project's chief leader or secretary files its reviews."))
    at = at or timezone.now()
    stage = stage or project.stage
    milestones = {int(pk): reported for pk, reported in (milestones or {}).items()}
    blockers = list(blockers)
    check_review(project, period_end=period_end, progress=progress, investment_completed=investment_completed,
                 stage=stage, summary=summary, milestones=milestones, blockers=blockers,
                 today=timezone.localdate(at))
    milestones = {pk: _done(value, done_on, period_end) for pk, (value, done_on) in milestones.items()}
    review = Review.objects.create(
        project=project, period_end=period_end, filed_by=person, filed_at=at, progress=progress,
        investment_completed=investment_completed, stage=stage, summary=summary.strip(), problems=problems.strip(),
        milestones={str(pk): {"progress": value, "done_on": done_on.isoformat() if done_on else None}
                    for pk, (value, done_on) in milestones.items()})
    for milestone in project.milestones.filter(pk__in=milestones):
        milestone.progress, milestone.done_on = milestones[milestone.pk]
        milestone.save(update_fields=["progress", "done_on"])
    project.progress, project.completed_investment, project.stage = progress, investment_completed, stage
    if stage in Project.STARTED and project.started_on is None:
        project.started_on = period_end
    project.save(update_fields=["progress", "completed_investment", "stage", "started_on"])
    for blocker in blockers:
        open_blocker(review, blocker, person, at)
    return review


def _done(value, done_on, period_end):
    if value == 100 and done_on is None:
        return value, period_end
    if done_on is not None:
        return 100, done_on
    return value, None


def supervision_channel():
    return Channel.objects.get_or_create(code=CHANNEL, defaults={"name": "督查督办"})[0]


def open_blocker(review, blocker, actor, at):
    """A blocker's ticket, dispatched to the unit that can remove it, on its own clock."""
    project = review.project
    kind = Blocker.Kind(blocker.kind).label
    try:
        due = work_calendar().add_workdays(at, blocker_workdays())
    except CalendarRangeError as error:
        raise ReviewError(str(error)) from error
    ticket = open_for(
        blocker.unit, actor=actor, at=at, due=due,
        note=_("A blocker of the key project %(project)s, from its review of %(date)s.")
        % {"project": project.name, "date": review.period_end.isoformat()},
        kind=RequestKind.HELP, channel=supervision_channel(),
        title=(_("Key project blocked (%(kind)s): %(project)s") % {"kind": kind, "project": project.name})[:200],
        description=_("%(description)s\n\nKey project: %(project)s (%(district)s), stage: %(stage)s. Reported in the "
                      "fortnightly review of the period ending %(date)s by %(person)s. Remove the blocker and reply.")
        % {"description": blocker.description.strip(), "project": project.name, "district": project.district.name,
           "stage": project.get_stage_display(), "date": review.period_end.isoformat(), "person": actor},
        area=project.district, subject=project.name, source={"project": project.pk, "review": review.pk})
    return Blocker.objects.create(review=review, project=project, kind=blocker.kind,
                                  description=blocker.description.strip(), unit=blocker.unit, ticket=ticket)


# --- the status light ----------------------------------------------------------------------------

LIGHT_LABELS = {"green": gettext_lazy("on track"), "yellow": gettext_lazy("behind plan"),
                "red": gettext_lazy("blocked or late")}


@dataclass
class Light:
    colour: str
    reasons: list = field(default_factory=list)

    @property
    def label(self):
        return str(LIGHT_LABELS[self.colour])


def expected_progress(project, today):
    """The share of the planned time elapsed by today, in % (0 before the start, 100 after the end)."""
    if today <= project.starts_on:
        return 0
    if today >= project.ends_on:
        return 100
    return 100 * (today - project.starts_on).days // (project.ends_on - project.starts_on).days


def light(project, today, open_blockers, milestones):
    """The project's light today, with its reasons; `open_blockers` is their number, `milestones`
    the project's milestones."""
    red = []
    if open_blockers:
        red.append(_("%(n)d blockers open") % {"n": open_blockers})
    late = [m.name for m in milestones if m.overdue(today)]
    if late:
        red.append(_("milestone overdue: %(names)s") % {"names": "、".join(late)})
    if red:
        return Light("red", red)
    yellow = []
    if project.started_on is None and project.starts_on < today:
        yellow.append(_("not started though planned for %(date)s") % {"date": project.starts_on.isoformat()})
    expected = expected_progress(project, today)
    if project.progress + behind_points() < expected:
        yellow.append(_("progress %(done)d%% where %(expected)d%% of the time has passed")
                      % {"done": project.progress, "expected": expected})
    if yellow:
        return Light("yellow", yellow)
    return Light("green")


def open_blocker_counts(projects):
    """{project pk: blockers whose ticket is still open}."""
    counts = {}
    rows = Blocker.objects.filter(project__in=projects).exclude(ticket__state__in=DONE_STATES)
    for pk in rows.values_list("project_id", flat=True):
        counts[pk] = counts.get(pk, 0) + 1
    return counts


def with_lights(projects, today):
    """Attach `light` and `open_blockers` to each project (two queries for the lot)."""
    projects = list(projects)
    counts = open_blocker_counts([p.pk for p in projects])
    by_project = {}
    for milestone in Milestone.objects.filter(project__in=[p.pk for p in projects]):
        by_project.setdefault(milestone.project_id, []).append(milestone)
    for project in projects:
        project.open_blockers = counts.get(project.pk, 0)
        project.light = light(project, today, project.open_blockers, by_project.get(project.pk, []))
    return projects


# --- the district race ---------------------------------------------------------------------------

RACE_KEYS = {"investment": gettext_lazy("investment completed against planned"),
             "on_time": gettext_lazy("projects started on time"),
             "blockers": gettext_lazy("blockers open (fewer is better)")}
LOWER_IS_BETTER = {"blockers"}
PLACES = Decimal("0.001")  # rates are ranked as they are shown: to 0.1%


def _rate(part, whole):
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass
class RaceRow:
    district: object
    projects: int = 0
    due_to_start: int = 0
    started_on_time: int = 0
    planned: Decimal = Decimal(0)
    completed: Decimal = Decimal(0)
    open_blockers: int = 0
    rank: int | None = None

    @property
    def on_time(self):
        return _rate(self.started_on_time, self.due_to_start)

    @property
    def investment(self):
        return _rate(self.completed, self.planned)

    @property
    def blockers(self):
        return self.open_blockers

    @staticmethod
    def percent(rate):
        return None if rate is None else (rate * 100).quantize(Decimal("0.1"))

    @property
    def on_time_percent(self):
        return self.percent(self.on_time)

    @property
    def investment_percent(self):
        return self.percent(self.investment)


def race(today, key="investment", projects=None):
    """The districts' rows over their active projects, ranked on `key` (best first, then unranked)."""
    if key not in RACE_KEYS:
        key = "investment"
    projects = list((Project.objects.filter(active=True) if projects is None else projects).select_related("district"))
    counts = open_blocker_counts([p.pk for p in projects])
    rows = {}
    for project in projects:
        row = rows.setdefault(project.district_id, RaceRow(project.district))
        row.projects += 1
        row.planned += project.planned_investment
        row.completed += project.completed_investment
        row.open_blockers += counts.get(project.pk, 0)
        if project.starts_on <= today:
            row.due_to_start += 1
            row.started_on_time += int(project.started_on is not None and project.started_on <= project.starts_on)
    return rank(list(rows.values()), key)


def rank(rows, key):
    """Competition ranks on `key` (equal values share a rank: 1, 2, 2, 4); rows without it last."""
    lower = key in LOWER_IS_BETTER
    ranked = [r for r in rows if getattr(r, key) is not None]
    ranked.sort(key=lambda r: (getattr(r, key) if lower else -getattr(r, key), r.district.name))
    for row, place in zip(ranked, competition_ranks([getattr(r, key) for r in ranked], higher_is_better=not lower)):
        row.rank = place
    unranked = sorted((r for r in rows if getattr(r, key) is None), key=lambda r: r.district.name)
    for row in unranked:
        row.rank = None
    return ranked + unranked


"""A scheme's monthly table: each unit's points per dimension, its total, rank and list; publishing it.

Rules, all in this file:
- figure dimension: points × rate (points × (1 − rate) for the rates where lower is better);
  a unit without the figure for the month (no matters to compute it on) gets points × floor.
- indicator dimension: the participants with a value are ranked as the race ranks them; the best
  gets the full points, the worst points × floor, linearly by rank in between (one ranked unit,
  or all tied: full points); a participant without a value gets points × floor.
- survey dimension with its survey: from the survey's results as they stand (duban.surveys.results).
  When the survey has a question rating each unit 1–5: points × (the unit's average score − 1) / 4;
  a unit nobody scored gets points × floor, flagged. Otherwise by the most and least satisfied
  votes: points × (1 + net) / 2, net being the unit's share of the most-satisfied votes minus its
  share of the least-satisfied ones (−1 to 1); every unit the survey reviews is scored once such
  votes exist, and a unit it does not review (or any unit, before a vote) gets points × floor, flagged.
- manual dimensions, and survey dimensions without a survey: the points entered for the unit and
  month; none entered: 0, and flagged.
- Each dimension's points are rounded to 0.01, the total is their sum. Ranks are competition
  ranks ("1224"): equal totals share a rank.
- The red list is the units ranked within the top `red_size`; the black list the units ranked
  within the bottom `black_size` that are not on the red list (so with fewer units than both
  lists together, the black list shrinks). Units tied at the edge of a list are all on it.
- Publishing stores the month's table as Result rows, once, and gives every black-listed unit a
  reflection ticket due REFLECTION_WORKDAYS working days later. A month is published only when it
  is over and every score entered by hand is there.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from duban.lib.ranking import competition_ranks
from duban.assessment.models import Dimension, ManualScore, Reflection, Result, Scheme
from duban.catalogue.models import Channel, RequestKind
from duban.clock.calendar import work_calendar
from duban.figures.figures import Period, PeriodError, list_marks, unit_figures
from duban.ledger.access import is_admin
from duban.ledger.machine import open_for
from duban.lib.workdays import CalendarRangeError
from duban.org.models import Person, Unit
from duban.races.race import board
from duban.surveys.results import results as survey_results

RED, BLACK = Result.Mark.RED.value, Result.Mark.BLACK.value
CHANNEL = ("supervision", "督查督办")  # the channel of reflection tickets (created by migration 0002)


class AssessmentError(ValidationError):
    """Something the user asked that cannot be done; the message is for them."""


@dataclass
class Cell:
    code: str
    name: str
    points: float | None  # None: not scored (a dimension added after the month was published)
    missing: bool = False


@dataclass
class Row:
    unit_id: int
    name: str
    scores: dict = field(default_factory=dict)  # dimension code → points
    total: float = 0.0
    rank: int | None = None
    mark: str = ""  # "red", "black" or ""
    missing: list = field(default_factory=list)  # codes of dimensions scored without their data
    cells: list = field(default_factory=list)  # a Cell per dimension, in the scheme's order (for tables)

    @property
    def red(self):
        return self.mark == RED

    @property
    def black(self):
        return self.mark == BLACK


def as_period(month):
    """A Period from a Period, a date or text such as 2026-10; AssessmentError when it is none."""
    if isinstance(month, Period):
        return month
    if hasattr(month, "year") and hasattr(month, "month"):
        return Period.of_month(month.year, month.month)
    try:
        return Period.month(month)
    except PeriodError as error:
        raise AssessmentError(str(error)) from None


def dimensions(scheme):
    return list(scheme.dimensions.select_related("indicator", "survey").order_by("order", "pk"))


def participants(scheme):
    return list(scheme.participants.order_by("path"))


def may_manage(person, scheme):
    """Whether the person may enter scores and publish: an admin, or a supervisor whose scope holds
    every unit of the scheme."""
    if not person.is_authenticated or not person.is_active:
        return False
    if is_admin(person):
        return True
    scope = person.scope_unit
    if person.role != Person.Role.SUPERVISOR or scope is None:
        return False
    return not scheme.participants.exclude(path__startswith=scope.path).exists()


# --- scoring -----------------------------------------------------------------------------------

def score(scheme, period):
    """The scheme's table for the month, computed now: a Row per participant, best first."""
    period = as_period(period)
    units, dims = participants(scheme), dimensions(scheme)
    rows = {u.pk: Row(u.pk, u.name) for u in units}
    figures = unit_figures(period, units) if any(d.source == Dimension.Source.FIGURE for d in dims) else {}
    for dim in dims:
        if dim.source == Dimension.Source.FIGURE:
            points = _figure_points(dim, figures, rows)
        elif dim.source == Dimension.Source.INDICATOR:
            points = _indicator_points(dim, period, rows)
        elif dim.source == Dimension.Source.SURVEY and dim.survey_id is not None:
            points = _survey_points(dim, rows)
        else:
            points = _manual_points(dim, period, rows)
        for unit_id, (value, found) in points.items():
            rows[unit_id].scores[dim.code] = round(value, 2)
            if not found:
                rows[unit_id].missing.append(dim.code)
    for row in rows.values():
        row.total = round(sum(row.scores.values()), 2)
    return _with_cells(rank(list(rows.values()), scheme.red_size, scheme.black_size), dims)


def _with_cells(rows, dims):
    for row in rows:
        row.cells = [Cell(d.code, d.name, row.scores.get(d.code), d.code in row.missing) for d in dims]
    return rows


def _figure_points(dim, figures, rows):
    """unit id → (points, whether the figure was there)."""
    points, floor = float(dim.points), float(dim.floor)
    result = {}
    for unit_id in rows:
        rate = getattr(figures[unit_id], dim.figure) if unit_id in figures else None
        if rate is None:
            result[unit_id] = (points * floor, False)
        elif dim.figure in Dimension.LOWER_IS_BETTER:
            result[unit_id] = (points * (1 - rate), True)
        else:
            result[unit_id] = (points * rate, True)
    return result


def _indicator_points(dim, period, rows):
    points, floor = float(dim.points), float(dim.floor)
    race_ranks = {r.district.pk: r.rank for r in board(dim.indicator, period.start).rows
                  if r.rank is not None and r.district.pk in rows}
    # Ranks among the participants: one more than the participants the race put ahead.
    ranks = dict(zip(race_ranks, competition_ranks(list(race_ranks.values()), higher_is_better=False)))
    worst = max(ranks.values(), default=1)
    result = {}
    for unit_id in rows:
        if unit_id not in ranks:
            result[unit_id] = (points * floor, False)
        elif worst == 1:
            result[unit_id] = (points, True)
        else:
            result[unit_id] = (points * (1 - (1 - floor) * (ranks[unit_id] - 1) / (worst - 1)), True)
    return result


def _survey_points(dim, rows):
    points, floor = float(dim.points), float(dim.floor)
    shares = survey_shares(survey_results(dim.survey))
    return {u: (points * shares[u], True) if u in shares else (points * floor, False) for u in rows}


def survey_shares(results):
    """unit id → the share of the points a unit earns from a survey's results (0 to 1), for the
    units the results score."""
    if results.rates_units:
        return {u.unit_id: (u.average - 1) / 4 for u in results.units if u.rated}
    if results.most_answers or results.least_answers:
        return {u.unit_id: (1 + u.net) / 2 for u in results.units}
    return {}


def _manual_points(dim, period, rows):
    entered = dict(ManualScore.objects.filter(dimension=dim, month=period.start, unit__in=list(rows))
                   .values_list("unit_id", "points"))
    return {u: (float(entered[u]), True) if u in entered else (0.0, False) for u in rows}


def rank(rows, red_size, black_size):
    """Rank the rows by total (1224), mark the red and black lists; return them best first (equal
    totals in the order given: the unit tree's)."""
    rows.sort(key=lambda row: -row.total)
    for row, place in zip(rows, competition_ranks([row.total for row in rows])):
        row.rank = place
    for row, mark in zip(rows, list_marks([row.rank for row in rows], red_size, black_size)):
        row.mark = mark
    return rows


# --- published months -------------------------------------------------------------------------

def is_published(scheme, period):
    return Result.objects.filter(scheme=scheme, month=as_period(period).start).exists()


def published(scheme, period):
    """The month's table as it was published: Rows, best first (empty when not published)."""
    results = (Result.objects.filter(scheme=scheme, month=as_period(period).start).select_related("unit")
               .order_by("rank", "unit__path"))
    rows = [Row(r.unit_id, r.unit.name, {code: float(v) for code, v in r.scores.items()}, float(r.total), r.rank,
                r.mark) for r in results]
    return _with_cells(rows, dimensions(scheme))


def reflections(scheme, period):
    return list(Reflection.objects.filter(result__scheme=scheme, result__month=as_period(period).start)
                .select_related("result__unit", "ticket").order_by("result__rank", "pk"))


def month_text(period):
    """The month as people write it: 2026年10月 (October 2026)."""
    return formats.date_format(period.start, "YEAR_MONTH_FORMAT")


def publish(scheme, period, actor=None, at=None):
    """Store the month's table and open a reflection ticket for each black-listed unit, in one
    transaction; return the Result rows, best first. AssessmentError when it cannot be published."""
    period, at = as_period(period), at or timezone.now()
    if timezone.localdate(at) < period.end:
        raise AssessmentError(_("%(month)s is not over yet: publish it once the month has ended.")
                              % {"month": month_text(period)})
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if is_published(scheme, period):
            raise AssessmentError(_("%(month)s of “%(scheme)s” has already been published.")
                                  % {"month": month_text(period), "scheme": scheme.name})
        rows = score(scheme, period)
        if not rows:
            raise AssessmentError(_("No units take part in “%(scheme)s”.") % {"scheme": scheme.name})
        _check_entered(scheme, rows)
        try:
            due = work_calendar().add_workdays(at, settings.REFLECTION_WORKDAYS)
        except CalendarRangeError as error:
            raise AssessmentError(str(error)) from error
        results = Result.objects.bulk_create([
            Result(scheme=scheme, unit_id=row.unit_id, month=period.start, total=Decimal(str(row.total)),
                   rank=row.rank, mark=row.mark, scores=row.scores, published_at=at, published_by=actor)
            for row in rows])
        units = Unit.objects.in_bulk([row.unit_id for row in rows if row.black])
        for row, result in zip(rows, results):
            if row.black:
                ticket = reflection_ticket(scheme, period, units[row.unit_id], row, len(rows), due, actor, at)
                Reflection.objects.create(result=result, ticket=ticket, due=due)
    return results


def _check_entered(scheme, rows):
    by_hand = {d.code: d.name for d in dimensions(scheme) if d.by_hand}
    gaps = [f"{row.name}（{by_hand[code]}）" for row in rows for code in row.missing if code in by_hand]
    if gaps:
        raise AssessmentError(_("Enter the missing scores before publishing: %(missing)s.")
                              % {"missing": "、".join(gaps)})


def reflection_ticket(scheme, period, unit, row, count, due, actor, at):
    """A ticket asking the unit for its written reflection, dispatched to it with the due date.

    The ticket's text is in the site's language, as the ledger's records are. It is dispatched by
    the actor when they may dispatch, else by the application on their publication.
    """
    with translation.override(settings.LANGUAGE_CODE):
        values = {"unit": unit.name, "month": month_text(period), "scheme": scheme.name, "total": f"{row.total:g}",
                  "rank": row.rank, "count": count, "due": formats.date_format(timezone.localtime(due), "DATE_FORMAT")}
        title = _("[Reflection] %(unit)s %(month)s: bottom of “%(scheme)s”") % values
        description = _(
            "%(unit)s scored %(total)s in “%(scheme)s” for %(month)s, ranked %(rank)s of %(count)s, and is on "
            "the black list. By %(due)s, submit a written reflection signed by the unit's head: why the unit "
            "fell behind, where each dimension lost points, and the measures it will take, each with its "
            "deadline. Attach it when resolving this ticket.") % values
        channel, _created = Channel.objects.get_or_create(code=CHANNEL[0], defaults={"name": CHANNEL[1]})
    return open_for(unit, actor=actor, at=at, due=due, kind=RequestKind.SUGGESTION, channel=channel,
                    title=title[:200], description=description, area=unit,
                    source={"assessment": scheme.pk, "month": period.label, "unit": unit.pk})


# --- scores entered by hand ---------------------------------------------------------------------

def enter_scores(dimension, period, entries, actor=None):
    """Save the points given by hand for a month: `entries` maps each unit to (points, reason), or
    to None to remove what was entered. All or nothing; AssessmentError with every problem found.
    Returns how many scores were saved."""
    period = as_period(period)
    if not dimension.by_hand:
        raise AssessmentError(_("“%(name)s” is not scored by hand.") % {"name": dimension.name})
    if is_published(dimension.scheme, period):
        raise AssessmentError(_("%(month)s has been published: its scores can no longer change.")
                              % {"month": month_text(period)})
    allowed = set(dimension.scheme.participants.values_list("pk", flat=True))
    problems = [problem for unit, entry in entries.items() if (problem := _problem(dimension, unit, entry, allowed))]
    if problems:
        raise AssessmentError(problems)
    saved = 0
    with transaction.atomic():
        for unit, entry in entries.items():
            if entry is None:
                ManualScore.objects.filter(dimension=dimension, unit=unit, month=period.start).delete()
                continue
            ManualScore.objects.update_or_create(
                dimension=dimension, unit=unit, month=period.start,
                defaults={"points": entry[0], "reason": entry[1].strip(), "entered_by": actor,
                          "entered_at": timezone.now()})
            saved += 1
    return saved


def _problem(dimension, unit, entry, allowed):
    if unit.pk not in allowed:
        return _("%(unit)s does not take part in this assessment.") % {"unit": unit.name}
    if entry is None:
        return ""
    points, reason = entry
    if points is None or not 0 <= Decimal(points) <= dimension.points:
        return _("%(unit)s: the points must be between 0 and %(max)s.") % {"unit": unit.name,
                                                                          "max": number_text(dimension.points)}
    if not (reason or "").strip():
        return _("%(unit)s: write the reason for the points.") % {"unit": unit.name}
    return ""


def number_text(value):
    """A Decimal without trailing zeros: 15, 17.5."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text

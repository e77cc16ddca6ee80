"""What a month's bulletin (通报) says, gathered once and printed by every writer.

`gather(period)` reads the figures (duban.figures), the ledger's overdue matters and, when the
assessment app is there, its schemes' results, and returns a Bulletin: the facts, and the text
and tables a government bulletin prints, in the active language. `Bulletin.blocks()` lays them out
as headings, paragraphs, tables and charts, in order; the .docx and the PDF writers print exactly
those blocks, so the two files never say different things.

Nothing personal is printed: titles have their phone numbers masked and the reporter's name
hidden, and a whistle-blower's matter (举报) is counted but its title is left out.
"""
from dataclasses import dataclass, field
from datetime import datetime, time

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import get_language, pgettext

from duban.catalogue.models import RequestKind
from duban.clock.calendar import work_calendar
from duban.figures import figures
from duban.ledger.access import conceal
from duban.ledger.machine import OPEN_STATES
from duban.ledger.models import Ticket
from duban.lib.workdays import CalendarRangeError
from duban.org.models import Unit

try:  # the bulletin works without the assessment app
    from duban.assessment import scoring as assessment_scoring
    from duban.assessment.models import Scheme
except ImportError:  # pragma: no cover - depends on the apps installed
    assessment_scoring = Scheme = None

# How many overdue matters are named one by one (all are counted, and all go to the .xlsx).
OVERDUE_NAMED = 50
DASH = "—"
CHINESE_NUMERALS = "一二三四五六七八九十"


# --- formatting -------------------------------------------------------------------------------

def percent(value):
    """0.965 → "96.5%"; no figure → "—"."""
    return DASH if value is None else f"{value * 100:.1f}%"


def score(value):
    """A composite (0..1) as a score out of 100: 0.9652 → "96.52"."""
    return DASH if value is None else f"{value * 100:.2f}"


def with_sample(value, n):
    """A rate with the number it stands on: "96.5%（120）"."""
    return DASH if value is None else _("%(rate)s (%(n)d)") % {"rate": percent(value), "n": n}


def month_label(period):
    return _("%(year)d-%(month)02d") % {"year": period.start.year, "month": period.start.month}


def date_label(day):
    return _("%(year)d-%(month)02d-%(day)02d") % {"year": day.year, "month": day.month, "day": day.day}


def numbered(n, heading):
    """"一、总体情况" in Chinese, "1. Overview" in English."""
    number = CHINESE_NUMERALS[n - 1] if get_language().startswith("zh") and n <= len(CHINESE_NUMERALS) else str(n)
    return pgettext("numbered heading", "%(n)s. %(heading)s") % {"n": number, "heading": heading}


def joined(names):
    return pgettext("list separator", ", ").join(names)


def city_name():
    """The root unit's name: the city (or county) the bulletin speaks for."""
    root = (Unit.objects.filter(parent__isnull=True, tier=Unit.Tier.CITY).order_by("path").first()
            or Unit.objects.filter(parent__isnull=True).order_by("path").first())
    return root.name if root else ""


def title_of(period):
    return _("%(city)s 12345 hotline bulletin (%(month)s)") % {"city": city_name(), "month": month_label(period)}


def public_title(ticket):
    """A matter's title as a published bulletin may print it."""
    if ticket.kind == RequestKind.REPORT:
        return _("(a whistle-blower's report; title not published)")
    return conceal(ticket.title, ticket.reporter_name)


# --- the facts --------------------------------------------------------------------------------

@dataclass
class Line:
    """One unit in a tier's ranking, with last month's composite beside this month's."""

    figures: figures.Figures
    previous: float | None = None

    @property
    def name(self):
        return self.figures.name

    @property
    def rank(self):
        return self.figures.rank

    @property
    def composite(self):
        return self.figures.composite

    @property
    def change(self):
        """"↑1.20", "↓0.85", "→" (the same), "—" (no figure last month)."""
        if self.composite is None or self.previous is None:
            return DASH
        delta = round((self.composite - self.previous) * 100, 2)
        if delta == 0:
            return "→"
        return f"{'↑' if delta > 0 else '↓'}{abs(delta):.2f}"


@dataclass
class TierRanking:
    tier: str
    label: str
    ranked: list
    unranked: list
    red: list
    black: list


@dataclass
class OverdueMatter:
    number: str
    title: str
    unit: str
    due: datetime
    workdays: int | None  # working days past the deadline; None when the calendar cannot say

    @property
    def overdue_text(self):
        if self.workdays is None:
            return DASH
        return _("under 1") if self.workdays < 1 else str(self.workdays)


@dataclass
class Overdue:
    as_of: datetime
    total: int
    by_unit: list  # [(unit name, count)], most first
    matters: list  # the OVERDUE_NAMED most overdue, OverdueMatter


@dataclass
class AssessmentResult:
    scheme: str
    published: bool
    dimensions: list  # the names of the scheme's dimensions, in order
    rows: list  # [rank, unit name, points of each dimension…, total, list], best first


@dataclass
class Chart:
    caption: str
    png: bytes


@dataclass
class Table:
    columns: list
    rows: list
    testid: str = ""
    kind: str = ""  # "red", "black" or "": how a writer may colour it


@dataclass
class Bulletin:
    period: figures.Period
    city: str
    title: str
    issued: datetime
    totals: figures.Figures
    tiers: list
    overdue: Overdue
    assessments: list
    daily: list  # [(day, dispatched, resolved)] for every day of the month
    charts: dict = field(default_factory=dict)  # "daily", "composite:<tier>" → Chart

    @property
    def month(self):
        return month_label(self.period)

    @property
    def red(self):
        return [line for tier in self.tiers for line in tier.red]

    @property
    def black(self):
        return [line for tier in self.tiers for line in tier.black]

    def summary(self):
        """The opening paragraphs, in the voice of a government bulletin."""
        t = self.totals
        paragraphs = [_("In %(month)s the %(city)s 12345 hotline dispatched %(dispatched)d matters to the "
                        "responsible units; %(resolved)d were resolved and %(closed)d verified and closed.")
                      % {"month": self.month, "city": self.city, "dispatched": t.assigned, "resolved": t.resolved,
                         "closed": t.closed}]
        if t.sample:
            paragraphs.append(
                _("Call-backs and ratings (%(sample)d valid) give a response rate of %(response)s, a resolution "
                  "rate of %(resolution)s and a satisfaction rate of %(satisfaction)s; the composite score is "
                  "%(composite)s.")
                % {"sample": t.sample, "response": percent(t.response), "resolution": percent(t.resolution),
                   "satisfaction": percent(t.satisfaction), "composite": score(t.composite)})
        else:
            paragraphs.append(_("There were no valid call-backs this month: the three rates are not computed."))
        paragraphs.append(_("Units are compared only with units of the same tier, and ranked only with at least "
                            "%(min)d valid call-backs in the month.") % {"min": settings.RANKING_MIN_SAMPLE})
        if self.red:
            paragraphs.append(_("%(names)s (%(n)d units) lead their tiers and are put on the red list with "
                                "commendation.") % {"names": joined(line.name for line in self.red),
                                                   "n": len(self.red)})
        if self.black:
            paragraphs.append(_("%(names)s (%(n)d units) trail their tiers and are put on the black list with "
                                "criticism.") % {"names": joined(line.name for line in self.black),
                                                 "n": len(self.black)})
        paragraphs.append(self.overdue_sentence())
        return paragraphs

    def overdue_sentence(self):
        values = {"date": date_label(timezone.localtime(self.overdue.as_of).date()), "n": self.overdue.total,
                  "units": len(self.overdue.by_unit)}
        if not self.overdue.total:
            return _("As of %(date)s no matter is past its time limit.") % values
        return _("As of %(date)s, %(n)d matters are past their time limit and not resolved, in %(units)d "
                 "responsible units.") % values

    def requirements(self):
        paragraphs = []
        if self.black:
            paragraphs.append(_("Units on the black list are to find the causes and submit a written reflection "
                                "with corrective measures within %(days)d working days.")
                              % {"days": settings.REFLECTION_WORKDAYS})
        if self.overdue.total:
            paragraphs.append(_("Every responsible unit is to act at once on its overdue matters and resolve them "
                                "within the time limit; progress will be reported in next month's bulletin."))
        paragraphs.append(_("Resolved is not the same as solved: closing a matter without a fix or on false "
                            "evidence is forbidden, and every matter the people affected are not satisfied with "
                            "is reopened."))
        return paragraphs

    def blocks(self):
        """The bulletin in order: ("title" | "subtitle" | "heading" | "subheading" | "paragraph", text),
        ("table", Table) and ("chart", Chart)."""
        out = [("title", self.title), ("subtitle", _("Issued %(date)s") % {
            "date": date_label(timezone.localtime(self.issued).date())})]
        out.append(("heading", numbered(1, _("Overall situation"))))
        out += [("paragraph", text) for text in self.summary()]
        out.append(("table", totals_table(self.totals)))
        if "daily" in self.charts:
            out.append(("chart", self.charts["daily"]))

        out.append(("heading", numbered(2, _("Rankings of the units"))))
        if not self.tiers:
            out.append(("paragraph", _("Nothing was counted for any unit this month.")))
        for tier in self.tiers:
            out.append(("subheading", _("Units of the tier “%(tier)s”") % {"tier": tier.label}))
            if tier.ranked:
                out.append(("table", ranking_table(tier)))
            if f"composite:{tier.tier}" in self.charts:
                out.append(("chart", self.charts[f"composite:{tier.tier}"]))
            if tier.unranked:
                out.append(("paragraph", _("Listed but not ranked:")))
                out.append(("table", unranked_table(tier)))

        out.append(("heading", numbered(3, _("Red list and black list"))))
        for kind, heading, attribute in (("red", _("Red list"), "red"), ("black", _("Black list"), "black")):
            out.append(("subheading", heading))
            lines = [(tier, line) for tier in self.tiers for line in getattr(tier, attribute)]
            if lines:
                out.append(("table", list_table(lines, kind)))
            else:
                out.append(("paragraph", _("No unit this month.")))

        out.append(("heading", numbered(4, _("Matters past their time limit"))))
        out.append(("paragraph", self.overdue_sentence()))
        if self.overdue.by_unit:
            out.append(("table", Table([_("Lead unit"), _("Overdue matters")],
                                       [[name, str(n)] for name, n in self.overdue.by_unit], "overdue-by-unit")))
        if self.overdue.matters:
            if self.overdue.total > len(self.overdue.matters):
                out.append(("paragraph", _("The %(n)d longest overdue are named below.")
                            % {"n": len(self.overdue.matters)}))
            out.append(("table", overdue_table(self.overdue.matters)))

        number = 5
        for result in self.assessments:
            out.append(("heading", numbered(number, _("Assessment: %(scheme)s") % {"scheme": result.scheme})))
            if not result.published:
                out.append(("paragraph", _("This month's results are not published yet: the table shows the "
                                           "scores as they stand.")))
            out.append(("table", Table([_("Rank"), _("Unit"), *result.dimensions, _("Total"), _("List")],
                                       result.rows, "assessment")))
            number += 1

        out.append(("heading", numbered(number, _("Work requirements"))))
        out += [("paragraph", text) for text in self.requirements()]
        return out


# --- tables -----------------------------------------------------------------------------------

def rate_columns():
    return [_("Response rate (sample)"), _("Resolution rate (sample)"), _("Satisfaction rate (sample)")]


def rate_cells(f):
    return [with_sample(f.response, f.contacted + f.not_contacted),
            with_sample(f.resolution, f.solved + f.unsolved),
            with_sample(f.satisfaction, f.verdicts)]


def totals_table(t):
    return Table([_("Dispatched"), _("Resolved"), _("Closed"), _("Valid call-backs"), *rate_columns(),
                  _("Composite score")],
                 [[str(t.assigned), str(t.resolved), str(t.closed), str(t.sample), *rate_cells(t), score(t.composite)]],
                 "totals")


def ranking_table(tier):
    rows = [[str(line.rank), line.name, str(line.figures.assigned), str(line.figures.resolved),
             *rate_cells(line.figures), score(line.composite), line.change] for line in tier.ranked]
    return Table([_("Rank"), _("Unit"), _("Dispatched"), _("Resolved"), *rate_columns(), _("Composite score"),
                  _("Change on last month")], rows, f"ranking-{tier.tier}")


def unranked_table(tier):
    return Table([_("Unit"), _("Valid call-backs"), _("Reason")],
                 [[line.name, str(line.figures.sample), line.figures.rank_note] for line in tier.unranked],
                 f"unranked-{tier.tier}")


def list_table(lines, kind):
    return Table([_("Tier"), _("Rank"), _("Unit"), _("Composite score")],
                 [[tier.label, str(line.rank), line.name, score(line.composite)] for tier, line in lines],
                 f"{kind}-list", kind)


def overdue_table(matters):
    return Table([_("Number"), _("Title"), _("Lead unit"), _("Due"), _("Working days overdue")],
                 [[m.number, m.title, m.unit, date_label(timezone.localtime(m.due).date()), m.overdue_text]
                  for m in matters], "overdue")


# --- gathering --------------------------------------------------------------------------------

def tier_rankings(period):
    """Each tier's ranking with its red and black lists, and last month's composite of every unit."""
    previous = {pk: f.composite for pk, f in figures.unit_figures(period.previous()).items()}
    by_tier = {}
    for f in figures.ranking(period):
        by_tier.setdefault(f.tier, []).append(Line(f, previous.get(f.unit_id)))
    result = []
    for tier, lines in by_tier.items():
        ranked = [line for line in lines if line.rank is not None]
        marks = figures.list_marks([line.rank for line in ranked])
        red = [line for line, mark in zip(ranked, marks) if mark == "red"]
        black = [line for line, mark in zip(ranked, marks) if mark == "black"]
        result.append(TierRanking(tier, str(Unit.Tier(tier).label), ranked,
                                  [line for line in lines if line.rank is None], red, black))
    return result


def period_end_moment(period):
    return timezone.make_aware(datetime.combine(period.end, time(0)))


def overdue_tickets(period, now=None):
    """Matters past their deadline before the end of the period and not resolved in time, as of now.

    Still open (in machine.OPEN_STATES), the deadline to resolve passed before `now` and before the
    end of the period; not resolved by the deadline; not paused before the deadline (a paused
    clock is not running late). Oldest deadline first.
    """
    now = now or timezone.now()
    cutoff = min(now, period_end_moment(period))
    return (Ticket.objects.filter(state__in=OPEN_STATES, resolve_due_at__lt=cutoff)
            .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("resolve_due_at")))
            .filter(Q(paused_at__isnull=True) | Q(paused_at__gt=F("resolve_due_at")))
            .order_by("resolve_due_at", "pk"))


def overdue_matters(period, now=None, limit=None):
    """The overdue matters as a bulletin names them (no personal data), the most overdue first."""
    now = now or timezone.now()
    tickets = (overdue_tickets(period, now).select_related("lead_unit")
               .only("number", "title", "kind", "reporter_name", "resolve_due_at", "resolved_at", "paused_at",
                     "lead_unit__name"))
    if limit is not None:
        tickets = tickets[:limit]
    try:
        calendar = work_calendar()
    except CalendarRangeError:
        calendar = None
    matters = []
    for ticket in tickets.iterator(chunk_size=2000) if limit is None else tickets:
        until = min(m for m in (now, ticket.resolved_at, ticket.paused_at) if m is not None)
        try:
            workdays = calendar.count_workdays(ticket.resolve_due_at, until) if calendar else None
        except CalendarRangeError:
            workdays = None
        matters.append(OverdueMatter(ticket.number, public_title(ticket),
                                     ticket.lead_unit.name if ticket.lead_unit_id else DASH,
                                     ticket.resolve_due_at, workdays))
    return matters


def overdue(period, now=None):
    now = now or timezone.now()
    by_unit = (overdue_tickets(period, now).order_by().values("lead_unit", "lead_unit__name")
               .annotate(n=Count("pk")).order_by("-n", "lead_unit__name", "lead_unit"))
    by_unit = [(row["lead_unit__name"] or DASH, row["n"]) for row in by_unit]
    return Overdue(now, sum(n for _name, n in by_unit), by_unit, overdue_matters(period, now, OVERDUE_NAMED))


def assessments(period):
    """The month's table of each active assessment scheme (考核): as published, else as it stands."""
    if assessment_scoring is None:
        return []
    marks = {"red": _("Red list"), "black": _("Black list")}
    results = []
    for scheme in Scheme.objects.filter(active=True).order_by("name"):
        published = assessment_scoring.is_published(scheme, period)
        rows = (assessment_scoring.published if published else assessment_scoring.score)(scheme, period)
        if not rows:
            continue
        dimensions = [cell.name for cell in rows[0].cells]
        results.append(AssessmentResult(scheme.name, published, dimensions, [
            [str(row.rank) if row.rank is not None else DASH, row.name,
             *[DASH if cell.points is None else f"{cell.points:.2f}" for cell in row.cells],
             f"{row.total:.2f}", str(marks.get(row.mark, ""))] for row in rows]))
    return results


def daily_counts(period):
    """(day, dispatched, resolved) for every day of the period, days without any as zeros."""
    found = {row["day"]: row for row in figures.daily(period, columns=("assigned", "resolved"))}
    days = [period.start.fromordinal(period.start.toordinal() + k) for k in range(period.days)]
    return [(day, found[day]["assigned"] if day in found else 0, found[day]["resolved"] if day in found else 0)
            for day in days]


def gather(period, with_charts=True, now=None):
    """Everything the month's bulletin says, computed once."""
    now = now or timezone.now()
    city = city_name()
    bulletin = Bulletin(period=period, city=city, title=title_of(period), issued=now,
                        totals=figures.totals(period), tiers=tier_rankings(period), overdue=overdue(period, now),
                        assessments=assessments(period), daily=daily_counts(period))
    if with_charts:
        from duban.bulletin import charts  # noqa: PLC0415 — matplotlib loads only when charts are drawn

        bulletin.charts = charts.draw(bulletin)
    return bulletin

"""What the figure pages show: the rankings, the dashboard's charts and the public board.

Everything is read from the counters (UnitDay, AreaDay), so a page asks the same few questions
whatever the size of the ledger. The one exception is the live count of overdue matters by unit,
which the partial index on open tickets (ticket_unit_queue) answers without reading closed ones.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Max, Q, Sum
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.catalogue.models import Category
from duban.figures.figures import Period, daily, list_marks, unit_figures
from duban.figures.models import AreaDay, UnitDay
from duban.ledger.models import UNIT_QUEUE_STATES, Ticket
from duban.org.models import Unit
from duban.web.queues import colour_filter

TOP = 15  # bars in a chart
PICKER_MONTHS = 36  # months offered in the month picker

# The figures of a unit a ranking shows: (attribute, heading, the count it stands on).
COLUMNS = (
    ("composite", gettext_lazy("Composite"), "sample"),
    ("response", gettext_lazy("Response rate"), "sample"),
    ("resolution", gettext_lazy("Resolution rate"), "sample"),
    ("satisfaction", gettext_lazy("Satisfaction rate"), "sample"),
    ("ack_on_time", gettext_lazy("Acknowledged on time"), "acknowledged"),
    ("return_rate", gettext_lazy("Return rate"), "assigned"),
    ("reopen_rate", gettext_lazy("Reopen rate"), "closed"),
    ("on_time", gettext_lazy("Resolved on time"), "resolved"),
    ("average_work_hours", gettext_lazy("Average working hours to resolve"), "resolved"),
    ("sampled_response", gettext_lazy("Sampled call-backs: response"), "sampled_sample"),
    ("sampled_resolution", gettext_lazy("Sampled call-backs: resolution"), "sampled_sample"),
    ("sampled_satisfaction", gettext_lazy("Sampled call-backs: satisfaction"), "sampled_sample"),
)
PUBLIC_COLUMNS = ("response", "resolution", "satisfaction", "composite")
# Tiers offered as areas of the dashboard (grids and communities are too many for a list).
AREA_TIERS = ("city", "district", "county", "zone", "street", "town", "department")


def percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"


def rounded_percent(value):
    """A rate for a chart: a percentage with one decimal, or None (no bar)."""
    return None if value is None else round(value * 100, 1)


def hours(value):
    return "—" if value is None else f"{value:.1f}"


# --- months ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """The first and last day anything was counted (None when nothing was)."""

    first: object = None
    last: object = None

    def default(self, today):
        """This month when it has figures, else the latest month that has."""
        this_month = Period.of_month(today.year, today.month)
        if self.last is None or self.last >= this_month.start:
            return this_month
        return Period.of_month(self.last.year, self.last.month)

    def months(self, limit=PICKER_MONTHS):
        """The months with figures, latest first."""
        if self.last is None:
            return []
        period, months = Period.of_month(self.last.year, self.last.month), []
        while period.end > self.first and len(months) < limit:
            months.append(period)
            period = period.previous()
        return months


def span():
    """The first and last day of the units' and the areas' counters: four look-ups in their day indexes."""
    days = [model.objects.order_by(order).values_list("day", flat=True).first()
            for model in (UnitDay, AreaDay) for order in ("day", "-day")]
    firsts, lasts = [d for d in days[::2] if d], [d for d in days[1::2] if d]
    return Span(min(firsts), max(lasts)) if firsts else Span()


# --- rankings ----------------------------------------------------------------------------------

@dataclass
class Cell:
    key: str
    label: str
    text: str
    sample: int | None


@dataclass
class Line:
    """One unit's row in a ranking, with the list it is on ("red", "black" or "")."""

    figures: object
    listed: str = ""
    cells: list = field(default_factory=list)

    @property
    def red(self):
        return self.listed == "red"

    @property
    def black(self):
        return self.listed == "black"


@dataclass
class Tier:
    code: str
    label: str
    lines: list

    @property
    def red(self):
        return [line for line in self.lines if line.red]

    @property
    def black(self):
        return [line for line in self.lines if line.black]


def columns(keys=None):
    """COLUMNS, or the ones named by `keys` in that order."""
    by_key = {column[0]: column for column in COLUMNS}
    return COLUMNS if keys is None else [by_key[key] for key in keys]


def cells(figures, keys=None):
    return [Cell(key, label, hours(getattr(figures, key)) if key == "average_work_hours"
                 else percent(getattr(figures, key)), getattr(figures, sample)) for key, label, sample in columns(keys)]


def headings(keys=None):
    return [(key, label) for key, label, _sample in columns(keys)]


def listed(ranked):
    """Which of a tier's ranked units (best first) are on the red list (the top RED_LIST_SIZE ranks)
    and on the black list (the bottom BLACK_LIST_SIZE, never a unit already on the red list):
    unit id → "red" or "black". Units that share a rank share the list."""
    return {f.unit_id: mark for f, mark in zip(ranked, list_marks([f.rank for f in ranked])) if mark}


def tiers(figures, keys=None):
    """Ranked figures (figures.rank's order: tier by tier) as Tiers of Lines with their lists."""
    by_tier = {}
    for f in figures:
        by_tier.setdefault(f.tier, []).append(f)
    labels = dict(Unit.Tier.choices)
    result = []
    for code, members in by_tier.items():
        marks = listed([f for f in members if f.rank is not None])
        result.append(Tier(code, labels.get(code, code),
                           [Line(f, marks.get(f.unit_id, ""), cells(f, keys)) for f in members]))
    return result


# --- the dashboard -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Area:
    """What the dashboard looks at: a unit's subtree (its units and its areas), or everything."""

    unit: Unit | None = None

    def unit_ids(self):
        """A subquery of the units in the subtree (None: every unit)."""
        if self.unit is None:
            return None
        return Unit.objects.filter(path__startswith=self.unit.path).values("pk")

    def area_filter(self):
        """The AreaDay rows of the subtree; the root's includes matters received without an area."""
        if self.unit is None:
            return Q()
        condition = Q(area_id__in=self.unit_ids())
        return condition | Q(area_id=0) if self.unit.parent_id is None else condition


def area_choices(root):
    """The units a person may pick as the dashboard's area, below their scope down to streets and
    towns: [(id, name indented by its depth)]."""
    units = Unit.objects.filter(tier__in=AREA_TIERS)
    if root is not None:
        units = units.filter(path__startswith=root.path).exclude(pk=root.pk)
    base = root.depth + 1 if root is not None else 0
    return [(unit.pk, "\u3000" * max(unit.depth - base, 0) + unit.name)
            for unit in units.only("pk", "name", "path").order_by("path")]


def _in_period(queryset, period):
    return queryset.filter(day__gte=period.start, day__lt=period.end)


def trend(period, area, today):
    """Per day up to today: received (AreaDay), dispatched, resolved and closed (UnitDay)."""
    received = dict(_in_period(AreaDay.objects.filter(area.area_filter()), period)
                    .values("day").annotate(n=Sum("received")).values_list("day", "n"))
    worked = {row["day"]: row for row in daily(period, units=area.unit_ids(),
                                               columns=("assigned", "resolved", "closed"))}
    last = min(period.end, today + timedelta(days=1))
    days = [period.start + timedelta(days=i) for i in range(max((last - period.start).days, 0))]
    column = lambda name: [worked.get(day, {}).get(name) or 0 for day in days]  # noqa: E731
    return {
        "days": [day.isoformat() for day in days],
        "series": [
            {"key": "received", "name": _("Received"), "data": [received.get(day, 0) for day in days]},
            {"key": "dispatched", "name": _("Dispatched"), "data": column("assigned")},
            {"key": "resolved", "name": _("Resolved"), "data": column("resolved")},
            {"key": "closed", "name": _("Closed"), "data": column("closed")},
        ],
    }


def by_category(period, area):
    """Matters received per top-level category, most first (two queries)."""
    counts = dict(_in_period(AreaDay.objects.filter(area.area_filter()), period)
                  .values("category_id").annotate(n=Sum("received")).values_list("category_id", "n"))
    rows = Category.objects.filter(Q(pk__in=[pk for pk in counts if pk]) | Q(parent__isnull=True))
    top_of, names = {}, {}
    for pk, path, name, parent in rows.values_list("pk", "path", "name", "parent_id"):
        top_of[pk] = int(path.strip("/").split("/")[0])
        if parent is None:
            names[pk] = name
    totals = {}
    for pk, n in counts.items():
        label = names.get(top_of.get(pk), _("No category"))
        totals[label] = totals.get(label, 0) + n
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return {"labels": [label for label, _n in ordered], "values": [n for _label, n in ordered]}


def by_unit(period, area, top=TOP):
    """Composite and resolution rate of the units with the most verdicts, each with its sample."""
    figures = unit_figures(period).values()
    if area.unit is not None:
        inside = set(area.unit_ids().values_list("pk", flat=True))
        figures = [f for f in figures if f.unit_id in inside]
    shown = sorted((f for f in figures if f.sample), key=lambda f: (-f.sample, f.name))[:top]
    return {
        "labels": [f.name for f in shown],
        "samples": [f.sample for f in shown],
        "series": [
            {"key": "composite", "name": _("Composite"), "data": [rounded_percent(f.composite) for f in shown]},
            {"key": "resolution", "name": _("Resolution rate"), "data": [rounded_percent(f.resolution) for f in shown]},
        ],
    }


def overdue_by_unit(area, now, top=TOP):
    """Open matters past their deadline now, per lead unit, most first (the partial index's rows)."""
    tickets = Ticket.objects.filter(state__in=UNIT_QUEUE_STATES).filter(colour_filter("red", now))
    if area.unit is not None:
        tickets = tickets.filter(lead_unit__in=area.unit_ids())
    rows = list(tickets.values("lead_unit").annotate(n=Count("pk")).order_by("-n", "lead_unit")[:top])
    names = dict(Unit.objects.filter(pk__in=[row["lead_unit"] for row in rows]).values_list("pk", "name"))
    return {"labels": [names.get(row["lead_unit"], "—") for row in rows], "values": [row["n"] for row in rows]}


def hot_spots(period, area, top=TOP):
    """Matters received per area, a grid counted in its community, most first."""
    counts = (_in_period(AreaDay.objects.filter(area.area_filter()), period).exclude(area_id=0)
              .values("area_id").annotate(n=Sum("received")).values_list("area_id", "n"))
    counts = dict(counts)
    spots = {}
    for unit in Unit.objects.filter(pk__in=list(counts)).select_related("parent").only(
            "pk", "name", "tier", "parent__name"):
        name = unit.parent.name if unit.tier == Unit.Tier.GRID and unit.parent_id else unit.name
        spots[name] = spots.get(name, 0) + counts[unit.pk]
    ordered = sorted(spots.items(), key=lambda item: (-item[1], item[0]))[:top]
    return {"labels": [name for name, _n in ordered], "values": [n for _name, n in ordered]}


def dashboard(period, area, now, today):
    return {"trend": trend(period, area, today), "categories": by_category(period, area),
            "units": by_unit(period, area), "overdue": overdue_by_unit(area, now), "hotspots": hot_spots(period, area)}


def tables(charts):
    """The charts' numbers as rows, for the tables beside them (the page without scripts)."""
    trend, units = charts["trend"], charts["units"]
    return {
        "trend": list(zip(trend["days"], *(s["data"] for s in trend["series"]))),
        "units": list(zip(units["labels"], units["samples"], *(s["data"] for s in units["series"]))),
        **{key: list(zip(charts[key]["labels"], charts[key]["values"]))
           for key in ("categories", "overdue", "hotspots")},
    }


# --- the public board's neighbours: the race boards and the assessment's results ---------------

def race_boards(period):
    """[(indicator, board)] of every active indicator, each at its latest month up to the period
    (economic figures come a month late). Empty while the races app is not installed."""
    try:
        from duban.races import race
        from duban.races.models import Indicator, IndicatorValue
    except ImportError:
        return []
    indicators = list(Indicator.objects.filter(active=True))
    latest = dict(IndicatorValue.objects.filter(indicator__in=indicators, month__lt=period.end)
                  .values("indicator").annotate(month=Max("month")).values_list("indicator", "month"))
    return [(indicator, race.board(indicator, latest[indicator.pk])) for indicator in indicators
            if indicator.pk in latest]


@dataclass
class AssessmentTable:
    scheme: object
    period: Period
    rows: list
    dimensions: list


def assessment_tables(period):
    """Every active assessment scheme's latest published month up to the period, as published
    (never a table still being scored). Empty while the assessment app does not provide them."""
    try:
        from duban.assessment import scoring
        from duban.assessment.models import Result, Scheme
    except ImportError:
        return []
    if not has_template("assessment/_results.html"):
        return []
    schemes = list(Scheme.objects.filter(active=True))
    latest = dict(Result.objects.filter(scheme__in=schemes, month__lt=period.end)
                  .values("scheme").annotate(month=Max("month")).values_list("scheme", "month"))
    tables = []
    for scheme in schemes:
        if scheme.pk in latest:
            month = Period.of_month(latest[scheme.pk].year, latest[scheme.pk].month)
            tables.append(AssessmentTable(scheme, month, scoring.published(scheme, month), scoring.dimensions(scheme)))
    return tables


def has_template(name):
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True

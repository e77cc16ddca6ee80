"""A unit's figures over a period, and the fair ranking of units within their tier.

Everything here reads the counters (duban.figures.models.UnitDay): one GROUP BY over units ×
days, never over tickets. Each rate comes with the sample it was computed on; a rate with no
sample is None, never 0 or 100%.

The three rates (三率), after one district's published method (DOMAIN.md), weights in settings:
- response (响应率) = the reporter says the unit contacted them / verdicts that say either way;
- resolution (解决率) = solved / verdicts that say either way;
- satisfaction (满意率) = (very satisfied + satisfied + 0.9 × basically satisfied) / verdicts;
- composite = 0.1 × response + 0.5 × resolution + 0.4 × satisfaction.
Sampled call-backs (抽件回访) give the same three rates, kept apart.
"""
import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext as _

from duban.figures.models import UNIT_DAY_COLUMNS, UnitDay
from duban.lib.ranking import competition_ranks
from duban.org.models import Unit

RATES = ("response", "resolution", "satisfaction", "composite", "ack_on_time", "return_rate", "reopen_rate",
         "on_time", "sampled_response", "sampled_resolution", "sampled_satisfaction")


class PeriodError(ValueError):
    """A period the user wrote that cannot be read; the message is for them."""


@dataclass(frozen=True)
class Period:
    """Days from `start` up to but not including `end`."""

    start: date
    end: date
    label: str

    @classmethod
    def month(cls, text):
        """A month written 2026-10 or 2026年10月."""
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-|年)\s*(\d{1,2})\s*月?\s*", str(text))
        if not match or not 1 <= int(match[2]) <= 12:
            raise PeriodError(_("Write the month as YYYY-MM, e.g. 2026-10, not “%(text)s”.") % {"text": text})
        year, month = int(match[1]), int(match[2])
        return cls.of_month(year, month)

    @classmethod
    def of_month(cls, year, month):
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return cls(date(year, month, 1), end, f"{year}-{month:02d}")

    @property
    def days(self):
        return (self.end - self.start).days

    def previous(self):
        """The month before (for a monthly period)."""
        year, month = (self.start.year - 1, 12) if self.start.month == 1 else (self.start.year, self.start.month - 1)
        return Period.of_month(year, month)

    @property
    def last_day(self):
        return date(self.start.year, self.start.month, calendar.monthrange(self.start.year, self.start.month)[1])


def _ratio(part, whole):
    return part / whole if whole else None


@dataclass
class Figures:
    """One unit's counts over a period, and the rates made of them."""

    unit_id: int
    name: str
    tier: str
    counts: dict
    rank: int | None = None
    rank_note: str = ""
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):
        counts = self.__dict__.get("counts", {})
        if name in UNIT_DAY_COLUMNS:
            return counts.get(name, 0)
        raise AttributeError(name)

    def _three(self, prefix=""):
        c = lambda name: self.counts.get(prefix + name, 0)  # noqa: E731
        response = _ratio(c("contacted"), c("contacted") + c("not_contacted"))
        resolution = _ratio(c("solved"), c("solved") + c("unsolved"))
        satisfaction = _ratio(c("rated_5") + c("rated_4") + settings.BASICALLY_SATISFIED_WEIGHT * c("rated_3"),
                              c("verdicts"))
        return response, resolution, satisfaction

    @property
    def sample(self):
        """Verdicts the three rates stand on (ordinary ones; sampled ones are `sampled_sample`)."""
        return self.counts.get("verdicts", 0)

    @property
    def sampled_sample(self):
        return self.counts.get("sampled_verdicts", 0)

    @property
    def response(self):
        return self._three()[0]

    @property
    def resolution(self):
        return self._three()[1]

    @property
    def satisfaction(self):
        return self._three()[2]

    @property
    def composite(self):
        rates = dict(zip(("response", "resolution", "satisfaction"), self._three()))
        if any(value is None for value in rates.values()):
            return None
        return sum(settings.RATE_WEIGHTS[name] * value for name, value in rates.items())

    @property
    def sampled_response(self):
        return self._three("sampled_")[0]

    @property
    def sampled_resolution(self):
        return self._three("sampled_")[1]

    @property
    def sampled_satisfaction(self):
        return self._three("sampled_")[2]

    @property
    def ack_on_time(self):
        return _ratio(self.acknowledged_on_time, self.acknowledged)

    @property
    def return_rate(self):
        return _ratio(self.returned, self.assigned)

    @property
    def reopen_rate(self):
        return _ratio(self.reopened, self.closed)

    @property
    def on_time(self):
        return _ratio(self.resolved_on_time, self.resolved)

    @property
    def average_work_hours(self):
        """Average working time to resolve, in working hours."""
        return _ratio(self.resolve_work_seconds / 3600, self.resolved)

    @property
    def ranked(self):
        return self.rank is not None

    def as_dict(self):
        return {"unit": self.unit_id, "name": self.name, "tier": self.tier, "rank": self.rank,
                "rank_note": self.rank_note, "sample": self.sample, "sampled_sample": self.sampled_sample,
                **{name: getattr(self, name) for name in RATES},
                "average_work_hours": self.average_work_hours,
                **{name: self.counts.get(name, 0) for name in UNIT_DAY_COLUMNS}}


def unit_figures(period, units=None):
    """Figures of every unit with anything counted in the period (or of `units`), by unit id."""
    days = UnitDay.objects.filter(day__gte=period.start, day__lt=period.end)
    if units is not None:
        days = days.filter(unit__in=units)
    sums = days.values("unit").annotate(**{f"s_{c}": Sum(c) for c in UNIT_DAY_COLUMNS})
    found = {row["unit"]: {c: row[f"s_{c}"] or 0 for c in UNIT_DAY_COLUMNS} for row in sums}
    ids = set(found) | ({u.pk if isinstance(u, Unit) else u for u in units} if units is not None else set())
    names = Unit.objects.filter(pk__in=ids).values_list("pk", "name", "tier")
    return {pk: Figures(pk, name, tier, found.get(pk, {})) for pk, name, tier in names}


def rank(figures, key="composite", min_sample=None):
    """Rank units within their tier by `key` (best first); return them tier by tier, ranked first.

    A unit with fewer verdicts than the minimum sample, or without the figure, is listed after
    the ranked ones with the reason, and has no rank. Equal figures share a rank (1, 2, 2, 4).
    """
    min_sample = settings.RANKING_MIN_SAMPLE if min_sample is None else min_sample
    values = {id(f): getattr(f, key) for f in figures}  # each figure computed once
    too_few, no_figure = _("sample of %(n)d is below the minimum of %(min)d"), _("no figure for this period")
    tiers = {}
    for f in figures:
        tiers.setdefault(f.tier, []).append(f)
    result = []
    for tier in [t for t in Unit.Tier.values if t in tiers]:
        rankable, unranked = [], []
        for f in tiers[tier]:
            if f.sample < min_sample:
                f.rank, f.rank_note = None, too_few % {"n": f.sample, "min": min_sample}
                unranked.append(f)
            elif values[id(f)] is None:
                f.rank, f.rank_note = None, no_figure
                unranked.append(f)
            else:
                rankable.append(f)
        rankable.sort(key=lambda f: (-values[id(f)], f.name))
        for f, place in zip(rankable, competition_ranks([values[id(f)] for f in rankable])):
            f.rank, f.rank_note = place, ""
        unranked.sort(key=lambda f: (-f.sample, f.name))
        result.extend(rankable + unranked)
    return result


def list_marks(ranks, red_size=None, black_size=None):
    """The red list (红榜) and black list (黑榜) of ranks given best first (1, 2, 2, 4 …): "red", "black" or ""
    for each. Red: ranked within the top `red_size`; black: within the bottom `black_size` counted
    from the bottom the same way, unless already red. Units that share a rank share the list."""
    red_size = settings.RED_LIST_SIZE if red_size is None else red_size
    black_size = settings.BLACK_LIST_SIZE if black_size is None else black_size
    from_bottom = competition_ranks(ranks)  # counted from the bottom, a larger rank number is "better"
    return ["red" if rank <= red_size else "black" if bottom <= black_size else ""
            for rank, bottom in zip(ranks, from_bottom)]


def ranking(period, tiers=None, key="composite", min_sample=None):
    """The period's ranking: units of the given tiers (all by default), ranked within their tier."""
    figures = unit_figures(period).values()
    if tiers:
        figures = [f for f in figures if f.tier in tiers]
    return rank(list(figures), key=key, min_sample=min_sample)


def totals(period, units=None):
    """All units' counts over the period, summed, as one Figures (the city's own rates)."""
    days = UnitDay.objects.filter(day__gte=period.start, day__lt=period.end)
    if units is not None:
        days = days.filter(unit__in=units)
    row = days.aggregate(**{c: Sum(c) for c in UNIT_DAY_COLUMNS})
    return Figures(0, _("All units"), "", {c: row[c] or 0 for c in UNIT_DAY_COLUMNS})


def daily(period, units=None, columns=("assigned", "resolved", "closed", "verdicts")):
    """Per day of the period: the summed columns (for trends), one row per day, days without any left out."""
    days = UnitDay.objects.filter(day__gte=period.start, day__lt=period.end)
    if units is not None:
        days = days.filter(unit__in=units)
    return list(days.values("day").annotate(**{c: Sum(c) for c in columns}).order_by("day"))

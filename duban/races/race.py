"""The race board: each district's value for a month, its growth, its rank and how long it has held it.

Rules, all in this file:
- An indicator of kind "rate" holds growth rates already (增速, in %): its value is what is ranked.
- An indicator of kind "amount" holds quantities (万元): its growth is computed year-on-year,
  against the same month of last year when that value is there, else month-on-month against the
  month before (never month-on-month for a cumulative indicator, whose totals grow every month).
  It is ranked by its value, or by its growth when the indicator says so.
- Ranks are competition ranks ("1224"): equal scores share a rank, the next rank skips. Growth is
  rounded to 0.01 before ranking, so districts that look equal on the board are equal.
- A district's streak is how many consecutive months, up to this one, it has held the same rank.
  A month without its value breaks the streak.
- Districts without a value (or without a score) for the month come last, unranked.
"""
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.lib.ranking import competition_ranks
from duban.org.models import Unit
from duban.races.models import Indicator, IndicatorValue

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
YOY, MOM = "yoy", "mom"

_MONTH = re.compile(r"^((?:19|20)\d\d)\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月份?)?$")
_COMPACT_MONTH = re.compile(r"^((?:19|20)\d\d)(\d\d)$")


# --- months ----------------------------------------------------------------------------------

def add_months(month, count):
    """The first day of the month `count` months after (or before) `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def parse_month(value):
    """The first day of the month a value names: a date, or text such as 2026-10, 2026年10月,
    2026/10, 2026.10 or 202610. Raises ValueError."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.replace(day=1)
    text = re.sub(r"\s+", "", str(value or ""))
    match = _MONTH.match(text) or _COMPACT_MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(text)
    return date(int(match[1]), int(match[2]), 1)


# --- figures ---------------------------------------------------------------------------------

def figure(value, places=2):
    """A number as the board writes it: rounded, without trailing zeros; "—" for none."""
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def signed_percent(value):
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + figure(value) + "%"


def streak_label(rank, months):
    """"连续4个月全市第一", "连续3个月第2名"; empty for a streak shorter than two months."""
    if rank is None or months < 2:
        return ""
    if rank == 1:
        return _("First in the city for %(months)d months running") % {"months": months}
    return _("Ranked %(rank)d for %(months)d months running") % {"rank": rank, "months": months}


# --- the series of an indicator --------------------------------------------------------------

class Series:
    """An indicator's values, with the growth, score and rank of any district in any month."""

    def __init__(self, indicator, values):
        self.indicator = indicator
        self.values = {}  # (district id, month) → value
        self.districts = defaultdict(list)  # month → ids of the districts with a value
        for district_id, month, value in values:
            self.values[district_id, month] = value
            self.districts[month].append(district_id)
        self._ranks = {}

    @classmethod
    def load(cls, indicator, until):
        """Every value of the indicator up to `until`, in one query."""
        rows = IndicatorValue.objects.filter(indicator=indicator, month__lte=until)
        return cls(indicator, rows.values_list("district_id", "month", "value"))

    def growth(self, district_id, month):
        """(growth in %, "yoy" or "mom") of an amount; (None, "") when it cannot be computed."""
        value = self.values.get((district_id, month))
        if value is None or self.indicator.kind != Indicator.Kind.AMOUNT:
            return None, ""
        bases = [(YOY, add_months(month, -12))]
        if not self.indicator.cumulative:
            bases.append((MOM, add_months(month, -1)))
        for basis, base_month in bases:
            base = self.values.get((district_id, base_month))
            if base is not None:
                if base == 0:
                    return None, ""
                return ((value - base) / abs(base) * HUNDRED).quantize(CENT, ROUND_HALF_UP), basis
        return None, ""

    def score(self, district_id, month):
        if self.indicator.rank_by == Indicator.RankBy.GROWTH:
            return self.growth(district_id, month)[0]
        return self.values.get((district_id, month))

    def ranks(self, month):
        """district id → competition rank (1 = best) of the districts with a score in the month."""
        if month not in self._ranks:
            scores = {d: s for d in self.districts.get(month, ()) if (s := self.score(d, month)) is not None}
            self._ranks[month] = dict(zip(scores, competition_ranks(list(scores.values()),
                                                                     self.indicator.higher_is_better)))
        return self._ranks[month]

    def streak(self, district_id, month):
        """Consecutive months, up to and including `month`, in which the district held its rank."""
        rank = self.ranks(month).get(district_id)
        if rank is None:
            return 0
        months, earlier = 1, add_months(month, -1)
        while self.ranks(earlier).get(district_id) == rank:
            months, earlier = months + 1, add_months(earlier, -1)
        return months


# --- the board -------------------------------------------------------------------------------

@dataclass
class Row:
    district: Unit
    value: Decimal | None = None
    growth: Decimal | None = None  # in %, amounts only
    growth_basis: str = ""  # "yoy", "mom" or ""
    rank: int | None = None  # None: unranked (no value, or nothing to rank it by)
    previous_rank: int | None = None
    rank_change: int | None = None  # places gained since last month (negative: lost); None if unknown
    streak: int = 0  # months running at this rank
    streak_label: str = ""  # "连续4个月全市第一", only for a streak of two months or more

    @property
    def places_lost(self):
        return -self.rank_change if self.rank_change and self.rank_change < 0 else 0

    @property
    def value_text(self):
        return figure(self.value)

    @property
    def growth_text(self):
        return signed_percent(self.growth)


@dataclass
class Board:
    indicator: Indicator
    month: date
    rows: list = field(default_factory=list)  # ranked rows by rank, then the unranked

    @property
    def previous_month(self):
        return add_months(self.month, -1)

    @property
    def ranked(self):
        return [row for row in self.rows if row.rank is not None]

    @property
    def unranked(self):
        return [row for row in self.rows if row.rank is None]

    @property
    def shows_growth(self):
        return self.indicator.kind == Indicator.Kind.AMOUNT


def contestants(extra_ids=()):
    """The districts, counties and zones that race, with any other unit that has a value."""
    return Unit.objects.filter(Q(tier__in=Unit.AREA_GOVERNMENTS) | Q(pk__in=list(extra_ids))).order_by("pk")


def board(indicator, month):
    """The race board of `indicator` for `month` (any day of it): a Board whose rows are every
    contesting district, the ranked ones first by rank, then the others. Two queries."""
    month = parse_month(month)
    series = Series.load(indicator, month)
    ranks, previous = series.ranks(month), series.ranks(add_months(month, -1))
    rows = []
    for district in contestants(series.districts.get(month, ())):
        rank, before = ranks.get(district.pk), previous.get(district.pk)
        growth, basis = series.growth(district.pk, month)
        streak = series.streak(district.pk, month)
        rows.append(Row(district=district, value=series.values.get((district.pk, month)), growth=growth,
                        growth_basis=basis, rank=rank, previous_rank=before,
                        rank_change=before - rank if rank is not None and before is not None else None,
                        streak=streak, streak_label=streak_label(rank, streak)))
    # Ranked by rank, then those with a value but nothing to rank it by, then those without; among
    # equals (the sort is stable) in the order the units were made.
    rows.sort(key=lambda row: (row.rank is None, row.value is None, row.rank or 0))
    return Board(indicator=indicator, month=month, rows=rows)


@dataclass
class Point:
    month: date
    value: Decimal | None
    growth: Decimal | None
    rank: int | None

    @property
    def value_text(self):
        return figure(self.value)

    @property
    def growth_text(self):
        return signed_percent(self.growth)


def history(indicator, district, months=12, until=None):
    """The district's last `months` months up to `until` (by default the indicator's latest month),
    oldest first, a Point for every month (value None where none was entered)."""
    until = parse_month(until) if until else latest_month(indicator)
    if until is None:
        return []
    series = Series.load(indicator, until)
    points = []
    for back in range(months - 1, -1, -1):
        month = add_months(until, -back)
        points.append(Point(month=month, value=series.values.get((district.pk, month)),
                            growth=series.growth(district.pk, month)[0], rank=series.ranks(month).get(district.pk)))
    return points


def latest_month(indicator):
    return indicator.values.aggregate(latest=Max("month"))["latest"]


def months_with_values(indicator):
    """The months the indicator has values for, latest first."""
    return list(indicator.values.order_by("-month").values_list("month", flat=True).distinct())


# --- writing ---------------------------------------------------------------------------------

def put(indicator, district, month, value, actor=None, note=""):
    """Set the district's value for the month, replacing any there; True when it is new."""
    _row, created = IndicatorValue.objects.update_or_create(
        indicator=indicator, district=district, month=parse_month(month),
        defaults={"value": value, "note": note, "entered_by": actor, "entered_at": timezone.now()})
    return created


@dataclass
class Recorded:
    created: int = 0
    updated: int = 0
    deleted: int = 0


def record(indicator, month, values, actor=None):
    """Save a month of values at once: `values` maps each district to its value, or to None to
    remove the value entered before. Values that did not change are left as they were."""
    month, outcome = parse_month(month), Recorded()
    with transaction.atomic():
        before = {v.district_id: v for v in IndicatorValue.objects.filter(indicator=indicator, month=month)}
        for district, value in values.items():
            old = before.get(district.pk)
            if value is None:
                if old is not None:
                    old.delete()
                    outcome.deleted += 1
            elif old is None or old.value != value:
                if put(indicator, district, month, value, actor, note=old.note if old else ""):
                    outcome.created += 1
                else:
                    outcome.updated += 1
    return outcome

"""Demo races: three indicators and a year of plausible values per district, the same for a seed.

On 固定资产投资增速 one district has led the city for the last four to six months, so the board
shows a streak such as 连续5个月全市第一.
"""
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from duban.races.models import Indicator, IndicatorValue
from duban.races.race import add_months

INDICATORS = [
    # code, name, measure, kind, typical value, spread between districts, noise month to month
    ("fai-growth", "固定资产投资增速", "%", Indicator.Kind.RATE, 6.0, 1.5, 2.0),
    ("industry-growth", "规上工业增加值增速", "%", Indicator.Kind.RATE, 5.5, 1.2, 1.5),
    ("investment-funds", "招商引资到位资金", "万元", Indicator.Kind.AMOUNT, 40000.0, 6000.0, 0.15),
]
LEADER_INDICATOR = "fai-growth"


def load(districts, months_back=12, today=None, seed=2026):
    """Create (or update) the three indicators and values for each district for the `months_back`
    months before today's (an amount gets a year more, so its growth is year-on-year). Returns the
    indicators."""
    rng = random.Random(seed)
    districts = list(districts)
    last = add_months((today or timezone.localdate()).replace(day=1), -1)
    indicators, values = [], []
    for order, (code, name, measure, kind, typical, spread, noise) in enumerate(INDICATORS, start=1):
        indicator, _created = Indicator.objects.update_or_create(
            code=code, defaults={"name": name, "measure": measure, "kind": kind, "order": order, "active": True,
                                 "higher_is_better": True, "rank_by": Indicator.RankBy.VALUE})
        indicators.append(indicator)
        count = months_back + (12 if kind == Indicator.Kind.AMOUNT else 0)
        months = [add_months(last, -back) for back in range(count - 1, -1, -1)]
        make = _amounts if kind == Indicator.Kind.AMOUNT else _rates
        table = make(rng, districts, months, typical, spread, noise)
        if code == LEADER_INDICATOR and len(districts) > 1:
            _lead(rng, table, districts, months)
        values += [IndicatorValue(indicator=indicator, district=d, month=m, value=v) for (d, m), v in table.items()]
    with transaction.atomic():
        IndicatorValue.objects.bulk_create(values, update_conflicts=True, update_fields=["value"],
                                           unique_fields=["indicator", "district", "month"])
    return indicators


def _rates(rng, districts, months, typical, spread, noise):
    table = {}
    for district in districts:
        level = rng.gauss(typical, spread)
        for month in months:
            level += rng.gauss(0, noise / 3)
            table[district, month] = Decimal(f"{level + rng.gauss(0, noise):.1f}")
    return table


def _amounts(rng, districts, months, typical, spread, noise):
    table = {}
    for district in districts:
        base, yearly = max(5000.0, rng.gauss(typical, spread)), rng.uniform(0.03, 0.15)
        for index, month in enumerate(months):
            season = 1.25 if month.month in (6, 12) else 0.8 if month.month in (1, 2) else 1.0
            amount = base * (1 + yearly) ** (index / 12) * season * (1 + rng.gauss(0, noise))
            table[district, month] = Decimal(f"{max(amount, 100.0):.2f}")
    return table


def _lead(rng, table, districts, months):
    """One district first in each of the last four to six months, by a visible margin."""
    leader = rng.choice(districts)
    for month in months[-rng.randint(4, 6):]:
        best_other = max(v for (d, m), v in table.items() if m == month and d != leader)
        table[leader, month] = best_other + Decimal(f"{rng.uniform(0.3, 1.5):.1f}")

"""Demo assessments: 十项考核 over the districts, and a smaller one over the city departments, with
last month's scores entered by hand (each with its reason), the same for a seed.

The indicator dimensions use the races of duban.races.demo (固定资产投资增速, 招商引资到位资金)
when they are loaded; without them those dimensions are entered by hand from the statistics
bureau's monthly report.
"""
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from duban.assessment import scoring
from duban.assessment.models import Dimension, Scheme
from duban.figures.figures import Period
from duban.races.models import Indicator

S, F = Dimension.Source, Dimension.Figure
# code, name, points, source, figure or indicator code
DISTRICT_DIMENSIONS = [
    ("response", "响应率", 10, S.FIGURE, F.RESPONSE),
    ("resolution", "解决率", 15, S.FIGURE, F.RESOLUTION),
    ("satisfaction", "满意率", 15, S.FIGURE, F.SATISFACTION),
    ("on-time", "按时办结率", 10, S.FIGURE, F.ON_TIME),
    ("returns", "回退率", 5, S.FIGURE, F.RETURN_RATE),
    ("reopens", "重办率", 5, S.FIGURE, F.REOPEN_RATE),
    ("fai", "固定资产投资增速", 10, S.INDICATOR, "fai-growth"),
    ("investment", "招商引资到位资金", 10, S.INDICATOR, "investment-funds"),
    ("conduct", "作风建设评议", 10, S.SURVEY, ""),
    ("inspection", "督查整改", 10, S.MANUAL, ""),
]
DEPARTMENT_DIMENSIONS = [
    ("response", "响应率", 15, S.FIGURE, F.RESPONSE),
    ("resolution", "解决率", 20, S.FIGURE, F.RESOLUTION),
    ("satisfaction", "满意率", 20, S.FIGURE, F.SATISFACTION),
    ("on-time", "按时办结率", 15, S.FIGURE, F.ON_TIME),
    ("returns", "回退率", 10, S.FIGURE, F.RETURN_RATE),
    ("conduct", "作风建设评议", 10, S.SURVEY, ""),
    ("inspection", "督查整改", 10, S.MANUAL, ""),
]


def load(districts, departments, actor, today, seed=2026):
    """Create (or update) the two schemes and enter last month's scores by hand; return the schemes."""
    rng = random.Random(seed)
    month = Period.of_month(today.year, today.month).previous()
    schemes = []
    with transaction.atomic():
        plans = [(f"{today.year}年度作风建设十项考核", districts, DISTRICT_DIMENSIONS,
                  "参照“十项考核”办法，每月对各区县（开发区）打分排名、公开晾晒，排名末位的单位书面反思。"),
                 (f"{today.year}年度市直部门作风建设考核", departments, DEPARTMENT_DIMENSIONS,
                  "对承办12345热线诉求的市直部门按月考核，“最满意”“最不满意”部门公开晾晒。")]
        for name, units, dims, description in plans:
            units = list(units)
            if not units:
                continue
            # A handful of districts: one on each list, as in the seeds (排位靠后的登报反思).
            size = max(1, min(settings.RED_LIST_SIZE, len(units) // 4))
            scheme, _created = Scheme.objects.update_or_create(
                name=name, defaults={"description": description, "active": True, "red_size": size,
                                     "black_size": min(size, settings.BLACK_LIST_SIZE)})
            scheme.participants.set(units)
            for order, spec in enumerate(dims, start=1):
                _dimension(scheme, order, *spec)
            if not scoring.is_published(scheme, month):
                _enter(rng, scheme, units, month, actor)
            schemes.append(scheme)
    return schemes


def _dimension(scheme, order, code, name, points, source, what):
    values = {"name": name, "order": order, "points": Decimal(points), "source": source, "figure": "",
              "indicator": None, "floor": Decimal("0.6")}
    if source == S.FIGURE:
        values["figure"] = what
    elif source == S.INDICATOR:
        values["indicator"] = Indicator.objects.filter(code=what).first()
        if values["indicator"] is None:
            values["source"] = S.MANUAL
    return Dimension.objects.update_or_create(scheme=scheme, code=code, defaults=values)[0]


def _enter(rng, scheme, units, month, actor):
    label = scoring.month_text(month)
    for dimension in scheme.dimensions.filter(source__in=Dimension.BY_HAND):
        entries = {unit: _score(rng, dimension, label) for unit in units}
        scoring.enter_scores(dimension, month, entries, actor)


def _score(rng, dimension, label):
    top = float(dimension.points)
    if dimension.source == S.SURVEY:
        questionnaires, satisfied = rng.randint(120, 400), rng.uniform(0.78, 0.98)
        points = round(top * satisfied, 1)
        return Decimal(str(points)), (
            f"{label}“大遍访大评议”收回有效问卷{questionnaires}份，群众和企业满意度{satisfied:.1%}，"
            f"按评议办法折算{points:g}分（调查评议结果接入前由督查室录入）。")
    if dimension.code == "inspection":
        found = rng.randint(2, 9)
        late = rng.choices([0, 0, 1, 1, 2, 3], k=1)[0]
        lost = min(top, late * 1.5 + rng.choice([0, 0, 0.5]))
        notes = f"，{late}个逾期未整改，每个扣1.5分" if late else "，全部按期整改销号"
        extra = "；暗访发现窗口工作人员推诿扯皮1次，扣0.5分" if lost - late * 1.5 else ""
        return Decimal(str(top - lost)), f"{label}督查暗访发现问题{found}个{notes}{extra}。"
    # An indicator dimension without its race: from the statistics bureau's monthly report.
    points = round(top * rng.uniform(0.6, 1.0), 1)
    return Decimal(str(points)), f"据市统计局{label}月报，{dimension.name}完成情况折算{points:g}分。"

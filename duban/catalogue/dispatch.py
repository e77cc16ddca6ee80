"""Choosing the responsible units for a matter from the dispatch catalogue.

A rule matches when its category is the ticket's category or one of its ancestors (or empty),
and its area is the ticket's area or one of its ancestors (or empty). The most specific rule
wins: the deepest category and area together, and on a tie the deeper category. A matter no
rule covers goes to the government of its district, county or zone (the rule of last resort)
and is flagged for the dispatcher.
"""
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from duban.catalogue.models import DispatchRule
from duban.org.models import Unit


@dataclass
class Decision:
    lead_unit: Unit | None
    co_units: list = field(default_factory=list)
    rule: DispatchRule | None = None
    fallback: bool = False
    explanation: str = ""


def _depth(node):
    return node.depth if node is not None else 0


def specificity(rule):
    category_depth, area_depth = _depth(rule.category), _depth(rule.area)
    return (category_depth + area_depth, category_depth)


def matching_rules(category, area):
    category_ids = category.ancestor_ids() if category else []
    area_ids = area.ancestor_ids() if area else []
    return (
        DispatchRule.objects.filter(active=True)
        .filter(Q(category__isnull=True) | Q(category_id__in=category_ids))
        .filter(Q(area__isnull=True) | Q(area_id__in=area_ids))
        .select_related("category", "area", "lead_unit")
    )


def choose_units(category, area):
    rules = sorted(matching_rules(category, area), key=lambda r: (specificity(r), -r.pk), reverse=True)
    if rules:
        rule = rules[0]
        explanation = _("Dispatched to %(unit)s by catalogue rule #%(rule)s (%(desc)s)") % {
            "rule": rule.pk, "desc": str(rule), "unit": rule.lead_unit.name}
        return Decision(rule.lead_unit, list(rule.co_units.all()), rule, False, explanation)
    government = area.area_government() if area else None
    if government is None:
        return Decision(None, fallback=True,
                        explanation=_("No rule in the dispatch catalogue matches and the district is unknown: dispatch by hand"))
    explanation = _("No rule in the dispatch catalogue matches: sent to the district government %(unit)s as the rule of last resort") % {"unit": government.name}
    return Decision(government, [], None, True, explanation)

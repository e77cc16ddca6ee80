"""Counts for `duban stats`: inspection rounds by kind, what they found, fixed and suggested."""

from duban.inspections.models import Finding, Round, Suggestion, Visit
from duban.inspections.rounds import FIXED_STATES
from duban.org.stats import counts


def stats():
    return [
        ("inspections", "督查检查 Inspections", {
            "rounds": ("检查轮次 rounds", Round.objects.count()),
            "visits": ("检查走访 visits", Visit.objects.count()),
            "findings": ("发现问题 findings", Finding.objects.count()),
            "findings_fixed": ("已整改（核查或销号）findings fixed",
                               Finding.objects.filter(ticket__state__in=FIXED_STATES).count()),
            "suggestions": ("提出建议 suggestions", Suggestion.objects.count()),
        }),
        ("inspection_rounds_by_kind", "督查检查轮次（按类型） Inspection rounds by kind",
         counts(Round.objects, "kind", Round.Kind.choices)),
    ]

"""Counts for `duban stats`: units by tier, people by role."""
from django.db.models import Count

from duban.org.models import Person, Unit


def counts(queryset, field, choices):
    """{code: (label, count)} for every choice, in the choices' order, from one grouped query."""
    found = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
    return {code: (label, found.get(code, 0)) for code, label in choices}


def stats():
    return [
        ("units_by_tier", "单位（按层级） Units by tier", counts(Unit.objects, "tier", Unit.Tier.choices)),
        ("people_by_role", "人员（按角色） People by role", counts(Person.objects, "role", Person.Role.choices)),
    ]

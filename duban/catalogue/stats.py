"""Counts for `duban stats`: the catalogue's size."""
from duban.catalogue.models import Category, Channel, DispatchRule


def stats():
    return [
        ("catalogue", "目录 Catalogue", {
            "categories": (Category._meta.verbose_name_plural, Category.objects.count()),
            "dispatch_rules": (DispatchRule._meta.verbose_name_plural, DispatchRule.objects.filter(active=True).count()),
            "channels": (Channel._meta.verbose_name_plural, Channel.objects.count()),
        }),
    ]

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duban.catalogue.models import Category, Channel, DispatchRule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "default_kind", "active"]
    list_filter = ["default_kind", "active"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, category):
        return "　" * (category.depth - 1) + category.name


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(DispatchRule)
class DispatchRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "area", "lead_unit", "active", "note"]
    list_filter = ["active"]
    search_fields = ["category__name", "area__name", "lead_unit__name"]
    autocomplete_fields = ["category", "area", "lead_unit", "co_units"]

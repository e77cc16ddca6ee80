from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from duban.org.models import Person, Stewardship, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "tier", "head"]
    list_filter = ["tier"]
    search_fields = ["name", "aliases"]
    autocomplete_fields = ["parent", "head"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit):
        return "　" * (unit.depth - 1) + unit.name


class StewardshipInline(admin.TabularInline):
    model = Stewardship
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["username", "name", "role", "unit", "scope", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "name", "unit__name"]
    autocomplete_fields = ["unit", "scope"]
    inlines = [StewardshipInline]
    fieldsets = UserAdmin.fieldsets + ((_("Duties"), {"fields": ["name", "phone", "role", "unit", "scope"]}),)


@admin.register(Stewardship)
class StewardshipAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "unit", "subject", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["person__name", "unit__name", "subject"]
    autocomplete_fields = ["person", "unit"]

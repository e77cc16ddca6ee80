from django.contrib import admin

from duban.inspections.models import Finding, Round, Suggestion, Visit, VisitPhoto


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "starts_on", "ends_on", "lead")
    list_filter = ("kind",)
    search_fields = ("name", "description")
    filter_horizontal = ("team", "units")
    raw_id_fields = ("lead", "created_by")
    list_select_related = ("lead",)


class PhotoInline(admin.TabularInline):
    model = VisitPhoto
    extra = 0
    fields = ("name", "content_type", "size", "sha256")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class FindingInline(admin.TabularInline):
    """Findings are tickets on the ledger: recorded through the visit form, never edited here."""

    model = Finding
    extra = 0
    fields = ("unit", "description", "ticket")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("place", "round", "visited_at", "unit", "by")
    list_filter = ("round__kind", "round")
    search_fields = ("place", "notes")
    raw_id_fields = ("round", "unit", "by")
    list_select_related = ("round", "unit", "by")
    inlines = [PhotoInline, FindingInline]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("ticket", "unit", "visit")
    search_fields = ("description", "ticket__number")
    raw_id_fields = ("visit", "unit", "ticket")
    list_select_related = ("ticket", "unit", "visit")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("text", "unit", "round", "by", "at")
    list_filter = ("round",)
    search_fields = ("text",)
    raw_id_fields = ("round", "visit", "unit", "by")
    list_select_related = ("round", "unit", "by")

from django.contrib import admin

from duban.assessment.models import Dimension, ManualScore, Reflection, Result, Scheme


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ("order", "name", "code", "points", "source", "figure", "indicator", "survey", "floor")


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "red_size", "black_size", "active")
    list_filter = ("active",)
    search_fields = ("name",)
    filter_horizontal = ("participants",)
    inlines = [DimensionInline]


@admin.register(ManualScore)
class ManualScoreAdmin(admin.ModelAdmin):
    list_display = ("dimension", "unit", "month", "points", "entered_by", "entered_at")
    list_filter = ("dimension__scheme", "month")
    search_fields = ("unit__name", "reason")
    autocomplete_fields = ("unit",)
    raw_id_fields = ("entered_by",)
    list_select_related = ("dimension", "unit", "entered_by")


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    """Published results are a record: shown, never edited here."""

    list_display = ("scheme", "month", "rank", "unit", "total", "mark", "published_at")
    list_filter = ("scheme", "month", "mark")
    search_fields = ("unit__name",)
    list_select_related = ("scheme", "unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ("result", "ticket", "due")
    raw_id_fields = ("result", "ticket")
    list_select_related = ("result__unit", "result__scheme", "ticket")

from django.contrib import admin

from duban.races.models import Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "measure", "kind", "rank_by", "higher_is_better", "cumulative", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "district", "month", "value", "entered_by", "entered_at")
    list_filter = ("indicator", "month")
    search_fields = ("district__name", "note")
    date_hierarchy = "month"
    autocomplete_fields = ("district",)
    raw_id_fields = ("entered_by",)
    list_select_related = ("indicator", "district", "entered_by")

from django.contrib import admin

from duban.clock.models import CalendarDay, ClockRequest, TimeLimit


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "kind", "name"]
    list_filter = ["kind", "is_workday"]
    list_editable = ["is_workday", "kind", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "kind", "urgency", "ack_amount", "ack_unit", "resolve_amount",
                    "resolve_unit"]
    list_filter = ["kind", "urgency"]
    autocomplete_fields = ["category"]


@admin.register(ClockRequest)
class ClockRequestAdmin(admin.ModelAdmin):
    list_display = ["ticket", "kind", "status", "days", "requested_by", "requested_at", "decided_by"]
    list_filter = ["kind", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

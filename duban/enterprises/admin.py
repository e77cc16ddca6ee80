from django.contrib import admin

from duban.enterprises.models import Enterprise, EnterpriseRequest, Visit


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """The name links the firm to its cadre's stewardship and its tickets: it is not changed here."""

    list_display = ("name", "credit_code", "district", "industry", "scale", "active")
    list_filter = ("industry", "scale", "active")
    search_fields = ("name", "credit_code")
    autocomplete_fields = ("district",)
    raw_id_fields = ("registered_by",)
    list_select_related = ("district",)

    def get_readonly_fields(self, request, obj=None):
        return ("name",) if obj is not None else ()


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "visited_at", "kind", "cadre")
    list_filter = ("kind",)
    search_fields = ("enterprise__name", "notes", "needs")
    raw_id_fields = ("enterprise", "cadre")
    list_select_related = ("enterprise", "cadre")


@admin.register(EnterpriseRequest)
class EnterpriseRequestAdmin(admin.ModelAdmin):
    """A request is its ticket: its life is on the ledger, never edited here."""

    list_display = ("enterprise", "topic", "ticket", "visit")
    list_filter = ("topic",)
    search_fields = ("enterprise__name", "ticket__number")
    raw_id_fields = ("enterprise", "visit", "ticket")
    list_select_related = ("enterprise", "ticket")

    def has_add_permission(self, request):
        return False

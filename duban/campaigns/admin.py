from django.contrib import admin

from duban.campaigns.models import (Campaign, CampaignTicket, Pledge, PledgeList, PledgeUpdate, Programme, Target,
                                    Task, TaskReport)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ("order", "name", "goal", "measure", "counts", "category")
    autocomplete_fields = ("category",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "lead_unit", "starts_on", "ends_on", "active")
    list_filter = ("active", "programme")
    search_fields = ("name", "goal")
    autocomplete_fields = ("lead_unit",)
    filter_horizontal = ("co_units", "categories")
    list_select_related = ("programme", "lead_unit")
    inlines = [TargetInline]


@admin.register(CampaignTicket)
class CampaignTicketAdmin(admin.ModelAdmin):
    list_display = ("campaign", "ticket", "linked_by", "linked_at")
    list_filter = ("campaign",)
    search_fields = ("ticket__number", "ticket__title")
    raw_id_fields = ("ticket", "linked_by")
    list_select_related = ("campaign", "ticket", "linked_by")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Tasks are given on the campaign's page (each opens its ticket); here they are shown."""

    list_display = ("title", "campaign", "unit", "due", "ticket")
    list_filter = ("campaign",)
    search_fields = ("title", "ticket__number")
    list_select_related = ("campaign", "unit", "ticket")
    readonly_fields = ("campaign", "target", "unit", "title", "due", "ticket", "created_by", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(TaskReport)
class TaskReportAdmin(admin.ModelAdmin):
    """Reports are notes on the ledger: shown, never edited here."""

    list_display = ("task", "quantity", "by", "at")
    list_filter = ("task__campaign",)
    list_select_related = ("task", "by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PledgeList)
class PledgeListAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "published")
    list_filter = ("published", "year")
    search_fields = ("name",)


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    """Pledges are added on /pledges/manage/ (each opens its ticket); here their words may be corrected."""

    list_display = ("number", "title", "pledge_list", "area", "owner", "deadline", "ticket")
    list_filter = ("pledge_list", "area")
    search_fields = ("title", "target", "ticket__number")
    list_select_related = ("pledge_list", "owner", "ticket")
    readonly_fields = ("pledge_list", "owner", "deadline", "ticket")

    def has_add_permission(self, request):
        return False


@admin.register(PledgeUpdate)
class PledgeUpdateAdmin(admin.ModelAdmin):
    """Updates are notes on the ledger; only whether the text is public may be changed here."""

    list_display = ("pledge", "percent", "public", "by", "at")
    list_filter = ("public", "pledge__pledge_list")
    list_select_related = ("pledge", "by")
    readonly_fields = ("pledge", "percent", "text", "event", "by", "at")

    def has_add_permission(self, request):
        return False

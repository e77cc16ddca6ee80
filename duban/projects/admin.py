from django.contrib import admin

from duban.projects import service
from duban.projects.models import Blocker, Milestone, Project, Review


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 1
    fields = ("order", "name", "planned_on", "done_on", "progress")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "kind", "stage", "progress", "planned_investment", "completed_investment",
                    "chief", "secretary", "active")
    list_filter = ("active", "stage", "kind", "district")
    search_fields = ("name", "code")
    autocomplete_fields = ("district", "unit", "chief", "secretary")
    list_select_related = ("district", "chief", "secretary")
    inlines = [MilestoneInline]

    def save_model(self, request, obj, form, change):
        """The chief and the secretary answer for the project (包保): they see its tickets."""
        super().save_model(request, obj, form, change)
        service.steward(obj)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews are filed on the secretary's page; here they are read."""

    list_display = ("project", "period_end", "progress", "investment_completed", "filed_by", "filed_at")
    list_filter = ("project__district",)
    search_fields = ("project__name", "summary", "problems")
    list_select_related = ("project", "filed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Blocker)
class BlockerAdmin(admin.ModelAdmin):
    list_display = ("project", "kind", "unit", "ticket")
    list_filter = ("kind",)
    search_fields = ("project__name", "description", "ticket__number")
    list_select_related = ("project", "unit", "ticket")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

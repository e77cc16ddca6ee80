from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.notify.models import Endpoint, Outbox


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["unit", "transport", "url", "active"]
    list_filter = ["transport", "active"]
    autocomplete_fields = ["unit"]


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["created_at", "transport", "address", "subject", "status", "attempts", "last_error"]
    list_filter = ["status", "transport"]
    search_fields = ["idempotency_key", "address", "subject"]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed messages again"), permissions=["view"])
    def retry(self, request, queryset):
        count = queryset.filter(status=Outbox.Status.FAILED).update(
            status=Outbox.Status.PENDING, next_attempt_at=timezone.now(), attempts=0, last_error="")
        self.message_user(request, _("%(count)d messages will be sent again.") % {"count": count}, messages.SUCCESS)

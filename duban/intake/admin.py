from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from duban.intake import keys
from duban.intake.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made with `duban apikey create` (the key is shown once there); here they are seen and revoked."""

    list_display = ["name", "prefix", "channel", "unit", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["channel", "revoked_at"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["name", "prefix", "channel", "unit", "person", "created_at", "created_by", "revoked_at",
                       "last_used_at"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for key in queryset.filter(revoked_at=None):
            keys.revoke(key)
        self.message_user(request, _("Revoked."), messages.SUCCESS)

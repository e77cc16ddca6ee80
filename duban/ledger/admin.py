"""The admin as a read-only window on the ledger: history is changed only by transitions."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duban.ledger.access import reporter_of, visible_tickets
from duban.ledger.models import Attachment, Checkpoint, Event, Ticket


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = Event
    fields = ["seq", "at", "actor", "action", "from_state", "to_state", "payload", "attachments", "hash"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["seq"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(EventInline):
    model = Attachment
    fields = ["name", "content_type", "size", "sha256", "file", "at"]
    readonly_fields = fields
    ordering = ["at"]


def reporter_field(request, key, label):
    def field(ticket):
        return reporter_of(request.user, ticket)[key]
    field.short_description = label
    return field


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "kind", "category", "channel", "state", "lead_unit", "created_at"]
    list_filter = ["state", "kind", "urgency", "channel", "dispatch_fallback"]
    search_fields = ["number", "title"]
    date_hierarchy = "created_at"
    list_select_related = ["category", "channel", "lead_unit"]
    exclude = ["reporter_name", "reporter_phone", "reporter_email"]
    inlines = [EventInline, AttachmentInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return visible_tickets(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [
            reporter_field(request, "name", _("reporter")),
            reporter_field(request, "phone", _("contact phone")),
            reporter_field(request, "email", _("email")),
        ]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["pk", "at", "upto_event_id", "event_count", "hash"]
    exclude = ["heads"]

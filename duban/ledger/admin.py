"""The admin as a read-only window on the ledger: history is changed only by transitions."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duban.ledger.access import conceal, may_see_reporter, may_see_whistleblower, reporter_of, visible_tickets
from duban.ledger.models import Attachment, Checkpoint, Event, IdentityView, Ticket


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
        return _reporter(request, ticket)[key]
    field.short_description = label
    return field


def description_field(request):
    def description(ticket):
        if may_see_reporter(request.user, ticket):
            return ticket.description
        return conceal(ticket.description, ticket.reporter_name)
    description.short_description = _("description")
    return description


def _reporter(request, ticket):
    """The reporter as this person may see them, asked once per request and ticket: the three fields
    are one showing of the identity, logged once."""
    shown = request.__dict__.setdefault("_duban_reporters", {})
    if ticket.pk not in shown:
        shown[ticket.pk] = reporter_of(request.user, ticket, IdentityView.Where.ADMIN)
    return shown[ticket.pk]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "kind", "category", "channel", "state", "lead_unit", "created_at"]
    list_filter = ["state", "kind", "urgency", "channel", "dispatch_fallback"]
    search_fields = ["number", "title"]
    date_hierarchy = "created_at"
    list_select_related = ["category", "channel", "lead_unit"]
    exclude = ["description", "reporter_name", "reporter_phone", "reporter_email"]
    inlines = [EventInline, AttachmentInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return visible_tickets(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [
            description_field(request),
            reporter_field(request, "name", _("reporter")),
            reporter_field(request, "phone", _("contact phone")),
            reporter_field(request, "email", _("email")),
        ]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["pk", "at", "upto_event_id", "event_count", "hash"]
    exclude = ["heads"]


@admin.register(IdentityView)
class IdentityViewAdmin(ReadOnlyAdmin):
    """The log of whistle-blowers shown in clear, for those who may see them; nobody edits it."""
    list_display = ["at", "ticket", "person", "where"]
    list_filter = ["where"]
    search_fields = ["ticket__number", "person__username", "person__name"]
    list_select_related = ["ticket", "person"]
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):
        return may_see_whistleblower(request.user)

    def has_module_permission(self, request):
        return may_see_whistleblower(request.user) or super().has_module_permission(request)

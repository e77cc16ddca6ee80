"""The clock's tables: the working-day calendar, time limits, and pause or extension requests."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.catalogue.models import Category, RequestKind, Urgency


class CalendarDay(models.Model):
    """One day of the official schedule. Seeded from `chinesecalendar`, editable, importable."""

    class Kind(models.TextChoices):
        WORKDAY = "workday", _("working day")
        WEEKEND = "weekend", _("weekend")
        HOLIDAY = "holiday", _("holiday")
        MAKEUP = "makeup", _("make-up working day")

    date = models.DateField(_("date"), primary_key=True)
    is_workday = models.BooleanField(_("working day"))
    kind = models.CharField(_("kind of day"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class Unit(models.TextChoices):
    WORKDAYS = "workdays", _("working days")
    WORKHOURS = "workhours", _("working hours")


class TimeLimit(models.Model):
    """How long a unit has to acknowledge and to resolve, by category × kind × urgency.

    Empty fields mean "any"; the most specific limit wins (urgency first, then the deepest
    category, then kind).
    """

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="time_limits", verbose_name=_("category"))
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, blank=True)
    ack_amount = models.PositiveIntegerField(_("time to acknowledge"))
    ack_unit = models.CharField(_("unit of time to acknowledge"), max_length=10, choices=Unit.choices,
                                default=Unit.WORKHOURS)
    resolve_amount = models.PositiveIntegerField(_("time to resolve"))
    resolve_unit = models.CharField(_("unit of time to resolve"), max_length=10, choices=Unit.choices,
                                    default=Unit.WORKDAYS)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [models.UniqueConstraint("category", "kind", "urgency", name="one_limit_per_case")]

    def __str__(self):
        return (f"{self.category or '*'} × {self.get_kind_display() or '*'} × {self.get_urgency_display() or '*'}"
                f": {self.resolve_amount} {self.get_resolve_unit_display()}")


class ClockRequest(models.Model):
    """A unit's request to pause the clock or extend the deadline, and the supervisor's decision."""

    class Kind(models.TextChoices):
        PAUSE = "pause", _("pause")
        EXTENSION = "extension", _("extension")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    ticket = models.ForeignKey("ledger.Ticket", on_delete=models.PROTECT, related_name="clock_requests")
    kind = models.CharField(_("kind of request"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    days = models.PositiveIntegerField(_("working days asked for"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("pause or extension request")
        verbose_name_plural = _("pause and extension requests")
        constraints = [models.UniqueConstraint("ticket", condition=Q(status="pending"),
                                               name="one_pending_request_per_ticket")]

    def __str__(self):
        return f"{self.ticket_id} {self.get_kind_display()} {self.get_status_display()}"

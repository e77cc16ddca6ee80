"""The ledger: tickets, their append-only events, attachments and checkpoints.

A ticket row is a cache of its latest state; the truth is its events. Each ticket's events
form a hash chain (seq 1, 2, 3 … each hashing the one before), and checkpoints hash all
events in id order, so an edited, deleted or re-ordered event, or a deleted ticket, shows.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.catalogue.models import Category, Channel, RequestKind, Urgency
from duban.lib.chain import GENESIS
from duban.org.models import Unit


class State(models.TextChoices):
    RECEIVED = "received", _("received")
    DISPATCHED = "dispatched", _("dispatched")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    VERIFIED = "verified", _("verified")
    CLOSED = "closed", _("closed")
    RETURNED = "returned", _("returned")
    DECLINED = "declined", _("declined")
    REOPENED = "reopened", _("reopened")
    MERGED = "merged", _("merged")


# What a unit still has to do with a matter it leads (its queue in duban.web.queues), which the
# partial index ticket_unit_queue serves in deadline order.
UNIT_QUEUE_STATES = ("dispatched", "acknowledged", "in_progress", "reopened", "returned")


# A unit's appeal of a rating (申诉复核) and a supervisor's decision on it.
APPEAL_ACTIONS = ("appeal", "uphold_appeal", "reject_appeal")


class DeclineReason(models.TextChoices):
    """Matters the hotline does not take (after 北京市接诉即办工作条例 art. 18)."""

    EMERGENCY = "emergency", _("belongs to an emergency line")
    LEGAL_PROCEDURE = "legal_procedure", _("belongs to a legal procedure")
    PETITION = "petition", _("belongs to the petition channel")
    SECRET = "secret", _("involves secrets or privacy")
    UNLAWFUL = "unlawful", _("unlawful or against public order")
    NO_SUBSTANCE = "no_substance", _("no substance, cannot be verified")


class Rating(models.IntegerChoices):
    """好差评: how satisfied the person affected is, five levels (国办发〔2019〕51号)."""

    VERY_SATISFIED = 5, _("very satisfied")
    SATISFIED = 4, _("satisfied")
    BASICALLY_SATISFIED = 3, _("basically satisfied")
    DISSATISFIED = 2, _("dissatisfied")
    VERY_DISSATISFIED = 1, _("very dissatisfied")


class TicketCounter(models.Model):
    """The last number handed out per year; one row per year, bumped inside the creating transaction."""

    year = models.PositiveIntegerField(primary_key=True)
    value = models.PositiveBigIntegerField(default=0)


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("ledger events are append-only")

    def delete(self):
        raise PermissionError("ledger events are append-only")


class AppendOnly(models.Model):
    """Rows written once and never changed or deleted, through the model or its querysets."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.verbose_name_plural} are append-only")


class Ticket(models.Model):
    number = models.CharField(_("number"), max_length=24, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets",
                                 verbose_name=_("category"))
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="tickets",
                                verbose_name=_("channel"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    area = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    subject = models.CharField(_("subject"), max_length=200, blank=True,
                               help_text=_("the place, enterprise or project concerned"))
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices,
                               default=Urgency.NORMAL)
    reporter_name = models.CharField(_("reporter"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    reporter_email = models.EmailField(_("email"), blank=True)

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)
    lead_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="led_tickets", verbose_name=_("lead unit"))
    co_units = models.ManyToManyField(Unit, blank=True, related_name="co_tickets",
                                      verbose_name=_("co-units"))
    dispatch_rule = models.ForeignKey("catalogue.DispatchRule", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="tickets",
                                      verbose_name=_("dispatch rule"))
    dispatch_fallback = models.BooleanField(_("fallback dispatch"), default=False)
    dispatch_explanation = models.CharField(_("dispatch explanation"), max_length=300, blank=True)
    decline_reason = models.CharField(_("decline reason"), max_length=30, blank=True,
                                      choices=DeclineReason.choices)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_tickets", verbose_name=_("merged into"))
    resolver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("resolver"))

    # The clock (duban.clock.deadlines): deadlines, and SLA facts stored when they happen.
    clock_started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    warn_at = models.DateTimeField(_("yellow from"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    ack_on_time = models.BooleanField(_("acknowledged on time"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolve_on_time = models.BooleanField(_("resolved on time"), null=True, blank=True)
    resolve_work_seconds = models.PositiveIntegerField(_("working time used (seconds)"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_work_seconds = models.PositiveIntegerField(_("working time paused (seconds)"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    next_escalation_at = models.DateTimeField(_("next escalation at"), null=True, blank=True)
    demand_due_at = models.DateTimeField(_("supervision demand due"), null=True, blank=True)

    created_at = models.DateTimeField(_("received at"))
    updated_at = models.DateTimeField(_("updated at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))

    # The head of this ticket's hash chain, cached; the events are the truth.
    event_count = models.PositiveIntegerField(default=0, editable=False)
    head_hash = models.CharField(max_length=64, default=GENESIS, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at"]
        indexes = [
            # The escalation sweep reads only tickets whose next step is scheduled.
            models.Index(fields=["next_escalation_at"], condition=models.Q(next_escalation_at__isnull=False),
                         name="ticket_escalation_due"),
            models.Index(fields=["lead_unit", "state"]),
            # A unit's queue by deadline, and its clock colours counted from the index alone.
            models.Index(fields=["lead_unit", "resolve_due_at"], name="ticket_unit_queue",
                         include=["state", "warn_at", "paused_at", "resolved_at"],
                         condition=models.Q(state__in=UNIT_QUEUE_STATES)),
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["created_at"]),
        ]
        permissions = [
            ("view_whistleblower", _("may see the identity of a whistle-blower")),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def delete(self, *args, **kwargs):
        raise PermissionError("tickets are never deleted; decline or merge them instead")


class Event(AppendOnly):
    """One step in a ticket's life. Never updated, never deleted."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("actor"))
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from state"), max_length=20, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True, help_text="SHA-256 of each attached file")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # When the row was written (the event's own time, `at`, may be earlier for imported history).
    recorded_at = models.DateTimeField(auto_now_add=True)


    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["ticket", "seq"]
        constraints = [models.UniqueConstraint("ticket", "seq", name="event_seq_unique_per_ticket")]
        # Appeals of ratings and their decisions, for the supervisors' list (few rows in a large table).
        indexes = [models.Index(fields=["at"], name="event_appeal_steps",
                                condition=models.Q(action__in=APPEAL_ACTIONS))]

    def __str__(self):
        return f"{self.ticket_id}#{self.seq} {self.action}"

    def content(self, number):
        """What the hash covers: everything about the event, and the ticket's number."""
        return {
            "ticket": number, "seq": self.seq, "at": self.at, "actor": self.actor_id,
            "action": self.action, "from": self.from_state, "to": self.to_state,
            "payload": self.payload, "attachments": self.attachments,
        }



def attachment_path(instance, filename):
    # Content-addressed: the same file is stored once, and its name is its hash.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}.{suffix}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="attachment_set")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="attachment_set")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Checkpoint(models.Model):
    """A hash over all events with id in (previous checkpoint's upto, upto], chained.

    `heads` names the head (seq, hash) of every ticket that had events in the range, so a
    deleted ticket or a truncated history is named, not only noticed.
    """

    at = models.DateTimeField()
    upto_event_id = models.BigIntegerField()
    event_count = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64, unique=True)  # two checkpoints never share a parent
    hash = models.CharField(max_length=64, unique=True)
    heads = models.JSONField(default=dict)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["upto_event_id"]

    def __str__(self):
        return f"#{self.pk} ≤{self.upto_event_id} {self.hash[:12]}"


class IdentityView(AppendOnly):
    """One showing of a whistle-blower's identity (举报) in clear to one person: append-only, so that
    whoever looked cannot make it as if they had not. Written by duban.ledger.access, never by views."""

    class Where(models.TextChoices):
        PAGE = "page", _("ticket page")
        API = "api", _("API")
        EXPORT = "export", _("export")
        CALL_BACK = "call_back", _("call-back list")
        ADMIN = "admin", _("admin site")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="identity_views",
                               verbose_name=_("ticket"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    where = models.CharField(_("where"), max_length=20, choices=Where.choices)


    class Meta:
        verbose_name = _("whistle-blower identity view")
        verbose_name_plural = _("whistle-blower identity views")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.ticket_id} {self.person_id} {self.where}"


"""The outbox: every message to every address, written with the event that causes it."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Transport(models.TextChoices):
    EMAIL = "email", _("email")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class Endpoint(models.Model):
    """A unit's group chat robot: its matters are posted there too."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="endpoints",
                             verbose_name=_("unit"))
    transport = models.CharField(_("transport"), max_length=10,
                                 choices=[(Transport.WECOM, Transport.WECOM.label),
                                          (Transport.DINGTALK, Transport.DINGTALK.label)])
    url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self):
        return f"{self.unit} {self.get_transport_display()}"


class Outbox(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    event = models.ForeignKey("ledger.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey("ledger.Ticket", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="messages")
    transport = models.CharField(_("transport"), max_length=10, choices=Transport.choices)
    address = models.CharField(_("address"), max_length=500)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("recipient"))
    endpoint = models.ForeignKey(Endpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(_("message subject"), max_length=200)
    body = models.TextField(_("message"))
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at"]
        indexes = [
            # Workers look only at messages still to send.
            models.Index(fields=["next_attempt_at"], condition=Q(status__in=["pending", "sending"]),
                         name="outbox_to_send"),
        ]

    def __str__(self):
        return f"{self.get_transport_display()} → {self.address}: {self.subject}"

"""The work around a verdict: call-back tasks, samples of closed matters, rectifications.

The verdicts themselves (ratings, appeals and their decisions) are events on the ledger
(`rate`, `sample_rate`, `unreached`, `appeal`, `uphold_appeal`, `reject_appeal`); these rows
say who must call whom, and which matter rectifies which.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.ledger.models import Ticket
from duban.org.models import Unit


class Sample(models.Model):
    """抽件回访: a reproducible random draw of closed matters, stratified by lead unit."""

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("closed from"))
    ends_on = models.DateField(_("closed up to and including"))
    share = models.DecimalField(_("share of each unit's matters"), max_digits=5, decimal_places=4, null=True,
                                blank=True)
    count = models.PositiveIntegerField(_("matters per unit"), null=True, blank=True)
    seed = models.PositiveBigIntegerField(_("seed"), help_text=_("the same seed on the same ledger draws the same"))
    drawn_at = models.DateTimeField(_("drawn at"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("drawn by"))
    size = models.PositiveIntegerField(_("matters drawn"), default=0)

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["-drawn_at"]
        constraints = [models.CheckConstraint(condition=Q(share__isnull=True) ^ Q(count__isnull=True),
                                              name="sample_share_or_count")]

    def __str__(self):
        return self.name


class CallBack(models.Model):
    """A call the hotline owes the reporter: after every closing, or because a sample drew the matter."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("call-back after closing")
        SAMPLED = "sampled", _("sampled call-back")

    class Status(models.TextChoices):
        PENDING = "pending", _("to call")
        DONE = "done", _("verdict recorded")
        ANSWERED = "answered", _("the reporter rated it themselves")
        UNREACHED = "unreached", _("nobody reached")
        CANCELLED = "cancelled", _("no longer needed")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="call_backs",
                               verbose_name=_("ticket"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sample = models.ForeignKey(Sample, null=True, blank=True, on_delete=models.PROTECT, related_name="call_backs",
                               verbose_name=_("sample"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(_("call by"))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("assigned to"))
    attempts = models.PositiveSmallIntegerField(_("calls that reached nobody"), default=0)
    created_at = models.DateTimeField(_("created at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("done by"))
    verdict_seq = models.PositiveIntegerField(_("verdict event"), null=True, blank=True)

    class Meta:
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        indexes = [models.Index(fields=["due_at"], condition=Q(status="pending"), name="call_back_pending")]
        constraints = [models.UniqueConstraint("ticket", "sample", condition=Q(sample__isnull=False),
                                               name="call_back_once_per_sample")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.ticket_id}"


class Rectification(models.Model):
    """A bad rating's rectification (差评整改): a matter of its own for the rated unit."""

    rated = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="rectifications",
                              verbose_name=_("rated ticket"))
    rating_seq = models.PositiveIntegerField(_("rating event"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("rated unit"))
    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="rectifies",
                                  verbose_name=_("rectification"))

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        constraints = [models.UniqueConstraint("rated", "rating_seq", name="rectification_once_per_rating")]

    def __str__(self):
        return f"{self.rated_id}#{self.rating_seq} → {self.ticket_id}"

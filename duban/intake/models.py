"""Who may send matters in by machine (API keys), and what each POST already answered."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.catalogue.models import Channel
from duban.org.models import Unit


class ApiKey(models.Model):
    """A key for one integration: only its SHA-256 is kept; the key itself is shown once.

    A key is scoped to a channel (tickets it sends arrive on it) and optionally to a unit (it sees
    and acts only on that unit's tickets, as a handler there; without a unit it acts as a dispatcher
    for the whole city). It acts through a service account of its own, so the history says which
    integration did what. A revoked key is refused from the moment it is revoked.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False,
                              help_text=_("The first characters of the key, to recognise it in lists."))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="api_keys",
                                verbose_name=_("channel"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="api_keys",
                             verbose_name=_("unit"), help_text=_("Empty: the key sees the whole city."))
    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key",
                                  verbose_name=_("acts as"),
                                  help_text=_("The service account in whose name the key acts; the history "
                                              "names it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self):
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first answer to a POST carrying an Idempotency-Key, replayed to every retry.

    `scope` names the caller (an API key or a person), so two callers may use the same key.
    `fingerprint` is the hash of the request: the same key with a different request is refused.
    """

    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.BinaryField()
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_once_per_caller")]

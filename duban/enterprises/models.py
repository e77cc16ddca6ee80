"""The enterprise register (万人助万企), the cadres' visits (敲门行动, 遍访企业) and the firms' requests.

A firm's cadre (服务大使, 项目秘书) is not a column here: it is a Stewardship of kind "enterprise"
whose subject is the firm's name, so the ledger's own rule (duban.ledger.access) lets the cadre
see every ticket whose subject is that name. A firm's request is such a ticket, linked below.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.ledger.models import Ticket
from duban.org.models import Unit


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("manufacturing")
    SERVICES = "services", _("services")
    CONSTRUCTION = "construction", _("construction")
    TRADE = "trade", _("wholesale and retail")
    HIGH_TECH = "high_tech", _("high technology")
    OTHER = "other", _("other industry")


class Scale(models.TextChoices):
    ABOVE = "above", _("above designated size")
    BELOW = "below", _("below designated size")
    SMALL = "small", _("small or micro")


class Enterprise(models.Model):
    name = models.CharField(_("name of the enterprise"), max_length=200, unique=True,
                            help_text=_("as registered; the cadre's stewardship and the tickets name it so"))
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    district = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="enterprises",
                                 verbose_name=_("district, county or zone"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, default=Industry.OTHER)
    scale = models.CharField(_("size"), max_length=20, choices=Scale.choices, default=Scale.BELOW)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("registered by"))

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [models.UniqueConstraint("credit_code", condition=~Q(credit_code=""),
                                               name="enterprise_credit_code_unique")]

    def __str__(self):
        return self.name


class Visit(models.Model):
    """走访: a cadre at the firm's door, around its table, or on the phone."""

    class Kind(models.TextChoices):
        KNOCK = "knock", _("door-knocking visit")
        FORUM = "forum", _("forum with the firm")
        PHONE = "phone", _("phone call")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="visits",
                                   verbose_name=_("enterprise"))
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enterprise_visits",
                              verbose_name=_("visited by"))
    visited_at = models.DateTimeField(_("visited at"))
    kind = models.CharField(_("kind of visit"), max_length=20, choices=Kind.choices, default=Kind.KNOCK)
    notes = models.TextField(_("what was seen and said"))
    needs = models.TextField(_("the firm's needs"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-pk"]
        indexes = [models.Index(fields=["enterprise", "-visited_at"], name="visit_enterprise_latest")]

    def __str__(self):
        return f"{self.enterprise} {self.visited_at:%Y-%m-%d}"


class EnterpriseRequest(models.Model):
    """诉求: what a firm asked for, on the ledger as a ticket on a fast clock."""

    class Topic(models.TextChoices):
        APPROVAL = "approval", _("approvals and permits")
        LABOUR = "labour", _("hiring and labour")
        FINANCE = "finance", _("financing")
        POWER = "power", _("power, water and gas")
        LOGISTICS = "logistics", _("logistics and transport")
        POLICY = "policy", _("support policies")
        OTHER = "other", _("other request")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="requests",
                                   verbose_name=_("enterprise"))
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="requests",
                              verbose_name=_("visit"))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="enterprise_request",
                                  verbose_name=_("ticket"))

    class Meta:
        verbose_name = _("enterprise request")
        verbose_name_plural = _("enterprise requests")
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.enterprise}: {self.ticket.number}"

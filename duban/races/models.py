"""Indicators the districts race on (赛马), and each district's value for each month."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.org.models import Unit


class Indicator(models.Model):
    class Kind(models.TextChoices):
        RATE = "rate", _("growth rate (the value is already a rate)")
        AMOUNT = "amount", _("amount (growth is computed)")

    class RankBy(models.TextChoices):
        VALUE = "value", _("value")
        GROWTH = "growth", _("growth")

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True,
                            help_text=_("the indicator's address in the pages, e.g. fai-growth"))
    measure = models.CharField(_("unit of measure"), max_length=20, blank=True, help_text=_("e.g. a percentage, or 万元"))
    kind = models.CharField(_("kind of indicator"), max_length=10, choices=Kind.choices, default=Kind.RATE)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    rank_by = models.CharField(_("rank by"), max_length=10, choices=RankBy.choices, default=RankBy.VALUE,
                               help_text=_("an amount may be ranked by its growth instead of its value"))
    cumulative = models.BooleanField(_("cumulative"), default=False,
                                     help_text=_("each month's value is the total since January (累计)"))
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="amount") | Q(rank_by="value"),
                                   name="indicator_rate_ranks_by_value"),
        ]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    """One district's figure for one month (the first day of the month stands for the month)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values",
                                  verbose_name=_("indicator"))
    district = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district, county or zone"),
                                 limit_choices_to={"tier__in": Unit.AREA_GOVERNMENTS})
    month = models.DateField(_("month"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "-month", "district"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "district", "month"], name="one_value_per_district_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="indicator_value_month_is_first_day"),
        ]
        indexes = [models.Index(fields=["indicator", "month"], name="races_value_by_month")]

    def __str__(self):
        return f"{self.indicator} {self.district} {self.month:%Y-%m}: {self.value}"

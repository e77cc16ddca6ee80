"""Assessment schemes (考核): weighted dimensions scored monthly per unit, published with a red
list and a black list (晾晒); each black-listed unit owes a written reflection (反思), a ticket."""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.org.models import Unit


def red_list_size():
    return settings.RED_LIST_SIZE


def black_list_size():
    return settings.BLACK_LIST_SIZE


class Scheme(models.Model):
    """One assessment, e.g. 2026年度作风建设十项考核, over the units that take part in it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    participants = models.ManyToManyField(Unit, related_name="assessment_schemes", verbose_name=_("units assessed"),
                                          help_text=_("e.g. all districts and counties, or all city departments"))
    red_size = models.PositiveSmallIntegerField(_("size of the red list"), default=red_list_size)
    black_size = models.PositiveSmallIntegerField(_("size of the black list"), default=black_list_size)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-active", "name"]

    def __str__(self):
        return self.name


class Dimension(models.Model):
    """One scored part of a scheme, worth `points` of its total.

    Where its score comes from (`source`):
    - figure: a rate of the unit's matters in the month (duban.figures): points × rate, or
      points × (1 − rate) for the rates where lower is better (returns, reopenings); a unit
      without the figure gets the floor share;
    - indicator: an indicator race (duban.races): the best-ranked participant gets the full
      points, the worst points × floor, linearly by rank between; a unit without a value gets the floor;
    - survey: the results of `survey` (duban.surveys): points × (average score the unit was given
      − 1) / 4 on the questions rating each unit, else by its most-satisfied minus least-satisfied
      share; a unit without answers gets the floor. Without a survey chosen, the points are
      entered by hand, exactly like a manual one;
    - manual: points entered by a supervisor for each unit and month, each with its reason.
    """

    class Source(models.TextChoices):
        FIGURE = "figure", _("figure of the unit's matters")
        INDICATOR = "indicator", _("indicator race")
        SURVEY = "survey", _("survey results")
        MANUAL = "manual", _("entered by hand")

    class Figure(models.TextChoices):
        RESPONSE = "response", _("response rate")
        RESOLUTION = "resolution", _("resolution rate")
        SATISFACTION = "satisfaction", _("satisfaction rate")
        COMPOSITE = "composite", _("composite of the three rates")
        ACK_ON_TIME = "ack_on_time", _("acknowledged on time")
        ON_TIME = "on_time", _("resolved on time")
        RETURN_RATE = "return_rate", _("return rate (lower is better)")
        REOPEN_RATE = "reopen_rate", _("reopen rate (lower is better)")

    LOWER_IS_BETTER = (Figure.RETURN_RATE, Figure.REOPEN_RATE)
    BY_HAND = (Source.MANUAL, Source.SURVEY)  # the sources that may be entered by hand (a survey one without survey)

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="dimensions",
                               verbose_name=_("assessment scheme"))
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=40, help_text=_("short and unique within the scheme, e.g. response"))
    order = models.PositiveIntegerField(_("order"), default=0)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))],
                                 help_text=_("its weight: the most a unit can score on it, e.g. 10 of 100"))
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices,
        help_text=_("A survey dimension is scored from the results of its survey; without a survey, by "
                    "the points entered by hand, with their reasons."))
    figure = models.CharField(_("figure"), max_length=20, choices=Figure.choices, blank=True,
                              help_text=_("for a figure dimension: which rate"))
    indicator = models.ForeignKey("races.Indicator", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("indicator"),
                                  help_text=_("for an indicator dimension: which race"))
    survey = models.ForeignKey("surveys.Survey", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("survey"),
                               help_text=_("for a survey dimension: the survey whose results score it "
                                           "(none: the points are entered by hand)"))
    floor = models.DecimalField(_("floor"), max_digits=3, decimal_places=2, default=Decimal("0.6"),
                                validators=[MinValueValidator(0), MaxValueValidator(1)],
                                help_text=_("the share of the points the worst unit still gets, e.g. 0.6"))

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["scheme_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="assessment_dimension_code_unique"),
            models.CheckConstraint(condition=~Q(source="figure") | ~Q(figure=""), name="assessment_figure_named"),
            models.CheckConstraint(condition=~Q(source="indicator") | Q(indicator__isnull=False),
                                   name="assessment_indicator_named"),
            models.CheckConstraint(condition=Q(source="survey") | Q(survey__isnull=True),
                                   name="assessment_survey_only_for_survey_source"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.source == self.Source.FIGURE and not self.figure:
            raise ValidationError({"figure": _("Choose the figure this dimension scores.")})
        if self.source == self.Source.INDICATOR and self.indicator_id is None:
            raise ValidationError({"indicator": _("Choose the indicator this dimension scores.")})
        if self.survey_id is not None and self.source != self.Source.SURVEY:
            raise ValidationError({"survey": _("Only a survey dimension is scored from a survey.")})

    @property
    def by_hand(self):
        """Scored by points entered by hand: a manual dimension, or a survey one without its survey."""
        return self.source == self.Source.MANUAL or (self.source == self.Source.SURVEY and self.survey_id is None)


class ManualScore(models.Model):
    """Points a supervisor gave a unit on a manual (or survey) dimension for a month, and why."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="manual_scores",
                                  verbose_name=_("dimension"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    month = models.DateField(_("month"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    reason = models.TextField(_("reason"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("score entered by hand")
        verbose_name_plural = _("scores entered by hand")
        ordering = ["dimension_id", "-month", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "unit", "month"], name="assessment_manual_score_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="assessment_manual_score_month_first_day"),
        ]

    def __str__(self):
        return f"{self.dimension} {self.unit} {self.month:%Y-%m}: {self.points}"


class Result(models.Model):
    """A unit's published score for a month: what the board shows once the month is published."""

    class Mark(models.TextChoices):
        RED = "red", _("red list")
        BLACK = "black", _("black list")
        NONE = "", _("neither")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="results",
                               verbose_name=_("assessment scheme"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    month = models.DateField(_("month"))
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    mark = models.CharField(_("list"), max_length=10, choices=Mark.choices, blank=True)
    scores = models.JSONField(_("points per dimension"), default=dict)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["scheme_id", "-month", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit", "month"], name="assessment_result_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="assessment_result_month_first_day"),
        ]

    def __str__(self):
        return f"{self.scheme} {self.month:%Y-%m} {self.rank} {self.unit}"


class Reflection(models.Model):
    """The written reflection a black-listed unit owes, delivered as a ticket it must resolve."""

    result = models.OneToOneField(Result, on_delete=models.PROTECT, related_name="reflection",
                                  verbose_name=_("published result"))
    ticket = models.OneToOneField("ledger.Ticket", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("ticket"))
    due = models.DateTimeField(_("due"))

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["due", "pk"]

    def __str__(self):
        return f"{self.result.unit} {self.result.month:%Y-%m}: {self.ticket.number}"

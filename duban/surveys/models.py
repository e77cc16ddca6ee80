"""Review surveys and questionnaires (评议, 问卷): questions, one-time invitations, responses.

Anonymity is kept by what is not stored. An invitation keeps only the SHA-256 of its token and the
day it was used; a response keeps its survey and the day it came in, nothing more: no invitation,
no person, no address, no browser, no time of day. Only for a survey that is not anonymous does a
Respondent row tie a response to the invitation it came with.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.org.models import Unit


class Survey(models.Model):
    """One questionnaire, e.g. 2025年度市直部门作风建设大评议, over the units it reviews."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for answers")
        CLOSED = "closed", _("closed for answers")

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True,
                             help_text=_("shown above the questions: who runs the review, why, and what is promised"))
    audience = models.CharField(_("audience"), max_length=100, blank=True,
                                help_text=_("who is asked, e.g. 企业, 群众, 人大代表"))
    anonymous = models.BooleanField(_("anonymous"), default=True,
                                    help_text=_("no answer can be traced to the invitation it came with"))
    units = models.ManyToManyField(Unit, blank=True, related_name="surveys", verbose_name=_("units reviewed"),
                                   help_text=_("the departments the unit questions ask about"))
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True)
                                   | Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening"),
        ]

    def __str__(self):
        return self.title

    def accepts_answers(self, at=None):
        """Open, and within its dates when it has them."""
        at = at or timezone.now()
        return (self.status == self.Status.OPEN and (self.opens_at is None or self.opens_at <= at)
                and (self.closes_at is None or at < self.closes_at))


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE = "scale", _("scale of 1 to 5")
        TEXT = "text", _("free text")
        MOST_SATISFIED = "most_satisfied_unit", _("most satisfied unit")
        LEAST_SATISFIED = "least_satisfied_unit", _("least satisfied unit")
        UNIT_SCALE = "unit_scale", _("1 to 5 for each unit")

    WITH_CHOICES = (Kind.SINGLE, Kind.MULTIPLE)
    UNIT_VOTES = (Kind.MOST_SATISFIED, Kind.LEAST_SATISFIED)
    ABOUT_UNITS = (Kind.MOST_SATISFIED, Kind.LEAST_SATISFIED, Kind.UNIT_SCALE)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind of question"), max_length=30, choices=Kind.choices)
    required = models.BooleanField(_("must be answered"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey_id", "order", "pk"]

    def __str__(self):
        return self.text

    @property
    def has_choices(self):
        return self.kind in self.WITH_CHOICES

    @property
    def about_units(self):
        return self.kind in self.ABOUT_UNITS


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices",
                                 verbose_name=_("question"))
    text = models.CharField(_("choice"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question_id", "order", "pk"]

    def __str__(self):
        return self.text


class Invitation(models.Model):
    """One answer's worth of access: the link (and QR code) carries a token, of which only the hash
    is kept. The invitee's name and organisation are kept only for surveys that are not anonymous."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations",
                               verbose_name=_("survey"))
    token_hash = models.CharField(_("hash of the token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    used_on = models.DateField(_("answered on"), null=True, blank=True,
                               help_text=_("the day only, so the time cannot match an answer to it"))
    name = models.CharField(_("invitee"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["survey_id", "pk"]
        indexes = [models.Index(fields=["survey"], condition=Q(used_on__isnull=True), name="survey_invitation_unused")]

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class Response(models.Model):
    """One filled-in questionnaire. Deliberately without an invitation, a person, an address or a
    time of day: the day it came in is all."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses", verbose_name=_("survey"))
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey_id", "pk"]

    def __str__(self):
        return f"{self.survey} {self.submitted_on}"


class Respondent(models.Model):
    """Who answered: the invitation a response came with, kept only for a survey that is not anonymous."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, primary_key=True, related_name="respondent",
                                    verbose_name=_("response"))
    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="respondent",
                                      verbose_name=_("invitation"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")

    def __str__(self):
        return str(self.invitation)


class Answer(models.Model):
    """One question's answer: a choice, several choices (their ids), a number 1–5 (for a unit when
    the question rates each unit), a unit (most or least satisfied), or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers",
                                 verbose_name=_("question"))
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("choice"))
    choices = models.JSONField(_("choices"), default=list, blank=True)
    number = models.PositiveSmallIntegerField(_("score"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response_id", "question_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(number__isnull=True) | Q(number__gte=1, number__lte=5),
                                   name="survey_answer_number_1_to_5"),
        ]

    def __str__(self):
        return f"{self.question}: {self.choice or self.number or self.unit or self.text}"

"""Key projects (重点项目): the register, milestones, fortnightly reviews (双周调度) and blockers.

The 365 service of the seeds gives every key project a chief leader (首席负责人) and a project
secretary (项目秘书). The secretary files a review every fortnight; a problem in it that blocks the
project becomes a Blocker, whose ticket (on the ledger, with its own clock) goes to the unit that
can remove it.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.ledger.models import Ticket
from duban.org.models import Unit

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
NOT_NEGATIVE = [MinValueValidator(0)]


class Project(models.Model):
    class Kind(models.TextChoices):
        INDUSTRIAL = "industrial", _("industrial")
        INFRASTRUCTURE = "infrastructure", _("infrastructure")
        LIVELIHOOD = "livelihood", _("livelihood")
        SERVICES = "services", _("modern services")
        AGRICULTURE = "agriculture", _("agriculture")

    class Stage(models.TextChoices):
        PLANNING = "planning", _("preliminary work")
        APPROVAL = "approval", _("approvals")
        CONSTRUCTION = "construction", _("under construction")
        COMPLETED = "completed", _("completed")
        OPERATING = "operating", _("in operation")

    # Stages in which the project has started building.
    STARTED = (Stage.CONSTRUCTION, Stage.COMPLETED, Stage.OPERATING)

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("project code"), max_length=40, unique=True)
    district = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="district_projects",
                                 verbose_name=_("district"),
                                 help_text=_("the district, county or development zone it is built in"))
    kind = models.CharField(_("kind of project"), max_length=20, choices=Kind.choices)
    planned_investment = models.DecimalField(_("planned investment (10,000 yuan)"), max_digits=14,
                                             decimal_places=2, validators=NOT_NEGATIVE)
    completed_investment = models.DecimalField(_("investment completed (10,000 yuan)"), max_digits=14,
                                               decimal_places=2, default=0, validators=NOT_NEGATIVE)
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0, validators=PERCENT)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNING)
    chief = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="chief_of_projects", verbose_name=_("chief leader"))
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="secretary_of_projects", verbose_name=_("project secretary"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="projects",
                             verbose_name=_("responsible unit"))
    starts_on = models.DateField(_("planned start"))
    started_on = models.DateField(_("actual start"), null=True, blank=True,
                                  help_text=_("set by the first review that reports construction started"))
    ends_on = models.DateField(_("planned completion"))
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        ordering = ["district__path", "name"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="project_dates_in_order")]

    def __str__(self):
        return self.name


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("key project"))
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    planned_on = models.DateField(_("planned date"))
    done_on = models.DateField(_("actual date"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0, validators=PERCENT)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "order", "planned_on", "pk"]

    def __str__(self):
        return self.name

    def overdue(self, today):
        return self.done_on is None and self.planned_on < today


class Review(models.Model):
    """A fortnightly review (双周调度) filed by the project secretary."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviews",
                                verbose_name=_("key project"))
    period_end = models.DateField(_("period ending"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("filed by"))
    filed_at = models.DateTimeField(_("filed at"))
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), validators=PERCENT)
    investment_completed = models.DecimalField(_("investment completed (10,000 yuan)"), max_digits=14,
                                               decimal_places=2, validators=NOT_NEGATIVE)
    stage = models.CharField(_("stage"), max_length=20, choices=Project.Stage.choices)
    summary = models.TextField(_("progress this fortnight"))
    problems = models.TextField(_("problems"), blank=True)
    # What the review said of each milestone: {milestone pk: {"progress": n, "done_on": "YYYY-MM-DD" or null}}.
    milestones = models.JSONField(_("milestones reported"), default=dict, blank=True)

    class Meta:
        verbose_name = _("fortnightly review")
        verbose_name_plural = _("fortnightly reviews")
        ordering = ["project", "-period_end"]
        constraints = [models.UniqueConstraint("project", "period_end", name="review_once_per_period")]

    def __str__(self):
        return f"{self.project} {self.period_end}"


class Blocker(models.Model):
    """A problem that blocks the project (堵点), a ticket for the unit that can remove it."""

    class Kind(models.TextChoices):
        APPROVALS = "approvals", _("approvals")
        LAND = "land", _("land")
        FUNDS = "funds", _("funds")
        UTILITIES = "utilities", _("water, power, gas and heat")
        OTHER = "other", _("other")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="blockers",
                               verbose_name=_("fortnightly review"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="blockers",
                                verbose_name=_("key project"))
    kind = models.CharField(_("kind of blocker"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="project_blockers",
                             verbose_name=_("unit that can remove it"))
    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="project_blocker",
                                  verbose_name=_("ticket"))

    class Meta:
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")
        ordering = ["project", "-review__period_end", "pk"]

    def __str__(self):
        return f"{self.project}: {self.get_kind_display()}"

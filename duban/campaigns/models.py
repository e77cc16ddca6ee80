"""Campaigns (专项整治) with numbered targets, and public pledges (惠民实事, 重点任务).

A campaign groups the tickets that serve it (linked by a dispatcher or a supervisor) and the
tasks it gives to units; each task is a ticket of its own, so it runs on the ledger's clock and is
escalated like any matter. A target counts either the campaign's linked tickets that are closed
or the quantities its tasks report (清理僵尸车 330 台次).

A pledge is a public promise with an owner unit and a deadline; it too is a ticket, due on its
deadline, resolved with evidence by its owner and verified and closed by a supervisor.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.catalogue.models import Category
from duban.org.models import Unit


class Programme(models.Model):
    """An umbrella over campaigns, e.g. 2021年作风建设年专项整治 (69 items)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme of campaigns")
        verbose_name_plural = _("programmes of campaigns")
        ordering = ["-pk"]

    def __str__(self):
        return self.name


class Campaign(models.Model):
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="campaigns", verbose_name=_("programme"))
    name = models.CharField(_("name"), max_length=100)
    goal = models.TextField(_("goal"), help_text=_("what the campaign is to achieve, in a few sentences"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="led_campaigns",
                                  verbose_name=_("lead unit"))
    co_units = models.ManyToManyField(Unit, blank=True, related_name="co_campaigns", verbose_name=_("co-units"))
    categories = models.ManyToManyField(Category, blank=True, related_name="campaigns",
                                        verbose_name=_("categories"),
                                        help_text=_("the ledger's categories the campaign covers (with their "
                                                    "subcategories)"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-active", "starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="campaign_ends_after_start")]

    def __str__(self):
        return self.name


class Target(models.Model):
    class Counts(models.TextChoices):
        TICKETS = "tickets", _("linked tickets closed")
        REPORTED = "reported", _("quantities reported by its tasks")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets",
                                 verbose_name=_("campaign"))
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. 清理僵尸车"))
    measure = models.CharField(_("unit of measure"), max_length=10, default="件",
                               help_text=_("e.g. 台次, 处, 个, 件"))
    goal = models.PositiveIntegerField(_("goal"), validators=[MinValueValidator(1)])
    counts = models.CharField(_("how it counts"), max_length=10, choices=Counts.choices, default=Counts.REPORTED)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("category"),
                                 help_text=_("for a target counting tickets: only linked tickets of this "
                                             "category (and its subcategories); empty: all linked tickets"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["campaign_id", "order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(goal__gte=1), name="campaign_target_goal_positive")]

    def __str__(self):
        return f"{self.name} ≥ {self.goal}{self.measure}"


class CampaignTicket(models.Model):
    """A ticket that serves the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links",
                                 verbose_name=_("campaign"))
    ticket = models.ForeignKey("ledger.Ticket", on_delete=models.PROTECT, related_name="campaign_links",
                               verbose_name=_("ticket"))
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("linked by"))
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        verbose_name = _("linked ticket")
        verbose_name_plural = _("linked tickets")
        ordering = ["campaign_id", "-linked_at"]
        constraints = [models.UniqueConstraint(fields=["campaign", "ticket"], name="campaign_ticket_once")]

    def __str__(self):
        return f"{self.campaign} · {self.ticket_id}"


class Task(models.Model):
    """Work the campaign gives a unit, delivered as a ticket it must resolve."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="tasks",
                                 verbose_name=_("campaign"))
    target = models.ForeignKey(Target, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks",
                               verbose_name=_("target"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=150)
    due = models.DateField(_("due"))
    ticket = models.OneToOneField("ledger.Ticket", null=True, on_delete=models.PROTECT, related_name="campaign_task",
                                  verbose_name=_("ticket"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["campaign_id", "due", "pk"]

    def __str__(self):
        return self.title


class TaskReport(models.Model):
    """A quantity a task's unit reports, written on the task's ticket as a note (with its evidence)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports", verbose_name=_("task"))
    quantity = models.PositiveIntegerField(_("quantity"))
    note = models.TextField(_("note"), blank=True)
    event = models.OneToOneField("ledger.Event", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("event"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("reported by"))
    at = models.DateTimeField(_("reported at"))

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        ordering = ["task_id", "at", "pk"]

    def __str__(self):
        return f"{self.task}: {self.quantity}"


class PledgeList(models.Model):
    """A published list of pledges, e.g. 2022年建设幸福长春行动计划·80项惠民实事."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=False,
                                    help_text=_("shown on the public page /pledges/"))

    class Meta:
        verbose_name = _("pledge list")
        verbose_name_plural = _("pledge lists")
        ordering = ["-year", "pk"]

    def __str__(self):
        return self.name


class Pledge(models.Model):
    pledge_list = models.ForeignKey(PledgeList, on_delete=models.PROTECT, related_name="pledges",
                                    verbose_name=_("pledge list"))
    area = models.CharField(_("area of work"), max_length=50, help_text=_("the field of the pledge, e.g. 就业创业, 教育"))
    number = models.PositiveSmallIntegerField(_("item number"))
    title = models.CharField(_("title"), max_length=200)
    target = models.TextField(_("target"), help_text=_("what will be done, with its numbers"))
    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("owner unit"))
    deadline = models.DateField(_("deadline"))
    ticket = models.OneToOneField("ledger.Ticket", null=True, on_delete=models.PROTECT, related_name="pledge",
                                  verbose_name=_("ticket"))

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["pledge_list_id", "number"]
        constraints = [models.UniqueConstraint(fields=["pledge_list", "number"], name="pledge_number_once")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class PledgeUpdate(models.Model):
    """Progress of a pledge told by its owner, written on its ticket as a note (with its evidence)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="updates", verbose_name=_("pledge"))
    percent = models.PositiveSmallIntegerField(_("percent done"), validators=[MaxValueValidator(100)])
    text = models.TextField(_("text"))
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("the text is shown on the public page"))
    event = models.OneToOneField("ledger.Event", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("event"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("reported by"))
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("pledge update")
        verbose_name_plural = _("pledge updates")
        ordering = ["pledge_id", "at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="pledge_update_percent_at_most_100")]

    def __str__(self):
        return f"{self.pledge}: {self.percent}%"

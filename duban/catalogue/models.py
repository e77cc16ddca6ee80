"""Categories, request kinds, channels and the dispatch catalogue (派单目录)."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.org.models import TreeNode, Unit


class RequestKind(models.TextChoices):
    """The five kinds of request (北京市接诉即办工作条例 art. 2)."""

    INQUIRY = "inquiry", _("inquiry")
    HELP = "help", _("help")
    COMPLAINT = "complaint", _("complaint")
    REPORT = "report", _("report")
    SUGGESTION = "suggestion", _("suggestion")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")
    CRITICAL = "critical", _("critical")


class Category(TreeNode):
    """A subject such as 城市管理 › 停车秩序 › 僵尸车."""

    name = models.CharField(_("name"), max_length=100)
    default_kind = models.CharField(_("default kind"), max_length=20,
                                    choices=RequestKind.choices, default=RequestKind.COMPLAINT)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["path"]
        constraints = [models.UniqueConstraint("parent", "name", name="category_name_unique_in_parent")]

    def __str__(self):
        return self.name

    def full_name(self):
        names = dict(Category.objects.filter(pk__in=self.ancestor_ids()).values_list("pk", "name"))
        return " › ".join(names[pk] for pk in self.ancestor_ids())


class Channel(models.Model):
    """Where a matter came from. A table, so that a city can add its own."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class DispatchRule(models.Model):
    """派单目录: category × area → lead unit and co-units. Empty category or area means any."""

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="dispatch_rules", verbose_name=_("category"))
    area = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="dispatch_rules_as_area", verbose_name=_("area"))
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dispatch_rules_as_lead",
                                  verbose_name=_("lead unit"))
    co_units = models.ManyToManyField(Unit, blank=True, related_name="dispatch_rules_as_co",
                                      verbose_name=_("co-units"))
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("explanation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch rules")
        constraints = [
            models.UniqueConstraint("category", "area", condition=Q(active=True),
                                    name="one_active_rule_per_category_area"),
        ]

    def __str__(self):
        return f"{self.category or '*'} × {self.area or '*'} → {self.lead_unit}"

"""Units (a tree with departments beside it), people and their roles, stewardships (包保)."""
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TreeNode(models.Model):
    """A node in a tree, with a materialised path ("/1/5/23/") so a subtree is one prefix query."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    @property
    def depth(self):
        return self.path.count("/") - 1

    def ancestor_ids(self):
        """Ids from the root down to and including this node."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def subtree(self):
        return type(self).objects.filter(path__startswith=self.path)

    def save(self, *args, **kwargs):
        old_path = self.path
        if self.pk is None:
            super().save(*args, **kwargs)  # the path is made of the primary key
            args, kwargs = (), {}
        elif self.parent_id and self.parent.path.startswith(old_path):
            raise ValueError("a node cannot be moved under itself")
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
            )


class Unit(TreeNode):
    class Tier(models.TextChoices):
        CITY = "city", _("city")
        DISTRICT = "district", _("district")
        COUNTY = "county", _("county")
        ZONE = "zone", _("development zone")
        STREET = "street", _("street")
        TOWN = "town", _("town")
        COMMUNITY = "community", _("community")
        GRID = "grid", _("grid")
        DEPARTMENT = "department", _("department")

    # Tiers that are the government of an area: the dispatcher of last resort.
    AREA_GOVERNMENTS = (Tier.DISTRICT, Tier.COUNTY, Tier.ZONE)

    name = models.CharField(_("name"), max_length=100)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    aliases = models.JSONField(_("aliases"), default=list, blank=True,
                               help_text=_("other ways people write the name"))
    head = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("head"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def area_government(self):
        """The district, county or zone government whose area this unit lies in (or None)."""
        ancestors = Unit.objects.filter(pk__in=self.ancestor_ids(), tier__in=self.AREA_GOVERNMENTS)
        return ancestors.order_by("-path").first()


class PersonManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Person.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class Person(AbstractUser):
    class Role(models.TextChoices):
        DISPATCHER = "dispatcher", _("dispatcher")
        HANDLER = "handler", _("handler")
        UNIT_HEAD = "unit_head", _("unit head")
        SUPERVISOR = "supervisor", _("supervisor")
        LEADER = "leader", _("leader")
        ADMIN = "admin", _("admin")

    name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.HANDLER)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="people", verbose_name=_("own unit"))
    scope = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("scope"),
        help_text=_("the subtree a supervisor, dispatcher or leader oversees (by default their own unit)"),
    )

    objects = PersonManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name or self.username

    @property
    def scope_unit(self):
        return self.scope or self.unit


class StewardshipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Stewardship(models.Model):
    """包保: a named person answers for a unit, a place, an enterprise or a project."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("unit or area")
        PLACE = "place", _("place")
        ENTERPRISE = "enterprise", _("enterprise")
        PROJECT = "project", _("project")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stewardships",
                               verbose_name=_("steward"))
    kind = models.CharField(_("kind of charge"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="stewardships", verbose_name=_("unit or area in charge"))
    subject = models.CharField(_("subject in charge"), max_length=200, blank=True,
                               help_text=_("name of the place, enterprise or project"))
    starts_on = models.DateField(_("from date"))
    ends_on = models.DateField(_("to date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = StewardshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("stewardship")
        verbose_name_plural = _("stewardships")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="unit") & Q(unit__isnull=False)) | (~Q(kind="unit") & ~Q(subject="")),
                name="stewardship_has_charge",
            ),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="stewardship_dates_in_order"),
        ]

    def __str__(self):
        return f"{self.person} → {self.unit or self.subject}"

"""Inspection rounds (督导检查, 暗访, 踏查, 徒步走城区, 敲门走访): a team goes out over a period to
its targets, records each visit, and every problem it finds becomes a ticket on the ledger with the
round as its source; what it suggests is recorded beside.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.ledger.models import Ticket
from duban.org.models import Unit


class Round(models.Model):
    """One round of inspection, e.g. 纪律作风提升督导检查 by 11 督导检查组 over 10 街镇 and 62 部门."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("supervision check")
        MYSTERY = "mystery", _("mystery visit")
        SITE_TOUR = "site_tour", _("site tour")
        WALK = "walk", _("walk through the city")
        DOOR_TO_DOOR = "door_to_door", _("door-to-door visit")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of inspection"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("from date"))
    ends_on = models.DateField(_("to date"))
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("leader of the round"))
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="inspection_rounds",
                                  verbose_name=_("team"))
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("units inspected"),
                                   help_text=_("the streets, towns and departments the round goes to"))
    targets = models.JSONField(_("places, enterprises and projects"), default=list, blank=True,
                               help_text=_("their names, one per line"))
    description = models.TextField(_("what the round checks"), blank=True)
    finding_workdays = models.PositiveSmallIntegerField(
        _("working days to fix a finding"), default=10,
        help_text=_("each finding's ticket is due this many working days after the visit"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-starts_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="inspection_round_dates_in_order")]

    def __str__(self):
        return self.name


class Visit(models.Model):
    """A place the team went to, when, who recorded it, and what they saw."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="visits", verbose_name=_("round"))
    visited_at = models.DateTimeField(_("time of the visit"))
    place = models.CharField(_("place visited"), max_length=200)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit visited"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    notes = models.TextField(_("notes of the visit"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ["-visited_at", "-pk"]
        indexes = [models.Index(fields=["round", "visited_at"], name="visit_round_time")]

    def __str__(self):
        return f"{self.place} {self.visited_at:%Y-%m-%d}"


def photo_path(photo, filename):
    return f"inspections/{photo.sha256[:2]}/{photo.sha256}/{filename}"


class VisitPhoto(models.Model):
    """A photo taken on a visit, checked as the ledger checks attachments; the visit's findings carry
    copies on their tickets."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos", verbose_name=_("inspection visit"))
    file = models.FileField(upload_to=photo_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("photo of a visit")
        verbose_name_plural = _("photos of visits")

    def __str__(self):
        return self.name


class Finding(models.Model):
    """A problem found on a visit: a ticket for the unit responsible, with the round as its source."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="findings", verbose_name=_("inspection visit"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit responsible"))
    description = models.TextField(_("problem found"))
    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="inspection_finding",
                                  verbose_name=_("ticket"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["pk"]

    def __str__(self):
        return self.description[:50]


class Suggestion(models.Model):
    """What the round suggests (提出建议), to a unit or to no one in particular."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("round"))
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="suggestions",
                              verbose_name=_("inspection visit"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("suggested to"))
    text = models.TextField(_("suggestion"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("made by"))
    at = models.DateTimeField(_("made at"))

    class Meta:
        verbose_name = _("suggestion of an inspection")
        verbose_name_plural = _("suggestions of inspections")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text[:50]

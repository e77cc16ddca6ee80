"""What triage keeps beside the ledger: fingerprints of open tickets and trained classifiers.

Both are derived data. `duban triage reindex` rebuilds the fingerprints from the ledger and
`duban triage train` trains a new classifier; nothing here is part of a ticket's history.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.ledger.models import Ticket


class Fingerprint(models.Model):
    """An open ticket as the duplicate search sees it: its compact text and where it is."""

    ticket = models.OneToOneField(Ticket, primary_key=True, on_delete=models.CASCADE, related_name="fingerprint")
    text = models.TextField()  # normalised, without spaces or punctuation
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    area_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("fingerprint")
        verbose_name_plural = _("fingerprints")
        indexes = [models.Index(fields=["latitude", "longitude"], name="fingerprint_place")]


class Band(models.Model):
    """One locality-sensitive hash band of a fingerprint's MinHash signature: tickets that share a
    band are candidates, so a search reads a few index entries instead of every open ticket."""

    fingerprint = models.ForeignKey(Fingerprint, on_delete=models.CASCADE, related_name="bands")
    bucket = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["bucket"], name="band_bucket")]


class Classifier(models.Model):
    """A linear model trained on the city's closed tickets, predicting a category or a unit.

    The parameters are numpy arrays saved without pickle (`numpy.savez`, loaded with
    `allow_pickle=False`), so a stored model can never run code when it is read.
    """

    class Target(models.TextChoices):
        CATEGORY = "category", _("category")
        UNIT = "unit", _("lead unit")

    target = models.CharField(_("predicts"), max_length=20, choices=Target.choices)
    trained_at = models.DateTimeField(_("trained at"))
    samples = models.PositiveIntegerField(_("training tickets"))
    classes = models.JSONField(default=list)  # primary keys of the categories or units, in model order
    vocabulary = models.JSONField(default=list)  # tokens, in feature order
    parameters = models.BinaryField()  # npz: idf, coef, intercept
    accuracy = models.FloatField(_("held-out accuracy"), null=True, blank=True)

    class Meta:
        verbose_name = _("classifier")
        verbose_name_plural = _("classifiers")
        get_latest_by = "trained_at"
        indexes = [models.Index(fields=["target", "-trained_at"])]

    def __str__(self):
        return f"{self.get_target_display()} @ {self.trained_at:%Y-%m-%d %H:%M}"

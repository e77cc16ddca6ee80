"""Counts for `duban stats`: the notification outbox by status."""
from duban.notify.models import Outbox
from duban.org.stats import counts


def stats():
    return [("outbox", "通知发件箱 Notification outbox", counts(Outbox.objects, "status", Outbox.Status.choices))]

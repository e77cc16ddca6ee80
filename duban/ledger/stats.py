"""Counts for `duban stats`: the ledger's size, and tickets by state, kind and channel."""
from django.db.models import Count

from duban.catalogue.models import Channel, RequestKind
from duban.ledger.models import Checkpoint, Event, State, Ticket
from duban.org.stats import counts


def stats():
    by_channel = Channel.objects.annotate(n=Count("tickets")).order_by("pk").values_list("code", "name", "n")
    return [
        ("ledger", "台账 Ledger", {
            "tickets": (Ticket._meta.verbose_name_plural, Ticket.objects.count()),
            "events": (Event._meta.verbose_name_plural, Event.objects.count()),
            "checkpoints": (Checkpoint._meta.verbose_name_plural, Checkpoint.objects.count()),
        }),
        ("tickets_by_state", "工单（按状态） Tickets by state", counts(Ticket.objects, "state", State.choices)),
        ("tickets_by_kind", "工单（按类型） Tickets by kind", counts(Ticket.objects, "kind", RequestKind.choices)),
        ("tickets_by_channel", "工单（按渠道） Tickets by channel",
         {code: (f"{name} {code}", n) for code, name, n in by_channel}),
    ]

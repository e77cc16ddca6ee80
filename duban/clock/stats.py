"""Counts for `duban stats`: the clock of open tickets, the ladder, and requests waiting."""
from django.db.models import Count, Q
from django.utils import timezone

from duban.clock.models import ClockRequest
from duban.ledger.models import Ticket
from duban.org.stats import counts


def stats():
    now = timezone.now()
    running = Q(resolve_due_at__isnull=False, resolved_at__isnull=True,
                state__in=["dispatched", "acknowledged", "in_progress", "reopened"])
    clocks = Ticket.objects.filter(running).aggregate(
        green=Count("pk", filter=Q(paused_at__isnull=True, warn_at__gt=now)),
        yellow=Count("pk", filter=Q(paused_at__isnull=True, warn_at__lte=now, resolve_due_at__gte=now)),
        red=Count("pk", filter=Q(paused_at__isnull=True, resolve_due_at__lt=now)),
        paused=Count("pk", filter=Q(paused_at__isnull=False)),
    )
    labels = {"green": "绿灯 green", "yellow": "黄灯 yellow", "red": "红灯（超期）red, overdue", "paused": "挂起 paused"}
    ladder = dict(Ticket.objects.filter(escalation_level__gt=0).order_by().values_list("escalation_level")
                  .annotate(n=Count("pk")))
    return [
        ("clock", "时限（在办工单） Clock of open tickets", {k: (labels[k], v) for k, v in clocks.items()}),
        ("escalation", "升级督办 Escalation ladder", {
            "remind": ("催办 remind", ladder.get(1, 0)), "supervise": ("督办 supervise", ladder.get(2, 0)),
            "summon": ("约谈 summon", ladder.get(3, 0))}),
        ("clock_requests", "挂起/延期申请 Pause and extension requests",
         counts(ClockRequest.objects, "status", ClockRequest.Status.choices)),
    ]

"""Counts for `duban stats`: campaigns and their targets met, tasks and reports; pledges by state."""
from django.utils import timezone

from duban.campaigns import service
from duban.campaigns.models import Campaign, CampaignTicket, Pledge, PledgeList, Programme, Target, Task, TaskReport


def stats():
    rows = service.progress(Target.objects.select_related("category"))
    pledges = service.pledge_rows(Pledge.objects.select_related("ticket"), timezone.now())
    return [
        ("campaigns", "专项整治 Campaigns", {
            "programmes": ("整治方案 programmes", Programme.objects.count()),
            "campaigns": ("专项整治 campaigns", Campaign.objects.count()),
            "active": ("进行中 active", Campaign.objects.filter(active=True).count()),
            "targets": ("目标 targets", len(rows)),
            "targets_met": ("已达成目标 targets met", sum(1 for row in rows if row.met)),
            "linked": ("关联工单 linked tickets", CampaignTicket.objects.count()),
            "tasks": ("任务 tasks", Task.objects.count()),
            "reports": ("任务上报 task reports", TaskReport.objects.count()),
        }),
        ("pledges", "惠民实事 Pledges", {
            "lists": ("清单 lists", PledgeList.objects.count()),
            "pledges": ("事项 pledges", len(pledges)),
            **{state: (f"{label_zh} {state.replace('_', ' ')}", sum(1 for p in pledges if p.state == state))
               for state, label_zh in (("done", "完成"), ("in_progress", "进行中"), ("overdue", "逾期"))},
        }),
    ]

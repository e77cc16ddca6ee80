"""Counts for `duban stats`: key projects by stage, blockers open and in all, reviews filed."""
from duban.org.stats import counts
from duban.projects.models import Blocker, Project, Review
from duban.projects.service import DONE_STATES


def stats():
    return [
        ("projects_by_stage", "重点项目（按阶段） Key projects by stage",
         counts(Project.objects.filter(active=True), "stage", Project.Stage.choices)),
        ("project_blockers", "项目堵点 Project blockers", {
            "open": ("未销号 open", Blocker.objects.exclude(ticket__state__in=DONE_STATES).count()),
            "all": ("全部 all", Blocker.objects.count()),
        }),
        ("project_reviews", "双周调度 Fortnightly reviews", {"all": ("全部 all", Review.objects.count())}),
    ]

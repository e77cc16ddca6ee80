"""Counts for `duban stats`: surveys by status, invitations used and unused, responses."""
from duban.org.stats import counts
from duban.surveys.models import Answer, Invitation, Response, Survey


def stats():
    used = Invitation.objects.filter(used_on__isnull=False).count()
    return [
        ("surveys_by_status", "评议问卷（按状态） Surveys by status", counts(Survey.objects, "status", Survey.Status.choices)),
        ("survey_invitations", "邀请 Invitations", {
            "used": ("已作答 used", used),
            "unused": ("未使用 unused", Invitation.objects.count() - used),
        }),
        ("survey_responses", "答卷 Responses", {
            "responses": ("答卷 responses", Response.objects.count()),
            "answers": ("答案 answers", Answer.objects.count()),
        }),
    ]

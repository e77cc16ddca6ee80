"""Key project pages: the board with its lights, a project's page, the secretary's fortnightly review
and the district race. Projects are created and edited in the admin."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.org.models import Person, Unit
from duban.projects import service
from duban.projects.forms import ReviewForm
from duban.projects.models import Blocker, Project
from duban.web import pickers, queues
from duban.web.views.common import error_text, form_errors, roles

Role = Person.Role


def _race_key(request):
    key = request.GET.get("by", "")
    return key if key in service.RACE_KEYS else "investment"


def _race_context(request, today):
    key = _race_key(request)
    return {"race": service.race(today, key), "race_key": key,
            "race_keys": [(code, str(label)) for code, label in service.RACE_KEYS.items()]}


def _int(text):
    return int(text) if text.isdigit() else None


@login_required
def index(request):
    today = timezone.localdate()
    projects = service.visible_projects(request.user).filter(active=True).select_related("district", "unit", "chief",
                                                                                         "secretary")
    districts = Unit.objects.filter(pk__in=projects.values("district_id")).order_by("path")
    district, stage = _int(request.GET.get("district", "")), request.GET.get("stage", "")
    if district:
        projects = projects.filter(district_id=district)
    if stage in Project.Stage.values:
        projects = projects.filter(stage=stage)
    rows = service.with_lights(projects, today)
    light = request.GET.get("light", "")
    if light in service.LIGHT_LABELS:
        rows = [p for p in rows if p.light.colour == light]
    context = {"projects": rows, "districts": districts, "district": district, "stage": stage, "light": light,
               "stages": Project.Stage.choices, "lights": list(service.LIGHT_LABELS.items()),
               "sees_all": service.sees_all(request.user)}
    if context["sees_all"]:
        context.update(_race_context(request, today))
    return render(request, "projects/index.html", context)


@login_required
def detail(request, pk):
    project = get_object_or_404(Project.objects.select_related("district", "unit", "chief", "secretary"), pk=pk)
    if not service.may_see(request.user, project):
        raise PermissionDenied
    now = timezone.now()
    [project] = service.with_lights([project], timezone.localdate(now))
    blockers = list(Blocker.objects.filter(project=project).select_related("unit", "ticket", "review"))
    queues.with_clocks([b.ticket for b in blockers], now)
    reviews = list(project.reviews.select_related("filed_by"))
    for review in reviews:
        review.blocker_list = [b for b in blockers if b.review_id == review.pk]
    return render(request, "projects/detail.html", {
        "project": project, "milestones": list(project.milestones.all()), "reviews": reviews, "blockers": blockers,
        "today": timezone.localdate(now), "may_file": service.may_file(request.user, project)})


@login_required
def review(request, pk):
    project = get_object_or_404(Project.objects.select_related("district"), pk=pk)
    if not service.may_file(request.user, project):
        raise PermissionDenied
    units = pickers.units()
    initial = {"period_end": timezone.localdate(), "stage": project.stage, "progress": project.progress,
               "investment_completed": project.completed_investment}
    form = ReviewForm(request.POST or None, project=project, units=units, initial=initial, auto_id="review-%s")
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Nothing was filed: %(errors)s") % {"errors": form_errors(form)})
        else:
            data = form.cleaned_data
            try:
                filed = service.file_review(
                    project, request.user, period_end=data["period_end"], progress=data["progress"],
                    investment_completed=data["investment_completed"], summary=data["summary"],
                    problems=data["problems"], stage=data["stage"], milestones=data["milestones"],
                    blockers=data["blockers"])
            except ValidationError as error:
                messages.error(request, _("Nothing was filed: %(errors)s") % {"errors": error_text(error)})
            else:
                numbers = "、".join(b.ticket.number for b in filed.blockers.select_related("ticket"))
                messages.success(request, _("Review filed.") + (
                    " " + _("Blocker tickets opened: %(numbers)s.") % {"numbers": numbers} if numbers else ""))
                return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/review.html", {
        "project": project, "form": form, "units": units.labels,
        "workdays": service.blocker_workdays()})


@roles(Role.SUPERVISOR, Role.LEADER)
def race(request):
    return render(request, "projects/race.html", _race_context(request, timezone.localdate()))

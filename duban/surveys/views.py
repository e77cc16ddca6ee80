"""The survey pages. Staff: the list, the builder, invitations (links and QR codes, shown once),
results and their export; supervisors manage, leaders see results. Public: /s/<token>/, the
questionnaire behind an invitation, phone first, without login and without JavaScript."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from duban.lib.replica import reads_replica
from duban.org.models import Person
from duban.surveys import exports, service
from duban.surveys.forms import InvitationsForm, QuestionForm, SurveyForm, questionnaire
from duban.surveys.models import Choice, Question, Survey
from duban.surveys.qr import qr_svg
from duban.surveys.results import results as survey_results
from duban.web.views.common import error_text, form_errors, roles

Role = Person.Role
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _managed(request, pk):
    """The survey, when this person may manage it (403 otherwise)."""
    survey = get_object_or_404(Survey, pk=pk)
    if not service.may_manage(request.user, survey):
        raise PermissionDenied
    return survey


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# --- staff ----------------------------------------------------------------------------------------

@roles(Role.SUPERVISOR, Role.LEADER)
def index(request):
    surveys = Survey.objects.annotate(
        invited=Count("invitations", distinct=True),
        used=Count("invitations", filter=Q(invitations__used_on__isnull=False), distinct=True),
        answered=Count("responses", distinct=True)).order_by("-created_at", "-pk")
    return render(request, "surveys/index.html", {"surveys": surveys, "may_manage": service.may_manage(request.user)})


@roles(Role.SUPERVISOR)
def new(request):
    if not service.may_manage(request.user):
        raise PermissionDenied
    form = SurveyForm(request.POST or None, person=request.user, instance=Survey(created_by=request.user))
    if request.method == "POST":
        if form.is_valid():
            survey = form.save()
            messages.success(request, _("Survey created: now add its questions."))
            return redirect("surveys:edit", pk=survey.pk)
        messages.error(request, form_errors(form))
    return render(request, "surveys/new.html", {"form": form})


@roles(Role.SUPERVISOR)
def edit(request, pk):
    survey = _managed(request, pk)
    form = SurveyForm(request.POST or None, person=request.user, instance=survey)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("surveys:edit", pk=survey.pk)
        messages.error(request, form_errors(form))
    return render(request, "surveys/edit.html", {
        "survey": survey, "form": form, "question_form": QuestionForm(auto_id="new-question-%s"),
        "questions": service.questions_of(survey), "locked": service.is_locked(survey),
        "problems": service.problems(survey) if survey.status != Survey.Status.OPEN else [],
        "units": service.units_of(survey)})


def _done(request, survey, action):
    """Run a change of the builder; its message either way, back to the builder."""
    try:
        with transaction.atomic():
            action()
    except service.SurveyError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("surveys:edit", args=[survey.pk]) + "#questions")


@roles(Role.SUPERVISOR)
@require_POST
def add_question(request, pk):
    survey = _managed(request, pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(reverse("surveys:edit", args=[survey.pk]) + "#add-question")
    data = form.cleaned_data
    return _done(request, survey, lambda: service.add_question(survey, data["kind"], data["text"], data["required"],
                                                              data["choice_list"]))


@roles(Role.SUPERVISOR)
@require_POST
def question(request, pk, question_pk):
    """Save, move up or down, delete a question, or add a choice to it (`do`)."""
    survey = _managed(request, pk)
    item = get_object_or_404(Question, pk=question_pk, survey=survey)
    actions = {
        "save": lambda: service.update_question(item, request.POST.get("text"), request.POST.get("required") == "on"),
        "up": lambda: service.move_question(item, -1),
        "down": lambda: service.move_question(item, 1),
        "delete": lambda: service.delete_question(item),
        "add-choice": lambda: service.add_choice(item, request.POST.get("choice")),
    }
    action = actions.get(request.POST.get("do"))
    if action is None:
        messages.error(request, _("Unknown action."))
        return redirect("surveys:edit", pk=survey.pk)
    return _done(request, survey, action)


@roles(Role.SUPERVISOR)
@require_POST
def choice(request, pk, choice_pk):
    survey = _managed(request, pk)
    item = get_object_or_404(Choice, pk=choice_pk, question__survey=survey)
    actions = {"up": lambda: service.move_choice(item, -1), "down": lambda: service.move_choice(item, 1),
               "delete": lambda: service.delete_choice(item)}
    action = actions.get(request.POST.get("do"))
    if action is None:
        messages.error(request, _("Unknown action."))
        return redirect("surveys:edit", pk=survey.pk)
    return _done(request, survey, action)


@roles(Role.SUPERVISOR)
@require_POST
def status(request, pk):
    survey = _managed(request, pk)
    try:
        service.set_status(survey, request.POST.get("status"))
    except service.SurveyError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The survey is now: %(status)s.") % {"status": survey.get_status_display()})
    return redirect("surveys:edit", pk=survey.pk)


@roles(Role.SUPERVISOR)
def invitations(request, pk):
    """GET: how many invitations there are. POST: make a batch and show its links and QR codes,
    this once (only their hashes are kept)."""
    survey = _managed(request, pk)
    form = InvitationsForm(request.POST or None, survey=survey, auto_id="invite-%s")
    if request.method == "POST":
        if form.is_valid():
            try:
                made = service.invite(survey, form.cleaned_data.get("count") or 0, form.cleaned_data["invitee_list"])
            except service.SurveyError as error:
                messages.error(request, error_text(error))
            else:
                links = [_link(request, survey, number, invitation, token)
                         for number, (invitation, token) in enumerate(made, start=1)]
                return render(request, "surveys/links.html", {"survey": survey, "links": links})
        else:
            messages.error(request, form_errors(form))
    counts = survey.invitations.aggregate(total=Count("pk"), used=Count("pk", filter=Q(used_on__isnull=False)))
    return render(request, "surveys/invitations.html", {"survey": survey, "form": form, "counts": counts})


def _link(request, survey, number, invitation, token):
    url = request.build_absolute_uri(reverse("surveys:answer", args=[token]))
    return {"number": number, "url": url, "token": token, "qr": qr_svg(url, title=f"{survey.title} {number}"),
            "name": invitation.name, "organisation": invitation.organisation}


@roles(Role.SUPERVISOR)
@require_POST
def links_xlsx(request, pk):
    """The links of a batch just made, as .xlsx: the page posts back the tokens it was shown."""
    survey = _managed(request, pk)
    try:
        found = service.invitations_of(survey, request.POST.getlist("token"))
    except service.SurveyError as error:
        messages.error(request, error_text(error))
        return redirect("surveys:invitations", pk=survey.pk)
    rows = [(number, request.build_absolute_uri(reverse("surveys:answer", args=[token])), invitation.name,
             invitation.organisation) for number, (invitation, token) in enumerate(found, start=1)]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx(exports.links_workbook(survey, rows), f"survey-{survey.pk}-links-{stamp}.xlsx")


@roles(Role.SUPERVISOR, Role.LEADER)
@reads_replica
def results(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    found = survey_results(survey)
    return render(request, "surveys/results.html", {
        "survey": survey, "results": found, "may_manage": service.may_manage(request.user, survey)})


@roles(Role.SUPERVISOR, Role.LEADER)
@reads_replica
def results_xlsx(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    return _xlsx(exports.results_workbook(survey, survey_results(survey)), f"survey-{survey.pk}-results.xlsx")


# --- public -----------------------------------------------------------------------------------------

@never_cache
def answer(request, token):
    """The questionnaire behind an invitation. A token that is not one, one already used, or a
    survey not open get a page that says so (404, 410, 410)."""
    invitation = service.invitation_for(token)
    if invitation is None:
        return render(request, "surveys/public/invalid.html", status=404)
    survey = invitation.survey
    if invitation.used_on is not None:
        return _refused(request, survey, service.used_message())
    if not survey.accepts_answers():
        return _refused(request, survey, service.closed_message(survey))
    questions, units = service.questions_of(survey), service.units_of(survey)
    errors = {}
    if request.method == "POST":
        answers, errors = service.read_answers(survey, request.POST, questions, units)
        if not errors:
            try:
                service.submit(invitation, answers)
            except service.SurveyError as error:
                return _refused(request, survey, error_text(error))
            return render(request, "surveys/public/thanks.html", {"survey": survey})
    return render(request, "surveys/public/answer.html", {
        "survey": survey, "items": questionnaire(questions, units, request.POST if errors else None, errors),
        "error_count": len(errors)})


def _refused(request, survey, message):
    return render(request, "surveys/public/refused.html", {"survey": survey, "message": message}, status=410)

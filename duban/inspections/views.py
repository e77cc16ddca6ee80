"""The inspection pages (staff). Supervisors and leaders see the rounds, supervisors create them;
the round's leader and team record its visits; each finding's ticket opens as the ledger allows."""
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from duban.inspections import rounds, xlsx
from duban.inspections.forms import RoundForm, VisitForm
from duban.inspections.models import Finding, Round, Suggestion, VisitPhoto
from duban.ledger.access import is_admin
from duban.lib.replica import reads_replica
from duban.web import pickers, queues

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VISITS_PER_PAGE = 20


def _rounds_for(person):
    """The rounds this person may see: every one for supervisors, leaders and admins, else their own."""
    if is_admin(person) or person.role in rounds.TEAM_ROLES:
        return Round.objects.all()
    return Round.objects.filter(Q(lead=person) | Q(team=person)).distinct()


def _round(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("lead"), pk=pk)
    if not rounds.may_see(request.user, round_):
        raise PermissionDenied
    return round_


@login_required
def index(request):
    person = request.user
    listed = _rounds_for(person)
    if not (is_admin(person) or person.role in rounds.TEAM_ROLES or listed.exists()):
        raise PermissionDenied
    may_create = rounds.may_create(person)
    if request.method == "POST" and not may_create:
        raise PermissionDenied
    form = RoundForm(request.POST or None, auto_id="round-%s") if may_create else None
    if request.method == "POST" and form.is_valid():
        try:
            round_ = rounds.create_round(person, **form.round_fields())
        except rounds.InspectionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Round “%(name)s” created.") % {"name": round_.name})
            return redirect("inspections:round", pk=round_.pk)
    fixed = Q(visits__findings__ticket__state__in=rounds.FIXED_STATES)
    listed = listed.select_related("lead").annotate(
        visit_count=Count("visits", distinct=True), finding_count=Count("visits__findings", distinct=True),
        fixed_count=Count("visits__findings", filter=fixed, distinct=True),
        suggestion_count=Count("suggestions", distinct=True))
    return render(request, "inspections/index.html", {
        "rounds": listed, "form": form, "open_form": request.method == "POST",
    }, status=400 if request.method == "POST" else 200)


@login_required
@reads_replica
def round_page(request, pk):
    round_ = _round(request, pk)
    visits = round_.visits.select_related("unit", "by").prefetch_related(
        "photos", Prefetch("findings", Finding.objects.select_related("unit", "ticket")),
        Prefetch("suggestions", Suggestion.objects.select_related("unit", "by")))
    page = queues.paginate(visits, queues.page_number(request), size=VISITS_PER_PAGE)
    queues.with_clocks([f.ticket for visit in page.rows for f in visit.findings.all()], timezone.now())
    return render(request, "inspections/round.html", {
        "round": round_, "team": round_.team.order_by("name"), "units": round_.units.order_by("path"),
        "report": rounds.report(round_), "page": page, "visible": rounds.visible_ticket_ids(request.user, round_),
        "general_suggestions": round_.suggestions.filter(visit=None).select_related("unit", "by"),
        "may_record": rounds.may_record(request.user, round_),
    })


@login_required
def visit(request, pk):
    round_ = _round(request, pk)
    if not rounds.may_record(request.user, round_):
        raise PermissionDenied
    initial = {"visited_at": timezone.localtime().replace(second=0, microsecond=0)}
    form = VisitForm(request.POST or None, request.FILES or None, initial=initial, auto_id="visit-%s")
    if request.method == "POST" and form.is_valid():
        try:
            recorded = rounds.record_visit(round_, request.user, **form.visit_fields())
        except rounds.InspectionError as error:
            form.add_error(None, error)
        else:
            count = recorded.findings.count()
            messages.success(request, _("Visit to %(place)s recorded: %(count)d findings sent to their units as "
                                        "tickets.") % {"place": recorded.place, "count": count})
            return redirect(reverse("inspections:round", args=[round_.pk]) + f"#visit-{recorded.pk}")
    return render(request, "inspections/visit.html", {
        "round": round_, "form": form, "units": pickers.units().labels, "max_photos": rounds.max_photos(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@reads_replica
def report_xlsx(request, pk):
    round_ = _round(request, pk)
    out = BytesIO()
    xlsx.write_report(round_, request.user, out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    filename = f"{round_.name}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def photo(request, pk):
    item = get_object_or_404(VisitPhoto.objects.select_related("visit__round"), pk=pk)
    if not rounds.may_see(request.user, item.visit.round):
        raise PermissionDenied
    return FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.name)

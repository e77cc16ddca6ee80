"""The hotline's call-backs to make, the supervision office's samples (抽件回访) and appeals (申诉复核).

A call-back is recorded on the ticket's own page (its form calls duban.verdict.service), so the
caller sees the whole matter while on the phone; these pages are the lists that lead there.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.figures.counters import verdict_counts
from duban.figures.figures import Figures
from duban.ledger.access import reporter_of, visible_tickets
from duban.ledger.machine import APPEAL_GROUNDS
from duban.ledger.models import APPEAL_ACTIONS, Event, IdentityView, Rating
from duban.org.models import Person
from duban.verdict import service
from duban.verdict.forms import SampleForm
from duban.verdict.models import CallBack, Sample
from duban.web import queues
from duban.web.views.common import error_text, form_errors, roles

Role = Person.Role
TABS = {"mine": gettext_lazy("Assigned to me"), "ordinary": gettext_lazy("After closing"),
        "sampled": gettext_lazy("Sampled")}


@roles(Role.DISPATCHER, Role.SUPERVISOR)
def call_backs(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "mine"
    calls = (CallBack.objects.filter(status=CallBack.Status.PENDING, ticket__in=visible_tickets(request.user))
             .select_related("ticket__lead_unit", "sample").order_by("due_at", "pk"))
    calls = calls.filter(assigned_to=request.user) if tab == "mine" else calls.filter(kind=tab)
    page = queues.paginate(calls, queues.page_number(request))
    for call in page.rows:
        call.reporter = reporter_of(request.user, call.ticket, IdentityView.Where.CALL_BACK)
    return render(request, "verdict/call_backs.html", {
        "page": page, "tab": tab, "tabs": [(key, str(label)) for key, label in TABS.items()],
        "query": f"tab={tab}", "now": timezone.now()})


@roles(Role.SUPERVISOR)
def samples(request):
    form = SampleForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            data = form.cleaned_data
            try:
                sample = service.draw_sample(name=data["name"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                                             share=data["share"], count=data["count"], seed=data["seed"],
                                             verifiers=data["verifiers"], actor=request.user)
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Drawn: %(n)d matters for call-backs.") % {"n": sample.size})
                return redirect("verdict:sample", pk=sample.pk)
    drawn = Sample.objects.annotate(done=Count("call_backs", filter=~Q(call_backs__status=CallBack.Status.PENDING)))
    return render(request, "verdict/samples.html", {"form": form, "samples": drawn[:50]})


@roles(Role.SUPERVISOR, Role.LEADER)
def sample(request, pk):
    """A sample's results per unit: its own three rates, apart from the ordinary call-backs."""
    sample = get_object_or_404(Sample, pk=pk)
    calls = list(sample.call_backs.select_related("ticket__lead_unit"))
    verdicts = {(e.ticket_id, e.seq): e.payload for e in Event.objects.filter(
        ticket__in=[c.ticket_id for c in calls], action="sample_rate")}
    units = {}
    for call in calls:
        unit = call.ticket.lead_unit
        row = units.setdefault(unit.pk, Figures(unit.pk, unit.name, unit.tier, {}))
        row.extra["drawn"] = row.extra.get("drawn", 0) + 1
        row.extra[call.status] = row.extra.get(call.status, 0) + 1
        payload = verdicts.get((call.ticket_id, call.verdict_seq))
        if payload is not None:
            for column, n in verdict_counts("sample_rate", payload).items():
                row.counts[column] = row.counts.get(column, 0) + n
    return render(request, "verdict/sample.html", {
        "sample": sample, "rows": sorted(units.values(), key=lambda r: r.name),
        "pending": sum(1 for c in calls if c.status == CallBack.Status.PENDING)})


@roles(Role.SUPERVISOR)
def appeals(request):
    """Appeals waiting for a decision (the latest appeal step of the ticket is the appeal itself)."""
    steps = (Event.objects.filter(action__in=APPEAL_ACTIONS, ticket__in=visible_tickets(request.user))
             .select_related("ticket__lead_unit", "actor").order_by("ticket_id", "seq"))
    latest = {}
    for step in steps:
        latest[step.ticket_id] = step
    waiting = sorted((s for s in latest.values() if s.action == "appeal"), key=lambda s: s.at)
    for step in waiting:
        rated = step.payload.get("rating") or {}
        step.grounds_label = APPEAL_GROUNDS.get(step.payload.get("grounds"), "")
        step.rating_label = Rating(rated["rating"]).label if rated.get("rating") in Rating.values else ""
    decided = sorted((s for s in latest.values() if s.action != "appeal"), key=lambda s: s.at, reverse=True)[:30]
    return render(request, "verdict/appeals.html", {"waiting": waiting, "decided": decided})


@roles(Role.DISPATCHER, Role.SUPERVISOR)
@require_POST
def assign(request, pk):
    """Take a call-back onto one's own list."""
    call = get_object_or_404(CallBack, pk=pk, status=CallBack.Status.PENDING,
                             ticket__in=visible_tickets(request.user))
    call.assigned_to = request.user
    call.save(update_fields=["assigned_to"])
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("verdict:call_backs")
    return redirect(back)

"""The handler's workbench: the unit's queue, saved views, and the ticket page with its actions.

Every list starts from visible_tickets(person) and a ticket the person may not see is a 404, so
numbers typed into the address bar show nothing more than the lists do.
"""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.clock.models import ClockRequest
from duban.ledger.access import conceal, may_see_reporter, reporter_of, visible_matches, visible_tickets
from duban.ledger.machine import TRANSITIONS, TransitionError, allowed_actions, perform
from duban.ledger.models import Attachment, Event, IdentityView, State, Ticket
from duban.triage import duplicates
from duban.verdict import service as verdicts
from duban.triage.suggest import suggest
from duban.web import actions, pickers, queues
from duban.web.forms import ActionForm, CallBackForm, QueueFilter, SavedViewForm, SummonForm
from duban.web.models import SavedView
from duban.web.pickers import suggestion_context
from duban.web.timeline import timeline
from duban.web.views.common import by_deadline, error_text, form_errors, listing, query_without_page, visible

TICKET_RELATED = ("category", "channel", "area", "lead_unit", "merged_into", "resolver")


def filter_form(request):
    """The list filters from the query string, and their cleaned values (the defaults while invalid)."""
    form = QueueFilter(request.GET or None, auto_id="filter-%s")
    return form, (form.cleaned_data if form.is_bound and form.is_valid() else {"state": ""})


@login_required
def queue(request):
    person, scope = request.user, request.GET.get("scope", "lead")
    unit_id = person.unit_id or 0
    base = Ticket.objects.filter(co_units=unit_id) if scope == "co" else Ticket.objects.filter(lead_unit_id=unit_id)
    form, filters = filter_form(request)
    now = timezone.now()
    page = listing(request, by_deadline(queues.filtered(visible(request, base), filters, now)))
    query = query_without_page(request)
    return render(request, "web/work/queue.html", {
        "form": form, "page": page, "scope": scope, "query": query,
        "counts": queues.labelled_counts(queues.state_counts(base)),
        "colours": queues.colour_counts(base, now),
        "saved": SavedView.objects.filter(person=person), "save_form": SavedViewForm(initial={"query": query}),
        "categories": pickers.categories().labels,
    })


@login_required
@require_POST
def save_view(request):
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("web:work")
    SavedView.objects.update_or_create(person=request.user, name=form.cleaned_data["name"],
                                       defaults={"query": form.cleaned_data["query"]})
    messages.success(request, _("View “%(name)s” saved.") % {"name": form.cleaned_data["name"]})
    return redirect(reverse("web:work") + "?" + form.cleaned_data["query"])


@login_required
@require_POST
def delete_view(request, pk):
    get_object_or_404(SavedView, pk=pk, person=request.user).delete()
    return redirect("web:work")


# --- the ticket page -----------------------------------------------------------------------------

def _ticket(request, number):
    return get_object_or_404(visible_tickets(request.user).select_related(*TICKET_RELATED), number=number)


@login_required
def ticket_page(request, number):
    person, ticket = request.user, _ticket(request, number)
    events = list(Event.objects.filter(ticket=ticket).select_related("actor__unit").order_by("seq"))
    attachments = list(ticket.attachment_set.order_by("pk"))
    co_units = list(ticket.co_units.all())
    allowed = allowed_actions(person, ticket)
    names = {t.action for t in allowed}
    entries = timeline(ticket, events, attachments, {u.pk for u in co_units})
    call_back = "unreached" in names  # a call-back is waiting and this person may record it
    dispatching = "dispatch" in names
    return render(request, "web/work/ticket.html", {
        "ticket": ticket, "clock": queues.clock_of(ticket, timezone.now()),
        "reporter": reporter_of(person, ticket, IdentityView.Where.PAGE),
        "description": (ticket.description if may_see_reporter(person, ticket)
                        else conceal(ticket.description, ticket.reporter_name)),
        "co_units": co_units, "attachments": attachments,
        "timeline": entries, "co_notes": [e for e in entries if e.by_co_unit and e.event.action == "note"],
        "pending": ClockRequest.objects.filter(ticket=ticket, status=ClockRequest.Status.PENDING)
                   .select_related("requested_by").first(),
        "actions": actions.forms_for(allowed, ticket, ActionForm()),
        "units": pickers.units().labels if names & {"dispatch", "reassign"} else [],
        "categories": pickers.categories().labels if dispatching else [],
        "category_label": ticket.category.full_name() if ticket.category_id and dispatching else "",
        "summon_form": SummonForm(auto_id="summon-%s") if "supervise" in names else None,
        "call_back_form": CallBackForm(auto_id="callback-%s") if call_back else None,
        "triage": ticket.state == State.RECEIVED,
    })


@login_required
def ticket_triage(request, number):
    """Likely duplicates and the suggested category and unit of a ticket waiting for dispatch (htmx)."""
    ticket = _ticket(request, number)
    text = f"{ticket.title} {ticket.description}"
    return render(request, "web/hotline/_triage.html", {
        "matches": visible_matches(request.user, duplicates.find(
            text, area=ticket.area, latitude=ticket.latitude, longitude=ticket.longitude, exclude=ticket.pk)),
        **suggestion_context(suggest(text, area=ticket.area, category=ticket.category)), "prefix": "dispatch",
    })


def ticket_step(form_class):
    """A form posted from the ticket page: the ticket (404 unless visible), the form checked, then the
    step's one call of the machine; the person is told how it went, back on the ticket page.

    The step returns (what it is called, the call to make)."""
    def decorate(step):
        @login_required
        @require_POST
        @wraps(step)
        def view(request, number, **kwargs):
            ticket = _ticket(request, number)
            form = form_class(request.POST, person=request.user)
            if not form.is_valid():
                messages.error(request, form_errors(form))
                return redirect("web:ticket", number=number)
            label, call = step(request, ticket, form, **kwargs)
            try:
                call()
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("%(action)s: done.") % {"action": label})
            return redirect("web:ticket", number=number)
        return view
    return decorate


@ticket_step(ActionForm)
def act(request, ticket, form, action):
    files = [(f, f.name) for f in request.FILES.getlist("files")]
    label = TRANSITIONS[action].label if action in TRANSITIONS else action  # perform refuses the unknown
    return label, lambda: perform(ticket, action, request.user, files=files, **form.params())


@ticket_step(SummonForm)
def summon(request, ticket, form):
    """约谈: summon the head of the lead unit, written as a supervision demand due at the meeting."""
    data = form.cleaned_data
    demand = _("Summons (约谈): the head of %(unit)s is to come to %(place)s on %(when)s. %(about)s") % {
        "unit": ticket.lead_unit.name if ticket.lead_unit_id else "", "place": data["place"],
        "when": date_format(timezone.localtime(data["due"]), "DATETIME_FORMAT"), "about": data["text"]}
    return _("Summon"), lambda: perform(ticket, "supervise", request.user, text=demand, due=data["due"])


@ticket_step(CallBackForm)
def call_back(request, ticket, form):
    """回访: the call-back waiting for this ticket (a sampled one first), as the reporter answered it."""
    data = form.cleaned_data
    waiting = verdicts.pending(ticket).order_by("-kind", "due_at").first()  # "sampled" before "ordinary"

    def record():
        if waiting is None:
            raise TransitionError(_("No call-back of this ticket is waiting."))
        verdicts.record_call_back(waiting, request.user, reached=data["reached"], contacted=data["contacted"],
                                  solved=data["solved"], rating=data["rating"], note=data["text"])
    return _("Record the call-back"), record


@login_required
def attachment(request, number, pk):
    ticket = _ticket(request, number)
    item = get_object_or_404(Attachment, pk=pk, ticket=ticket)
    inline = item.content_type.startswith("image/") or item.content_type == "application/pdf"
    return FileResponse(item.file.open("rb"), content_type=item.content_type, as_attachment=not inline,
                        filename=item.name)


@login_required
def find(request):
    """The number typed in the header: its page, or the queue when it is not one you can see."""
    number = request.GET.get("number", "").strip().upper()
    if visible_tickets(request.user).filter(number=number).exists():
        return redirect("web:ticket", number=number)
    messages.error(request, _("No ticket %(number)s that you can see.") % {"number": number})
    return redirect("web:home")

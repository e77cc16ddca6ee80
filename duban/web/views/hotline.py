"""The hotline centre: take a call at the keyboard, the tickets waiting for dispatch, the returns.

As the operator types, the likely duplicates and the suggested category and unit come up (htmx,
after a pause in typing). Saving files the call through take_in; dispatching or declining it is
then one transition by the operator, so the ledger names who sent it where.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from duban.intake.service import Report, take_in
from duban.ledger.access import visible_matches, visible_tickets
from duban.ledger.machine import perform
from duban.ledger.models import Event, State, Ticket
from duban.org.models import Person
from duban.triage import duplicates
from duban.triage.suggest import suggest
from duban.web import pickers, queues
from duban.web.pickers import suggestion_context
from duban.web.forms import EntryForm
from duban.web.views.common import error_text, listing, roles, visible

Role = Person.Role
REPORT_FIELDS = ("kind", "urgency", "description", "address", "area", "category", "reporter_name", "reporter_phone")


def _entry_page(request, form, categories, units):
    waiting = queues.state_counts(visible_tickets(request.user, Ticket.objects.filter(
        state__in=[State.RECEIVED, State.RETURNED])))
    return render(request, "web/hotline/entry.html", {
        "form": form, "categories": categories.labels, "units": units.labels,
        "received": waiting.get(State.RECEIVED, 0), "returned": waiting.get(State.RETURNED, 0),
        "last": request.session.get("last_entry")})


@roles(Role.DISPATCHER)
def entry(request):
    categories, units = pickers.categories(), pickers.units()
    form = EntryForm(request.POST or None, pickers={"categories": categories, "units": units}, auto_id="entry-%s")
    if request.method != "POST" or not form.is_valid():
        return _entry_page(request, form, categories, units)
    data, do = form.cleaned_data, request.POST.get("do", "save")
    if do == "decline" and not data["decline_reason"]:
        form.add_error("decline_reason", _("Choose one of the six reasons to decline."))
        return _entry_page(request, form, categories, units)
    try:
        ticket = take_in(Report(channel="hotline", **{f: data[f] for f in REPORT_FIELDS}), actor=request.user,
                         dispatch=False).ticket
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _entry_page(request, form, categories, units)
    try:
        if do == "dispatch":
            perform(ticket, "dispatch", request.user, unit=data["unit"], text=data["note"])
        elif do == "decline":
            perform(ticket, "decline", request.user, decline_reason=data["decline_reason"], text=data["note"])
    except ValidationError as error:
        messages.warning(request, _("%(number)s is saved but waits for dispatch: %(why)s")
                         % {"number": ticket.number, "why": error_text(error)})
        return redirect("web:ticket", number=ticket.number)
    messages.success(request, _("%(number)s: %(state)s%(unit)s.") % {
        "number": ticket.number, "state": ticket.get_state_display(),
        "unit": f" → {ticket.lead_unit.name}" if ticket.lead_unit_id else ""})
    request.session["last_entry"] = ticket.number
    return redirect("web:hotline")


@roles(Role.DISPATCHER)
def triage(request):
    """What the operator has typed so far: duplicates and a suggestion (an htmx fragment)."""
    form = EntryForm(request.POST)
    form.is_valid()  # only the fields that parse are used
    data = form.cleaned_data
    text = " ".join([data.get("description", ""), data.get("address", "")]).strip()
    if len(text) < 4:
        return render(request, "web/hotline/_triage.html", {"prefix": "entry"})
    area, category = data.get("area"), data.get("category")
    suggestion = suggest(text, area=area, category=category)
    return render(request, "web/hotline/_triage.html", {
        "matches": visible_matches(request.user, duplicates.find(text, area=area)),
        **suggestion_context(suggestion), "prefix": "entry"})


@roles(Role.DISPATCHER, Role.SUPERVISOR)
def received(request):
    page = listing(request, visible(request).filter(state=State.RECEIVED).order_by("created_at", "pk"))
    return render(request, "web/list.html", {"page": page, "title": _("Waiting for dispatch"), "tab": "received"})


@roles(Role.DISPATCHER, Role.SUPERVISOR)
def returned(request):
    """Returns (退单) to review: each with the unit's reason, read in one query for the page."""
    page = listing(request, visible(request).filter(state=State.RETURNED).order_by("updated_at", "pk"))
    reasons = {}
    for ticket_id, payload in (Event.objects.filter(ticket__in=[t.pk for t in page.rows], action="return")
                               .order_by("seq").values_list("ticket_id", "payload")):
        reasons[ticket_id] = payload.get("reason", "")  # the latest return wins
    for ticket in page.rows:
        ticket.extra = reasons.get(ticket.pk, "")
    return render(request, "web/list.html", {"page": page, "title": _("Returned by the unit: review and reassign"),
                                             "tab": "returned", "extra_label": _("Why it was returned")})

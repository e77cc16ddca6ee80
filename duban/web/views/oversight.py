"""Supervisors and leaders: what waits for verification or closing, the requests to decide, the
overdue matters to supervise; a leader's page of everything in their stewardship (包保)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.clock.models import ClockRequest
from duban.ledger.access import may_see_whistleblower, stewardship_filter
from duban.ledger.models import IdentityView, State, Ticket
from duban.org.models import Person, Stewardship
from duban.web import pickers, queues
from duban.web.views.common import by_deadline, listing, query_without_page, roles, visible
from duban.web.views.work import filter_form

Role = Person.Role
PENDING = ClockRequest.Status.PENDING
TABS = {
    "verify": (_("Resolved: verify or send back"), lambda qs, now: qs.filter(state=State.RESOLVED)
               .order_by("resolved_at", "pk")),
    "close": (_("Verified: close"), lambda qs, now: qs.filter(state=State.VERIFIED).order_by("updated_at", "pk")),
    "requests": (_("Pause and extension requests"), lambda qs, now: qs.filter(
        pk__in=ClockRequest.objects.filter(status=PENDING).values("ticket_id")).order_by("updated_at", "pk")),
    "overdue": (_("Overdue: supervise"), lambda qs, now: by_deadline(qs.filter(queues.colour_filter("red", now)))),
}


@roles(Role.SUPERVISOR, Role.DISPATCHER, Role.LEADER)
def oversight(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "verify"
    now = timezone.now()
    page = listing(request, TABS[tab][1](visible(request), now))
    if tab == "requests":
        asking = {r.ticket_id: r for r in ClockRequest.objects.filter(ticket__in=[t.pk for t in page.rows],
                                                                      status=PENDING)}
        for ticket in page.rows:
            asked = asking.get(ticket.pk)
            ticket.extra = f"{asked.get_kind_display()} {asked.days or ''} — {asked.reason}" if asked else ""
    waiting = queues.state_counts(visible(request, Ticket.objects.filter(state__in=[State.RESOLVED, State.VERIFIED])))
    return render(request, "web/oversight/oversight.html", {
        "page": page, "tab": tab, "tabs": [(key, label) for key, (label, _query) in TABS.items()],
        "title": TABS[tab][0], "waiting": waiting, "extra_label": _("Request") if tab == "requests" else "",
    })


@login_required
def steward(request):
    """Everything in the person's active stewardships: counts by state and clock, and the list."""
    person, now = request.user, timezone.now()
    charges = list(Stewardship.objects.active().filter(person=person).select_related("unit"))
    mine = Ticket.objects.filter(stewardship_filter(person))
    form, filters = filter_form(request)
    page = listing(request, by_deadline(queues.filtered(visible(request, mine), filters, now)))
    query = query_without_page(request)
    return render(request, "web/oversight/steward.html", {
        "charges": charges, "page": page, "form": form, "query": query,
        "counts": queues.labelled_counts(queues.state_counts(mine)) if charges else [],
        "colours": queues.colour_counts(mine, now) if charges else {},
        "categories": pickers.categories().labels,
    })


@login_required
def identity_views(request):
    """The log of whistle-blowers shown in clear (who, which ticket, where, when), for those who may see them."""
    if not may_see_whistleblower(request.user):
        raise PermissionDenied
    views = IdentityView.objects.select_related("ticket", "person").order_by("-at", "-pk")
    return render(request, "web/oversight/identity_views.html",
                  {"page": queues.paginate(views, queues.page_number(request))})

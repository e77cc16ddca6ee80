"""The enterprise pages: the register, a firm's page (its cadres, visits and requests), a new firm.

Anyone signed in opens the register and sees the firms they may (service.visible_enterprises);
a firm they may not see is a 404. Forms post to their own address and, when refused, the firm's
page is shown again with what was typed and the reason.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.enterprises import service
from duban.enterprises.forms import AssignForm, EnterpriseForm, RegisterFilter, RequestForm, VisitForm, people
from duban.enterprises.models import Enterprise, EnterpriseRequest, Visit
from duban.ledger.access import is_admin, visible_tickets
from duban.ledger.machine import OPEN_STATES
from duban.ledger.models import Ticket
from duban.org.models import Person, Unit
from duban.web import pickers, queues
from duban.web.views.common import error_text, form_errors, query_without_page, roles

Role = Person.Role
REQUEST_PREFIXES = ("r1", "r2", "r3")


def _filtered(firms, form):
    """The firms the register's filters (when valid) leave."""
    if not (form.is_bound and form.is_valid()):
        return firms
    data = form.cleaned_data
    if data["district"]:
        firms = firms.filter(district__path__startswith=Unit.objects.get(pk=data["district"]).path)
    if data["industry"]:
        firms = firms.filter(industry=data["industry"])
    if data["q"].strip():
        firms = firms.filter(name__contains=data["q"].strip())
    return firms


def _with_cadres_requests_and_visits(firms):
    """Each firm's active charge, open requests and last visit: three queries for the whole page."""
    ids = [firm.pk for firm in firms]
    charges = service.charges([firm.name for firm in firms])
    still_open = dict(EnterpriseRequest.objects.filter(enterprise__in=ids, ticket__state__in=OPEN_STATES)
                      .order_by().values_list("enterprise").annotate(n=Count("pk")))
    last = dict(Visit.objects.filter(enterprise__in=ids).order_by().values_list("enterprise")
                .annotate(at=Max("visited_at")))
    for firm in firms:
        firm.charge = charges.get(firm.name)
        firm.open_requests = still_open.get(firm.pk, 0)
        firm.last_visit = last.get(firm.pk)


@login_required
def index(request):
    person = request.user
    everything = service.sees_all(person)
    tab = "all" if everything and request.GET.get("tab") != "mine" else "mine"
    firms = Enterprise.objects.all() if tab == "all" else (
        service.cadre_firms(person) if everything else service.visible_enterprises(person))
    form = RegisterFilter(request.GET or None, auto_id="filter-%s")
    firms = _filtered(firms, form).select_related("district").order_by("district_id", "name")
    page = queues.paginate(firms, queues.page_number(request))
    _with_cadres_requests_and_visits(page.rows)
    return render(request, "enterprises/index.html", {
        "page": page, "form": form, "tab": tab, "sees_all": everything, "query": query_without_page(request),
        "may_register": person.role == Role.SUPERVISOR or is_admin(person),
    })


def _firm(request, pk):
    return get_object_or_404(service.visible_enterprises(request.user).select_related("district"), pk=pk)


def _page(request, firm, *, visit_form=None, request_forms=None, assign_form=None, status=200):
    person, now = request.user, timezone.now()
    requests = list(firm.requests.select_related("ticket__lead_unit", "visit").order_by("-ticket__created_at"))
    seen = set(visible_tickets(person, Ticket.objects.filter(pk__in=[r.ticket_id for r in requests]))
               .values_list("pk", flat=True))
    queues.with_clocks([r.ticket for r in requests], now)
    for row in requests:
        row.visible = row.ticket_id in seen
    # A grouped query leaves Meta.ordering out: the latest visit first, said again.
    visits = (firm.visits.select_related("cadre").annotate(request_count=Count("requests"))
              .order_by("-visited_at", "-pk"))
    may_record = service.may_record(person, firm)
    may_manage = service.may_manage(person, firm.district)
    return render(request, "enterprises/detail.html", {
        "firm": firm, "contact": service.contact_of(person, firm), "cadre": service.cadre_of(firm),
        "history": service.cadre_history(firm), "requests": requests,
        "open_count": sum(1 for r in requests if r.ticket.state in OPEN_STATES),
        "visits": visits,
        "may_record": may_record, "may_manage": may_manage,
        "visit_form": visit_form or VisitForm(auto_id="visit-%s"),
        "request_forms": request_forms or [RequestForm(prefix=p, auto_id="%s") for p in REQUEST_PREFIXES],
        "assign_form": assign_form or AssignForm(auto_id="assign-%s"),
        "workdays": service.request_workdays(),
        "units": pickers.units().labels if may_record else [],
        "categories": pickers.categories().labels if may_record else [],
        "people": people().labels if may_manage else [],
    }, status=status)


@login_required
def detail(request, pk):
    return _page(request, _firm(request, pk))


@login_required
@require_POST
def visit(request, pk):
    firm = _firm(request, pk)
    if not service.may_record(request.user, firm):
        raise PermissionDenied
    visit_form = VisitForm(request.POST, auto_id="visit-%s")
    request_forms = [RequestForm(request.POST, prefix=p, auto_id="%s") for p in REQUEST_PREFIXES]
    forms_valid = [f.is_valid() for f in [visit_form, *request_forms]]
    if not all(forms_valid):
        problems = [form_errors(f) for f in [visit_form, *request_forms] if f.errors]
        messages.error(request, " ".join(problems))
        return _page(request, firm, visit_form=visit_form, request_forms=request_forms, status=400)
    data = visit_form.cleaned_data
    specs = [f.spec() for f in request_forms if f.filled()]
    try:
        service.record_visit(firm, cadre=request.user, visited_at=data["visited_at"], kind=data["kind"],
                             notes=data["notes"], needs=data["needs"], requests=specs)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _page(request, firm, visit_form=visit_form, request_forms=request_forms, status=400)
    messages.success(request, _("Visit recorded with %(n)d requests, each due in %(days)d working days.")
                     % {"n": len(specs), "days": service.request_workdays()})
    return redirect("enterprises:detail", pk=firm.pk)


@roles(Role.SUPERVISOR)
@require_POST
def assign(request, pk):
    firm = _firm(request, pk)
    if not service.may_manage(request.user, firm.district):
        raise PermissionDenied
    form = AssignForm(request.POST, auto_id="assign-%s")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _page(request, firm, assign_form=form, status=400)
    try:
        service.assign_cadre(firm, form.cleaned_data["cadre"], note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _page(request, firm, assign_form=form, status=400)
    messages.success(request, _("%(person)s is now the cadre of %(firm)s.")
                     % {"person": form.cleaned_data["cadre"], "firm": firm.name})
    return redirect("enterprises:detail", pk=firm.pk)


@roles(Role.SUPERVISOR)
def new(request):
    form = EnterpriseForm(request.POST or None, auto_id="firm-%s")
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            try:
                firm = service.register(request.user, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("%(name)s is on the register.") % {"name": firm.name})
                return redirect("enterprises:detail", pk=firm.pk)
    return render(request, "enterprises/new.html", {
        "form": form, "units": pickers.units().labels, "people": people().labels,
    }, status=400 if form.is_bound else 200)

"""Campaigns (staff): the programme with each campaign's targets, a campaign's page with its linked
tickets and tasks; pledges: the public page, and the supervisors' and owners' pages.

A page that receives a form it must refuse shows itself again with the form's errors (status 400)
or says why in a message; nothing is written.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from duban.campaigns import service
from duban.campaigns.forms import LinkForm, PledgeForm, PledgeListForm, ReportForm, TaskForm, UpdateForm
from duban.campaigns.models import Campaign, CampaignTicket, Pledge, PledgeList, Task
from duban.ledger.access import can_see, is_admin, visible_tickets
from duban.ledger.machine import OPEN_STATES
from duban.ledger.models import State
from duban.lib.text import mask_phones
from duban.org.models import Person
from duban.web import pickers, queues
from duban.web.views.common import error_text, form_errors, roles

Role = Person.Role
STAFF = (Role.DISPATCHER, Role.HANDLER, Role.UNIT_HEAD, Role.SUPERVISOR, Role.LEADER)


def _files(request):
    return [(f, f.name) for f in request.FILES.getlist("files")]


# --- campaigns ------------------------------------------------------------------------------

@roles(*STAFF)
def index(request):
    campaigns = list(Campaign.objects.select_related("programme", "lead_unit")
                     .annotate(linked=Count("links", distinct=True), task_count=Count("tasks", distinct=True))
                     .order_by("-active", "programme_id", "starts_on", "pk"))
    progress = service.campaign_progress(campaigns)
    groups = {}
    for campaign in campaigns:
        campaign.progress = progress.get(campaign.pk, [])
        groups.setdefault(campaign.programme, []).append(campaign)
    programmes = sorted(groups.items(), key=lambda item: (item[0] is None, -(item[0].pk if item[0] else 0)))
    return render(request, "campaigns/index.html", {"programmes": programmes})


def _tasks(campaign, person):
    tasks = list(campaign.tasks.select_related("target", "unit", "ticket__lead_unit")
                 .prefetch_related("reports__by").annotate(reported=Sum("reports__quantity")))
    queues.with_clocks([t.ticket for t in tasks], timezone.now())
    for task in tasks:
        task.may_report = task.ticket.state in OPEN_STATES and service.may_report(person, task)
        task.visible = can_see(person, task.ticket)
    return tasks


def _campaign_page(request, campaign, status=200, **forms):
    person = request.user
    links = (CampaignTicket.objects.filter(campaign=campaign)
             .filter(ticket__in=visible_tickets(person))
             .select_related("ticket__category", "ticket__lead_unit", "linked_by").order_by("-linked_at", "-pk"))
    page = queues.paginate(links, queues.page_number(request))
    queues.with_clocks([link.ticket for link in page.rows], timezone.now())
    tasks = _tasks(campaign, person)
    may_link = service.may_link(person)
    may_assign = is_admin(person) or person.role == Role.SUPERVISOR
    for task in tasks:
        if task.may_report and f"report_{task.pk}" not in forms:
            forms[f"report_{task.pk}"] = ReportForm(auto_id=f"report-{task.pk}-%s")
        task.form = forms.get(f"report_{task.pk}")
    return render(request, "campaigns/campaign.html", {
        "campaign": campaign, "progress": service.progress(campaign.targets.select_related("category")),
        "page": page, "linked_total": campaign.links.count(),
        "closed_total": campaign.links.filter(ticket__state=State.CLOSED).count(),
        "tasks": tasks, "may_link": may_link, "may_assign": may_assign,
        "candidates": service.candidates(campaign, person) if may_link else [],
        "link_form": forms.get("link_form") or LinkForm(auto_id="link-%s"),
        "task_form": forms.get("task_form") or TaskForm(campaign=campaign, auto_id="task-%s"),
        "units": pickers.units().labels if may_assign else [],
        "co_units": campaign.co_units.all(), "covered_categories": campaign.categories.all(),
    }, status=status)


@roles(*STAFF)
def campaign(request, pk):
    return _campaign_page(request, get_object_or_404(Campaign.objects.select_related("programme", "lead_unit"), pk=pk))


@roles(Role.DISPATCHER, Role.SUPERVISOR)
@require_POST
def link(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = LinkForm(request.POST, auto_id="link-%s")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _campaign_page(request, campaign, 400, link_form=form)
    try:
        ticket = service.find_ticket(request.user, form.cleaned_data["number"])
        service.link(campaign, ticket, request.user)
    except ValidationError as error:
        form.add_error("number", error)
        messages.error(request, error_text(error))
        return _campaign_page(request, campaign, 400, link_form=form)
    messages.success(request, _("Ticket %(number)s now serves “%(campaign)s”.")
                     % {"number": ticket.number, "campaign": campaign.name})
    return redirect("campaigns:campaign", pk=campaign.pk)


@roles(Role.DISPATCHER, Role.SUPERVISOR)
@require_POST
def unlink(request, pk, number):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        ticket = service.find_ticket(request.user, number)
        service.unlink(campaign, ticket, request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Ticket %(number)s no longer serves “%(campaign)s”.")
                         % {"number": ticket.number, "campaign": campaign.name})
    return redirect("campaigns:campaign", pk=campaign.pk)


@roles(Role.SUPERVISOR)
@require_POST
def add_task(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = TaskForm(request.POST, campaign=campaign, auto_id="task-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = service.add_task(campaign, unit=data["unit"], title=data["title"], due=data["due"],
                                    target=data["target"], description=data["description"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Task given to %(unit)s as ticket %(number)s.")
                             % {"unit": task.unit.name, "number": task.ticket.number})
            return redirect("campaigns:campaign", pk=campaign.pk)
    messages.error(request, form_errors(form))
    return _campaign_page(request, campaign, 400, task_form=form)


@roles(Role.HANDLER, Role.UNIT_HEAD)
@require_POST
def report(request, pk):
    task = get_object_or_404(Task.objects.select_related("campaign", "target", "ticket__lead_unit"), pk=pk)
    if not service.may_report(request.user, task):
        raise PermissionDenied
    form = ReportForm(request.POST, auto_id=f"report-{task.pk}-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.report(task, request.user, data["quantity"], data["note"], files=_files(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reported on “%(task)s”.") % {"task": task.title})
            return redirect("campaigns:campaign", pk=task.campaign_id)
    messages.error(request, form_errors(form))
    return _campaign_page(request, task.campaign, 400, **{f"report_{task.pk}": form})


# --- pledges: the public page ---------------------------------------------------------------

@cache_control(public=True, max_age=300)
def public_pledges(request):
    """惠民实事 for everyone: units, targets, deadlines, percentages and states; never a person,
    and of the updates only the texts their owners marked public."""
    lists = list(PledgeList.objects.filter(published=True).prefetch_related(
        Prefetch("pledges", queryset=Pledge.objects.select_related("owner", "ticket").order_by("number"))))
    now = timezone.now()
    for pledge_list in lists:
        pledges = service.pledge_rows(pledge_list.pledges.all(), now)
        for row in pledges:  # a public page: no phone number, even in a text its owner made public
            if row.latest_public:
                row.latest_public.text = mask_phones(row.latest_public.text)
        pledge_list.areas = service.by_area(pledges)
        pledge_list.counts = {state: sum(1 for p in pledges if p.state == state) for state in service.PLEDGE_STATES}
        pledge_list.total = len(pledges)
    return render(request, "campaigns/public_pledges.html", {"lists": lists, "labels": service.PLEDGE_STATES})


# --- pledges: the staff pages ---------------------------------------------------------------

PLEDGE_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.HANDLER, Role.UNIT_HEAD)


def _chosen_list(request, lists):
    wanted = request.GET.get("list") or request.POST.get("list")
    chosen = next((pl for pl in lists if str(pl.pk) == wanted), None)
    return chosen or (lists[0] if lists else None)


def _manage_page(request, status=200, **forms):
    person = request.user
    manager = service.may_manage_pledges(person)
    lists = list(PledgeList.objects.annotate(size=Count("pledges")))
    chosen = _chosen_list(request, lists)
    pledges = Pledge.objects.select_related("owner", "ticket__lead_unit", "pledge_list")
    if manager or person.role == Role.LEADER:
        pledges = pledges.filter(pledge_list=chosen) if chosen else pledges.none()
    else:
        pledges = pledges.filter(ticket__lead_unit_id=person.unit_id or 0)
    rows = service.pledge_rows(pledges.order_by("pledge_list_id", "number"))
    return render(request, "campaigns/manage_pledges.html", {
        "lists": lists, "chosen": chosen, "rows": rows, "manager": manager, "labels": service.PLEDGE_STATES,
        "list_form": forms.get("list_form") or PledgeListForm(auto_id="list-%s"),
        "pledge_form": forms.get("pledge_form") or PledgeForm(auto_id="pledge-%s"),
        "units": pickers.units().labels if manager else [],
    }, status=status)


@roles(*PLEDGE_ROLES)
def manage_pledges(request):
    return _manage_page(request)


@roles(Role.SUPERVISOR)
@require_POST
def add_list(request):
    form = PledgeListForm(request.POST, auto_id="list-%s")
    if form.is_valid():
        data = form.cleaned_data
        if PledgeList.objects.filter(name=data["name"].strip()).exists():
            form.add_error("name", _("A list with this name exists already."))
        else:
            pledge_list = PledgeList.objects.create(name=data["name"].strip(), year=data["year"],
                                                    description=data["description"], published=data["published"])
            messages.success(request, _("List “%(list)s” created.") % {"list": pledge_list.name})
            return redirect(_list_url(pledge_list))
    messages.error(request, form_errors(form))
    return _manage_page(request, 400, list_form=form)


def _list_url(pledge_list):
    return reverse("campaigns:manage_pledges") + f"?list={pledge_list.pk}"


@roles(Role.SUPERVISOR)
@require_POST
def publish_list(request, pk):
    pledge_list = get_object_or_404(PledgeList, pk=pk)
    pledge_list.published = request.POST.get("published") == "yes"
    pledge_list.save(update_fields=["published"])
    if pledge_list.published:
        messages.success(request, _("“%(list)s” is shown on the public page.") % {"list": pledge_list.name})
    else:
        messages.success(request, _("“%(list)s” is no longer shown on the public page.") % {"list": pledge_list.name})
    return redirect(_list_url(pledge_list))


@roles(Role.SUPERVISOR)
@require_POST
def add_pledge(request, pk):
    pledge_list = get_object_or_404(PledgeList, pk=pk)
    form = PledgeForm(request.POST, auto_id="pledge-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            pledge = service.add_pledge(pledge_list, area=data["area_of_work"], number=data["number"],
                                        title=data["title"], target=data["target"], owner=data["unit"],
                                        deadline=data["deadline"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Pledge %(number)s given to %(unit)s as ticket %(ticket)s.")
                             % {"number": pledge.number, "unit": pledge.owner.name, "ticket": pledge.ticket.number})
            return redirect(_list_url(pledge_list))
    messages.error(request, form_errors(form))
    request.GET = request.GET.copy()
    request.GET["list"] = str(pledge_list.pk)
    return _manage_page(request, 400, pledge_form=form)


def _pledge_page(request, pledge, status=200, form=None):
    person = request.user
    may_update = pledge.ticket.state in OPEN_STATES and service.may_update(person, pledge)
    service.pledge_rows([pledge])
    queues.with_clocks([pledge.ticket], timezone.now())
    return render(request, "campaigns/pledge.html", {
        "pledge": pledge, "updates": pledge.updates.select_related("by").order_by("-at", "-pk"),
        "may_update": may_update, "form": form or (UpdateForm(auto_id="update-%s") if may_update else None),
        "ticket_visible": can_see(person, pledge.ticket),
    }, status=status)


def _pledge(request, pk):
    pledge = get_object_or_404(Pledge.objects.select_related("pledge_list", "owner", "ticket__lead_unit"), pk=pk)
    person = request.user
    if not (service.may_manage_pledges(person) or service.may_update(person, pledge) or can_see(person, pledge.ticket)):
        raise PermissionDenied
    return pledge


@roles(*PLEDGE_ROLES)
def pledge(request, pk):
    pledge = _pledge(request, pk)
    if request.method != "POST":
        return _pledge_page(request, pledge)
    if not service.may_update(request.user, pledge):
        raise PermissionDenied
    form = UpdateForm(request.POST, auto_id="update-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.update_pledge(pledge, request.user, data["percent"], data["text"], data["public"],
                                  files=_files(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Progress of pledge %(number)s saved.") % {"number": pledge.number})
            return redirect("campaigns:pledge", pk=pledge.pk)
    messages.error(request, form_errors(form))
    return _pledge_page(request, pledge, 400, form)


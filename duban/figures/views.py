"""The pages of the figures. Staff: /rankings/ (a month's ranking per tier, with every rate and its
sample) and /dashboard/ (charts of a month in an area). Everyone, without logging in: /board/, the
public board (晾晒台): the month's ranking, the race boards and the assessment's results, figures
and unit names only."""
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from duban.figures import boards
from duban.figures.figures import Period, PeriodError, ranking
from duban.ledger.access import is_admin
from duban.lib.replica import reads_replica
from duban.org.models import Person, Unit
from duban.web.views.common import roles

Role = Person.Role
STAFF = (Role.SUPERVISOR, Role.LEADER, Role.DISPATCHER)


def chosen_period(request, span):
    """The month asked for (?month=2026-10), else the span's default; (period, error message)."""
    text = request.GET.get("month", "").strip()
    if not text:
        return span.default(timezone.localdate()), ""
    try:
        return Period.month(text), ""
    except PeriodError as error:
        return None, str(error)


def bulletin_url(period):
    """The month's bulletin as a workbook (the bulletin app's address, or the one it will have)."""
    try:
        return reverse("bulletin:download", kwargs={"month": period.label, "format": "xlsx"})
    except NoReverseMatch:
        return f"/bulletins/{period.label}.xlsx"


@roles(*STAFF)
@reads_replica
def rankings(request):
    span = boards.span()
    period, error = chosen_period(request, span)
    ranked = ranking(period) if period else []
    present = {f.tier for f in ranked}
    tier_choices = [(code, label) for code, label in Unit.Tier.choices if code in present]
    tier = request.GET.get("tier", "").strip()
    if tier and tier not in Unit.Tier.values:
        error = error or _("There is no tier “%(tier)s”; choose one from the list.") % {"tier": tier}
    elif tier:
        ranked = [f for f in ranked if f.tier == tier]
    return render(request, "figures/rankings.html", {
        "period": period, "months": span.months(), "error": error, "tier": tier, "tier_choices": tier_choices,
        "tiers": boards.tiers(ranked) if not error else [], "headings": boards.headings(),
        "bulletin_url": bulletin_url(period) if period else "",
        "red_size": settings.RED_LIST_SIZE, "black_size": settings.BLACK_LIST_SIZE,
    }, status=400 if error else 200)


def scope_of(person):
    """The unit whose subtree the person oversees (None: an admin, who oversees everything)."""
    if is_admin(person):
        return None
    if person.scope_unit is None:
        raise PermissionDenied
    return person.scope_unit


def dashboard_area(request, root):
    """The area asked for (?area=<unit id>) within the root's subtree; (Area, error message).
    Asking for an area outside it is refused (403)."""
    text = request.GET.get("area", "").strip()
    if not text:
        return boards.Area(root), ""
    unit = Unit.objects.filter(pk=int(text)).first() if text.isdigit() else None
    if unit is None:
        return boards.Area(root), _("There is no unit numbered “%(area)s”; choose an area from the list.") % {
            "area": text}
    if root is not None and not unit.path.startswith(root.path):
        raise PermissionDenied(_("You oversee %(scope)s only.") % {"scope": root.name})
    return boards.Area(unit), ""


@roles(*STAFF)
@reads_replica
def dashboard(request):
    root = scope_of(request.user)
    area, area_error = dashboard_area(request, root)
    span = boards.span()
    period, error = chosen_period(request, span)
    error = error or area_error
    charts = boards.dashboard(period, area, timezone.now(), timezone.localdate()) if not error else None
    return render(request, "figures/dashboard.html", {
        "period": period, "months": span.months(), "error": error, "area": area.unit, "root": root,
        "areas": boards.area_choices(root), "charts": charts, "tables": boards.tables(charts) if charts else {},
    }, status=400 if error else 200)


@cache_control(public=True, max_age=300)
@reads_replica
def board(request):
    """晾晒台: for everyone; unit names and figures only, never a person or a matter."""
    span = boards.span()
    period, error = chosen_period(request, span)
    tiers = boards.tiers(ranking(period), keys=boards.PUBLIC_COLUMNS) if period else []
    return render(request, "figures/board.html", {
        "period": period, "months": span.months(), "error": error, "tiers": tiers,
        "headings": boards.headings(boards.PUBLIC_COLUMNS),
        "races": boards.race_boards(period) if period else [],
        "assessments": boards.assessment_tables(period) if period else [],
    }, status=400 if error else 200)

"""The assessment pages (staff). Supervisors and leaders see the schemes and each month's table;
supervisors over every assessed unit enter the scores given by hand and publish a month."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.assessment import scoring
from duban.assessment.models import ManualScore, Scheme
from duban.figures.figures import Period, PeriodError
from duban.lib.replica import reads_replica
from duban.org.models import Person
from duban.web.views.common import error_text, roles

Role = Person.Role


def _month(text):
    """The month asked for (?month=2026-10), else last month."""
    try:
        return Period.month(text)
    except PeriodError:
        today = timezone.localdate()
        return Period.of_month(today.year, today.month).previous()


def _table_url(scheme, period):
    return reverse("assessment:scheme", args=[scheme.pk]) + f"?month={period.label}"


@roles(Role.SUPERVISOR, Role.LEADER)
@reads_replica
def index(request):
    schemes = Scheme.objects.annotate(
        units=Count("participants", distinct=True), latest=Max("results__month"),
    ).order_by("-active", "name")
    points = dict(Scheme.objects.annotate(total=Sum("dimensions__points")).values_list("pk", "total"))
    dimensions = dict(Scheme.objects.annotate(n=Count("dimensions")).values_list("pk", "n"))
    for scheme in schemes:
        scheme.points, scheme.dimension_count = points[scheme.pk], dimensions[scheme.pk]
    return render(request, "assessment/index.html", {"schemes": schemes, "month": _month("")})


@roles(Role.SUPERVISOR, Role.LEADER)
@reads_replica
def scheme(request, pk):
    scheme = get_object_or_404(Scheme, pk=pk)
    period = _month(request.GET.get("month", ""))
    rows = scoring.published(scheme, period)
    published = bool(rows)
    if not published:
        rows = scoring.score(scheme, period)
    return render(request, "assessment/scheme.html", {
        "scheme": scheme, "period": period, "month_text": scoring.month_text(period), "rows": rows,
        "dimensions": scoring.dimensions(scheme), "published": published,
        "published_result": scheme.results.filter(month=period.start).select_related("published_by").first(),
        "reflections": scoring.reflections(scheme, period) if published else [],
        "missing": any(row.missing for row in rows), "may_manage": scoring.may_manage(request.user, scheme),
        "reflection_workdays": settings.REFLECTION_WORKDAYS,
    })


@roles(Role.SUPERVISOR)
@require_POST
def publish(request, pk):
    scheme = get_object_or_404(Scheme, pk=pk)
    if not scoring.may_manage(request.user, scheme):
        raise PermissionDenied
    period = _month(request.POST.get("month", ""))
    try:
        results = scoring.publish(scheme, period, request.user)
    except scoring.AssessmentError as error:
        messages.error(request, error_text(error))
    else:
        black = sum(1 for r in results if r.mark == "black")
        messages.success(request, _("%(month)s published: %(count)d reflection tickets opened.")
                         % {"month": scoring.month_text(period), "count": black})
    return redirect(_table_url(scheme, period))


class ManualForm(forms.Form):
    """Per unit: its points on the dimension for the month and the reason for them."""

    def __init__(self, *args, dimension, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension, self.units = dimension, units
        for unit in units:
            self.fields[f"points-{unit.pk}"] = forms.DecimalField(
                label=unit.name, required=False, min_value=0, max_value=dimension.points, decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
            self.fields[f"reason-{unit.pk}"] = forms.CharField(
                label=_("Reason"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        for unit in self.units:
            points, reason = data.get(f"points-{unit.pk}"), (data.get(f"reason-{unit.pk}") or "").strip()
            if points is not None and not reason:
                self.add_error(f"reason-{unit.pk}", _("Write the reason for the points."))
            if points is None and reason and f"points-{unit.pk}" not in self.errors:
                self.add_error(f"points-{unit.pk}", _("Enter the points, or clear the reason."))
        return data

    def entries(self, entered):
        """unit → (points, reason), or None to remove a score entered before; units left empty
        that had no score are left out."""
        result = {}
        for unit in self.units:
            points = self.cleaned_data[f"points-{unit.pk}"]
            if points is not None:
                result[unit] = (points, self.cleaned_data[f"reason-{unit.pk}"])
            elif unit.pk in entered:
                result[unit] = None
        return result

    def unit_rows(self):
        return [(unit, self[f"points-{unit.pk}"], self[f"reason-{unit.pk}"]) for unit in self.units]


@roles(Role.SUPERVISOR)
def manual(request, pk):
    scheme = get_object_or_404(Scheme, pk=pk)
    if not scoring.may_manage(request.user, scheme):
        raise PermissionDenied
    by_hand = [d for d in scoring.dimensions(scheme) if d.by_hand]
    period = _month(request.POST.get("month") or request.GET.get("month", ""))
    chosen = request.POST.get("dimension") or request.GET.get("dimension")
    dimension = next((d for d in by_hand if d.code == chosen), by_hand[0] if by_hand else None)
    if dimension is None:
        messages.error(request, _("No dimension of “%(scheme)s” is scored by hand.") % {"scheme": scheme.name})
        return redirect(_table_url(scheme, period))
    units = scoring.participants(scheme)
    entered = {s.unit_id: s for s in ManualScore.objects.filter(dimension=dimension, month=period.start)}
    initial = {**{f"points-{u}": scoring.number_text(s.points) for u, s in entered.items()},
               **{f"reason-{u}": s.reason for u, s in entered.items()}}
    form = ManualForm(request.POST or None, dimension=dimension, units=units, initial=initial, auto_id="manual-%s")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = scoring.enter_scores(dimension, period, form.entries(entered), request.user)
        except scoring.AssessmentError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(count)d scores of “%(dimension)s” saved for %(month)s.")
                             % {"count": saved, "dimension": dimension.name, "month": scoring.month_text(period)})
            return redirect(_table_url(scheme, period))
    if request.method == "POST":
        status = 400
    return render(request, "assessment/manual.html", {
        "scheme": scheme, "dimension": dimension, "dimensions": by_hand, "period": period, "form": form,
        "month_text": scoring.month_text(period), "published": scoring.is_published(scheme, period),
    }, status=status)

"""The race pages. Staff: the indicators, the board of one, a month's values entered at once, an
import from Excel. Everyone, without logging in: the board of an active indicator (figures only)."""
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.ledger.access import is_admin
from duban.lib.replica import reads_replica
from duban.org.models import Person
from duban.races import race, sheets
from duban.races.models import Indicator
from duban.web.views.common import roles

Role = Person.Role
HISTORY_MONTHS = 12


def may_enter(person):
    return person.is_authenticated and (person.role == Role.SUPERVISOR or is_admin(person))


def _chosen_month(request, months):
    """The month asked for (?month=2026-10); else the latest with values; else last month."""
    try:
        return race.parse_month(request.GET["month"])
    except (KeyError, ValueError):
        return months[0] if months else race.add_months(timezone.localdate().replace(day=1), -1)


@login_required
def index(request):
    indicators = Indicator.objects.filter(active=True).annotate(latest=Max("values__month"))
    return render(request, "races/index.html", {"indicators": indicators, "may_enter": may_enter(request.user)})


@login_required
@reads_replica
def board(request, code):
    indicator = get_object_or_404(Indicator, code=code)
    months = race.months_with_values(indicator)
    the_board = race.board(indicator, _chosen_month(request, months))
    trend, trend_of = [], None
    if request.GET.get("district", "").isdigit():
        wanted = int(request.GET["district"])
        trend_of = next((row.district for row in the_board.rows if row.district.pk == wanted), None)
        if trend_of is not None:
            trend = race.history(indicator, trend_of, HISTORY_MONTHS, until=the_board.month)
    return render(request, "races/board.html", {
        "indicator": indicator, "board": the_board, "months": months, "trend": trend, "trend_of": trend_of,
        "may_enter": may_enter(request.user),
    })


@reads_replica
def public_board(request, code):
    """The board for everyone: an active indicator, only the months that have values."""
    indicator = get_object_or_404(Indicator, code=code, active=True)
    months = race.months_with_values(indicator)
    month = _chosen_month(request, months)
    if months and month not in months:
        month = months[0]
    return render(request, "races/public_board.html", {
        "indicator": indicator, "board": race.board(indicator, month) if months else None, "months": months,
    })


class EntryForm(forms.Form):
    """One field per district: its value for the month. Empty removes a value entered before."""

    month = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = districts
        for district in districts:
            self.fields[f"district-{district.pk}"] = forms.DecimalField(
                label=district.name, required=False, max_digits=20, decimal_places=4,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))

    def clean_month(self):
        try:
            return race.parse_month(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(_("Choose a month.")) from None

    def values(self):
        return {d: self.cleaned_data[f"district-{d.pk}"] for d in self.districts}

    def district_fields(self):
        return [self[f"district-{d.pk}"] for d in self.districts]


@roles(Role.SUPERVISOR)
def enter(request, code):
    indicator = get_object_or_404(Indicator, code=code, active=True)
    districts = list(race.contestants())
    month = _chosen_month(request, race.months_with_values(indicator))
    entered = {v.district_id: v.value for v in indicator.values.filter(month=month)}
    initial = {"month": month.strftime("%Y-%m"),
               **{f"district-{d}": race.figure(v, 4) for d, v in entered.items()}}
    form = EntryForm(request.POST or None, districts=districts, initial=initial, auto_id="entry-%s")
    if request.method == "POST" and form.is_valid():
        month = form.cleaned_data["month"]
        outcome = race.record(indicator, month, form.values(), actor=request.user)
        messages.success(request, _("%(month)s saved: %(created)d added, %(updated)d changed, %(deleted)d removed.")
                         % {"month": month.strftime("%Y-%m"), "created": outcome.created,
                            "updated": outcome.updated, "deleted": outcome.deleted})
        return redirect(reverse("races:board", args=[indicator.code]) + f"?month={month:%Y-%m}")
    return render(request, "races/enter.html", {"indicator": indicator, "form": form, "month": month})


@roles(Role.SUPERVISOR)
def import_values(request):
    errors, outcome = [], None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Choose an .xlsx file to import.")]
        else:
            try:
                outcome = sheets.import_workbook(upload, upload.name, actor=request.user)
            except sheets.SheetInvalid as invalid:
                errors = invalid.errors
    return render(request, "races/import.html", {
        "errors": errors, "outcome": outcome, "indicators": Indicator.objects.filter(active=True),
        "month": race.add_months(timezone.localdate().replace(day=1), -1),
    }, status=400 if errors else 200)


TEMPLATE_NAME = gettext_lazy("indicator values")


@roles(Role.SUPERVISOR)
def template(request):
    """The workbook to fill in, the month filled in when one is asked for (?month=2026-10)."""
    try:
        month = race.parse_month(request.GET.get("month", ""))
    except ValueError:
        month = None
    out = sheets.export_template(io.BytesIO(), month)
    out.seek(0)
    name = f"{TEMPLATE_NAME}{'-' + month.strftime('%Y-%m') if month else ''}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

"""The round and visit forms. They parse and check what was typed, each problem on its field; the
rules stay in duban.inspections.rounds, which checks again for any other caller."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.inspections import rounds
from duban.inspections.models import Round
from duban.ledger import attachments
from duban.org.models import Unit
from duban.web import pickers

UNIT_INPUT = {"list": "units-list", "autocomplete": "off"}
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The units a round inspects: departments, streets and towns, district and county governments.
INSPECTED_TIERS = (Unit.Tier.DEPARTMENT, Unit.Tier.STREET, Unit.Tier.TOWN, *Unit.AREA_GOVERNMENTS)


def _text(label, *, required=False, max_length=2000, rows=3):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        where = " · ".join(str(x) for x in (person.unit, person.get_role_display()) if x)
        return f"{person}（{where}）"


class RoundForm(Form):
    name = forms.CharField(label=gettext_lazy("Name of the round"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": gettext_lazy(
                               "e.g. discipline and conduct supervision check, second round")}))
    kind = forms.ChoiceField(label=gettext_lazy("Kind of inspection"), choices=Round.Kind.choices)
    starts_on = forms.DateField(label=gettext_lazy("From date"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=gettext_lazy("To date"), widget=DATE_INPUT)
    team = PersonChoices(label=gettext_lazy("Team"), required=False, queryset=rounds.team_candidates(),
                         help_text=gettext_lazy("Supervisors and leaders who go out with you; hold Ctrl (or "
                                                "Cmd) to choose several. You lead the round."),
                         widget=forms.SelectMultiple(attrs={"size": 8}))
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units inspected"), required=False,
        queryset=Unit.objects.filter(tier__in=INSPECTED_TIERS),
        help_text=gettext_lazy("Streets, towns and departments the round goes to."),
        widget=forms.SelectMultiple(attrs={"size": 8}))
    targets = _text(gettext_lazy("Places, enterprises and projects (one per line)"), max_length=5000)
    description = _text(gettext_lazy("What the round checks"), max_length=5000)
    finding_workdays = forms.IntegerField(label=gettext_lazy("Working days to fix a finding"), min_value=1,
                                          max_value=60, initial=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        units.choices = [(u.pk, u.name) for u in sorted(units.queryset, key=lambda u: u.ancestor_ids())]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The round cannot end before it starts."))
        return data

    def round_fields(self):
        data = self.cleaned_data
        return {"name": data["name"], "kind": data["kind"], "starts_on": data["starts_on"],
                "ends_on": data["ends_on"], "team": list(data["team"]), "units": list(data["units"]),
                "targets": data["targets"].splitlines(), "description": data["description"],
                "finding_workdays": data["finding_workdays"]}


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of files under one name (the camera's and the gallery's inputs share it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(PhotosField, self).clean(f, initial) for f in files if f]


class VisitForm(Form):
    """A visit on a phone: where and when, what was seen, up to five findings and three suggestions."""

    visited_at = forms.DateTimeField(label=gettext_lazy("Time of the visit"), widget=DATETIME_INPUT,
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=gettext_lazy("Place visited"), max_length=200, widget=forms.TextInput(
        attrs={"placeholder": gettext_lazy("e.g. the steps from the Fuqiang estate to Tengfei")}))
    unit = forms.CharField(label=gettext_lazy("Unit visited (type to search, optional)"), required=False,
                           max_length=200, widget=forms.TextInput(attrs=UNIT_INPUT))
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    notes = _text(gettext_lazy("Notes of the visit"), rows=3)
    photos = PhotosField(label=gettext_lazy("Choose photos"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.picker = None
        for n in range(1, rounds.MAX_FINDINGS + 1):
            row = {"row": n}
            self.fields[f"finding-{n}-unit"] = forms.CharField(
                label=_("Finding %(row)d: unit responsible") % row, required=False, max_length=200,
                widget=forms.TextInput(attrs=UNIT_INPUT))
            self.fields[f"finding-{n}-description"] = _text(_("Finding %(row)d: problem found") % row, rows=2)
        for n in range(1, rounds.MAX_SUGGESTIONS + 1):
            row = {"row": n}
            self.fields[f"suggestion-{n}-unit"] = forms.CharField(
                label=_("Suggestion %(row)d: to unit (optional)") % row, required=False, max_length=200,
                widget=forms.TextInput(attrs=UNIT_INPUT))
            self.fields[f"suggestion-{n}-text"] = _text(_("Suggestion %(row)d: suggestion") % row, rows=2)

    def _pick(self, name):
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return None
        if self.picker is None:
            self.picker = pickers.units()
        try:
            return Unit.objects.get(pk=self.picker.find(text, _("unit")))
        except ValidationError as error:
            self.add_error(name, error)
            return None

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > rounds.max_photos():
            raise ValidationError(_("At most %(count)d photos a visit.") % {"count": rounds.max_photos()})
        problems = []
        for photo in photos:
            try:
                attachments.check(photo, photo.name)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return photos

    def clean(self):
        data = super().clean()
        if "unit" not in self.errors:
            data["unit"] = self._pick("unit")
        self.found, self.suggested = [], []
        for n in range(1, rounds.MAX_FINDINGS + 1):
            unit_field, text_field = f"finding-{n}-unit", f"finding-{n}-description"
            typed, text = (data.get(unit_field) or "").strip(), (data.get(text_field) or "").strip()
            if not typed and not text:
                continue
            unit = self._pick(unit_field) if typed else None
            if not typed:
                self.add_error(unit_field, _("Choose the unit responsible."))
            if not text:
                self.add_error(text_field, _("Describe the problem found."))
            self.found.append((unit, text))
        for n in range(1, rounds.MAX_SUGGESTIONS + 1):
            unit_field, text_field = f"suggestion-{n}-unit", f"suggestion-{n}-text"
            typed, text = (data.get(unit_field) or "").strip(), (data.get(text_field) or "").strip()
            if not typed and not text:
                continue
            unit = self._pick(unit_field) if typed else None
            if not text:
                self.add_error(text_field, _("Write the suggestion."))
            self.suggested.append((unit, text))
        return data

    def visit_fields(self):
        data = self.cleaned_data
        return {"visited_at": data["visited_at"], "place": data["place"], "unit": data["unit"],
                "notes": data["notes"], "latitude": data["latitude"], "longitude": data["longitude"],
                "photos": [(f, f.name) for f in data["photos"]], "findings": self.found,
                "suggestions": self.suggested}

    def finding_rows(self):
        return [(n, self[f"finding-{n}-unit"], self[f"finding-{n}-description"])
                for n in range(1, rounds.MAX_FINDINGS + 1)]

    def suggestion_rows(self):
        return [(n, self[f"suggestion-{n}-unit"], self[f"suggestion-{n}-text"])
                for n in range(1, rounds.MAX_SUGGESTIONS + 1)]

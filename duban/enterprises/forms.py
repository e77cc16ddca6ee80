"""The forms of the enterprise pages: they parse what was typed; the rules stay in service."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.enterprises.credit import clean_credit_code
from duban.enterprises.models import EnterpriseRequest, Industry, Scale, Visit
from duban.enterprises.service import DISTRICT_TIERS
from duban.org.models import Person, Unit
from duban.web import pickers
from duban.web.forms import CATEGORY_INPUT, DATETIME_INPUT, UNIT_INPUT, Form, PickerMixin

PHONE = re.compile(r"^\+?[\d\s-]{7,20}$")
PEOPLE_INPUT = forms.TextInput(attrs={"list": "people-list", "autocomplete": "off"})
# The people who may be given a firm: everyone on the staff but the hotline's dispatchers.
CADRE_ROLES = (Person.Role.LEADER, Person.Role.UNIT_HEAD, Person.Role.SUPERVISOR, Person.Role.HANDLER)


def people():
    """A picker of the people who may be cadres: "name（unit）", their username where names repeat."""
    rows = list(Person.objects.filter(is_active=True, role__in=CADRE_ROLES)
                .values_list("pk", "name", "username", "unit__name").order_by("unit__path", "name", "pk"))
    labels = [(f"{name or username}（{unit or '—'}）", pk) for pk, name, username, unit in rows]
    seen = {}
    for label, _pk in labels:
        seen[label] = seen.get(label, 0) + 1
    labels = [(label if seen[label] == 1 else f"{label[:-1]}，{username}）", pk)
              for (label, pk), (_pk, _name, username, _unit) in zip(labels, rows)]
    return pickers.Picker(labels, [(username, pk) for pk, _name, username, _unit in rows])


def _text(label, *, required=False, max_length=2000, rows=3):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


class CadreMixin:
    def clean_cadre(self):
        text = self.cleaned_data.get("cadre", "").strip()
        if not text:
            return None
        return Person.objects.get(pk=people().find(text, _("person")))


class EnterpriseForm(CadreMixin, Form):
    name = forms.CharField(label=gettext_lazy("Registered name of the firm"), max_length=200)
    credit_code = forms.CharField(label=gettext_lazy("Unified social credit code (18 characters)"), required=False,
                                  max_length=40)
    district = forms.CharField(label=gettext_lazy("District, county or zone (or its street or town)"),
                               max_length=120, widget=UNIT_INPUT)
    address = forms.CharField(label=gettext_lazy("Address"), required=False, max_length=300)
    industry = forms.ChoiceField(label=gettext_lazy("industry"), choices=Industry.choices, initial=Industry.OTHER)
    scale = forms.ChoiceField(label=gettext_lazy("size"), choices=Scale.choices, initial=Scale.BELOW,
                              widget=forms.RadioSelect)
    contact_name = forms.CharField(label=gettext_lazy("contact person"), required=False, max_length=50)
    contact_phone = forms.CharField(label=gettext_lazy("contact phone"), required=False, max_length=20)
    cadre = forms.CharField(label=gettext_lazy("Cadre in charge (optional; type to search)"), required=False,
                            max_length=120, widget=PEOPLE_INPUT)
    note = forms.CharField(label=gettext_lazy("The cadre's charge"), required=False, max_length=200,
                           initial=gettext_lazy("Service ambassador, one to one"))

    def clean_credit_code(self):
        return clean_credit_code(self.cleaned_data["credit_code"])

    def clean_district(self):
        unit = Unit.objects.get(pk=pickers.units().find(self.cleaned_data["district"], _("area")))
        if unit.tier not in DISTRICT_TIERS:
            raise ValidationError(_("Choose a district, county, zone, street or town."))
        return unit

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"].strip()
        if value and not PHONE.match(value):
            raise ValidationError(_("Write the phone number with digits only, e.g. 13812345678."))
        return re.sub(r"[\s-]", "", value)


class AssignForm(CadreMixin, Form):
    cadre = forms.CharField(label=gettext_lazy("New cadre (type to search)"), max_length=120, widget=PEOPLE_INPUT)
    note = forms.CharField(label=gettext_lazy("The cadre's charge"), required=False, max_length=200,
                           initial=gettext_lazy("Service ambassador, one to one"))

    def clean(self):
        data = super().clean()
        if "cadre" in data and data["cadre"] is None:
            self.add_error("cadre", _("Choose the new cadre."))
        return data


class VisitForm(Form):
    visited_at = forms.DateTimeField(label=gettext_lazy("visited at"), widget=DATETIME_INPUT)
    kind = forms.ChoiceField(label=gettext_lazy("kind of visit"), choices=Visit.Kind.choices,
                             initial=Visit.Kind.KNOCK, widget=forms.RadioSelect)
    notes = _text(gettext_lazy("what was seen and said"), required=True, rows=4)
    needs = _text(gettext_lazy("the firm's needs"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("visited_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_visited_at(self):
        value = self.cleaned_data["visited_at"]
        if value > timezone.now():
            raise ValidationError(_("A visit cannot be recorded before it happens."))
        return value


class RequestForm(PickerMixin, Form):
    """One request of the firm; left empty, it is no request."""

    topic = forms.ChoiceField(label=gettext_lazy("topic"), choices=EnterpriseRequest.Topic.choices,
                              initial=EnterpriseRequest.Topic.OTHER, required=False)
    title = forms.CharField(label=gettext_lazy("title"), required=False, max_length=200)
    description = _text(gettext_lazy("What the firm asks for, and by when"))
    category = forms.CharField(label=gettext_lazy("category (optional)"), required=False, max_length=300,
                               widget=CATEGORY_INPUT)
    unit = forms.CharField(label=gettext_lazy("Unit to handle it (empty: by the dispatch catalogue)"),
                           required=False, max_length=120, widget=UNIT_INPUT)

    def clean(self):
        data = super().clean()
        if self.filled() and not (data.get("title") and data.get("description")):
            raise ValidationError(_("Give each request a title and a description."))
        data["topic"] = data.get("topic") or EnterpriseRequest.Topic.OTHER
        return data

    def filled(self):
        return bool(self.cleaned_data.get("title") or self.cleaned_data.get("description"))

    def spec(self):
        """open_request()'s arguments."""
        return {name: self.cleaned_data[name] for name in ("title", "description", "topic", "unit", "category")}


class RegisterFilter(Form):
    district = forms.TypedChoiceField(label=gettext_lazy("district, county or zone"), required=False, coerce=int,
                                      empty_value=None)
    industry = forms.ChoiceField(label=gettext_lazy("industry"), required=False,
                                 choices=[("", gettext_lazy("all"))] + Industry.choices)
    q = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Unit.objects.filter(tier__in=Unit.AREA_GOVERNMENTS).order_by("path").values_list("pk", "name")
        self.fields["district"].choices = [("", _("all"))] + list(areas)

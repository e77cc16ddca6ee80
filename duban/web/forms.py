"""The pages' forms. They parse and check what was typed; the rules of the ledger stay in the
machine (duban.ledger.machine), which refuses with a message the page shows."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.catalogue.models import Category, RequestKind, Urgency
from duban.ledger.access import visible_tickets
from duban.ledger.machine import APPEAL_GROUNDS
from duban.ledger.models import DeclineReason, Rating, State
from duban.org.models import Unit
from duban.web import pickers as picker_lists

PHONE = re.compile(r"^\+?[\d\s-]{7,20}$")
CATEGORY_INPUT = forms.TextInput(attrs={"list": "categories-list", "autocomplete": "off"})
UNIT_INPUT = forms.TextInput(attrs={"list": "units-list", "autocomplete": "off"})
YES_NO = [("yes", gettext_lazy("yes")), ("no", gettext_lazy("no"))]
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
COLOURS = [("", gettext_lazy("any clock")), ("green", gettext_lazy("on track")),
           ("yellow", gettext_lazy("due soon")), ("red", gettext_lazy("overdue")),
           ("paused", gettext_lazy("clock paused"))]


def _text(label, *, required=False, max_length=2000, rows=3):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _phone(value):
    value = (value or "").strip()
    if value and not PHONE.match(value):
        raise ValidationError(_("Write the phone number with digits only, e.g. 13812345678."))
    return re.sub(r"[\s-]", "", value)


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class Form(forms.Form):
    """Labels without a colon after them (the page sets them above their fields); `person` is who
    fills the form in, for the checks that depend on what they may see."""

    def __init__(self, *args, person=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.person = person


class PickerMixin:
    """Fields typed against a <datalist>: `category`, `area`, `unit` become rows (or None)."""

    picked = {"category": (Category, "categories", gettext_lazy("category")),
              "area": (Unit, "units", gettext_lazy("area")),
              "unit": (Unit, "units", gettext_lazy("unit"))}

    def __init__(self, *args, pickers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pickers = dict(pickers or {})  # "categories" / "units" → Picker, read on demand otherwise

    def _pick(self, name):
        model, key, what = self.picked[name]
        text = self.cleaned_data.get(name, "").strip()
        if not text:
            return None
        if key not in self.pickers:
            self.pickers[key] = getattr(picker_lists, key)()
        return model.objects.get(pk=self.pickers[key].find(text, what))

    def clean_category(self):
        return self._pick("category")

    def clean_area(self):
        return self._pick("area")

    def clean_unit(self):
        return self._pick("unit")


class ReportForm(PickerMixin, Form):
    """A citizen's report."""

    kind = forms.ChoiceField(label=gettext_lazy("What kind of matter"), choices=RequestKind.choices,
                             initial=RequestKind.COMPLAINT, widget=forms.RadioSelect)
    category = forms.CharField(label=gettext_lazy("Subject (type to search, optional)"), required=False,
                               max_length=300, widget=CATEGORY_INPUT)
    description = _text(gettext_lazy("What happened, where and since when"), required=True, rows=5)
    address = forms.CharField(label=gettext_lazy("Address"), required=False, max_length=300)
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    reporter_name = forms.CharField(label=gettext_lazy("Your name (optional)"), required=False, max_length=50)
    reporter_phone = forms.CharField(label=gettext_lazy("Your phone (to follow the matter and be called back)"),
                                     required=False, max_length=20)

    def clean_reporter_phone(self):
        return _phone(self.cleaned_data["reporter_phone"])


class TrackForm(Form):
    number = forms.CharField(label=gettext_lazy("Ticket number"), max_length=24)
    last4 = forms.RegexField(label=gettext_lazy("Last four digits of your phone"), regex=r"^\d{4}$",
                             error_messages={"invalid": gettext_lazy("Four digits.")})

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


class RateForm(Form):
    contacted = forms.ChoiceField(label=gettext_lazy("Did the responsible unit contact you?"), choices=YES_NO,
                                  required=False, widget=forms.RadioSelect)
    solved = forms.ChoiceField(label=gettext_lazy("Was the matter solved?"), choices=YES_NO,
                               widget=forms.RadioSelect)
    rating = forms.TypedChoiceField(label=gettext_lazy("How satisfied are you?"), choices=Rating.choices,
                                    coerce=int, widget=forms.RadioSelect)
    text = _text(gettext_lazy("Anything to add (optional)"), max_length=500)

    def clean_solved(self):
        return _yes_no(self.cleaned_data["solved"])

    def clean_contacted(self):
        return _yes_no(self.cleaned_data["contacted"])


class EntryForm(PickerMixin, Form):
    """A call taken at the hotline."""

    reporter_phone = forms.CharField(label=gettext_lazy("Caller's phone"), required=False, max_length=20)
    reporter_name = forms.CharField(label=gettext_lazy("Caller's name"), required=False, max_length=50)
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=[("", "—")] + RequestKind.choices,
                             required=False)
    urgency = forms.ChoiceField(label=gettext_lazy("urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    description = _text(gettext_lazy("What the caller says"), required=True, rows=5)
    address = forms.CharField(label=gettext_lazy("Address"), required=False, max_length=300)
    area = forms.CharField(label=gettext_lazy("Area (grid, community or street)"), required=False, max_length=120,
                           widget=UNIT_INPUT)
    category = forms.CharField(label=gettext_lazy("category"), required=False, max_length=300, widget=CATEGORY_INPUT)
    unit = forms.CharField(label=gettext_lazy("Lead unit (empty: by the dispatch catalogue)"), required=False,
                           max_length=120, widget=UNIT_INPUT)
    note = forms.CharField(label=gettext_lazy("Note for the unit"), required=False, max_length=500)
    decline_reason = forms.ChoiceField(label=gettext_lazy("Reason to decline"), required=False,
                                       choices=[("", "—")] + DeclineReason.choices)

    def clean_reporter_phone(self):
        return _phone(self.cleaned_data["reporter_phone"])


class ActionForm(PickerMixin, Form):
    """Every parameter a transition may take; which ones an action uses is the page's table."""

    reason = _text(gettext_lazy("reason"))
    text = _text(gettext_lazy("Note"))
    unit = forms.CharField(label=gettext_lazy("unit"), required=False, max_length=120)
    category = forms.CharField(label=gettext_lazy("category"), required=False, max_length=300)
    decline_reason = forms.ChoiceField(label=gettext_lazy("Reason to decline"), required=False,
                                       choices=[("", "—")] + DeclineReason.choices)
    days = forms.IntegerField(label=gettext_lazy("Working days"), required=False, min_value=1, max_value=250)
    due = forms.DateTimeField(label=gettext_lazy("Due by"), required=False, widget=DATETIME_INPUT)
    target = forms.CharField(label=gettext_lazy("Merge into ticket number"), required=False, max_length=24)
    rating = forms.TypedChoiceField(label=gettext_lazy("Rating"), required=False, coerce=int,
                                    choices=Rating.choices, empty_value=None, widget=forms.RadioSelect)
    solved = forms.ChoiceField(label=gettext_lazy("Solved?"), required=False, choices=YES_NO,
                               widget=forms.RadioSelect)
    grounds = forms.ChoiceField(label=gettext_lazy("Grounds of the appeal"), required=False,
                                choices=[("", "—")] + list(APPEAL_GROUNDS.items()))

    def clean_target(self):
        number = self.cleaned_data["target"].strip().upper()
        if not number:
            return None
        target = visible_tickets(self.person).filter(number=number).first()
        if target is None:
            raise ValidationError(_("No ticket %(number)s that you can see.") % {"number": number})
        return target

    def clean_solved(self):
        return _yes_no(self.cleaned_data["solved"])

    def params(self):
        """Keyword arguments for perform()."""
        return {name: self.cleaned_data[name] if self.cleaned_data[name] is not None else default
                for name, default in (("reason", ""), ("text", ""), ("unit", None), ("category", None),
                                      ("decline_reason", ""), ("days", None), ("due", None), ("target", None),
                                      ("rating", None), ("solved", None), ("grounds", ""))}


class SummonForm(Form):
    """约谈: the head of the lead unit is summoned; written as a supervision demand with its date."""

    due = forms.DateTimeField(label=gettext_lazy("When"), widget=DATETIME_INPUT)
    place = forms.CharField(label=gettext_lazy("Where"), max_length=100)
    text = _text(gettext_lazy("About what"), required=True, max_length=1000)

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due <= timezone.now():
            raise ValidationError(_("The summons must be for a time still to come."))
        return due


class CallBackForm(Form):
    """回访: whether the reporter was reached and, if so, their verdict (duban.verdict.service)."""

    reached = forms.ChoiceField(label=gettext_lazy("Was the reporter reached?"), choices=YES_NO,
                                widget=forms.RadioSelect)
    contacted = forms.ChoiceField(label=gettext_lazy("Did the unit contact them?"), required=False,
                                  choices=YES_NO, widget=forms.RadioSelect)
    solved = forms.ChoiceField(label=gettext_lazy("Solved, in their words?"), required=False,
                               choices=YES_NO, widget=forms.RadioSelect)
    rating = forms.TypedChoiceField(label=gettext_lazy("How satisfied are they?"), required=False, coerce=int,
                                    choices=Rating.choices, empty_value=None, widget=forms.RadioSelect)
    text = _text(gettext_lazy("What the reporter said"), max_length=1000)

    def clean(self):
        data = super().clean()
        for name in ("reached", "contacted", "solved"):
            data[name] = _yes_no(data.get(name) or "")
        if data.get("reached") and data.get("rating") is None:
            self.add_error("rating", _("Record how satisfied the reporter is."))
        return data


class QueueFilter(PickerMixin, Form):
    """The filters of a list of tickets, read from the query string."""

    state = forms.ChoiceField(label=gettext_lazy("state"), required=False,
                              choices=[("", gettext_lazy("to do")), ("all", gettext_lazy("all"))] + State.choices)
    colour = forms.ChoiceField(label=gettext_lazy("Clock"), required=False, choices=COLOURS)
    category = forms.CharField(label=gettext_lazy("category"), required=False, max_length=300, widget=CATEGORY_INPUT)
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)


class SavedViewForm(Form):
    name = forms.CharField(label=gettext_lazy("Name of this view"), max_length=50)
    query = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

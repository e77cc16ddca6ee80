"""The forms of the campaign and pledge pages: they parse what was typed; duban.campaigns.service
decides whether it may be done."""
from django import forms
from django.utils.translation import gettext_lazy

from duban.campaigns.models import Target
from duban.campaigns.service import QUANTITY_LIMIT
from duban.web.forms import UNIT_INPUT, Form, PickerMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
QUANTITY_ERROR = gettext_lazy("The quantity must be a whole number, 0 or more.")
PERCENT_ERROR = gettext_lazy("The percentage done must be a whole number from 0 to 100.")


def _text(label, *, required=False, max_length=2000, rows=3):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


class LinkForm(Form):
    number = forms.CharField(label=gettext_lazy("Ticket number"), max_length=24,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


class TaskForm(PickerMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=120, widget=UNIT_INPUT)
    title = forms.CharField(label=gettext_lazy("Task"), max_length=150)
    target = forms.ModelChoiceField(label=gettext_lazy("Counts towards the target"), required=False,
                                    queryset=Target.objects.none())
    due = forms.DateField(label=gettext_lazy("Due"), widget=DATE_INPUT)
    description = _text(gettext_lazy("What the unit is to do (optional)"))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = campaign.targets.filter(counts=Target.Counts.REPORTED)


class ReportForm(Form):
    quantity = forms.IntegerField(label=gettext_lazy("Quantity done since the last report"), min_value=0,
                                  max_value=QUANTITY_LIMIT,
                                  error_messages={"min_value": QUANTITY_ERROR, "max_value": QUANTITY_ERROR,
                                                  "invalid": QUANTITY_ERROR},
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}))
    note = _text(gettext_lazy("What was done, where (optional)"))


class PledgeListForm(Form):
    name = forms.CharField(label=gettext_lazy("Name of the list"), max_length=150)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    description = _text(gettext_lazy("Description (optional)"))
    published = forms.BooleanField(label=gettext_lazy("Show it on the public page"), required=False)


class PledgeForm(PickerMixin, Form):
    number = forms.IntegerField(label=gettext_lazy("Item number"), min_value=1, max_value=32767)
    area_of_work = forms.CharField(label=gettext_lazy("Area of work"), max_length=50,
                           help_text=gettext_lazy("e.g. 就业创业, 社会保障, 教育"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    target = _text(gettext_lazy("Target"), required=True)
    unit = forms.CharField(label=gettext_lazy("Owner unit"), max_length=120, widget=UNIT_INPUT)
    deadline = forms.DateField(label=gettext_lazy("Deadline"), widget=DATE_INPUT)


class UpdateForm(Form):
    percent = forms.IntegerField(label=gettext_lazy("Percentage done"), min_value=0, max_value=100,
                                 error_messages={"min_value": PERCENT_ERROR, "max_value": PERCENT_ERROR,
                                                 "invalid": PERCENT_ERROR},
                                 widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}))
    text = _text(gettext_lazy("What has been done"), required=True)
    public = forms.BooleanField(label=gettext_lazy("Public"), required=False,
                                help_text=gettext_lazy("Tick to show this text on the public page; leave it "
                                                       "unticked for an internal note."))

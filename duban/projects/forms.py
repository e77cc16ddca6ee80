"""The fortnightly review form: the project's figures, each milestone's progress, up to three blockers.

The form reads what was typed and says what is wrong beside each field; the rules of a review stay in
duban.projects.service, which checks them again for every caller.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.org.models import Unit
from duban.projects.models import Blocker, Project
from duban.projects.service import BlockerInput
from duban.web import pickers
from duban.web.forms import Form

BLOCKER_ROWS = 3
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERCENT_MESSAGE = gettext_lazy("A percentage: a whole number from 0 to 100.")
UNIT_INPUT = {"list": "units-list", "autocomplete": "off"}


def percent_field(label, **kwargs):
    return forms.IntegerField(label=label, min_value=0, max_value=100, widget=forms.NumberInput(
        attrs={"inputmode": "numeric"}), error_messages={"min_value": PERCENT_MESSAGE, "max_value": PERCENT_MESSAGE,
                                                         "invalid": PERCENT_MESSAGE}, **kwargs)


class ReviewForm(Form):
    period_end = forms.DateField(label=gettext_lazy("Period ending"), widget=DATE_INPUT)
    stage = forms.ChoiceField(label=gettext_lazy("stage"), choices=Project.Stage.choices)
    progress = percent_field(gettext_lazy("Overall progress (percent)"))
    investment_completed = forms.DecimalField(
        label=gettext_lazy("Investment completed to date (10,000 yuan)"), min_value=0, max_digits=14,
        decimal_places=2, error_messages={"min_value": gettext_lazy("The investment completed cannot be negative.")})
    summary = forms.CharField(label=gettext_lazy("Progress this fortnight"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(label=gettext_lazy("Other problems (not blocking)"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, project, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.units = units  # a pickers.Picker, read on demand otherwise
        self.milestone_rows = []
        for milestone in project.milestones.all():
            progress = percent_field(milestone.name, initial=milestone.progress)
            done = forms.DateField(label=gettext_lazy("done on"), required=False, widget=DATE_INPUT,
                                   initial=milestone.done_on)
            self.fields[f"milestone-{milestone.pk}-progress"] = progress
            self.fields[f"milestone-{milestone.pk}-done_on"] = done
            self.milestone_rows.append((milestone, self[f"milestone-{milestone.pk}-progress"],
                                        self[f"milestone-{milestone.pk}-done_on"]))
        self.blocker_rows = []
        for i in range(1, BLOCKER_ROWS + 1):
            self.fields[f"blocker-{i}-kind"] = forms.ChoiceField(
                label=gettext_lazy("What blocks it"), required=False, choices=[("", "—")] + Blocker.Kind.choices)
            self.fields[f"blocker-{i}-unit"] = forms.CharField(
                label=gettext_lazy("Unit that can remove it"), required=False, max_length=120,
                widget=forms.TextInput(attrs=UNIT_INPUT))
            self.fields[f"blocker-{i}-description"] = forms.CharField(
                label=gettext_lazy("The problem"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.blocker_rows.append((i, [self[f"blocker-{i}-{part}"] for part in ("kind", "unit", "description")]))

    def clean(self):
        data = super().clean()
        data["milestones"] = {}
        for milestone, progress, done in self.milestone_rows:
            value = data.get(progress.name)
            if value is not None:
                data["milestones"][milestone.pk] = (value, data.get(done.name))
        data["blockers"] = []
        for i, _fields in self.blocker_rows:
            kind, unit, description = (data.get(f"blocker-{i}-{part}") or ""
                                       for part in ("kind", "unit", "description"))
            if not (kind or unit.strip() or description.strip()):
                continue
            found = self._unit(i, unit)
            if not kind:
                self.add_error(f"blocker-{i}-kind", _("Say what kind of problem blocks the project."))
            if not description.strip():
                self.add_error(f"blocker-{i}-description", _("Describe the problem that blocks the project."))
            if kind and found is not None and description.strip():
                data["blockers"].append(BlockerInput(kind, found, description))
        return data

    def _unit(self, i, text):
        name = f"blocker-{i}-unit"
        if not text.strip():
            self.add_error(name, _("Name the unit that can remove the blocker."))
            return None
        if self.units is None:
            self.units = pickers.units()
        try:
            pk = self.units.find(text, _("unit"))
        except ValidationError as error:
            self.add_error(name, error)
            return None
        return Unit.objects.get(pk=pk)

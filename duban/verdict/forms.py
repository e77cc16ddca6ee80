from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.org.models import Person
from duban.web.forms import Form

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class SampleForm(Form):
    """抽件回访: which closed matters to draw, how many per unit, and who calls."""

    name = forms.CharField(label=gettext_lazy("Name of the sample"), max_length=100)
    starts_on = forms.DateField(label=gettext_lazy("Closed from"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=gettext_lazy("Closed up to and including"), widget=DATE_INPUT)
    percent = forms.DecimalField(label=gettext_lazy("Share of each unit's matters (%)"), required=False,
                                 min_value=0.01, max_value=100, decimal_places=2)
    count = forms.IntegerField(label=gettext_lazy("Or a number per unit"), required=False, min_value=1)
    seed = forms.IntegerField(label=gettext_lazy("Seed (the same seed draws the same; empty: a new one)"),
                              required=False, min_value=0)
    verifiers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Verifiers who call"), required=False,
        queryset=Person.objects.filter(is_active=True, role__in=[Person.Role.DISPATCHER, Person.Role.SUPERVISOR]))

    def clean(self):
        data = super().clean()
        if (data.get("percent") is None) == (data.get("count") is None):
            raise ValidationError(_("Give either a share of each unit's matters or a number per unit."))
        data["share"] = data["percent"] / 100 if data.get("percent") is not None else None
        return data

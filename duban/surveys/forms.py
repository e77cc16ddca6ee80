"""The survey pages' forms, and the questionnaire as the answer page shows it."""
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.ledger.access import is_admin
from duban.ledger.models import Rating
from duban.org.models import Unit
from duban.surveys import service
from duban.surveys.models import Question, Survey
from duban.web.forms import DATETIME_INPUT, Form

REVIEWED_TIERS = (Unit.Tier.DEPARTMENT, *Unit.AREA_GOVERNMENTS, Unit.Tier.STREET, Unit.Tier.TOWN)


class SurveyForm(forms.ModelForm):
    """The survey's settings. Its units are chosen among the departments, areas, streets and towns in
    the person's scope; they, and whether it is anonymous, are fixed once it has answers or invitations."""

    class Meta:
        model = Survey
        fields = ["title", "intro", "audience", "anonymous", "units", "opens_at", "closes_at"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3}), "units": forms.CheckboxSelectMultiple,
                   "opens_at": DATETIME_INPUT, "closes_at": DATETIME_INPUT}

    def __init__(self, *args, person=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(tier__in=REVIEWED_TIERS).order_by("path")
        scope = person.scope_unit if person is not None else None
        if person is not None and not is_admin(person) and scope is not None:
            units = units.filter(path__startswith=scope.path)
        self.fields["units"].queryset = units
        self.fields["units"].required = False
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        survey = self.instance
        if survey.pk and survey.invitations.exists():
            self.fields["anonymous"].disabled = True
            self.fields["anonymous"].help_text = _("Fixed: invitations have been made.")
        if survey.pk and service.is_locked(survey):
            self.fields["units"].disabled = True

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            raise ValidationError(_("The survey must close after it opens."))
        return data


class QuestionForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind of question"), choices=Question.Kind.choices)
    text = forms.CharField(label=gettext_lazy("question"), max_length=500)
    required = forms.BooleanField(label=gettext_lazy("must be answered"), required=False, initial=True)
    choices = forms.CharField(label=gettext_lazy("choices, one a line (single and multiple choice)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()]
        if data.get("kind") in Question.WITH_CHOICES and len(lines) < 2:
            self.add_error("choices", _("Give at least two choices, one a line."))
        data["choice_list"] = lines if data.get("kind") in Question.WITH_CHOICES else []
        return data


class InvitationsForm(Form):
    count = forms.IntegerField(label=gettext_lazy("number of invitations"), required=False, min_value=1,
                               max_value=service.BATCH_MAX)
    invitees = forms.CharField(
        label=gettext_lazy("or invitees, one a line: name, organisation"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Only for a survey that is not anonymous, e.g. 张伟，江城新元医疗器械有限公司"))

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        if survey is not None and survey.anonymous:
            del self.fields["invitees"]

    def clean(self):
        data = super().clean()
        data["invitee_list"] = [_split(line) for line in (data.get("invitees") or "").splitlines() if line.strip()]
        if not data.get("count") and not data["invitee_list"] and not self.errors:
            raise ValidationError(_("Give the number of invitations to make."))
        return data


def _split(line):
    for mark in ("，", ",", "\t", "、"):
        if mark in line:
            name, _mark, organisation = line.partition(mark)
            return name.strip(), organisation.strip()
    return line.strip(), ""


# --- the questionnaire on the answer page --------------------------------------------------------

@dataclass
class Option:
    value: str
    label: str
    checked: bool = False


@dataclass
class Row:
    """One unit of a question rating each unit."""

    name: str  # the field's name
    label: str
    options: list


@dataclass
class Item:
    question: Question
    number: int
    name: str
    kind: str
    options: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    text: str = ""
    error: str = ""

    @property
    def input_type(self):
        return "checkbox" if self.kind == Question.Kind.MULTIPLE else "radio"


def scale_options(chosen):
    return [Option(str(score), Rating(score).label, chosen == str(score)) for score in range(5, 0, -1)]


def questionnaire(questions, units, data=None, errors=None):
    """The questions as the answer page lists them, with what was sent (data) and each message."""
    errors = errors or {}
    items = []
    for number, question in enumerate(questions, start=1):
        name = f"q{question.pk}"
        sent = set(data.getlist(name)) if data is not None else set()
        item = Item(question, number, name, question.kind, error=errors.get(question.pk, ""))
        kind = question.kind
        if kind in Question.WITH_CHOICES:
            item.options = [Option(str(c.pk), c.text, str(c.pk) in sent) for c in question.choices.all()]
        elif kind == Question.Kind.SCALE:
            item.options = scale_options(next(iter(sent), None))
        elif kind in Question.UNIT_VOTES:
            item.options = [Option(str(u.pk), u.name, str(u.pk) in sent) for u in units]
        elif kind == Question.Kind.UNIT_SCALE:
            for unit in units:
                row_name = f"{name}-u{unit.pk}"
                chosen = data.get(row_name) if data is not None else None
                options = scale_options(chosen) + [Option(service.UNKNOWN, _("I do not know it"),
                                                          chosen == service.UNKNOWN)]
                item.rows.append(Row(row_name, unit.name, options))
        else:
            item.text = data.get(name, "") if data is not None else ""
        items.append(item)
    return items

"""The rules of surveys, shared by the pages, the demo and the tests: building a questionnaire,
opening and closing it, making invitations, reading and storing an answer.

- Questions, choices and the units reviewed can change only until the first answer comes in; a
  survey opens only when every question can be answered (choices, units).
- An invitation's token is shown once, when it is made; only its SHA-256 is stored.
- One answer per invitation: the invitation is locked and claimed (used_on set while still
  empty) in the transaction that stores the response, so a second answer with the same token,
  even at the same moment, is refused and writes nothing.
- For an anonymous survey nothing ties the response to the invitation: the response keeps the
  day only, and the invitation the day it was used.
"""
import hashlib
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.ledger.access import is_admin
from duban.org.models import Person
from duban.surveys.models import Answer, Choice, Invitation, Question, Respondent, Response, Survey

TOKEN_BYTES = 12  # 96 random bits, 16 characters in a link
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
BATCH_MAX = 2000  # invitations made at once
TEXT_MAX = 2000  # characters of a free-text answer
UNKNOWN = "0"  # "I do not know this unit" on a question that rates each unit
Kind = Question.Kind


class SurveyError(ValidationError):
    """Something that cannot be done; the message is for the user. `code` says which: invalid,
    used, closed, locked, or None."""


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


# --- who may do what -----------------------------------------------------------------------------

def may_manage(person, survey=None):
    """An admin, or a supervisor whose scope holds every unit the survey reviews."""
    if not person.is_authenticated or not person.is_active:
        return False
    if is_admin(person):
        return True
    if person.role != Person.Role.SUPERVISOR or person.scope_unit is None:
        return False
    return survey is None or not survey.units.exclude(path__startswith=person.scope_unit.path).exists()


# --- the questionnaire ---------------------------------------------------------------------------

def is_locked(survey):
    """Answers have come in: what they answered can no longer change."""
    return survey.responses.exists()


def check_unlocked(survey):
    if is_locked(survey):
        raise SurveyError(_("Answers have come in: the questions, choices and units can no longer change."),
                          code="locked")


def add_question(survey, kind, text, required=True, choices=()):
    """A question at the end of the survey, with its choices (for single and multiple choice)."""
    check_unlocked(survey)
    text = (text or "").strip()
    if not text:
        raise SurveyError(_("Write the question."))
    if kind not in Kind.values:
        raise SurveyError(_("Choose the kind of question."))
    with transaction.atomic():
        last = survey.questions.order_by("-order").values_list("order", flat=True).first() or 0
        question = Question.objects.create(survey=survey, kind=kind, text=text, required=required, order=last + 1)
        for order, choice in enumerate((c.strip() for c in choices if c.strip()), start=1):
            Choice.objects.create(question=question, text=choice, order=order)
    return question


def update_question(question, text, required):
    check_unlocked(question.survey)
    text = (text or "").strip()
    if not text:
        raise SurveyError(_("Write the question."))
    question.text, question.required = text, required
    question.save(update_fields=["text", "required"])


def delete_question(question):
    check_unlocked(question.survey)
    question.delete()


def move_question(question, step):
    check_unlocked(question.survey)
    _move(question, question.survey.questions.order_by("order", "pk"), step)


def add_choice(question, text):
    check_unlocked(question.survey)
    text = (text or "").strip()
    if not question.has_choices:
        raise SurveyError(_("Only single and multiple choice questions have choices."))
    if not text:
        raise SurveyError(_("Write the choice."))
    last = question.choices.order_by("-order").values_list("order", flat=True).first() or 0
    return Choice.objects.create(question=question, text=text, order=last + 1)


def delete_choice(choice):
    check_unlocked(choice.question.survey)
    choice.delete()


def move_choice(choice, step):
    check_unlocked(choice.question.survey)
    _move(choice, choice.question.choices.order_by("order", "pk"), step)


def _move(item, siblings, step):
    """Swap the item with its neighbour (step −1: up, +1: down) and number them all 1, 2, 3…"""
    items = list(siblings)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    with transaction.atomic():
        for order, row in enumerate(items, start=1):
            if row.order != order:
                type(row).objects.filter(pk=row.pk).update(order=order)


def problems(survey):
    """Why the survey cannot open yet (empty when it can)."""
    questions = list(survey.questions.prefetch_related("choices"))
    found = [] if questions else [_("Add at least one question.")]
    has_units = survey.units.exists()
    for number, question in enumerate(questions, start=1):
        if question.has_choices and len(question.choices.all()) < 2:
            found.append(_("Question %(number)s needs at least two choices.") % {"number": number})
        if question.about_units and not has_units:
            found.append(_("Question %(number)s asks about units: choose the units reviewed.") % {"number": number})
    return found


def set_status(survey, status):
    """Open (from draft or closed), or close (when open)."""
    if status == Survey.Status.OPEN:
        found = problems(survey)
        if found:
            raise SurveyError(found)
    elif status == Survey.Status.CLOSED:
        if survey.status != Survey.Status.OPEN:
            raise SurveyError(_("Only an open survey can be closed."))
    else:
        raise SurveyError(_("Unknown status."))
    survey.status = status
    survey.save(update_fields=["status"])


# --- invitations ----------------------------------------------------------------------------------

def invite(survey, count=0, invitees=(), at=None):
    """Make `count` invitations, or one per (name, organisation) in `invitees` (not for an
    anonymous survey). Returns [(Invitation, token)]: the tokens exist nowhere else, so show or
    export them now."""
    at = at or timezone.now()
    invitees = [(name.strip(), organisation.strip()) for name, organisation in invitees if name.strip()]
    if survey.status == Survey.Status.CLOSED:
        raise SurveyError(_("The survey is closed: no more invitations."))
    if invitees and survey.anonymous:
        raise SurveyError(_("An anonymous survey keeps no names: give a number of invitations instead."))
    if invitees and count:
        raise SurveyError(_("Give either a number of invitations or a list of invitees, not both."))
    total = len(invitees) or count
    if not 1 <= total <= BATCH_MAX:
        raise SurveyError(_("Make between 1 and %(max)s invitations at a time.") % {"max": BATCH_MAX})
    made = []
    with transaction.atomic():
        for name, organisation in invitees or [("", "")] * count:
            token = new_token()
            made.append((Invitation(survey=survey, token_hash=hash_token(token), created_at=at, name=name[:100],
                                    organisation=organisation[:200]), token))
        Invitation.objects.bulk_create([invitation for invitation, _token in made])
    return made


def invitation_for(token):
    """The invitation of a token, or None (a token that is not one is never looked up)."""
    if not TOKEN_PATTERN.match(token or ""):
        return None
    return Invitation.objects.select_related("survey").filter(token_hash=hash_token(token)).first()


def invitations_of(survey, tokens):
    """The survey's invitations for these tokens, in their order; SurveyError when one is not of it."""
    hashes = [hash_token(token) for token in tokens if TOKEN_PATTERN.match(token)]
    found = {i.token_hash: i for i in survey.invitations.filter(token_hash__in=hashes)}
    if not tokens or len(hashes) != len(tokens) or len(found) != len(set(hashes)):
        raise SurveyError(_("These links are not the survey's invitations."))
    return [(found[hash_token(token)], token) for token in tokens]


# --- answering -------------------------------------------------------------------------------------

def questions_of(survey):
    return list(survey.questions.prefetch_related("choices").order_by("order", "pk"))


def units_of(survey):
    return list(survey.units.order_by("path"))


def read_answers(survey, data, questions=None, units=None):
    """Read a filled-in questionnaire (a QueryDict or MultiValueDict: field q<question>, and
    q<question>-u<unit> for each unit of a question that rates every unit).
    Returns (unsaved Answers, {question pk: the message for it}); answers only when no message."""
    questions = questions if questions is not None else questions_of(survey)
    units = units if units is not None else units_of(survey)
    unit_ids = {unit.pk: unit for unit in units}
    answers, errors, picked = [], {}, {}
    for question in questions:
        name = f"q{question.pk}"
        try:
            found, answered = _read(question, name, data, unit_ids)
        except ValidationError as error:
            errors[question.pk] = " ".join(error.messages)
            continue
        if question.required and not answered:
            errors[question.pk] = _required_message(question)
            continue
        if question.kind in Question.UNIT_VOTES and found:
            picked.setdefault(question.kind, set()).add(found[0].unit_id)
        answers.extend(found)
    for question in questions:
        if question.kind == Kind.LEAST_SATISFIED and question.pk not in errors:
            chosen = {a.unit_id for a in answers if a.question is question}
            if chosen & picked.get(Kind.MOST_SATISFIED, set()):
                errors[question.pk] = _("The most and the least satisfied unit cannot be the same.")
    return ([] if errors else answers), errors


def _required_message(question):
    return {
        Kind.SINGLE: _("Choose one answer."),
        Kind.MULTIPLE: _("Choose at least one answer."),
        Kind.SCALE: _("Choose a score from 1 to 5."),
        Kind.TEXT: _("Please write an answer."),
        Kind.MOST_SATISFIED: _("Choose a unit."),
        Kind.LEAST_SATISFIED: _("Choose a unit."),
        Kind.UNIT_SCALE: _("Score every unit, or choose “I do not know it”."),
    }[question.kind]


def _read(question, name, data, unit_ids):
    """(the question's answers from the form data, whether it was answered); ValidationError when
    what was sent is not a valid answer. A question rating each unit is answered when every unit
    has a score or "I do not know it"."""
    found = _read_found(question, name, data, unit_ids)
    if question.kind == Kind.UNIT_SCALE:
        return found, all(data.get(f"{name}-u{unit_id}") for unit_id in unit_ids)
    return found, bool(found)


def _read_found(question, name, data, unit_ids):
    kind = question.kind
    if kind == Kind.TEXT:
        text = (data.get(name) or "").strip()
        if len(text) > TEXT_MAX:
            raise ValidationError(_("At most %(max)s characters.") % {"max": TEXT_MAX})
        return [Answer(question=question, text=text)] if text else []
    if kind == Kind.UNIT_SCALE:
        return [Answer(question=question, unit_id=unit_id, number=_score(value)) for unit_id in unit_ids
                if (value := data.get(f"{name}-u{unit_id}") or "") and value != UNKNOWN]
    values = [v for v in data.getlist(name) if v]
    if not values:
        return []
    if kind == Kind.MULTIPLE:
        choices = {c.pk for c in question.choices.all()}
        picked = {_number(v) for v in values}
        if not picked <= choices:
            raise ValidationError(_("Choose among the answers shown."))
        return [Answer(question=question, choices=[c.pk for c in question.choices.all() if c.pk in picked])]
    if len(values) > 1:
        raise ValidationError(_("Choose one answer only."))
    if kind == Kind.SINGLE:
        choice = next((c for c in question.choices.all() if c.pk == _number(values[0])), None)
        if choice is None:
            raise ValidationError(_("Choose among the answers shown."))
        return [Answer(question=question, choice=choice)]
    if kind == Kind.SCALE:
        return [Answer(question=question, number=_score(values[0]))]
    unit_id = _number(values[0])  # most or least satisfied unit
    if unit_id not in unit_ids:
        raise ValidationError(_("Choose among the units shown."))
    return [Answer(question=question, unit_id=unit_id)]


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _score(value):
    number = _number(value)
    if number is None or not 1 <= number <= 5:
        raise ValidationError(_("Choose a score from 1 to 5."))
    return number


def submit(invitation, answers, at=None):
    """Store the answers as the invitation's one response, claiming the invitation in the same
    transaction. SurveyError (code used or closed) when it cannot; then nothing is written."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
        survey = invitation.survey
        if invitation.used_on is not None:
            raise SurveyError(used_message(), code="used")
        if not survey.accepts_answers(at):
            raise SurveyError(closed_message(survey, at), code="closed")
        if Invitation.objects.filter(pk=invitation.pk, used_on__isnull=True).update(used_on=day) != 1:
            raise SurveyError(used_message(), code="used")
        response = Response.objects.create(survey=survey, submitted_on=day)
        if not survey.anonymous:
            Respondent.objects.create(response=response, invitation=invitation, submitted_at=at)
        for answer in answers:
            answer.response = response
        Answer.objects.bulk_create(answers)
    return response


def used_message():
    return _("This invitation has already been used to answer. Each invitation answers once; thank you for "
             "taking part.")


def closed_message(survey, at=None):
    at = at or timezone.now()
    if survey.status == Survey.Status.DRAFT or (survey.opens_at and at < survey.opens_at):
        return _("This survey has not opened yet. Please come back once it opens.")
    return _("This survey has closed and no longer takes answers. Thank you for your interest.")

"""A survey's results: per question (counts and shares, averages of the scales) and per unit
(most and least satisfied votes, the average score each unit was given), each with the number of
answers it stands on.

Shares are of the responses that answered the question: for a multiple choice question they add
up to more than 100%. A unit's most-satisfied share is its votes over the answers to the
most-satisfied questions (the same for least); its net share is the first minus the second.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from duban.ledger.models import Rating
from duban.surveys.models import Answer, Question
from duban.surveys.service import questions_of, units_of

Kind = Question.Kind


def share(count, total):
    return count / total if total else None


def average(total, count):
    return total / count if count else None


@dataclass
class Option:
    label: str
    count: int
    share: float | None


@dataclass
class Scored:
    """A unit's scores on a question rating each unit."""

    name: str
    count: int
    average: float | None


@dataclass
class QuestionResult:
    question: Question
    number: int  # its place in the survey, from 1
    answered: int  # responses that answered it
    options: list = field(default_factory=list)  # Option per choice, unit or score
    average: float | None = None  # scales
    scored: list = field(default_factory=list)  # Scored per unit (a question rating each unit)
    texts: list = field(default_factory=list)  # free text


@dataclass
class UnitResult:
    unit_id: int
    name: str
    most: int = 0
    least: int = 0
    most_share: float | None = None
    least_share: float | None = None
    rated: int = 0  # scores given to the unit on the questions rating each unit
    score_total: int = 0

    @property
    def average(self):
        return average(self.score_total, self.rated)

    @property
    def net(self):
        """Most-satisfied share minus least-satisfied share, −1 to 1 (0 without votes)."""
        return (self.most_share or 0) - (self.least_share or 0)


@dataclass
class Results:
    responses: int
    questions: list
    units: list
    most_answers: int  # answers to the most-satisfied questions
    least_answers: int
    rates_units: bool  # the survey has a question rating each unit
    asks_most: bool  # … a most-satisfied question
    asks_least: bool  # … a least-satisfied question

    def unit(self, unit_id):
        return next((u for u in self.units if u.unit_id == unit_id), None)


def results(survey):
    questions, units = questions_of(survey), units_of(survey)
    answers = Answer.objects.filter(question__survey=survey).order_by()
    answered = dict(answers.values_list("question_id").annotate(n=Count("response_id", distinct=True)))
    by_choice = _counts(answers.filter(choice__isnull=False), "choice_id")
    by_unit = _counts(answers.filter(unit__isnull=False, number__isnull=True), "unit_id")
    by_number = _counts(answers.filter(unit__isnull=True, number__isnull=False), "number")
    scored = defaultdict(dict)
    for question_id, unit_id, n, total in (answers.filter(unit__isnull=False, number__isnull=False)
                                           .values_list("question_id", "unit_id").annotate(n=Count("pk"),
                                                                                          total=Sum("number"))):
        scored[question_id][unit_id] = (n, total)
    picked = defaultdict(lambda: defaultdict(int))
    for question_id, choices in answers.filter(question__kind=Kind.MULTIPLE).values_list("question_id", "choices"):
        for choice_id in choices:
            picked[question_id][choice_id] += 1
    texts = defaultdict(list)
    for question_id, text in answers.filter(question__kind=Kind.TEXT).exclude(text="").order_by("pk").values_list(
            "question_id", "text"):
        texts[question_id].append(text)

    rows = {unit.pk: UnitResult(unit.pk, unit.name) for unit in units}
    most_answers = least_answers = 0
    found = []
    for number, question in enumerate(questions, start=1):
        n = answered.get(question.pk, 0)
        result = QuestionResult(question, number, n)
        if question.kind == Kind.SINGLE:
            result.options = [Option(c.text, by_choice[question.pk].get(c.pk, 0), None) for c in question.choices.all()]
        elif question.kind == Kind.MULTIPLE:
            result.options = [Option(c.text, picked[question.pk].get(c.pk, 0), None) for c in question.choices.all()]
        elif question.kind == Kind.SCALE:
            counts = by_number[question.pk]
            result.options = [Option(f"{score} {Rating(score).label}", counts.get(score, 0), None)
                              for score in range(5, 0, -1)]
            result.average = average(sum(score * c for score, c in counts.items()), sum(counts.values()))
        elif question.kind in Question.UNIT_VOTES:
            votes = by_unit[question.pk]
            result.options = [Option(unit.name, votes.get(unit.pk, 0), None) for unit in units]
            for unit in units:
                if question.kind == Kind.MOST_SATISFIED:
                    rows[unit.pk].most += votes.get(unit.pk, 0)
                else:
                    rows[unit.pk].least += votes.get(unit.pk, 0)
            if question.kind == Kind.MOST_SATISFIED:
                most_answers += n
            else:
                least_answers += n
        elif question.kind == Kind.UNIT_SCALE:
            for unit in units:
                count, total = scored[question.pk].get(unit.pk, (0, 0))
                result.scored.append(Scored(unit.name, count, average(total, count)))
                rows[unit.pk].rated += count
                rows[unit.pk].score_total += total
        else:
            result.texts = texts[question.pk]
        for option in result.options:
            option.share = share(option.count, n)
        found.append(result)
    for row in rows.values():
        row.most_share, row.least_share = share(row.most, most_answers), share(row.least, least_answers)
    return Results(responses=survey.responses.count(), questions=found, units=list(rows.values()),
                   most_answers=most_answers, least_answers=least_answers,
                   rates_units=any(q.kind == Kind.UNIT_SCALE for q in questions),
                   asks_most=any(q.kind == Kind.MOST_SATISFIED for q in questions),
                   asks_least=any(q.kind == Kind.LEAST_SATISFIED for q in questions))


def _counts(answers, column):
    """question pk → {value of the column → number of answers}."""
    counts = defaultdict(dict)
    for question_id, value, n in answers.values_list("question_id", column).annotate(n=Count("pk")):
        counts[question_id][value] = n
    return counts

"""Dispatch suggestions: which category and which unit a new report probably belongs to.

The dispatch catalogue comes first: when the category is known, its rules name the unit. When it
is not, a classifier trained on the city's own closed tickets suggests it — jieba word tokens,
TF-IDF weights and a multinomial logistic regression (scikit-learn) — with the probability of its
choice as the confidence; the catalogue then names the unit for that category, and where the
catalogue has no rule, a second classifier trained on who actually handled such matters does.

Training needs scikit-learn; a suggestion needs only numpy: the stored model is the vocabulary,
the IDF weights and the coefficients, and prediction is one sparse dot product.
"""
import io
import logging
import math
import random
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.catalogue.dispatch import choose_units
from duban.catalogue.models import Category
from duban.ledger.models import State, Ticket
from duban.lib.text import compact, normalise
from duban.org.models import Unit
from duban.triage.models import Classifier

TRAIN_MAX = 200_000  # the most recent closed tickets are enough to learn a city's vocabulary
MIN_PER_CLASS = 2
KEEP = 3  # older models are kept for comparison, then dropped


@dataclass
class Suggestion:
    category: Category | None = None
    unit: Unit | None = None
    confidence: float = 0.0
    source: str = "none"  # "catalogue", "classifier" or "none"
    explanation: str = ""


@lru_cache(maxsize=1)
def _jieba():
    import jieba  # noqa: PLC0415 — its dictionary loads once, on first use

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens(text):
    """The words of a text (jieba), without spaces and punctuation."""
    words = []
    for word in _jieba().lcut(normalise(text).lower()):
        word = compact(word)
        if word:
            words.append(word)
    return words


# --- the stored model ------------------------------------------------------------------------

class Model:
    """A trained classifier, ready to predict."""

    def __init__(self, row):
        arrays = np.load(io.BytesIO(bytes(row.parameters)), allow_pickle=False)
        self.row = row
        self.classes = row.classes
        self.index = {word: i for i, word in enumerate(row.vocabulary)}
        self.idf, self.coef, self.intercept = arrays["idf"], arrays["coef"], arrays["intercept"]

    def probabilities(self, text):
        counts = {}
        for word in tokens(text):
            i = self.index.get(word)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        if not counts:
            return None
        columns = np.fromiter(counts, dtype=np.int64)
        weights = (1 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[columns]
        weights /= np.linalg.norm(weights)
        scores = self.coef[:, columns] @ weights + self.intercept
        if len(self.classes) == 2:  # scikit-learn keeps one row for two classes
            p = 1 / (1 + math.exp(-scores[0]))
            return np.array([1 - p, p])
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def predict(self, text):
        """(class primary key, probability), or (None, 0.0) when no word of the text is known."""
        p = self.probabilities(text)
        if p is None:
            return None, 0.0
        best = int(np.argmax(p))
        return self.classes[best], float(p[best])


_loaded = {}


def current(target):
    """The latest trained model for the target, or None."""
    row = (Classifier.objects.filter(target=target).order_by("-trained_at", "-pk")
           .only("pk").first())
    if row is None:
        return None
    if _loaded.get(target) is None or _loaded[target].row.pk != row.pk:
        _loaded[target] = Model(Classifier.objects.get(pk=row.pk))
    return _loaded[target]


# --- suggesting ------------------------------------------------------------------------------

def suggest(text, *, area=None, category=None):
    """What the catalogue and the classifiers say about a report."""
    if category is not None:
        decision = choose_units(category, area)
        return Suggestion(category, decision.lead_unit, 0.5 if decision.fallback else 1.0, "catalogue",
                          decision.explanation)
    model = current(Classifier.Target.CATEGORY)
    if model is None:
        return Suggestion(explanation=_("No classifier has been trained yet (duban triage train)."))
    pk, confidence = model.predict(text)
    category = Category.objects.filter(pk=pk, active=True).first() if pk is not None else None
    if category is None:
        return Suggestion(explanation=_("The classifier knows none of these words."))
    decision = choose_units(category, area)
    unit = decision.lead_unit
    explanation = _("Looks like “%(category)s” (%(percent)d%% sure) from %(count)d closed tickets.") % {
        "category": category.full_name(), "percent": round(confidence * 100), "count": model.row.samples}
    if decision.fallback:
        unit_model = current(Classifier.Target.UNIT)
        unit_pk, unit_confidence = unit_model.predict(text) if unit_model else (None, 0.0)
        found = Unit.objects.filter(pk=unit_pk).first() if unit_pk is not None else None
        if found is not None:
            unit = found
            explanation += " " + _("No catalogue rule covers it; such matters were handled by %(unit)s.") % {
                "unit": found.name}
            confidence = min(confidence, unit_confidence)
    else:
        explanation += " " + decision.explanation
    return Suggestion(category, unit, confidence, "classifier", explanation)


# --- training --------------------------------------------------------------------------------

def _examples(target, limit):
    field = "category_id" if target == Classifier.Target.CATEGORY else "lead_unit_id"
    rows = (Ticket.objects.filter(state=State.CLOSED, **{f"{field}__isnull": False}).order_by("-pk")
            .values_list("title", "description", field)[:limit])
    return [(f"{title} {description}", label) for title, description, label in rows]


def _fit(examples):
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 — training only
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    counts = {}
    for _text, label in examples:
        counts[label] = counts.get(label, 0) + 1
    examples = [(t, label) for t, label in examples if counts[label] >= MIN_PER_CLASS]
    labels = sorted({label for _text, label in examples})
    if len(labels) < 2:
        return None
    vectorizer = TfidfVectorizer(tokenizer=tokens, token_pattern=None, lowercase=False, sublinear_tf=True,
                                 max_features=getattr(settings, "TRIAGE_MAX_FEATURES", 50_000))
    x = vectorizer.fit_transform([t for t, _label in examples])
    model = LogisticRegression(max_iter=1000, C=getattr(settings, "TRIAGE_C", 10.0))
    model.fit(x, [label for _t, label in examples])
    return vectorizer, model, len(examples)


def _pack(vectorizer, model):
    buffer = io.BytesIO()
    np.savez(buffer, idf=vectorizer.idf_, coef=model.coef_, intercept=model.intercept_)
    return buffer.getvalue()


def _split(examples, share, seed):
    """A reproducible held-out split, stratified by label."""
    by_label = {}
    for example in examples:
        by_label.setdefault(example[1], []).append(example)
    rng = random.Random(seed)
    train, test = [], []
    for label in sorted(by_label):
        group = by_label[label]
        rng.shuffle(group)
        held = int(len(group) * share) if len(group) >= 5 else 0
        test.extend(group[:held])
        train.extend(group[held:])
    return train, test


def evaluate(target=Classifier.Target.CATEGORY, *, share=0.2, seed=1, limit=TRAIN_MAX):
    """Train on most closed tickets and score on the rest: {"train", "test", "accuracy"}."""
    train, test = _split(_examples(target, limit), share, seed)
    fitted = _fit(train)
    if fitted is None or not test:
        return {"train": len(train), "test": len(test), "accuracy": None}
    vectorizer, model, _n = fitted
    predicted = model.predict(vectorizer.transform([t for t, _label in test]))
    right = sum(int(p == label) for p, (_t, label) in zip(predicted, test, strict=True))
    return {"train": len(train), "test": len(test), "accuracy": right / len(test)}


def train(target=Classifier.Target.CATEGORY, *, limit=TRAIN_MAX, accuracy=None):
    """Train a new model on the closed tickets and store it; return the row, or None when there
    are not yet two categories (or units) with closed tickets to learn from."""
    fitted = _fit(_examples(target, limit))
    if fitted is None:
        return None
    vectorizer, model, samples = fitted
    with transaction.atomic():
        row = Classifier.objects.create(
            target=target, trained_at=timezone.now(), samples=samples,
            classes=[int(c) for c in model.classes_], vocabulary=vectorizer.get_feature_names_out().tolist(),
            parameters=_pack(vectorizer, model), accuracy=accuracy)
        keep = Classifier.objects.filter(target=target).order_by("-trained_at", "-pk").values_list("pk", flat=True)[:KEEP]
        Classifier.objects.filter(target=target).exclude(pk__in=list(keep)).delete()
    return row

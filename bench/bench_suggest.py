"""Held-out accuracy of the dispatch classifiers on the demo city.

    .venv/bin/python bench/bench_suggest.py [tickets]

Loads the demo city 江城市 with `tickets` (5,000) tickets into a fresh SQLite database, then
trains on 80% of its closed tickets (stratified, seed 1) and scores the other 20%, for the
category and for the lead unit. The baseline, measured on the same split, always guesses the
most common answer. The demo's texts come from a few templates per category, so the category
figure is an upper bound: a real city's own closed tickets are messier. Also times one
suggestion. Writes one JSON line to bench/results/suggest.json.
"""
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "suggest.json"


def main(tickets=5000):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ["DUBAN_VAR_DIR"] = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from duban.demo.load import load
    from duban.triage import suggest
    from duban.triage.models import Classifier

    call_command("migrate", verbosity=0)
    load(tickets, 2026, log=lambda *_: None)
    result = {"bench": "triage.suggest", "date": time.strftime("%Y-%m-%d"), "demo_tickets": tickets}
    for target in Classifier.Target:
        examples = suggest._examples(target, suggest.TRAIN_MAX)
        train, test = suggest._split(examples, 0.2, 1)
        common = Counter(label for _text, label in train).most_common(1)[0][0]
        baseline = sum(label == common for _text, label in test) / len(test)
        scored = suggest.evaluate(target)
        result.update({f"{target.value}_classes": len({label for _t, label in examples}),
                       f"{target.value}_train": scored["train"], f"{target.value}_test": scored["test"],
                       f"{target.value}_accuracy": round(scored["accuracy"], 3),
                       f"{target.value}_baseline_most_common": round(baseline, 3)})
    suggest.train()
    suggest.suggest("热身 warm-up")
    started = time.perf_counter()
    for _ in range(200):
        suggest.suggest("富强小区东门有辆白色轿车停了半年，落满灰尘，占了消防通道")
    result["suggest_ms"] = round((time.perf_counter() - started) / 200 * 1000, 2)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))

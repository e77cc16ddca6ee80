"""`duban stats`: the counts an operator wants first, gathered from every app that keeps some.

An installed app takes part by having a `stats` module with a `stats()` function that returns
an ordered list of sections, each `(key, title, {code: (label, count)})`: the key and the codes
are stable machine names (for --json), the title and labels are for people (a lazy translated
label is shown in Chinese, then English).
"""
import importlib
import json
import unicodedata

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.functional import Promise


def collect():
    sections = []
    for app in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{app.name}.stats")
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.stats":
                raise
            continue
        if hasattr(module, "stats"):
            sections.extend(module.stats())
    return sections


def bilingual(label):
    if not isinstance(label, Promise):
        return str(label)
    with translation.override("zh-hans"):
        chinese = str(label)
    with translation.override("en"):
        english = str(label)
    return chinese if chinese == english else f"{chinese} {english}"


def width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Command(BaseCommand):
    help = "Print counts of units, people and tickets (by state, kind and channel); --json for machines."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="one JSON object {section: {code: count}}")

    def handle(self, *args, json=False, **options):
        sections = collect()
        if json:
            self.print_json(sections)
            return
        for key, title, rows in sections:
            self.stdout.write(title)
            labels = {code: bilingual(label) for code, (label, _) in rows.items()}
            column = max([width(label) for label in labels.values()] + [12]) + 2
            for code, (_, count) in rows.items():
                self.stdout.write(f"  {labels[code]}{' ' * (column - width(labels[code]))}{count:>8}")
            self.stdout.write("")

    def print_json(self, sections):
        data = {key: {code: count for code, (_, count) in rows.items()} for key, _, rows in sections}
        self.stdout.write(globals()["json"].dumps(data, ensure_ascii=False, indent=2))

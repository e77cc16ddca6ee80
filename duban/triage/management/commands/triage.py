import json

from django.core.management.base import BaseCommand, CommandError

from duban.org.models import Unit
from duban.triage import duplicates, suggest
from duban.triage.models import Classifier


def _percent(value):
    return "—" if value is None else f"{value:.1%}"


class Command(BaseCommand):
    help = ("Duplicates and dispatch suggestions: `reindex` rebuilds the duplicate index, `train` trains the "
            "classifiers on closed tickets, `evaluate` reports held-out accuracy, `suggest TEXT` and "
            "`duplicates TEXT` show what intake would see.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True)
        sub.add_parser("reindex", help="rebuild the duplicate index from the open tickets")
        train = sub.add_parser("train", help="train the category and unit classifiers on closed tickets")
        train.add_argument("--evaluate", action="store_true", help="measure held-out accuracy first")
        sub.add_parser("evaluate", help="held-out accuracy of the category classifier, as JSON")
        for name in ("suggest", "duplicates"):
            one = sub.add_parser(name, help=f"{name} for a text")
            one.add_argument("text")
            one.add_argument("--area", help="the area's name (a street, a community …)")

    def _area(self, name):
        if not name:
            return None
        area = Unit.objects.filter(name=name).first()
        if area is None:
            raise CommandError(f"没有这个区域 no such area: {name}")
        return area

    def handle(self, *args, operation, **options):
        if operation == "reindex":
            count = duplicates.reindex()
            self.stdout.write(f"已索引 {count} 件在办工单 indexed {count} open tickets")
        elif operation == "evaluate":
            self.stdout.write(json.dumps(suggest.evaluate(), ensure_ascii=False))
        elif operation == "train":
            for target in Classifier.Target:
                accuracy = suggest.evaluate(target)["accuracy"] if options["evaluate"] else None
                row = suggest.train(target, accuracy=accuracy)
                if row is None:
                    self.stdout.write(f"{target.label}: 已办结工单不足，未训练 not enough closed tickets to train")
                else:
                    self.stdout.write(f"{target.label}: {row.samples} 件 tickets, {len(row.classes)} 类 classes, "
                                      f"准确率 held-out accuracy {_percent(accuracy)}")
        elif operation == "suggest":
            found = suggest.suggest(options["text"], area=self._area(options["area"]))
            self.stdout.write(json.dumps({
                "category": found.category.full_name() if found.category else None,
                "unit": found.unit.name if found.unit else None, "confidence": round(found.confidence, 3),
                "source": found.source, "explanation": found.explanation}, ensure_ascii=False))
        else:
            for match in duplicates.find(options["text"], area=self._area(options["area"])):
                self.stdout.write(f"{match.ticket.number}\t{match.score:.2f}\t{match.ticket.title}\t"
                                  + "; ".join(match.reasons))

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from duban.clock.calendar import work_calendar
from duban.lib.workdays import CalendarRangeError


def moment(text):
    """An ISO 8601 moment; without a zone it is read in the configured time zone (Asia/Shanghai)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"不是 ISO 8601 时间 not an ISO 8601 moment: {text!r} (e.g. 2025-09-30T16:00)") from None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class Command(BaseCommand):
    help = "Working-day arithmetic: `add MOMENT N [--hours]` prints the moment; `count A B` the working days."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True)
        add = sub.add_parser("add", help="add N working days (or hours) to a moment")
        add.add_argument("moment", type=moment)
        add.add_argument("amount", type=float)
        add.add_argument("--hours", action="store_true", help="N is working hours, not days")
        count = sub.add_parser("count", help="working days after A's day up to B's day")
        count.add_argument("a", type=moment)
        count.add_argument("b", type=moment)

    def handle(self, *args, operation, **options):
        calendar = work_calendar()
        try:
            if operation == "count":
                self.stdout.write(str(calendar.count_workdays(options["a"], options["b"])))
                return
            amount = options["amount"]
            if options["hours"]:
                result = calendar.add_workhours(options["moment"], amount)
            elif amount != int(amount) or amount < 0:
                raise CommandError("工作日数须为非负整数 working days must be a whole number, 0 or more")
            else:
                result = calendar.add_workdays(options["moment"], int(amount))
        except CalendarRangeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(result.isoformat())

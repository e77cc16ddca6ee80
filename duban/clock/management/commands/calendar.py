from django.core.management.base import BaseCommand, CommandError

from duban.clock.calendar import (ScheduleError, import_schedule, load_provisional, loaded_range, parse_schedule,
                                  seed_from_package)


class Command(BaseCommand):
    help = ("The working-day calendar: `seed` loads the years the chinesecalendar package knows; "
            "`import FILE` loads a State Council schedule (lines: date,holiday|makeup,name); `show` the range.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True)
        sub.add_parser("seed", help="load every year the chinesecalendar package covers")
        load = sub.add_parser("import", help="load whole years from a schedule file")
        load.add_argument("file")
        sub.add_parser("show", help="print the first and last day loaded")
        provisional = sub.add_parser("provisional", help="a stand-in year (weekends and 元旦 off) until the "
                                                         "official schedule is out")
        provisional.add_argument("year", type=int)

    def handle(self, *args, operation, **options):
        if operation == "seed":
            years = seed_from_package()
            self.stdout.write(f"已载入 loaded {years[0]}–{years[-1]}" if years else "没有可载入的年份 nothing to load")
        elif operation == "provisional":
            try:
                load_provisional(options["year"])
            except ScheduleError as error:
                raise CommandError(str(error)) from None
            self.stderr.write(f"注意：{options['year']}年为暂定日历，只有周末和元旦休息，请在国务院公布安排后导入正式日历 "
                              f"warning: {options['year']} is provisional; import the official schedule when it is out")
        elif operation == "import":
            try:
                with open(options["file"], encoding="utf-8-sig") as f:
                    years = import_schedule(parse_schedule(f))
            except (OSError, ScheduleError) as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"已载入 loaded {', '.join(map(str, years))}")
        first, last = loaded_range()
        self.stdout.write(f"工作日历 calendar: {first} – {last}")

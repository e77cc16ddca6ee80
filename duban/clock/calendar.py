"""The working-day calendar as the application uses it: read from the table, cached per process.

The table is the truth (operators edit it and import next year's schedule); the pure arithmetic
lives in duban.lib.workdays. The cache is rebuilt when the table changes (row count or latest edit
differ), checked with one small aggregate query at most every RECHECK_SECONDS.
"""
import csv
import time
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.clock.models import CalendarDay
from duban.lib.workdays import CalendarRangeError, WorkCalendar, calendar_days_from_chinesecalendar

_cache = {"key": None, "calendar": None, "checked": 0.0}
RECHECK_SECONDS = 5  # an edit of the table reaches every process within this time

PROVISIONAL = "暂定"
# Words accepted in an import file for a day off and a make-up working day.
DAY_OFF = {"holiday", "off", "休", "假", "放假"}
MAKEUP = {"makeup", "workday", "work", "班", "补班", "上班"}


class CalendarMissing(CalendarRangeError):
    """No calendar is loaded at all."""

    def __init__(self):
        ValueError.__init__(self, _("The working-day calendar is empty: run `duban calendar seed` "
                                    "or import the State Council's schedule."))
        self.year = timezone.localdate().year


def work_calendar():
    if _cache["calendar"] is not None and time.monotonic() - _cache["checked"] < RECHECK_SECONDS:
        return _cache["calendar"]
    key = tuple(CalendarDay.objects.aggregate(n=Count("date"), edited=Max("updated_at")).values())
    _cache["checked"] = time.monotonic()
    if _cache["key"] != key:
        days = dict(CalendarDay.objects.values_list("date", "is_workday"))
        if not days:
            raise CalendarMissing()
        _cache["calendar"] = WorkCalendar(days, office_hours=settings.OFFICE_HOURS,
                                          tz=timezone.get_default_timezone())
        _cache["key"] = key
    return _cache["calendar"]


def forget():
    """Drop this process's cached calendar (after loading a schedule, or between tests)."""
    _cache.update(key=None, calendar=None, checked=0.0)


def loaded_range():
    return CalendarDay.objects.aggregate(first=Min("date"), last=Max("date")).values()


def runs_out_soon(today=None):
    """A warning for the dispatcher's pages when the calendar ends within the warning period."""
    today = today or timezone.localdate()
    _first, last = loaded_range()
    if last is None:
        return _("The working-day calendar is empty.")
    provisional = CalendarDay.objects.filter(name__contains=PROVISIONAL, date__gte=today).first()
    if provisional:
        return _("The working-day calendar for %(year)d is provisional (weekends and New Year's Day only): "
                 "import the State Council's schedule as soon as it is published.") % {"year": provisional.date.year}
    left = (last - today).days
    if left > settings.CALENDAR_WARNING_DAYS:
        return ""
    return _("The working-day calendar ends on %(last)s (in %(days)d days): import the State Council's "
             "holiday schedule for %(year)d now.") % {"last": last, "days": max(left, 0), "year": last.year + 1}


def _row(day):
    return CalendarDay(date=day.date, is_workday=day.is_workday, kind=day.kind, name=day.holiday_zh)


@transaction.atomic
def seed_from_package(first_year=2004, last_year=None):
    """Load every year the `chinesecalendar` package knows; returns the years loaded."""
    years = []
    year = first_year
    while last_year is None or year <= last_year:
        try:
            days = calendar_days_from_chinesecalendar(year, year)
        except NotImplementedError:
            break
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create([_row(day) for day in days.values()])
        years.append(year)
        year += 1
    forget()
    return years


class ScheduleError(ValueError):
    pass


def parse_schedule(lines):
    """Read `date,kind[,name]` lines (kind: holiday/休 or makeup/班); return {date: (is_workday, name)}.

    Lines that are blank or start with # are skipped. Errors name the line.
    """
    exceptions = {}
    for number, row in enumerate(csv.reader(lines), start=1):
        if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            raise ScheduleError(_("Line %(line)d: %(value)s is not a date like 2027-01-01.")
                               % {"line": number, "value": row[0]}) from None
        word = row[1].strip().lower() if len(row) > 1 else ""
        if word in DAY_OFF:
            workday = False
        elif word in MAKEUP:
            workday = True
        else:
            raise ScheduleError(_("Line %(line)d: the kind of day must be holiday (休) or makeup (班), "
                                 "not %(value)r.") % {"line": number, "value": word})
        exceptions[day] = (workday, row[2].strip() if len(row) > 2 else "")
    if not exceptions:
        raise ScheduleError(_("The file lists no days."))
    return exceptions


@transaction.atomic
def import_schedule(exceptions):
    """Replace the whole years the schedule covers: weekdays work, weekends rest, then the
    listed holidays and make-up days. Returns the years replaced."""
    years = sorted({day.year for day in exceptions})
    for year in years:
        rows, day = [], date(year, 1, 1)
        while day.year == year:
            workday, name = exceptions.get(day, (day.weekday() < 5, ""))
            if day in exceptions:
                kind = CalendarDay.Kind.MAKEUP if workday else CalendarDay.Kind.HOLIDAY
            else:
                kind = CalendarDay.Kind.WORKDAY if workday else CalendarDay.Kind.WEEKEND
            rows.append(CalendarDay(date=day, is_workday=workday, kind=kind, name=name))
            day += timedelta(days=1)
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(rows)
    loaded = [d.year for d in CalendarDay.objects.dates("date", "year")]
    if loaded != list(range(loaded[0], loaded[-1] + 1)):
        raise ScheduleError(_("The calendar would have a gap: load the years in between first "
                              "(loaded: %(years)s).") % {"years": ", ".join(map(str, loaded))})
    forget()
    return years


def load_provisional(year):
    """A stand-in for a year whose official schedule is not out: weekends rest, 元旦 is a
    holiday, every other day works. Named as provisional on every holiday, to be replaced by
    `duban calendar import` when the State Council publishes the real one."""
    return import_schedule({date(year, 1, 1): (False, f"元旦（{PROVISIONAL} provisional）")})

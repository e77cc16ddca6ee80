"""Working-day arithmetic: the clock of every matter, in Chinese working days.

A working day is a weekday that is not a national holiday, or a weekend day that the State
Council's schedule makes a working day (调休上班). The calendar never guesses: it is built from an
explicit list of every date in a run of whole years, and asking about any other date raises
CalendarRangeError, which names the year to load.

Conventions, shared by every operation:

- Moments are timezone-aware datetimes; each is read in the calendar's time zone, and results are
  returned in it. A "day" is a calendar date in that time zone.
- The day a matter arrives is not counted. N working days from a moment end at the close of
  office hours (17:30 by default) on the Nth working day after the moment's day, whatever the
  time of arrival: a complaint made on Friday at 08:00 or at 23:00 with 1 working day is due at
  the close of Monday, or of the next working day when Monday is a holiday.
- 0 working days means "by the close of the day of arrival": the close of office hours that day
  when it is a working day (even if the moment is already past it), else the close of the next
  working day. So on a day off 0 and 1 working day give the same deadline.
- Working hours count only office hours on working days. An amount of hours that uses up a
  period exactly ends at that period's close (11:00 + 1 hour is 12:00, not 13:30).
- Counting and adding agree: count_workdays(m, add_workdays(m, n)) == n for every n >= 1, and for
  n == 0 when m's day is a working day; working_time(m, add_workhours(m, h)) == h for every h.

Every operation is O(1) or O(log n) over an index built once: the number of working days before
each date, the list of working days, and their closing moments. Nothing walks day by day.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

OFFICE_HOURS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
SHANGHAI = ZoneInfo("Asia/Shanghai")

WORKDAY = "workday"  # an ordinary weekday at work
WEEKEND = "weekend"  # an ordinary Saturday or Sunday off
HOLIDAY = "holiday"  # a day off for a national holiday, weekends inside the holiday included
MAKEUP = "makeup"  # a weekend day worked to make up for a holiday (调休上班)

_MICROSECOND = timedelta(microseconds=1)
_HOUR = 3_600_000_000  # microseconds


class CalendarRangeError(ValueError):
    """A date outside the loaded years; `year` is the year to load next."""

    def __init__(self, year):
        self.year = year
        super().__init__(
            f"工作日历未包含{year}年，请先导入{year}年的节假日安排 / "
            f"The working-day calendar has no data for {year}: "
            f"load the State Council's {year} holiday schedule first."
        )


@dataclass(frozen=True)
class CalendarDay:
    """One day of the official schedule and why it is, or is not, a working day."""

    date: date
    is_workday: bool
    kind: str  # WORKDAY, WEEKEND, HOLIDAY or MAKEUP
    holiday: str = ""  # the holiday, or the holiday a make-up day is for: "National Day"
    holiday_zh: str = ""  # the same in Chinese: "国庆节"


class WorkCalendar:
    """Working days and office hours over a contiguous run of whole years.

    `days` maps every date from 1 January of the first year to 31 December of the last to
    True (a working day) or False. `office_hours` are (start, end) wall-clock times in `tz`,
    in order and not overlapping.
    """

    def __init__(self, days, office_hours=OFFICE_HOURS, tz=SHANGHAI):
        self.first_day, self.last_day = _check_days(days)
        self.tz = tz
        self._periods = _check_office_hours(office_hours)
        self._day_length = sum(end - start for start, end in self._periods)
        self._epoch = self.first_day.toordinal()
        self._flags = [days[self.first_day + timedelta(k)]
                       for k in range(self.last_day.toordinal() - self._epoch + 1)]
        self._before = _prefix_counts(self._flags)
        self._workdays = [k for k, working in enumerate(self._flags) if working]
        self._closings = [self._at(k, self._periods[-1][1]) for k in self._workdays]

    def __repr__(self):
        return f"<WorkCalendar {self.first_day.year}–{self.last_day.year} {self.tz}>"

    # Questions about days

    def is_workday(self, day):
        """Whether a date (or an aware moment's local date) is a working day."""
        return self._flags[self._index(day)]

    def count_workdays(self, a, b):
        """Working days after a's day, up to and including b's day; negative when b is before a.

        a and b are dates or aware moments; the time of day does not matter.
        """
        return self._before[self._index(b) + 1] - self._before[self._index(a) + 1]

    def add_workdays(self, moment, n):
        """The deadline n working days after the day of `moment` (a date or an aware moment).

        The close of office hours on the nth working day after moment's day; for n == 0 the
        close of moment's day if it is a working day, else of the next working day.
        """
        if not isinstance(n, int) or n < 0:
            raise ValueError(f"n must be a whole number of working days, not {n!r}")
        k = self._index(moment)
        rank = self._before[k] if n == 0 else self._before[k + 1] + n - 1
        if rank >= len(self._closings):
            raise CalendarRangeError(self.last_day.year + 1)
        return self._closings[rank]

    def days_left(self, today):
        """Calendar days from `today` to the last day loaded: warn the operators when it is low."""
        return (self.last_day - self._local_date(today)).days

    # Questions about office hours

    def add_workhours(self, moment, hours):
        """The moment when `hours` of office time on working days have passed since `moment`.

        hours is a number of hours (fractions allowed) or a timedelta. A moment outside office
        hours starts counting at the next office period; 0 hours gives that start.
        """
        amount = _microseconds(hours)
        if amount == 0:
            return self._next_office_moment(moment)
        return self._moment_at(self._position(moment) + amount)

    def working_time(self, a, b):
        """Office time on working days between two aware moments; negative when b is before a."""
        return timedelta(microseconds=self._position(b) - self._position(a))

    # The index

    def _index(self, value):
        """The position of a date (or an aware moment's local date) in the loaded days."""
        return self._day_index(self._local_date(value))

    def _day_index(self, day):
        k = day.toordinal() - self._epoch
        if k < 0:
            raise CalendarRangeError(self.first_day.year - 1)
        if k >= len(self._flags):
            raise CalendarRangeError(self.last_day.year + 1)
        return k

    def _local_date(self, value):
        if isinstance(value, datetime):
            return self._local(value).date()
        if isinstance(value, date):
            return value
        raise ValueError(f"a date or a timezone-aware datetime is needed, not {value!r}")

    def _local(self, moment):
        if not isinstance(moment, datetime) or moment.tzinfo is None:
            raise ValueError(f"a timezone-aware datetime is needed, not {moment!r}")
        return moment.astimezone(self.tz)

    def _date(self, k):
        return date.fromordinal(self._epoch + k)

    def _position(self, moment):
        """Microseconds of office time from the calendar's first day up to `moment`."""
        local = self._local(moment)
        k = self._day_index(local.date())
        done = self._before[k] * self._day_length
        if self._flags[k]:
            done += self._office_time_by(_time_of_day(local))
        return done

    def _office_time_by(self, t):
        """Microseconds of office time on one working day before time of day t (microseconds)."""
        return sum(min(max(t - start, 0), end - start) for start, end in self._periods)

    def _moment_at(self, position):
        """The moment when `position` (> 0) microseconds of office time have passed."""
        rank, offset = divmod(position - 1, self._day_length)
        if rank >= len(self._workdays):
            raise CalendarRangeError(self.last_day.year + 1)
        offset += 1
        for start, end in self._periods:
            if offset <= end - start:
                break
            offset -= end - start
        return self._at(self._workdays[rank], start + offset)

    def _next_office_moment(self, moment):
        """`moment` itself during office hours, else the start of the next office period."""
        local = self._local(moment)
        k = self._day_index(local.date())
        if self._flags[k]:
            t = _time_of_day(local)
            for start, end in self._periods:
                if t < end:
                    return local if t >= start else self._at(k, start)
        rank = self._before[k + 1]
        if rank >= len(self._workdays):
            raise CalendarRangeError(self.last_day.year + 1)
        return self._at(self._workdays[rank], self._periods[0][0])

    def _at(self, k, t):
        """The moment at time of day t (microseconds) on day k, wall clock in the calendar's tz."""
        midnight = datetime.combine(self._date(k), time(0), self.tz)
        return midnight + timedelta(microseconds=t)


def _check_days(days):
    """The first and last day of a mapping that covers whole contiguous years, or ValueError."""
    if not days:
        raise ValueError("the working-day calendar is empty")
    for day, working in days.items():
        if type(day) is not date:
            raise ValueError(f"calendar keys must be dates, not {day!r}")
        if not isinstance(working, bool):
            raise ValueError(f"{day}: a working day is True or False, not {working!r}")
    first, last = min(days), max(days)
    if (first.month, first.day) != (1, 1) or (last.month, last.day) != (12, 31):
        raise ValueError(f"the calendar must cover whole years, not {first} to {last}")
    expected = (last - first).days + 1
    if len(days) != expected:
        every_day = (first + timedelta(k) for k in range(expected))
        missing = next(day for day in every_day if day not in days)
        raise ValueError(f"the calendar has a gap: {missing} is missing")
    return first, last


def _check_office_hours(office_hours):
    """Office periods as (start, end) microseconds since midnight, or ValueError."""
    periods = [(_time_of_day(start), _time_of_day(end)) for start, end in office_hours]
    if not periods:
        raise ValueError("office hours are empty")
    for start, end in periods:
        if start >= end:
            raise ValueError(f"an office period must end after it starts: {office_hours}")
    for (_, end), (start, _) in zip(periods, periods[1:]):
        if start < end:
            raise ValueError(f"office periods must be in order and not overlap: {office_hours}")
    return periods


def _prefix_counts(flags):
    """counts[k] is the number of True flags before position k; len(flags) + 1 entries."""
    counts = [0]
    for working in flags:
        counts.append(counts[-1] + working)
    return counts


def _time_of_day(t):
    """Microseconds since midnight of a time or datetime (its wall clock)."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _microseconds(hours):
    if isinstance(hours, timedelta):
        amount = hours // _MICROSECOND
    else:
        amount = round(hours * _HOUR)
    if amount < 0:
        raise ValueError(f"working hours cannot be negative: {hours!r}")
    return amount


# Seeding from the chinesecalendar package (2004–2026; it raises NotImplementedError beyond)

def days_from_chinesecalendar(first_year, last_year):
    """{date: is a working day} for whole years, as the `chinesecalendar` package has them."""
    return {day: info.is_workday
            for day, info in calendar_days_from_chinesecalendar(first_year, last_year).items()}


def calendar_days_from_chinesecalendar(first_year, last_year):
    """{date: CalendarDay} for whole years, with the reason for each day, to seed a table."""
    import chinese_calendar

    days = {}
    day, last = date(first_year, 1, 1), date(last_year, 12, 31)
    while day <= last:
        days[day] = _calendar_day(chinese_calendar, day)
        day += timedelta(1)
    return days


def _calendar_day(chinese_calendar, day):
    off, name = chinese_calendar.get_holiday_detail(day)
    weekend = day.weekday() >= 5
    if off:
        kind = WEEKEND if weekend and not name else HOLIDAY
    else:
        kind = MAKEUP if weekend else WORKDAY
    name_zh = chinese_calendar.Holiday(name).chinese if name else ""
    return CalendarDay(day, not off, kind, name or "", name_zh)

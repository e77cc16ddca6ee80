"""Working-day arithmetic, checked against the chinesecalendar package's own schedule.

Every date vector below first asserts what the package says about the days it relies on, so a
wrong memory of a holiday fails here and not in a ticket's deadline.
"""
from datetime import date, datetime, time, timedelta, timezone

import chinese_calendar
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from duban.lib.workdays import (
    HOLIDAY,
    MAKEUP,
    SHANGHAI,
    WEEKEND,
    WORKDAY,
    CalendarRangeError,
    WorkCalendar,
    calendar_days_from_chinesecalendar,
    days_from_chinesecalendar,
)

DAYS = days_from_chinesecalendar(2024, 2026)
CAL = WorkCalendar(DAYS)
CLOSE = time(17, 30)


def at(y, m, d, hh=0, mm=0, tz=SHANGHAI):
    return datetime(y, m, d, hh, mm, tzinfo=tz)


def close_of(y, m, d):
    return datetime.combine(date(y, m, d), CLOSE, SHANGHAI)


def package_says(*days_and_flags):
    for day, working in days_and_flags:
        assert chinese_calendar.is_workday(day) is working, day


# Deadlines in working days around real holidays

def test_national_day_2025_five_days_from_the_last_working_day_before_it():
    package_says((date(2025, 9, 30), True), (date(2025, 10, 1), False),
                 (date(2025, 10, 8), False), (date(2025, 10, 9), True),
                 (date(2025, 10, 10), True), (date(2025, 10, 11), True),
                 (date(2025, 10, 12), False), (date(2025, 10, 13), True),
                 (date(2025, 10, 14), True))
    # 9 Oct, 10 Oct, Saturday 11 Oct (调休), 13 Oct, 14 Oct.
    assert CAL.add_workdays(at(2025, 9, 30, 16), 5) == close_of(2025, 10, 14)


def test_a_ticket_received_on_a_make_up_sunday_counts_from_that_day():
    # 2025-09-28 is a Sunday worked for National Day (the package, not a Saturday).
    assert date(2025, 9, 28).weekday() == 6
    package_says((date(2025, 9, 28), True), (date(2025, 9, 29), True))
    assert CAL.add_workdays(at(2025, 9, 28, 10), 1) == close_of(2025, 9, 29)
    assert CAL.add_workdays(at(2025, 9, 28, 10), 0) == close_of(2025, 9, 28)


def test_a_make_up_saturday_is_a_working_day_in_a_deadline():
    assert date(2025, 10, 11).weekday() == 5
    package_says((date(2025, 10, 10), True), (date(2025, 10, 11), True),
                 (date(2025, 10, 12), False))
    assert CAL.add_workdays(at(2025, 10, 10, 20), 1) == close_of(2025, 10, 11)
    assert CAL.add_workdays(at(2025, 10, 11, 9), 2) == close_of(2025, 10, 14)


def test_spring_festival_2026_is_skipped_and_its_make_up_saturday_is_worked():
    package_says((date(2026, 2, 13), True), (date(2026, 2, 14), True),
                 (date(2026, 2, 15), False), (date(2026, 2, 23), False), (date(2026, 2, 24), True))
    # Friday 13 Feb: Saturday 14 Feb (调休) is the 1st working day, Tuesday 24 Feb the 2nd.
    assert CAL.add_workdays(at(2026, 2, 13, 9), 2) == close_of(2026, 2, 24)
    assert CAL.add_workdays(at(2026, 2, 16, 9), 1) == close_of(2026, 2, 24)
    assert CAL.count_workdays(at(2026, 2, 13, 9), at(2026, 2, 24, 9)) == 2


def test_a_friday_evening_complaint_with_one_working_day_is_due_monday_evening():
    package_says((date(2025, 3, 14), True), (date(2025, 3, 17), True))
    assert CAL.add_workdays(at(2025, 3, 14, 21, 40), 1) == close_of(2025, 3, 17)


def test_a_friday_evening_complaint_before_a_monday_holiday_is_due_tuesday():
    # Dragon Boat Festival 2024 fell on Monday 10 June.
    package_says((date(2024, 6, 7), True), (date(2024, 6, 10), False), (date(2024, 6, 11), True))
    assert CAL.add_workdays(at(2024, 6, 7, 21), 1) == close_of(2024, 6, 11)


def test_the_time_of_arrival_does_not_change_a_working_day_deadline():
    early, late = at(2025, 3, 14, 0, 1), at(2025, 3, 14, 23, 59)
    assert CAL.add_workdays(early, 3) == CAL.add_workdays(late, 3)


def test_zero_working_days_means_the_close_of_the_day_or_of_the_next_working_day():
    assert CAL.add_workdays(at(2025, 3, 14, 9), 0) == close_of(2025, 3, 14)
    assert CAL.add_workdays(at(2025, 3, 14, 22), 0) == close_of(2025, 3, 14)
    assert CAL.add_workdays(at(2025, 3, 15, 9), 0) == close_of(2025, 3, 17)
    assert CAL.add_workdays(at(2025, 10, 1, 9), 0) == close_of(2025, 10, 9)


def test_a_moment_is_read_in_the_calendars_time_zone():
    # 17:00 UTC on 30 September is 01:00 on 1 October in Shanghai: a holiday.
    utc = datetime(2025, 9, 30, 17, 0, tzinfo=timezone.utc)
    assert CAL.add_workdays(utc, 1) == close_of(2025, 10, 9)
    assert CAL.is_workday(utc) is False
    assert CAL.add_workdays(utc, 1).tzinfo is SHANGHAI


def test_a_date_can_stand_for_the_day_of_arrival():
    assert CAL.add_workdays(date(2025, 9, 30), 5) == close_of(2025, 10, 14)


def test_naive_moments_and_negative_or_fractional_days_are_refused():
    with pytest.raises(ValueError):
        CAL.add_workhours(datetime(2025, 3, 14, 9), 1)
    with pytest.raises(ValueError):
        CAL.add_workdays(datetime(2025, 3, 14, 9), 1)
    with pytest.raises(ValueError):
        CAL.add_workdays(at(2025, 3, 14, 9), -1)
    with pytest.raises(ValueError):
        CAL.add_workdays(at(2025, 3, 14, 9), 1.5)


def test_office_hours_can_be_set_per_city():
    cal = WorkCalendar(DAYS, office_hours=((time(9), time(17)),))
    assert cal.add_workdays(at(2025, 3, 14, 20), 1) == at(2025, 3, 17, 17)
    assert cal.add_workhours(at(2025, 3, 14, 16), 2) == at(2025, 3, 17, 10)


# Counting

def test_count_workdays_excludes_the_first_day_and_includes_the_last():
    assert CAL.count_workdays(date(2025, 3, 14), date(2025, 3, 14)) == 0
    assert CAL.count_workdays(date(2025, 3, 14), date(2025, 3, 17)) == 1
    assert CAL.count_workdays(date(2025, 3, 15), date(2025, 3, 16)) == 0
    assert CAL.count_workdays(at(2025, 9, 30, 9), at(2025, 10, 14, 9)) == 5


def test_count_workdays_is_negative_when_the_end_comes_first():
    assert CAL.count_workdays(date(2025, 10, 14), date(2025, 9, 30)) == -5


def test_is_workday_follows_the_package_for_every_loaded_day():
    assert all(CAL.is_workday(day) is chinese_calendar.is_workday(day) for day in DAYS)


# Working hours

def test_work_hours_skip_the_lunch_break():
    assert CAL.add_workhours(at(2025, 3, 14, 11), 2) == at(2025, 3, 14, 14, 30)


def test_work_hours_that_fill_a_period_end_at_its_close():
    assert CAL.add_workhours(at(2025, 3, 14, 11), 1) == at(2025, 3, 14, 12)
    assert CAL.add_workhours(at(2025, 3, 13, 8, 30), 7.5) == close_of(2025, 3, 13)


def test_work_hours_carry_overnight_and_over_the_weekend():
    assert CAL.add_workhours(at(2025, 3, 13, 16, 30), 2) == at(2025, 3, 14, 9, 30)
    assert CAL.add_workhours(at(2025, 3, 14, 17), timedelta(hours=1)) == at(2025, 3, 17, 9)


def test_work_hours_from_outside_office_hours_start_at_the_next_period():
    assert CAL.add_workhours(at(2025, 3, 14, 7), 1) == at(2025, 3, 14, 9, 30)
    assert CAL.add_workhours(at(2025, 3, 14, 12, 45), 0.5) == at(2025, 3, 14, 14)
    assert CAL.add_workhours(at(2025, 3, 15, 10), 1) == at(2025, 3, 17, 9, 30)


def test_zero_work_hours_give_the_moment_itself_or_the_next_office_start():
    assert CAL.add_workhours(at(2025, 3, 14, 10, 15), 0) == at(2025, 3, 14, 10, 15)
    assert CAL.add_workhours(at(2025, 3, 14, 12, 45), 0) == at(2025, 3, 14, 13, 30)
    assert CAL.add_workhours(at(2025, 3, 14, 18), 0) == at(2025, 3, 17, 8, 30)


def test_negative_work_hours_are_refused():
    with pytest.raises(ValueError):
        CAL.add_workhours(at(2025, 3, 14, 10), -1)


def test_working_time_across_national_day_counts_only_office_hours():
    # 16:00–17:30 on 30 September, then 08:30–09:00 on 9 October.
    assert CAL.working_time(at(2025, 9, 30, 16), at(2025, 10, 9, 9)) == timedelta(hours=2)
    assert CAL.working_time(at(2025, 10, 9, 9), at(2025, 9, 30, 16)) == -timedelta(hours=2)


def test_working_time_excludes_lunch_and_nights():
    assert CAL.working_time(at(2025, 3, 14, 11), at(2025, 3, 14, 14)) == timedelta(hours=1.5)
    assert CAL.working_time(at(2025, 3, 14, 18), at(2025, 3, 17, 8)) == timedelta(0)


# The edges of the loaded years

def test_a_date_before_the_first_year_names_the_year_to_load():
    with pytest.raises(CalendarRangeError, match="2023"):
        CAL.is_workday(date(2023, 12, 31))
    with pytest.raises(CalendarRangeError, match="2023"):
        CAL.count_workdays(date(2023, 12, 29), date(2024, 1, 2))


def test_a_deadline_past_the_last_year_names_the_year_to_load():
    with pytest.raises(CalendarRangeError) as caught:
        CAL.add_workdays(at(2026, 12, 31, 10), 1)
    assert caught.value.year == 2027
    assert "工作日历未包含2027年" in str(caught.value)
    assert "load the State Council's 2027 holiday schedule" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_the_last_loaded_day_itself_still_works():
    assert CAL.add_workdays(at(2026, 12, 31, 10), 0) == close_of(2026, 12, 31)
    assert CAL.add_workhours(at(2026, 12, 31, 16), 1.5) == close_of(2026, 12, 31)


def test_work_hours_past_the_last_year_are_refused():
    with pytest.raises(CalendarRangeError, match="2027"):
        CAL.add_workhours(at(2026, 12, 31, 16), 2)


def test_a_utc_moment_that_is_already_next_year_in_shanghai_is_refused():
    with pytest.raises(CalendarRangeError, match="2027"):
        CAL.working_time(at(2026, 12, 31, 10), datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc))


def test_days_left_warns_sixty_days_ahead():
    assert CAL.last_day == date(2026, 12, 31)
    assert CAL.days_left(date(2026, 11, 1)) == 60
    assert CAL.days_left(at(2027, 1, 2, 9)) == -2


def test_the_package_refuses_years_it_does_not_know():
    with pytest.raises(NotImplementedError):
        days_from_chinesecalendar(2027, 2027)


# Building a calendar

def test_a_calendar_with_a_missing_day_is_refused():
    days = dict(DAYS)
    del days[date(2025, 6, 1)]
    with pytest.raises(ValueError, match="2025-06-01"):
        WorkCalendar(days)


def test_a_calendar_of_part_of_a_year_is_refused():
    days = {day: working for day, working in DAYS.items() if day < date(2026, 7, 1)}
    with pytest.raises(ValueError, match="whole years"):
        WorkCalendar(days)


def test_a_calendar_with_a_missing_year_is_refused():
    days = {day: working for day, working in DAYS.items() if day.year != 2025}
    with pytest.raises(ValueError, match="gap"):
        WorkCalendar(days)


def test_a_calendar_day_must_be_true_or_false():
    with pytest.raises(ValueError):
        WorkCalendar({**DAYS, date(2025, 6, 2): 1})


def test_office_hours_must_be_ordered_and_not_overlap():
    with pytest.raises(ValueError):
        WorkCalendar(DAYS, office_hours=((time(13, 30), time(17, 30)), (time(8, 30), time(12))))
    with pytest.raises(ValueError):
        WorkCalendar(DAYS, office_hours=((time(8, 30), time(14)), (time(13, 30), time(17, 30))))
    with pytest.raises(ValueError):
        WorkCalendar(DAYS, office_hours=((time(12), time(8, 30)),))
    with pytest.raises(ValueError):
        WorkCalendar(DAYS, office_hours=())


def test_the_seed_gives_the_reason_for_each_day():
    days = calendar_days_from_chinesecalendar(2025, 2025)
    assert days[date(2025, 9, 27)].kind == WEEKEND
    assert days[date(2025, 9, 29)].kind == WORKDAY
    assert days[date(2025, 9, 28)].kind == MAKEUP
    assert days[date(2025, 9, 28)].holiday_zh == "国庆节"
    assert days[date(2025, 10, 1)].kind == HOLIDAY
    assert days[date(2025, 10, 4)].kind == HOLIDAY
    assert days[date(2025, 10, 6)].holiday == "Mid-autumn Festival"
    assert days[date(2025, 10, 6)].is_workday is False
    assert len(days) == 365


# Properties over random moments in 2024–2026

def naive_add_workdays(moment, n):
    """The reference: walk day by day."""
    day = moment.astimezone(SHANGHAI).date()
    if n == 0:
        while not DAYS[day]:
            day += timedelta(1)
        return close_of(day.year, day.month, day.day)
    while n:
        day += timedelta(1)
        n -= DAYS[day]
    return close_of(day.year, day.month, day.day)


def naive_add_workhours(moment, hours):
    """The reference: walk office period by office period."""
    left = timedelta(hours=hours)
    local = moment.astimezone(SHANGHAI)
    day = local.date()
    while True:
        if DAYS[day]:
            for start, end in ((time(8, 30), time(12)), (time(13, 30), CLOSE)):
                start = max(datetime.combine(day, start, SHANGHAI), local)
                end = datetime.combine(day, end, SHANGHAI)
                if start >= end:
                    continue
                if left <= end - start:
                    return start + left
                left -= end - start
        day += timedelta(1)


moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 10, 31),
                       timezones=st.sampled_from([SHANGHAI, timezone.utc]))


@settings(max_examples=500, deadline=None)
@given(moment=moments, n=st.integers(min_value=0, max_value=40))
def test_add_workdays_agrees_with_a_day_by_day_walk(moment, n):
    assert CAL.add_workdays(moment, n) == naive_add_workdays(moment, n)


@settings(max_examples=500, deadline=None)
@given(moment=moments, n=st.integers(min_value=0, max_value=40))
def test_counting_the_working_days_to_a_deadline_gives_n_back(moment, n):
    assume(n > 0 or CAL.is_workday(moment))
    deadline = CAL.add_workdays(moment, n)
    assert CAL.count_workdays(moment, deadline) == n
    assert CAL.count_workdays(deadline, moment) == -n
    assert CAL.is_workday(deadline)
    assert deadline.time() == CLOSE


@settings(max_examples=500, deadline=None)
@given(moment=moments, minutes=st.integers(min_value=1, max_value=60 * 200))
def test_add_workhours_agrees_with_a_period_walk_and_working_time_gives_it_back(moment, minutes):
    hours = minutes / 60
    due = CAL.add_workhours(moment, hours)
    assert due == naive_add_workhours(moment, hours)
    assert CAL.working_time(moment, due) == timedelta(minutes=minutes)
    assert CAL.is_workday(due)

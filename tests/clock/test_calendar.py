"""The calendar table: importing next year's schedule, refusing gaps, warning before it runs out."""
import os
import tempfile
from datetime import date
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import override_settings

from duban.clock.calendar import (ScheduleError, import_schedule, parse_schedule, runs_out_soon,
                                  work_calendar)
from duban.clock.models import CalendarDay
from tests.base import DubanTestCase

SCHEDULE_2027 = """# 国务院办公厅关于2027年部分节假日安排的通知（示例）
2027-01-01,holiday,元旦
2027-02-06,休,春节
2027-02-07,班,春节
"""


class CalendarTests(DubanTestCase):
    def test_the_package_years_are_loaded_by_the_migration(self):
        self.assertEqual(CalendarDay.objects.get(date=date(2025, 10, 1)).kind, "holiday")
        self.assertEqual(CalendarDay.objects.get(date=date(2025, 10, 11)).kind, "makeup")
        self.assertEqual(CalendarDay.objects.get(date=date(2025, 10, 1)).name, "国庆节")

    def test_importing_next_years_schedule_fills_the_whole_year(self):
        self.assertEqual(import_schedule(parse_schedule(SCHEDULE_2027.splitlines())), [2027])
        self.assertEqual(CalendarDay.objects.filter(date__year=2027).count(), 365)
        calendar = work_calendar()
        self.assertFalse(calendar.is_workday(date(2027, 1, 1)))
        self.assertTrue(calendar.is_workday(date(2027, 2, 7)))  # a make-up Sunday
        self.assertFalse(calendar.is_workday(date(2027, 1, 2)))  # a plain Saturday

    def test_an_import_that_would_leave_a_gap_is_refused_and_writes_nothing(self):
        with self.assertRaisesMessage(ScheduleError, "2026"):
            import_schedule(parse_schedule(["2028-01-01,holiday,元旦"]))
        self.assertFalse(CalendarDay.objects.filter(date__year=2028).exists())

    def test_a_bad_line_is_named(self):
        with self.assertRaisesMessage(ScheduleError, "第 2 行"):
            parse_schedule(["2027-01-01,holiday,元旦", "2027-13-01,holiday,x"])
        with self.assertRaisesMessage(ScheduleError, "第 1 行"):
            parse_schedule(["2027-01-01,maybe"])

    def test_the_import_command_reads_a_file(self):
        path = self.tmp_file(SCHEDULE_2027)
        out = StringIO()
        call_command("calendar", "import", path, stdout=out)
        self.assertIn("2027", out.getvalue())
        with self.assertRaises(CommandError):
            call_command("calendar", "import", "/nonexistent.csv", stdout=StringIO())

    def tmp_file(self, text):
        handle = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8")
        handle.write(text)
        handle.close()
        self.addCleanup(os.unlink, handle.name)
        return handle.name

    def test_it_warns_sixty_days_before_the_calendar_runs_out(self):
        self.assertIn("2027", runs_out_soon(today=date(2026, 11, 23)))
        self.assertEqual(runs_out_soon(today=date(2026, 10, 1)), "")

    @override_settings(CALENDAR_WARNING_DAYS=100_000)
    def test_staff_pages_show_the_warning(self):
        self.supervisor.is_staff = True
        self.supervisor.save()
        self.client.force_login(self.supervisor)
        self.assertContains(self.client.get("/admin/"), "2027")

    @override_settings(CALENDAR_WARNING_DAYS=0)
    def test_no_warning_while_the_calendar_runs_long(self):
        self.supervisor.is_staff = True
        self.supervisor.save()
        self.client.force_login(self.supervisor)
        self.assertNotContains(self.client.get("/admin/"), "节假日安排")


class WorkdaysCommandTests(DubanTestCase):
    def run_command(self, *args):
        out = StringIO()
        call_command("workdays", *args, stdout=out)
        return out.getvalue().strip()

    def test_add_prints_an_iso_moment(self):
        self.assertEqual(self.run_command("add", "2025-09-30T16:00", "5"), "2025-10-14T17:30:00+08:00")

    def test_add_hours_counts_office_hours_only(self):
        self.assertEqual(self.run_command("add", "2025-11-14T16:30", "4", "--hours"), "2025-11-17T11:30:00+08:00")

    def test_count_is_the_inverse_of_add(self):
        self.assertEqual(self.run_command("count", "2025-09-30T16:00", "2025-10-14T17:30"), "5")

    def test_a_moment_past_the_calendar_names_the_year_to_load(self):
        with self.assertRaisesMessage(CommandError, "2027"):
            self.run_command("add", "2026-12-20T10:00", "15")

    def test_a_bad_moment_is_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "ISO 8601"):
            self.run_command("add", "yesterday", "1")


class ProvisionalTests(DubanTestCase):
    def test_a_provisional_year_rests_on_weekends_and_new_years_day_and_says_so(self):
        from duban.clock.calendar import load_provisional
        load_provisional(2027)
        calendar = work_calendar()
        self.assertFalse(calendar.is_workday(date(2027, 1, 1)))
        self.assertTrue(calendar.is_workday(date(2027, 1, 4)))
        self.assertIn("暂定", CalendarDay.objects.get(date=date(2027, 1, 1)).name)
        self.assertIn("2027", runs_out_soon(today=date(2026, 12, 1)))

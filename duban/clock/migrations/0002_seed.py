"""Seed the calendar from the chinesecalendar package and the default time limits.

Defaults from a typical provincial rule (all editable): working days to resolve by kind —
咨询 2, 求助 10, 建议 10, 投诉 15, 举报 15 — acknowledged within 4 working hours; 紧急 within
24 working hours (utilities: 水电气热), acknowledged within 2; 特急 within 2 working hours,
acknowledged within 1.
"""
from django.db import migrations

from duban.lib.workdays import calendar_days_from_chinesecalendar

KIND_DAYS = {"inquiry": 2, "help": 10, "suggestion": 10, "complaint": 15, "report": 15}


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("clock", "CalendarDay")
    TimeLimit = apps.get_model("clock", "TimeLimit")
    year = 2004
    while True:
        try:
            days = calendar_days_from_chinesecalendar(year, year)
        except NotImplementedError:
            break
        CalendarDay.objects.bulk_create([
            CalendarDay(date=d.date, is_workday=d.is_workday, kind=d.kind, name=d.holiday_zh) for d in days.values()
        ], ignore_conflicts=True)
        year += 1
    TimeLimit.objects.get_or_create(category=None, kind="", urgency="", defaults={
        "ack_amount": 4, "ack_unit": "workhours", "resolve_amount": 15, "resolve_unit": "workdays"})
    for kind, days in KIND_DAYS.items():
        TimeLimit.objects.get_or_create(category=None, kind=kind, urgency="", defaults={
            "ack_amount": 4, "ack_unit": "workhours", "resolve_amount": days, "resolve_unit": "workdays"})
    TimeLimit.objects.get_or_create(category=None, kind="", urgency="urgent", defaults={
        "ack_amount": 2, "ack_unit": "workhours", "resolve_amount": 24, "resolve_unit": "workhours"})
    TimeLimit.objects.get_or_create(category=None, kind="", urgency="critical", defaults={
        "ack_amount": 1, "ack_unit": "workhours", "resolve_amount": 2, "resolve_unit": "workhours"})


class Migration(migrations.Migration):
    dependencies = [("clock", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

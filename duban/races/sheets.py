"""Indicator values from a workbook, and the workbook to fill in.

The first worksheet has a header row (among its first rows, under any title): 区县 (the district,
by its name or an alias), 月份 (2026-10, 2026年10月 or a date), then one column per indicator,
headed by the indicator's name (a unit in brackets after it is ignored), and 备注 if wanted.
An empty cell, "-" or "—" means no value. Every row is checked before anything is written; one
error anywhere and nothing is written. Importing a month again replaces its values.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from duban.intake.sheets import UnreadableFile, cell_text, parse_date, tables
from duban.lib.text import normalise
from duban.org.models import Unit
from duban.races import race
from duban.races.models import Indicator

HEADER_SCAN_ROWS = 10
DISTRICT_HEADERS = ("区县", "县区", "县(市、区)", "县(市)区", "地区", "单位")
MONTH_HEADERS = ("月份", "月度", "时间", "期间")
NOTE_HEADERS = ("备注", "说明")
NO_VALUE = {"", "-", "—", "--", "——", "/", "无"}
LARGEST = Decimal(10) ** 16  # what a value column holds (20 digits, 4 after the point)
PLACES = Decimal("0.0001")
_BRACKETS = re.compile(r"\(.*?\)|（.*?）|\[.*?\]|【.*?】")


class SheetInvalid(Exception):
    """The workbook cannot be imported; `errors` says why, row by row. Nothing was written."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class Entry:
    row: int
    district: Unit
    month: date
    indicator: Indicator
    value: Decimal
    note: str = ""


@dataclass
class Imported:
    created: int = 0
    updated: int = 0
    months: list = field(default_factory=list)

    def __str__(self):
        return _("%(created)d values added, %(updated)d replaced (%(months)s).") % {
            "created": self.created, "updated": self.updated,
            "months": "、".join(month.strftime("%Y-%m") for month in self.months)}


def import_workbook(fileobj, name="races.xlsx", actor=None):
    """Read the whole workbook, then write every value in one transaction. Raises SheetInvalid."""
    return write(read(fileobj, name), actor)


def read(fileobj, name="races.xlsx"):
    """The values the workbook holds, every row checked. Raises SheetInvalid listing every error."""
    try:
        sheets = tables(fileobj, name)
        _sheet, rows = next(iter(sheets), (None, iter(())))
        rows = list(rows)
    except UnreadableFile as error:
        raise SheetInvalid([str(error)]) from None
    header_at, columns, errors = _header(rows)
    if errors:
        raise SheetInvalid(errors)
    entries, seen = [], {}
    districts = _districts()
    for number, values in rows:
        if number <= header_at:
            continue
        entries += _row(number, values, columns, districts, seen, errors)
    if errors:
        raise SheetInvalid(errors)
    if not entries:
        raise SheetInvalid([_("The workbook holds no values to import.")])
    return entries


def write(entries, actor=None):
    outcome = Imported()
    with transaction.atomic():
        for entry in entries:
            created = race.put(entry.indicator, entry.district, entry.month, entry.value, actor, entry.note)
            outcome.created += created
            outcome.updated += not created
    outcome.months = sorted({entry.month for entry in entries})
    return outcome


def export_template(out, month=None, indicators=None):
    """Write to `out` (a path or a binary file) the workbook to fill in: the header row and one
    row per district, the month filled in when given."""
    indicators = list(indicators if indicators is not None else Indicator.objects.filter(active=True))
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicator values")[:31]
    sheet.append([DISTRICT_HEADERS[0], MONTH_HEADERS[0], *(i.name for i in indicators), NOTE_HEADERS[0]])
    month_text = race.parse_month(month).strftime("%Y-%m") if month else None
    for district in race.contestants():
        sheet.append([district.name, month_text])
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 12
    for index, indicator in enumerate(indicators, start=3):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, 2 * len(indicator.name) + 2)
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "@"  # the month stays text, as typed
    sheet.freeze_panes = "C2"
    book.save(out)
    return out


# --- the header ------------------------------------------------------------------------------

def _header(rows):
    """(header row number, {"district"|"month"|"note"|Indicator: column index}, errors)."""
    for number, values in rows[:HEADER_SCAN_ROWS]:
        keys = [_heading(v) for v in values]
        if any(key in DISTRICT_HEADERS for key in keys):
            return number, *_columns(number, values, keys)
    return 0, {}, [_("No header row found: the first rows must hold a row with the columns 区县, 月份 "
                     "and the indicators' names.")]


def _columns(number, values, keys):
    indicators = {}
    for indicator in Indicator.objects.all():
        indicators.setdefault(_heading(indicator.name), indicator)
        indicators.setdefault(_heading(indicator.code), indicator)
    columns, errors = {}, []
    for index, key in enumerate(keys):
        if not key:
            continue
        what = ("district" if key in DISTRICT_HEADERS else "month" if key in MONTH_HEADERS
                else "note" if key in NOTE_HEADERS else indicators.get(key))
        if what is None:
            errors.append(_("Row %(row)d, column %(column)s: unknown indicator “%(name)s”.")
                          % {"row": number, "column": get_column_letter(index + 1), "name": cell_text(values[index])})
        elif what in columns:
            errors.append(_("Row %(row)d, column %(column)s: the column “%(name)s” is there twice.")
                          % {"row": number, "column": get_column_letter(index + 1), "name": cell_text(values[index])})
        else:
            columns[what] = index
    if "month" not in columns:
        errors.append(_("Row %(row)d: there is no column 月份 (the month).") % {"row": number})
    if not any(isinstance(what, Indicator) for what in columns):
        errors.append(_("Row %(row)d: no column is headed by an indicator's name.") % {"row": number})
    return columns, errors


def _heading(value):
    return _BRACKETS.sub("", re.sub(r"\s+", "", cell_text(value))).strip("*:：").lower()


# --- the rows --------------------------------------------------------------------------------

def _districts():
    found = {}
    for unit in Unit.objects.filter(tier__in=Unit.AREA_GOVERNMENTS):
        for name in [unit.name, *(unit.aliases or [])]:
            found.setdefault(re.sub(r"\s+", "", normalise(name)), unit)
    return found


def _row(number, values, columns, districts, seen, errors):
    cells = {what: values[index] if index < len(values) else None for what, index in columns.items()}
    if _heading(cells.get("district")) in DISTRICT_HEADERS:
        return []  # the header again
    if all(cell_text(cells[what]) in NO_VALUE for what in cells if isinstance(what, Indicator)):
        return []  # a district left empty (or a blank row)
    where = {"row": number}
    district_text = cell_text(cells.get("district"))
    district = districts.get(re.sub(r"\s+", "", district_text))
    failed = len(errors)
    if not district_text:
        errors.append(_("Row %(row)d, column %(column)s: the district is empty.")
                      % {**where, "column": _letter(columns, "district")})
    elif district is None:
        errors.append(_("Row %(row)d: unknown district “%(name)s”.") % {**where, "name": district_text})
    try:
        month = _month(cells.get("month"))
    except (ValueError, TypeError):
        month = None
        errors.append(_("Row %(row)d, column %(column)s: “%(text)s” is not a month (write it like 2026-10 or "
                        "2026年10月).") % {**where, "column": _letter(columns, "month"),
                                          "text": cell_text(cells.get("month"))})
    entries = []
    for indicator, index in columns.items():
        if not isinstance(indicator, Indicator) or cell_text(cells[indicator]) in NO_VALUE:
            continue
        try:
            value = _number(cells[indicator])
        except ValueError:
            errors.append(_("Row %(row)d, column %(column)s (%(indicator)s): “%(text)s” is not a number.")
                          % {**where, "column": get_column_letter(index + 1), "indicator": indicator.name,
                             "text": cell_text(cells[indicator])})
            continue
        entries.append(Entry(number, district, month, indicator, value, cell_text(cells.get("note"))[:200]))
    if len(errors) > failed:
        return []
    if district is not None and month is not None:
        first = seen.setdefault((district.pk, month), number)
        if first != number:
            errors.append(_("Row %(row)d: %(district)s, %(month)s is already on row %(first)d.")
                          % {**where, "district": district.name, "month": month.strftime("%Y-%m"), "first": first})
            return []
    return entries


def _letter(columns, what):
    return get_column_letter(columns[what] + 1) if what in columns else "-"


def _month(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 190001 <= value <= 209912:
            return race.parse_month(str(int(value)))  # 202610
        return parse_date(value, None).replace(day=1)  # an Excel date serial
    if isinstance(value, (date, datetime)):
        return race.parse_month(value)
    text = cell_text(value)
    try:
        return race.parse_month(text)
    except ValueError:
        day = parse_date(text, None)  # 2026-10-01, 2026年10月1日
        if day is None:
            raise
        return day.replace(day=1)


def _number(value):
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        value = repr(value)
    text = re.sub(r"[\s,，]", "", normalise(str(value))).removesuffix("%")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite() or abs(number) >= LARGEST:
        raise ValueError(text)
    return number.quantize(PLACES)



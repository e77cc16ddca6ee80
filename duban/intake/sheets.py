"""Reading the ledgers offices keep today (问题整改台账) and putting their rows on the ledger.

`read(fileobj, name)` parses an .xlsx workbook (every sheet) or a .csv file into a Preview: the
good rows, ready to become tickets, and every error and warning by sheet and row number (as
Excel shows them, from 1). Nothing is written. `write(preview, actor)` hands every good row to
`take_in_many` in one transaction: all of them are written, or none.

The header row is found by scoring the first rows against the synonyms of each field, so merged
title rows above it do not matter; merged cells below it carry their value into every cell they
cover. Text is normalised (Traditional → Simplified, full-width → half-width) before matching.

Decisions worth knowing:
- A deadline (整改时限) that has already passed at the moment of import is a warning, not an
  error: the row is imported, the clock runs by the time limits of its kind, and the ledger's
  deadline is kept as a note.
- A row the ledger marks 已销号 is imported open, with the note "原台账记载已销号，待核实":
  closing needs verification by someone else in duban.
- A row that repeats another row of the same file (same description and unit) is an error.
- A row without a unit is dispatched by the catalogue, when it can be; its deadline is kept as
  a note, since a deadline needs a unit to run against.
"""
import codecs
import csv
import difflib
import io
import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from duban.catalogue.models import Category, RequestKind
from duban.clock.calendar import work_calendar
from duban.intake.service import IntakeFailed, Report, take_in_many
from duban.ledger import attachments
from duban.lib.text import normalise
from duban.lib.workdays import CalendarRangeError
from duban.org.models import Unit

CHANNEL = "import"
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv"}
HEADER_SCAN_ROWS = 20  # the header is among the first rows of a sheet
MIN_HEADER_FIELDS = 2

# Each field and the ways ledgers head its column, after normalisation.
FIELDS = {
    "number": ("序号", "编号", "问题编号", "序"),
    "origin": ("问题来源", "来源", "线索来源", "问题出处"),
    "description": ("问题描述", "问题内容", "存在问题", "主要问题", "问题表现", "具体问题", "反映问题",
                    "问题情况", "问题清单", "诉求内容"),
    "title": ("标题", "问题标题", "事项名称"),
    "unit": ("责任单位", "牵头单位", "承办单位", "责任部门", "整改责任单位", "主责单位", "整改单位"),
    "person": ("责任人", "整改责任人", "具体责任人", "责任领导"),
    "due": ("整改时限", "完成时限", "办结时限", "整改期限", "时限要求", "完成时间", "整改完成时限"),
    "measures": ("整改措施", "整改举措", "整改方案"),
    "progress": ("整改进展", "完成情况", "整改情况", "进展情况", "整改完成情况", "整改落实情况"),
    "closed": ("是否销号", "销号情况", "是否办结", "销号"),
    "category": ("问题类别", "问题类型", "类别", "类型", "分类", "问题分类"),
    "area": ("所属区域", "属地", "所属街道", "区域", "所属地区"),
    "address": ("地址", "问题地址", "地点", "具体位置"),
    "phone": ("联系电话", "电话", "手机号码", "手机"),
    "reporter": ("反映人", "举报人", "投诉人", "来电人"),
    "remark": ("备注",),
}
SYNONYMS = {word: name for name, words in FIELDS.items() for word in words}

KIND_WORDS = {"咨询": RequestKind.INQUIRY, "求助": RequestKind.HELP, "投诉": RequestKind.COMPLAINT,
              "举报": RequestKind.REPORT, "建议": RequestKind.SUGGESTION, "意见建议": RequestKind.SUGGESTION}
CLOSED_WORDS = {"是", "已销号", "销号", "已销", "√", "✓", "y", "yes"}
ONGOING_WORDS = {"长期坚持", "长期", "持续推进", "持续整改", "常态化", "立行立改", "长期整改"}
CLOSED_NOTE = "原台账记载已销号，待核实"

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_FULL_DATE = re.compile(r"^((?:19|20)\d\d)\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^((?:19|20)\d\d)(\d\d)(\d\d)$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$")
_MONTH_END = re.compile(r"^((?:19|20)\d\d)\s*[年./\-]\s*(\d{1,2})\s*月?\s*(?:底|末)$")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")
_DEADLINE_WORDS = re.compile(r"(之前|以前|前|止)$")
_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]|【.*?】|（.*?）")
_SPLIT_UNITS = re.compile(r"[、，,；;/\n]+")


class UnreadableFile(Exception):
    """The file cannot be read at all; the message says why, for the person who sent it."""


@dataclass
class RowError:
    sheet: str
    row: int | None
    message: str

    def as_dict(self):
        return {"sheet": self.sheet, "row": self.row, "message": self.message}

    def __str__(self):
        where = _("sheet “%(sheet)s”, row %(row)s") % {"sheet": self.sheet, "row": self.row} \
            if self.row else _("sheet “%(sheet)s”") % {"sheet": self.sheet}
        return f"{where}: {self.message}"


@dataclass
class Row:
    """One good row of a ledger, ready to become a ticket."""

    sheet: str
    row: int
    description: str
    title: str = ""
    kind: str = RequestKind.COMPLAINT
    category: Category | None = None
    lead_unit: Unit | None = None
    co_units: list = field(default_factory=list)
    area: Unit | None = None
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    due: date | None = None
    notes: list = field(default_factory=list)
    source: dict = field(default_factory=dict)

    def report(self):
        return Report(channel=CHANNEL, description=self.description, title=self.title, kind=self.kind,
                      category=self.category, area=self.area, address=self.address,
                      reporter_name=self.reporter_name, reporter_phone=self.reporter_phone,
                      lead_unit=self.lead_unit, co_units=self.co_units, resolve_due=self.due,
                      notes=self.notes, source=self.source)


@dataclass
class Sheet:
    name: str
    header_row: int | None = None
    columns: dict = field(default_factory=dict)  # field → the header as written
    rows: int = 0
    errors: int = 0
    warnings: int = 0


@dataclass
class Preview:
    name: str
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    sheets: dict = field(default_factory=dict)  # sheet name → Sheet

    def as_dict(self, written=False):
        return {"ok": len(self.rows), "errors": [e.as_dict() for e in self.errors],
                "warnings": [w.as_dict() for w in self.warnings], "written": written}


@dataclass
class Written:
    tickets: list
    warnings: list  # RowError: rows written but not dispatched


class ImportFailed(Exception):
    """Writing stopped at a row; nothing was written. `error` names the row."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


# --- reading ---------------------------------------------------------------------------------

def read(fileobj, name, *, now=None, progress=None):
    """Parse every sheet of the file into a Preview. Raises UnreadableFile.

    `progress`, when given, is called once per row read.
    """
    context = Context(name, now or timezone.now())
    preview = Preview(name=name)
    for sheet_name, rows in tables(fileobj, name):
        _read_sheet(preview, context, sheet_name, rows, progress)
    return preview


def tables(fileobj, name):
    """Yield (sheet name, iterator of (row number, values)) for each sheet of the file.

    The file is checked first (duban.ledger.attachments.check): its size, that it is what its name
    says and not a program, and for a workbook that it would not unpack to too much (a zip bomb).
    """
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls":
        raise UnreadableFile(_("The old Excel format (.xls) cannot be read: save the file as .xlsx and "
                               "import it again."))
    if suffix not in EXCEL_SUFFIXES | CSV_SUFFIXES:
        raise UnreadableFile(_("Only .xlsx and .csv files can be imported, not “%(name)s”.") % {"name": name})
    try:
        attachments.check(fileobj, PurePath(name).name, attachments.WORKBOOKS)
    except ValidationError as refused:
        raise UnreadableFile(" ".join(refused.messages)) from None
    if suffix in EXCEL_SUFFIXES:
        return _workbook_tables(fileobj)
    return [(PurePath(name).stem, enumerate(_csv_rows(fileobj), start=1))]


def _workbook_tables(fileobj):
    """The worksheets of an .xlsx file, read by calamine (Rust: twenty times openpyxl's speed)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(fileobj)
        names = [sheet.name for sheet in workbook.sheets_metadata if str(sheet.typ).endswith("WorkSheet")]
        return [(name, _sheet_rows(workbook.get_sheet_by_name(name))) for name in names]
    except Exception as error:  # calamine raises its own kinds on a broken file
        raise UnreadableFile(_("The file is not a valid .xlsx workbook.")) from error


def _sheet_rows(sheet):
    """(row number, values) as Excel numbers them, each merged range's value in every cell it covers."""
    if sheet.start is None:
        return
    first_row, first_col = sheet.start
    starts = {}
    for (min_row, min_col), (max_row, max_col) in sheet.merged_cell_ranges or ():
        starts.setdefault(min_row + 1, []).append((min_col + 1, min_row + 1, max_col + 1, max_row + 1))
    active = []
    for number, values in enumerate(sheet.iter_rows(), start=first_row + 1):
        active = [r for r in active if r[3] >= number]
        values = [None] * first_col + [None if v == "" else v for v in values]
        for min_col, min_row, max_col, max_row in starts.get(number, ()):
            value = values[min_col - 1] if min_col <= len(values) else None
            active.append((min_col, min_row, max_col, max_row, value))
        for min_col, _min_row, max_col, _max_row, value in active:
            if len(values) < max_col:
                values.extend([None] * (max_col - len(values)))
            values[min_col - 1:max_col] = [value] * (max_col - min_col + 1)
        yield number, values


def _csv_rows(fileobj):
    data = fileobj.read()
    if isinstance(data, str):
        text = data
    elif data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")  # what Chinese Excel saves as "CSV"
    return csv.reader(io.StringIO(text, newline=""))


class Context:
    """What reading a whole file needs: units, categories, the calendar, the moment, the rows seen."""

    def __init__(self, name, now):
        self.name, self.now = name, now
        self.year = _year_in(PurePath(name).stem)
        self.units = {}
        for unit in Unit.objects.all():
            for text in [unit.name, *(unit.aliases or [])]:
                self.units.setdefault(_key(text), unit)
        self.categories = {}
        for category in Category.objects.filter(active=True).order_by("path"):
            self.categories.setdefault(_key(category.name), category)
        self.calendar = None
        self.seen = {}  # duplicate key → (sheet, row)

    def deadline(self, day):
        """The moment a deadline written as a date falls: the close of that (or the next) working day."""
        if self.calendar is None:
            self.calendar = work_calendar()
        return self.calendar.add_workdays(day, 0)


def _read_sheet(preview, context, sheet_name, rows, progress):
    sheet = Sheet(sheet_name)
    preview.sheets[sheet_name] = sheet
    head = []
    for number, values in rows:
        head.append((number, values))
        if len(head) >= HEADER_SCAN_ROWS:
            break
    header = _find_header(head)
    if header is None:
        if any(cell_text(v) for _, values in head for v in values):
            preview.errors.append(RowError(sheet_name, None, _("No header row found (a row with columns "
                                                               "such as 问题描述 and 责任单位).")))
            sheet.errors += 1
        return
    sheet.header_row, columns = header
    sheet.columns = {name: cell_text(head[sheet.header_row - head[0][0]][1][i]) for name, i in columns.items()}
    titles = " ".join(cell_text(v) for number, values in head if number < sheet.header_row for v in values if v)
    year = _year_in(titles) or _year_in(sheet_name) or context.year or context.now.year
    context.year = context.year or _year_in(titles)
    body = (item for item in head if item[0] > sheet.header_row)
    for number, values in _chain(body, rows):
        if progress:
            progress()
        _read_row(preview, context, sheet, columns, year, number, values)


def _chain(first, rest):
    yield from first
    yield from rest


def _find_header(head):
    """The row (number, {field: column index}) that names the most fields, if any names enough."""
    best = None
    for number, values in head:
        columns = _columns(values)
        if "description" in columns and len(columns) >= MIN_HEADER_FIELDS:
            if best is None or len(columns) > len(best[1]):
                best = (number, columns)
    return best


def _columns(values):
    columns = {}
    for index, value in enumerate(values):
        name = _field(value)
        if name and name not in columns:
            columns[name] = index
    return columns


def _field(value):
    text = _BRACKETS.sub("", _key(value)).strip("*:：")
    if text in SYNONYMS:
        return SYNONYMS[text]
    for word, name in SYNONYMS.items():
        if len(word) >= 4 and text.startswith(word):
            return name
    return None


def _read_row(preview, context, sheet, columns, year, number, values):
    cells = {name: values[i] if i < len(values) else None for name, i in columns.items()}
    texts = {name: cell_text(value) for name, value in cells.items()}
    if not any(text for name, text in texts.items() if name != "number"):
        return  # a blank row, or a numbered row left empty
    if _BRACKETS.sub("", _key(cells.get("description"))) in FIELDS["description"]:
        return  # the header again (a printed ledger repeats it on every page)
    errors, warnings = [], []
    row = _parse(context, sheet.name, number, cells, texts, year, errors, warnings)
    for message in errors:
        preview.errors.append(RowError(sheet.name, number, message))
    for message in warnings:
        preview.warnings.append(RowError(sheet.name, number, message))
    sheet.errors += len(errors)
    sheet.warnings += len(warnings)
    if row is not None and not errors:
        preview.rows.append(row)
        sheet.rows += 1


def _parse(context, sheet, number, cells, texts, year, errors, warnings):
    description = texts.get("description", "")
    if not description:
        errors.append(_("The description (问题描述) is empty."))
    lead_unit, co_units = _units(context, texts.get("unit", ""), errors)
    due = _due(context, cells.get("due"), texts.get("due", ""), year, errors)
    if errors:
        return None
    duplicate = _duplicate(context, sheet, number, description, lead_unit, texts.get("unit", ""))
    if duplicate:
        errors.append(duplicate)
        return None
    row = Row(sheet=sheet, row=number, description=description, title=texts.get("title", ""),
              lead_unit=lead_unit, co_units=co_units, address=texts.get("address", ""),
              reporter_name=texts.get("reporter", ""), reporter_phone=texts.get("phone", ""))
    row.source = _source(context, sheet, number, texts)
    _classify(context, row, texts.get("category", ""), warnings)
    row.area = _area(context, texts.get("area", ""), warnings)
    row.notes = _notes(context, row, due, texts, warnings)
    return row


def _units(context, text, errors):
    if not text:
        return None, []
    units = []
    for name in filter(None, (part.strip() for part in _SPLIT_UNITS.split(text))):
        unit = context.units.get(_key(name))
        if unit is None:
            errors.append(_unknown_unit(context, name))
        elif unit not in units:
            units.append(unit)
    return (units[0], units[1:]) if units else (None, [])


def _unknown_unit(context, name):
    guesses = difflib.get_close_matches(_key(name), list(context.units), n=5, cutoff=0.5)
    names = list(dict.fromkeys(context.units[g].name for g in guesses))[:3]
    message = _("Unknown unit “%(name)s”.") % {"name": name}
    if names:
        message += " " + _("Did you mean %(names)s?") % {"names": "、".join(f"“{n}”" for n in names)}
    return message


def _due(context, value, text, year, errors):
    if not text:
        return None
    try:
        day = parse_date(value, year)
    except ValueError:
        errors.append(_("The deadline “%(text)s” is not a date (write it like 2021年10月15日).") % {"text": text})
        return None
    if day is None:
        return None
    try:
        context.deadline(day)
    except CalendarRangeError as error:
        errors.append(str(error))
        return None
    return day


def parse_date(value, year):
    """A date from a cell: a date cell, an Excel serial or text such as 2021年10月15日, 2021.10.15,
    2021/10/15, 2021-10-15, 20211015, 2021年10月底 or 10月15日 (in `year`).

    Returns None for the words of a deadline without a date (长期坚持, 立行立改); raises ValueError.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value)
    text = _DEADLINE_WORDS.sub("", _TIME_SUFFIX.sub("", cell_text(value))).replace(" ", "")
    if text in ONGOING_WORDS:
        return None
    if match := _FULL_DATE.match(text) or _COMPACT_DATE.match(text):
        return date(*(int(g) for g in match.groups()))
    if match := _MONTH_END.match(text):
        y, m = int(match[1]), int(match[2])
        return date(y, m, monthrange(y, m)[1])
    if match := _MONTH_DAY.match(text):
        return date(year, int(match[1]), int(match[2]))
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text))
    raise ValueError(text)


def _serial(number):
    if not 3653 <= number <= 2958465:  # 1910-01-01 … 9999-12-31
        raise ValueError(number)
    return from_excel(number).date()


def _duplicate(context, sheet, number, description, lead_unit, unit_text):
    key = (re.sub(r"\W", "", description), lead_unit.pk if lead_unit else unit_text)
    first = context.seen.get(key)
    if first is None:
        context.seen[key] = (sheet, number)
        return ""
    return _("It repeats row %(row)s of sheet “%(sheet)s”.") % {"row": first[1], "sheet": first[0]}


def _source(context, sheet, number, texts):
    source = {"file": context.name, "sheet": sheet, "row": number}
    for name, key in (("number", "number"), ("origin", "origin"), ("person", "person"),
                      ("closed", "closed"), ("remark", "remark")):
        if texts.get(name):
            source[key] = texts[name]
    return source


def _classify(context, row, text, warnings):
    """The kind and category a category column names (投诉, 停车秩序, 投诉/停车秩序 …).

    Without one the row is a complaint and take_in suggests the category.
    """
    parts = [part for part in re.split(r"[/、,，\s]+", text) if part]
    kinds = [KIND_WORDS[part] for part in parts if part in KIND_WORDS]
    names = [_key(re.split(r"[›>]", part)[-1]) for part in parts if part not in KIND_WORDS]
    categories = [context.categories[name] for name in names if name in context.categories]
    row.category = categories[0] if categories else None
    if kinds:
        row.kind = kinds[0]
    elif row.category is not None:
        row.kind = row.category.default_kind
    if names and not categories:
        warnings.append(_("Unknown category “%(name)s”: one will be suggested.") % {"name": text})


def _area(context, text, warnings):
    if not text:
        return None
    unit = context.units.get(_key(text))
    if unit is None:
        warnings.append(_("Unknown area “%(name)s”: left empty.") % {"name": text})
    return unit


def _notes(context, row, due, texts, warnings):
    notes = []
    for name, label in (("measures", "整改措施"), ("progress", "整改进展")):
        if texts.get(name):
            notes.append(f"{label}：{texts[name]}")
    if texts.get("due") and due is None:
        notes.append(f"原台账整改时限：{texts['due']}")
    elif due is not None and context.deadline(due) <= context.now:
        warnings.append(_("The deadline %(due)s has already passed: the row is imported with the usual "
                          "time limit and the deadline kept as a note.") % {"due": due.isoformat()})
        notes.append(f"原台账整改时限：{due.isoformat()}（导入时已过期）")
    elif due is not None and row.lead_unit is None:
        notes.append(f"原台账整改时限：{due.isoformat()}")
    else:
        row.due = due
    if _key(texts.get("closed", "")).lower() in CLOSED_WORDS or "已销号" in texts.get("closed", ""):
        notes.append(CLOSED_NOTE)
    return notes


def cell_text(value):
    """A cell's value as text: whole floats without .0, dates in ISO form, normalised (width, spaces)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return normalise(str(value)).strip()


def _key(value):
    """Text for matching: normalised, without any whitespace."""
    return re.sub(r"\s+", "", cell_text(value))


def _year_in(text):
    match = _YEAR.search(text or "")
    return int(match[1]) if match else None


# --- writing ---------------------------------------------------------------------------------

def write(preview, actor=None, *, progress=None):
    """Put every good row of the preview on the ledger, in one transaction: all or nothing.

    Raises ImportFailed naming the row when one cannot be taken in; nothing is then written.
    `progress(n)` is told as rows are written.
    """
    try:
        outcomes = take_in_many([row.report() for row in preview.rows], actor=actor, progress=progress)
    except IntakeFailed as failed:
        row = preview.rows[failed.index]
        raise ImportFailed(RowError(row.sheet, row.row, " ".join(failed.error.messages))) from failed
    warnings = [RowError(row.sheet, row.row, _("Imported but not dispatched: %(why)s") % {"why": outcome.why_not_dispatched})
                for row, outcome in zip(preview.rows, outcomes) if not outcome.dispatched]
    return Written([outcome.ticket for outcome in outcomes], warnings)

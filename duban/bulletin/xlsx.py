"""The month's ranking and every figure per unit, and the overdue matters, as an .xlsx workbook.

One sheet of units (a tier column; ranked units first in each tier) with every rate beside the
number it stands on and every counter, then the city's totals; one sheet of overdue matters.
Rates are stored as fractions with a percent format, so Excel computes with them.
"""
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from duban.bulletin import content
from duban.figures import figures
from duban.figures.models import UNIT_DAY_COLUMNS, UnitDay
from duban.org.models import Unit

PERCENT = "0.0%"
SCORE = "0.00"
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")


def rate_columns():
    """(header, value of a Figures, number format) of each rate, each followed by its sample."""
    def rate(name, label, sample_label, sample):
        return [(label, lambda f: getattr(f, name), PERCENT), (sample_label, sample, "0")]

    return [
        *rate("response", _("Response rate"), _("Response rate: sample"), lambda f: f.contacted + f.not_contacted),
        *rate("resolution", _("Resolution rate"), _("Resolution rate: sample"), lambda f: f.solved + f.unsolved),
        *rate("satisfaction", _("Satisfaction rate"), _("Satisfaction rate: sample"), lambda f: f.verdicts),
        (_("Composite score"), lambda f: None if f.composite is None else f.composite * 100, SCORE),
        (_("Composite score: sample"), lambda f: f.sample, "0"),
        *rate("ack_on_time", _("On-time acknowledgement rate"),
              _("On-time acknowledgement rate: sample"), lambda f: f.acknowledged),
        *rate("return_rate", _("Return rate"), _("Return rate: sample"), lambda f: f.assigned),
        *rate("reopen_rate", _("Reopen rate"), _("Reopen rate: sample"), lambda f: f.closed),
        *rate("on_time", _("On-time resolution rate"),
              _("On-time resolution rate: sample"), lambda f: f.resolved),
        (_("Average working hours to resolve"), lambda f: f.average_work_hours, "0.0"),
        *rate("sampled_response", _("Sampled call-backs: response rate"), _("Sampled call-backs: sample"),
              lambda f: f.sampled_contacted + f.sampled_not_contacted),
        *rate("sampled_resolution", _("Sampled call-backs: resolution rate"), _("Sampled call-backs: sample"),
              lambda f: f.sampled_solved + f.sampled_unsolved),
        *rate("sampled_satisfaction", _("Sampled call-backs: satisfaction rate"), _("Sampled call-backs: sample"),
              lambda f: f.sampled_verdicts),
    ]


def unit_columns(previous):
    tiers = dict(Unit.Tier.choices)
    return [
        (_("Tier"), lambda f: str(tiers.get(f.tier, "")), None),
        (_("Rank"), lambda f: f.rank, "0"),
        (_("Unit"), lambda f: f.name, None),
        (_("Not ranked because"), lambda f: f.rank_note, None),
        *rate_columns(),
        (_("Composite score last month"),
         lambda f: None if previous.get(f.unit_id) is None else previous[f.unit_id] * 100, SCORE),
        *[(str(UnitDay._meta.get_field(c).verbose_name), lambda f, c=c: f.counts.get(c, 0), "0")
          for c in UNIT_DAY_COLUMNS],
    ]


def header(sheet, titles, widths):
    sheet.append(titles)
    for index, (cell, width) in enumerate(zip(sheet[1], widths), 1):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D2" if sheet.max_column > 4 else "A2"


def add_row(sheet, columns, item):
    sheet.append([value(item) for _title, value, _format in columns])
    for cell, (_title, _value, number_format) in zip(sheet[sheet.max_row], columns):
        if number_format:
            cell.number_format = number_format


def figures_sheet(sheet, period):
    previous = {pk: f.composite for pk, f in figures.unit_figures(period.previous()).items()}
    columns = unit_columns(previous)
    header(sheet, [title for title, _value, _format in columns],
           [10, 6, 24, 24] + [12] * (len(columns) - 4))
    for f in figures.ranking(period):
        add_row(sheet, columns, f)
    totals = figures.totals(period)
    totals.tier = ""
    add_row(sheet, columns, totals)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def overdue_sheet(sheet, period):
    header(sheet, [_("Number"), _("Title"), _("Lead unit"), _("Due"), _("Working days overdue")], [18, 40, 24, 18, 12])
    for matter in content.overdue_matters(period):
        sheet.append([matter.number, matter.title, matter.unit,
                      timezone.localtime(matter.due).replace(tzinfo=None), matter.workdays])
        sheet.cell(sheet.max_row, 4).number_format = "yyyy-mm-dd hh:mm"


def write_xlsx(period, out):
    """Write the month's figures to `out` (a path or a binary file)."""
    workbook = Workbook()
    units = workbook.active
    units.title = _("Ranking and figures")[:31]
    figures_sheet(units, period)
    overdue_sheet(workbook.create_sheet(_("Overdue matters")[:31]), period)
    workbook.properties.title = content.title_of(period)
    workbook.save(out)

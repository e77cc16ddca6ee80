"""A round's report as an .xlsx workbook, in the shape offices keep (问题整改台账):

- 统计: the round's facts, then per unit responsible: found, fixed, still open, overdue, suggested,
  and the share fixed (a fraction with a percent format, so Excel computes with it); the total last;
- 问题清单: every finding with its ticket's number (when the reader may see the ticket), state and due;
- 建议: every suggestion.
"""
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from duban.inspections import rounds
from duban.inspections.models import Finding

HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
STAMP = "yyyy-mm-dd hh:mm"


def _naive(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _header(sheet, titles, widths):
    sheet.append(titles)
    row = sheet.max_row
    for index, (cell, width) in enumerate(zip(sheet[row], widths), 1):
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    return row


def counts_sheet(sheet, report):
    round_ = report.round
    team = "、".join(str(p) for p in round_.team.order_by("name"))
    sheet.append([round_.name])
    sheet["A1"].font = Font(bold=True, size=14)
    facts = [(_("Kind of inspection"), round_.get_kind_display()),
             (_("Period"), f"{round_.starts_on:%Y-%m-%d} – {round_.ends_on:%Y-%m-%d}"),
             (_("Leader of the round"), str(round_.lead)), (_("Team"), team),
             (_("Inspection visits"), report.visits), (_("Units visited"), report.units_visited),
             (_("Exported at"), _naive(timezone.now()))]
    for label, value in facts:
        sheet.append([label, value])
        if label == _("Exported at"):
            sheet.cell(sheet.max_row, 2).number_format = STAMP
    sheet.append([])
    first = _header(sheet, [_("Unit"), _("Problems found"), _("Fixed"), _("Still open"), _("Overdue now"),
                            _("Suggestions made"), _("Share fixed")], [30, 12, 12, 12, 12, 12, 12])
    for line in [*report.lines, report.total]:
        sheet.append([line.name, line.found, line.fixed, line.open, line.overdue, line.suggestions,
                      line.fixed_share])
        sheet.cell(sheet.max_row, 7).number_format = "0.0%"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"B{first + 1}"


def findings_sheet(sheet, round_, visible):
    _header(sheet, [_("Number"), _("Visited at"), _("Place visited"), _("Unit responsible"), _("Problem found"),
                    _("State"), _("Due")], [18, 17, 28, 24, 50, 10, 17])
    findings = (Finding.objects.filter(visit__round=round_).select_related("visit", "unit", "ticket")
                .order_by("visit__visited_at", "pk"))
    for finding in findings:
        ticket = finding.ticket
        sheet.append([ticket.number if ticket.pk in visible else "", _naive(finding.visit.visited_at),
                      finding.visit.place, finding.unit.name, finding.description, ticket.get_state_display(),
                      _naive(ticket.resolve_due_at)])
        for column in (2, 7):
            sheet.cell(sheet.max_row, column).number_format = STAMP
    sheet.freeze_panes = "A2"


def suggestions_sheet(sheet, round_):
    _header(sheet, [_("Made at"), _("Suggested to"), _("Suggestion"), _("Made by")], [17, 24, 60, 12])
    for suggestion in round_.suggestions.select_related("unit", "by"):
        sheet.append([_naive(suggestion.at), suggestion.unit.name if suggestion.unit_id else "", suggestion.text,
                      str(suggestion.by)])
        sheet.cell(sheet.max_row, 1).number_format = STAMP
    sheet.freeze_panes = "A2"


def write_report(round_, person, out):
    """Write the round's report, as `person` may read it, to `out` (a path or a binary file)."""
    report = rounds.report(round_)
    workbook = Workbook()
    counts = workbook.active
    counts.title = _("Counts")[:31]
    counts_sheet(counts, report)
    findings_sheet(workbook.create_sheet(_("Findings")[:31]), round_, rounds.visible_ticket_ids(person, round_))
    suggestions_sheet(workbook.create_sheet(_("Suggestions")[:31]), round_)
    workbook.properties.title = round_.name
    workbook.save(out)
    return report

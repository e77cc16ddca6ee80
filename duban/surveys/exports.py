"""A survey's results as an .xlsx workbook, and a batch of invitation links as one.

Results: a sheet of questions (each option with its count and share, the averages of the
scales), a sheet of units (most and least satisfied votes, the average score, each with the
number of answers it stands on) and a sheet of the free-text answers. Shares are fractions with
a percent format, so Excel computes with them. Nothing in it tells one respondent from another.
"""
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

PERCENT = "0.0%"
AVERAGE = "0.00"
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")


def _header(sheet, titles, widths):
    sheet.append(titles)
    for index, (cell, width) in enumerate(zip(sheet[1], widths), 1):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _formats(sheet, formats):
    for cell, number_format in zip(sheet[sheet.max_row], formats):
        if number_format:
            cell.number_format = number_format


def _saved(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def results_workbook(survey, results):
    book = Workbook()
    sheet = book.active
    sheet.title = _("Questions")[:31]
    _header(sheet, [_("No."), _("Question"), _("Answer"), _("Answers"), _("Share"), _("Average score"),
                    _("Answered by")], [6, 40, 30, 10, 10, 12, 12])
    formats = [None, None, None, "0", PERCENT, AVERAGE, "0"]
    for q in results.questions:
        kind = q.question.get_kind_display()
        text = f"{q.question.text}（{kind}）"
        for option in q.options:
            sheet.append([q.number, text, option.label, option.count, option.share, None, q.answered])
            _formats(sheet, formats)
        for scored in q.scored:
            sheet.append([q.number, text, scored.name, scored.count, None, scored.average, q.answered])
            _formats(sheet, formats)
        if q.average is not None or not (q.options or q.scored):
            label = _("Average score") if q.average is not None else _("Answers in writing")
            sheet.append([q.number, text, label, len(q.texts) if q.texts else None, None, q.average, q.answered])
            _formats(sheet, formats)

    units = book.create_sheet(_("Units")[:31])
    _header(units, [_("Unit"), _("Most satisfied votes"), _("Share of most satisfied votes"),
                    _("Least satisfied votes"), _("Share of least satisfied votes"), _("Net share"),
                    _("Average score"), _("Scores given")], [28, 12, 12, 12, 12, 12, 12, 12])
    for u in results.units:
        units.append([u.name, u.most, u.most_share, u.least, u.least_share,
                      u.net if (results.most_answers or results.least_answers) else None, u.average, u.rated])
        _formats(units, [None, "0", PERCENT, "0", PERCENT, PERCENT, AVERAGE, "0"])

    texts = book.create_sheet(_("Answers in writing")[:31])
    _header(texts, [_("No."), _("Question"), _("Answer")], [6, 40, 80])
    for q in results.questions:
        for text in q.texts:
            texts.append([q.number, q.question.text, text])
            texts.cell(texts.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    book.properties.title = survey.title
    return _saved(book)


def links_workbook(survey, rows):
    """rows: (number, link, invitee name, organisation) — the names only for a survey that is not anonymous."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Invitations")[:31]
    titles, widths = [_("No."), _("Link")], [6, 60]
    if not survey.anonymous:
        titles, widths = titles + [_("Invitee"), _("Invitee's organisation")], widths + [16, 30]
    _header(sheet, titles, widths)
    for number, link, name, organisation in rows:
        sheet.append([number, link] + ([] if survey.anonymous else [name, organisation]))
    book.properties.title = survey.title
    return _saved(book)

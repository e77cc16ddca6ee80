"""Exporting the ledger, or any filtered view of it, to CSV and .xlsx in constant memory.

`rows(queryset, viewer=...)` is a generator: the header, then one row per ticket, read in chunks
of CHUNK_SIZE by one query that joins the related names (values_list: the effect of select_related
without building four model instances per row). Only tickets the viewer may see are exported; a reporter's name and
phone are masked where the viewer may not see them (a whistle-blower's, without the permission).
With no viewer (an operator at the command line), every ticket is exported and every reporter
masked. The web will stream `csv_lines` and `rows` through StreamingHttpResponse.
"""
import csv
import io
from datetime import datetime
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from duban.catalogue.models import RequestKind, Urgency
from duban.ledger.access import conceal, has_identity, identity_shown, may_see_whistleblower, visible_tickets
from duban.ledger.models import IdentityView, State
from duban.lib.mask import mask_name, mask_phone

CHUNK_SIZE = 2000
TIME_FORMAT = "%Y-%m-%d %H:%M"
# Cells that a spreadsheet would take for a formula when the text begins with them (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADERS = [
    pgettext_lazy("export", "Ticket number"), pgettext_lazy("export", "Channel"),
    pgettext_lazy("export", "Kind"), pgettext_lazy("export", "Category"), pgettext_lazy("export", "Title"),
    pgettext_lazy("export", "Description"), pgettext_lazy("export", "Address"),
    pgettext_lazy("export", "Area"), pgettext_lazy("export", "Lead unit"), pgettext_lazy("export", "Urgency"),
    pgettext_lazy("export", "State"), pgettext_lazy("export", "Received at"),
    pgettext_lazy("export", "Acknowledge by"), pgettext_lazy("export", "Resolve by"),
    pgettext_lazy("export", "Resolved at"), pgettext_lazy("export", "Resolved on time"),
    pgettext_lazy("export", "Reporter"), pgettext_lazy("export", "Contact phone"),
]


# What each row reads, joined in the one query: no model instances (four per row would be slow).
COLUMNS = ["number", "channel__name", "kind", "category__name", "title", "description", "address", "area__name",
           "lead_unit__name", "urgency", "state", "created_at", "ack_due_at", "resolve_due_at", "resolved_at",
           "resolve_on_time", "reporter_name", "reporter_phone"]


def rows(queryset, *, viewer):
    """Yield the header, then each ticket of the queryset the viewer may see, as a list of values.
    Whistle-blowers exported in clear are logged, one IdentityView per ticket, a chunk at a time and
    before the chunk's rows leave."""
    yield [str(h) for h in HEADERS]
    if viewer is not None:
        queryset = visible_tickets(viewer, queryset)
    whistle = viewer is not None and may_see_whistleblower(viewer)
    labels = _labels()
    values = queryset.order_by("pk").values_list("pk", *COLUMNS).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(values, CHUNK_SIZE)):
        clear = [_may_see_reporter(viewer, row[3], whistle) for row in chunk]
        shown = [row[0] for row, c in zip(chunk, clear)
                 if c and row[3] == RequestKind.REPORT and has_identity(*row[-2:])]
        if shown:
            identity_shown(viewer, shown, IdentityView.Where.EXPORT)
        for row, c in zip(chunk, clear):
            yield _row(row[1:], labels, c)


def _labels():
    """The display of each choice, translated once (get_FOO_display per row is slow)."""
    return {name: {value: str(label) for value, label in choices}
            for name, choices in (("kind", RequestKind.choices), ("urgency", Urgency.choices),
                                  ("state", State.choices))}


def _may_see_reporter(viewer, kind, whistle):
    # The rule of duban.ledger.access.may_see_reporter, for a ticket already known to be visible.
    if viewer is None:
        return False
    return whistle if kind == RequestKind.REPORT else True


def _row(values, labels, show_reporter):
    (number, channel, kind, category, title, description, address, area, unit, urgency, state, received,
     ack_due, resolve_due, resolved, on_time, name, phone) = values
    if not show_reporter:
        title, description = conceal(title, name), conceal(description, name)
        name, phone = mask_name(name), mask_phone(phone)
    return [number, channel, labels["kind"].get(kind, kind), category or "", title, description, address,
            area or "", unit or "", labels["urgency"].get(urgency, urgency), labels["state"].get(state, state),
            _local(received), _local(ack_due), _local(resolve_due), _local(resolved), _yes_no(on_time),
            name, phone]


def _local(moment):
    """A naive local time to the second (Excel knows no time zones), or None."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def _yes_no(value):
    return "" if value is None else (_("yes") if value else _("no"))


# --- CSV ---------------------------------------------------------------------------------------

def csv_lines(queryset, *, viewer):
    """Yield the CSV text line by line, a byte-order mark first so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for values in rows(queryset, viewer=viewer):
        writer.writerow([_csv_cell(v) for v in values])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def write_csv(queryset, out, viewer):
    """Write the CSV to a binary file object, UTF-8 with a byte-order mark."""
    for line in csv_lines(queryset, viewer=viewer):
        out.write(line.encode("utf-8"))


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- xlsx --------------------------------------------------------------------------------------

def write_xlsx(queryset, out, viewer):
    """Write an .xlsx workbook (one sheet) to a file object or path, streaming the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Ledger"))
    for values in rows(queryset, viewer=viewer):
        sheet.append([_xlsx_cell(sheet, v) for v in values])
    workbook.save(out)


def _xlsx_cell(sheet, value):
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # text that begins with "=" stays text, never a formula
        return cell
    return value

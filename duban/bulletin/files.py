"""A month's bulletin as a file in one of its formats: what the command and the downloads share."""
import io

from django.utils.translation import gettext as _

from duban.bulletin import content

FORMATS = ("docx", "pdf", "xlsx")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def filename(period, fmt):
    """江城市12345热线办理情况通报（2026年10月）.pdf; the workbook says it holds the figures."""
    title = content.title_of(period)
    if fmt == "xlsx":
        title = _("%(title)s, figures") % {"title": title}
    return f"{title}.{fmt}"


def render(period, fmt):
    """The bulletin of the month (a Period) as bytes in the format: "docx", "pdf" or "xlsx"."""
    buffer = io.BytesIO()
    if fmt == "xlsx":
        from duban.bulletin.xlsx import write_xlsx  # noqa: PLC0415

        write_xlsx(period, buffer)
    elif fmt == "docx":
        from duban.bulletin.docx import write_docx  # noqa: PLC0415

        write_docx(content.gather(period), buffer)
    elif fmt == "pdf":
        from duban.bulletin.pdf import write_pdf  # noqa: PLC0415

        write_pdf(content.gather(period), buffer)
    else:
        raise ValueError(f"unknown bulletin format {fmt!r}")
    return buffer.getvalue()

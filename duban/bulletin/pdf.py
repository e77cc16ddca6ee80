"""The bulletin as a PDF: Bulletin.blocks() in an HTML page (A4), printed by WeasyPrint.

The Noto CJK fonts are loaded with @font-face from their files (file:// URLs); WeasyPrint
subsets them and embeds the subsets, so the PDF shows the same on any machine. The charts are
embedded as data: URIs. Nothing is fetched from the network.
"""
import base64
import logging

from django.template.loader import render_to_string

from duban.bulletin import fonts

# WeasyPrint reports every CSS property it does not support at WARNING; they are not our concern.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def data_uri(png):
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def html(bulletin):
    blocks = [(kind, {"caption": value.caption, "src": data_uri(value.png)} if kind == "chart" else value)
              for kind, value in bulletin.blocks()]
    return render_to_string("bulletin/bulletin.html", {
        "bulletin": bulletin, "blocks": blocks,
        "regular_url": fonts.font_file().as_uri(), "bold_url": fonts.font_file(bold=True).as_uri(),
    })


def render(bulletin):
    """The PDF's bytes."""
    from weasyprint import HTML  # noqa: PLC0415 — loads pango; only the PDF needs it

    return HTML(string=html(bulletin)).write_pdf()


def write_pdf(bulletin, out):
    """Write the bulletin as PDF to `out` (a path or a binary file)."""
    data = render(bulletin)
    if hasattr(out, "write"):
        out.write(data)
    else:
        with open(out, "wb") as handle:
            handle.write(data)

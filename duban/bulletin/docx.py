"""The bulletin as a Word document (.docx), written with python-docx from Bulletin.blocks().

Every style names "Noto Sans CJK SC" as its East Asian font (w:eastAsia) and Chinese as its
East Asian language, so Word sets the Chinese text in a Chinese font rather than in a fallback.
"""
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from duban.bulletin.fonts import FAMILY

THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
SHADES = {"red": "FDECEA", "black": "ECEFF1", "": "F2F2F2"}
STYLES = {"Normal": 11, "Title": 18, "Subtitle": 11, "Heading 1": 14, "Heading 2": 12, "Caption": 9}


def set_fonts(r_pr):
    """Name the Chinese font for every script in a run-properties element, themes left out."""
    fonts = r_pr.get_or_add_rFonts()
    for name in THEME_FONTS:
        fonts.attrib.pop(qn(name), None)
    for name in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(name), FAMILY)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def set_styles(document):
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if r_pr is not None:
            set_fonts(r_pr)
    for name, size in STYLES.items():
        style = document.styles[name]
        set_fonts(style.element.get_or_add_rPr())
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.styles["Subtitle"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.styles["Title"].font.bold = True
    document.styles["Subtitle"].font.italic = False
    document.styles["Normal"].paragraph_format.first_line_indent = Pt(22)  # two characters, as 公文 indent
    for name in STYLES:
        if name != "Normal":
            document.styles[name].paragraph_format.first_line_indent = Pt(0)


def shade(cell, colour):
    properties = cell._tc.get_or_add_tcPr()
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), colour)
    properties.append(fill)


def cell_text(cell, text, bold=False):
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = Pt(0)
    run = paragraph.add_run(text)
    run.font.size = Pt(9)
    run.bold = bold


def add_table(document, table):
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(grid.rows[0].cells, table.columns):
        cell_text(cell, heading, bold=True)
        shade(cell, SHADES.get(table.kind, SHADES[""]))
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row):
            cell_text(cell, text)
    document.add_paragraph()


def add_chart(document, chart):
    document.add_picture(io.BytesIO(chart.png), width=Cm(16))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.paragraphs[-1].paragraph_format.first_line_indent = Pt(0)
    document.add_paragraph(chart.caption, style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER


def write_docx(bulletin, out):
    """Write the bulletin as .docx to `out` (a path or a binary file)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    set_styles(document)
    document.core_properties.title = bulletin.title
    document.core_properties.author = bulletin.city
    document.core_properties.language = "zh-CN"
    for kind, value in bulletin.blocks():
        if kind == "title":
            document.add_paragraph(value, style="Title")
        elif kind == "subtitle":
            document.add_paragraph(value, style="Subtitle")
        elif kind == "heading":
            document.add_heading(value, level=1)
        elif kind == "subheading":
            document.add_heading(value, level=2)
        elif kind == "paragraph":
            document.add_paragraph(value)
        elif kind == "table":
            add_table(document, value)
        elif kind == "chart":
            add_chart(document, value)
    document.save(out)

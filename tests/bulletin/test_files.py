"""The bulletin as .docx, PDF and .xlsx: each opens, says what the bulletin says, and no personal data."""
import ctypes
import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from docx import Document
from docx.oxml.ns import qn

from duban.bulletin import content
from duban.bulletin.docx import write_docx
from duban.bulletin.pdf import write_pdf
from duban.bulletin.xlsx import write_xlsx
from tests.bulletin.base import OCTOBER, REPORTER_NAME, REPORTER_PHONE, TITLE_PHONE, BulletinTestCase

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PERSONAL = (REPORTER_NAME, REPORTER_PHONE, TITLE_PHONE)


def docx_text(data):
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(pdf):
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def pdf_fonts(pdf):
    """(base font name, embedded) of every font the text of the PDF uses."""
    found = set()
    for page in pdf:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
            size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
            name = ctypes.create_string_buffer(size)
            pdfium_c.FPDFFont_GetBaseFontName(font, name, size)
            found.add((name.value.decode(), bool(pdfium_c.FPDFFont_GetIsEmbedded(font))))
    return found


def xlsx_rows(data, sheet):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return workbook, list(workbook[sheet].iter_rows())


class DocxTests(BulletinTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        buffer = io.BytesIO()
        write_docx(content.gather(OCTOBER), buffer)
        cls.data = buffer.getvalue()

    def test_it_opens_with_the_title_the_units_and_the_red_and_black_lists(self):
        text = docx_text(self.data)
        self.assertIn("江城市12345热线办理情况通报（2025年10月）", text)
        for name in ("市政府督查室", "城市管理行政执法局", "公安局交通警察支队", "江南区", "江北区", "12345热线中心"):
            self.assertIn(name, text)
        self.assertIn("红榜", text)
        self.assertIn("黑榜", text)
        self.assertIn("一、总体情况", text)

    def test_each_rate_has_its_sample_beside_it(self):
        text = docx_text(self.data)
        self.assertIn("94.0%（20）", text)  # 城管局's satisfaction, on 20 verdicts
        self.assertIn("92.10", text)
        self.assertIn("↑1.10", text)

    def test_it_names_the_overdue_matters_without_personal_data(self):
        text = docx_text(self.data)
        self.assertIn(self.late.number, text)
        self.assertIn("僵尸车占道，请回电139****4321", text)
        self.assertNotIn("举报城管队员收钱放行违停车辆", text)
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            xml = "".join(archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()
                          if name.endswith(".xml"))
        self.assertEqual([p for p in PERSONAL if p in xml], [])

    def test_the_styles_name_a_chinese_font_for_east_asian_text(self):
        document = Document(io.BytesIO(self.data))
        for name in ("Normal", "Title", "Heading 1", "Heading 2"):
            fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
            self.assertEqual(fonts.get(qn("w:eastAsia")), "Noto Sans CJK SC", name)
            self.assertIsNone(fonts.get(qn("w:eastAsiaTheme")), name)

    def test_the_charts_are_in_it(self):
        document = Document(io.BytesIO(self.data))
        self.assertEqual(len(document.inline_shapes), 3)  # daily, and one per tier


class PdfTests(BulletinTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        bulletin = content.gather(OCTOBER)
        started = time.perf_counter()
        buffer = io.BytesIO()
        write_pdf(bulletin, buffer)
        cls.seconds = time.perf_counter() - started
        cls.data = buffer.getvalue()

    def setUp(self):
        self.pdf = pdfium.PdfDocument(self.data)

    def tearDown(self):
        self.pdf.close()

    def test_it_is_a_pdf_with_the_title_and_the_units(self):
        self.assertTrue(self.data.startswith(b"%PDF-"))
        text = pdf_text(self.pdf).replace("\r", "").replace("\n", "")
        self.assertIn("江城市12345热线办理情况通报（2025年10月）", text)
        for name in ("市政府督查室", "城市管理行政执法局", "江南区", "江北区", "红榜", "黑榜", self.late.number):
            self.assertIn(name, text)

    def test_its_fonts_are_embedded(self):
        fonts = pdf_fonts(self.pdf)
        self.assertTrue(fonts)
        self.assertEqual([name for name, embedded in fonts if not embedded], [])
        self.assertTrue(any("Bulletin-CJK" in name for name, _embedded in fonts), fonts)

    def test_its_first_page_renders_to_an_image_that_is_not_blank(self):
        image = self.pdf[0].render(scale=2).to_pil()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        image.save(SCREENSHOTS / "bulletin-page1.png")
        dark = sum(image.convert("L").histogram()[:100])
        self.assertEqual(image.size, (1191, 1684))  # A4 at 144 dpi
        self.assertGreater(dark, 2000)

    def test_it_holds_no_personal_data(self):
        text = pdf_text(self.pdf)
        self.assertEqual([p for p in PERSONAL if p in text], [])
        self.assertNotIn("举报城管队员收钱放行违停车辆", text)

    def test_it_renders_in_a_few_seconds(self):
        self.assertLess(self.seconds, 20)


class XlsxTests(BulletinTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        buffer = io.BytesIO()
        write_xlsx(OCTOBER, buffer)
        cls.data = buffer.getvalue()

    def unit_row(self, name):
        _workbook, rows = xlsx_rows(self.data, "排名与数据")
        headings = [cell.value for cell in rows[0]]
        row = next(r for r in rows if r[headings.index("单位")].value == name)
        return {heading: cell for heading, cell in zip(headings, row)}

    def test_it_has_a_units_rates_with_their_samples_in_percent(self):
        chengguan = self.unit_row("城市管理行政执法局")
        self.assertAlmostEqual(chengguan["满意率"].value, 0.94)
        self.assertEqual(chengguan["满意率"].number_format, "0.0%")
        self.assertEqual(chengguan["满意率样本"].value, 20)
        self.assertAlmostEqual(chengguan["响应率"].value, 0.95)
        self.assertEqual(chengguan["响应率样本"].value, 20)
        self.assertAlmostEqual(chengguan["综合得分"].value, 92.10)
        self.assertAlmostEqual(chengguan["上月综合得分"].value, 91.00)
        self.assertEqual(chengguan["排名"].value, 2)
        self.assertEqual(chengguan["层级"].value, "部门")

    def test_a_unit_below_the_minimum_sample_has_no_rank_and_a_reason(self):
        hotline = self.unit_row("12345热线中心")
        self.assertIsNone(hotline["排名"].value)
        self.assertTrue(hotline["未排名原因"].value)

    def test_it_has_a_sheet_of_the_overdue_matters(self):
        _workbook, rows = xlsx_rows(self.data, "超期事项")
        numbers = [row[0].value for row in rows[1:]]
        self.assertEqual(numbers, [self.resolved_late.number, self.late.number, self.whistle.number])
        self.assertEqual(rows[1][4].value, 3)

    def test_it_holds_no_personal_data(self):
        workbook = openpyxl.load_workbook(io.BytesIO(self.data))
        values = " ".join(str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row)
        self.assertEqual([p for p in PERSONAL if p in values], [])

import io
import zipfile
from datetime import date, datetime

import openpyxl
from django.test import override_settings
from openpyxl.utils.datetime import to_excel

from duban.intake import sheets
from duban.intake.sheets import CLOSED_NOTE, ImportFailed, UnreadableFile, parse_date
from duban.ledger.models import Event, State, Ticket
from tests.base import DubanTestCase

TITLE = "2021年XX区作风建设问题整改台账"


def messy_workbook():
    """What an office keeps: a merged title, two sheets, dates written four ways, and mistakes."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "作风问题"
    first.append([TITLE])
    first.merge_cells("A1:I1")
    first.append(["填报单位：江南区督查室"])
    first.merge_cells("A2:I2")
    first.append(["序号", "问题来源", "问题描述", "责任单位", "责任人", "整改时限（年月日）", "整改措施",
                  "整改进展", "是否销号"])
    first.append([1, "督查暗访", "西山街道办事大厅窗口人员上班时间玩手机", "城管局", "张三", "2026年1月15日",
                  "加强考勤管理", "已约谈当事人", "否"])                                         # row 4
    first.append([2, "群众举报", "富强社区垃圾清运不及时，气味难闻", "城市管理行政执法局", "李四",
                  "2026.01.20", "每日清运两次", "已完成", "已销号"])                              # row 5
    first.append([])                                                                             # row 6
    first.append([3, "督查暗访", "交警路口执勤不规范", "交警队", "王五", "2026/02/01"])          # row 7
    first.append([4, "媒體曝光", "柳浪社區道路積水長期無人處理", "江北區", "趙六", "10月15日"])  # row 8
    first.append([5, "督查暗访", "", "城管局", "", "2026年3月1日"])                              # row 9
    first.append([6, "督查暗访", "西山街道办事大厅窗口人员上班时间玩手机", "城管局", "", "2026.02.01"])  # row 10
    first.append([7, "督查暗访", "富强社区路灯不亮", "城管局", "", "下个月"])                    # row 11

    second = workbook.create_sheet("其他问题")
    second.append(["督查发现问题清单"])
    second.merge_cells("A1:E1")
    second.append(["序号", "问题类别", "问题内容", "牵头单位", "完成时限"])
    second.append([1, "停车秩序", "富强小区门口僵尸车长期占道", "城管局", to_excel(datetime(2026, 3, 2))])  # row 3
    second.append([2, "咨询", "咨询老旧小区加装电梯补贴政策", None, datetime(2026, 2, 27)])     # row 4
    second.merge_cells("D3:D4")
    return workbook


def xlsx_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def where(items):
    return [(item.sheet, item.row) for item in items]


class ReadTests(DubanTestCase):
    def setUp(self):
        self.preview = sheets.read(xlsx_bytes(messy_workbook()), "台账.xlsx")

    def test_the_messy_workbook_yields_its_good_rows_from_both_sheets(self):
        self.assertEqual(where(self.preview.rows),
                         [("作风问题", 4), ("作风问题", 5), ("作风问题", 8), ("其他问题", 3), ("其他问题", 4)])
        self.assertEqual((self.preview.sheets["作风问题"].header_row, self.preview.sheets["其他问题"].header_row),
                         (3, 2))

    def test_errors_are_named_by_sheet_and_row(self):
        self.assertEqual(where(self.preview.errors),
                         [("作风问题", 7), ("作风问题", 9), ("作风问题", 10), ("作风问题", 11)])

    def test_an_unknown_unit_comes_with_a_did_you_mean(self):
        message = self.preview.errors[0].message
        self.assertIn("交警队", message)
        self.assertIn("公安局交通警察支队", message)

    def test_a_repeated_row_names_the_row_it_repeats(self):
        self.assertIn("4", self.preview.errors[2].message)

    def test_dates_written_every_way_are_read(self):
        dues = {(r.sheet, r.row): r.due for r in self.preview.rows}
        self.assertEqual(dues[("作风问题", 4)], date(2026, 1, 15))
        self.assertEqual(dues[("作风问题", 5)], date(2026, 1, 20))
        self.assertEqual(dues[("其他问题", 3)], date(2026, 3, 2))
        self.assertEqual(dues[("其他问题", 4)], date(2026, 2, 27))

    def test_a_month_and_day_take_the_title_year_and_a_past_deadline_is_a_warning(self):
        row = self.preview.rows[2]
        self.assertIsNone(row.due)
        self.assertIn("原台账整改时限：2021-10-15（导入时已过期）", row.notes)
        self.assertEqual(where(self.preview.warnings), [("作风问题", 8)])

    def test_traditional_chinese_is_read_as_simplified(self):
        row = self.preview.rows[2]
        self.assertEqual(row.description, "柳浪社区道路积水长期无人处理")
        self.assertEqual(row.lead_unit, self.jiangbei)

    def test_units_are_matched_by_name_or_alias(self):
        self.assertEqual([r.lead_unit for r in self.preview.rows[:2]], [self.chengguan, self.chengguan])

    def test_a_merged_unit_cell_covers_every_row_it_spans(self):
        self.assertEqual(self.preview.rows[4].lead_unit, self.chengguan)

    def test_measures_progress_and_a_closed_mark_become_notes_and_source(self):
        row = self.preview.rows[1]
        self.assertEqual(row.notes, ["整改措施：每日清运两次", "整改进展：已完成", CLOSED_NOTE])
        self.assertEqual(row.source, {"file": "台账.xlsx", "sheet": "作风问题", "row": 5, "number": "2",
                                      "origin": "群众举报", "person": "李四", "closed": "已销号"})

    def test_a_category_column_sets_category_or_kind(self):
        parking, inquiry = self.preview.rows[3], self.preview.rows[4]
        self.assertEqual((parking.category, parking.kind), (self.parking, "complaint"))
        self.assertEqual((inquiry.category, inquiry.kind), (None, "inquiry"))
        self.assertEqual(self.preview.rows[0].kind, "complaint")


class DateTests(DubanTestCase):
    def test_every_written_form_of_a_date_is_read(self):
        for text in ["2021年10月15日", "2021.10.15", "2021/10/15", "2021-10-15", "20211015", "10月15日",
                     "2021年10月15日前", "2021-10-15 00:00:00", "44484", 44484, datetime(2021, 10, 15)]:
            with self.subTest(text=text):
                self.assertEqual(parse_date(text, 2021), date(2021, 10, 15))

    def test_the_end_of_a_month_is_its_last_day(self):
        self.assertEqual(parse_date("2024年2月底", 2021), date(2024, 2, 29))

    def test_a_deadline_without_a_date_is_none_and_nonsense_is_refused(self):
        self.assertIsNone(parse_date("长期坚持", 2021))
        for text in ["下个月", "2021年13月1日", 12]:
            with self.subTest(text=text), self.assertRaises(ValueError):
                parse_date(text, 2021)


class CsvTests(DubanTestCase):
    HEADER = "序号,问题描述,责任单位,整改时限\n"

    def test_a_csv_saved_by_chinese_excel_in_gb18030_is_read(self):
        text = self.HEADER + "1,富强小区门口僵尸车长期占道,城管局,2026年3月2日\n"
        preview = sheets.read(io.BytesIO(text.encode("gb18030")), "台账.csv")
        self.assertEqual(where(preview.rows), [("台账", 2)])
        self.assertEqual((preview.rows[0].lead_unit, preview.rows[0].due), (self.chengguan, date(2026, 3, 2)))

    def test_a_repeated_header_and_numbered_empty_rows_are_skipped_silently(self):
        text = self.HEADER + "1,存在问题：楼道堆放杂物,城管局,\n序号,问题描述,责任单位,整改时限\n2,,,\n"
        preview = sheets.read(io.BytesIO(text.encode()), "a.csv")
        self.assertEqual((where(preview.rows), preview.errors), ([("a", 2)], []))

    def test_utf8_with_and_without_a_byte_order_mark_is_read(self):
        text = self.HEADER + "1,楼道堆放杂物,城管局,\n"
        for data in [text.encode(), "\ufeff".encode() + text.encode()]:
            with self.subTest(bom=data[:3]):
                self.assertEqual(where(sheets.read(io.BytesIO(data), "a.csv").rows), [("a", 2)])


class RefusalTests(DubanTestCase):
    def assertRefused(self, data, name, words):
        with self.assertRaises(UnreadableFile) as caught:
            sheets.read(io.BytesIO(data), name)
        self.assertIn(words, str(caught.exception))

    def test_a_broken_xlsx_is_refused(self):
        self.assertRefused(b"PK\x03\x04 this is not a workbook", "台账.xlsx", "xlsx")
        self.assertRefused(b"\xd0\xcf\x11\xe0 old excel", "台账.xls", ".xls")
        self.assertRefused(b"hello", "台账.txt", "xlsx")

    def test_a_zip_that_is_not_a_workbook_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        self.assertRefused(buffer.getvalue(), "台账.xlsx", "xlsx")

    @override_settings(IMPORT_MAX_UNCOMPRESSED_BYTES=4 * 1024 * 1024, IMPORT_MAX_ZIP_MEMBERS=50)
    def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_unpacked(self):
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            with archive.open("xl/worksheets/sheet1.xml", "w") as member:
                for _ in range(8):
                    member.write(b"\0" * (1024 * 1024))
        self.assertLess(len(bomb.getvalue()), 64 * 1024)
        self.assertRefused(bomb.getvalue(), "台账.xlsx", "4 MB")
        many = io.BytesIO()
        with zipfile.ZipFile(many, "w") as archive:
            for i in range(60):
                archive.writestr(f"part{i}.xml", "")
        self.assertRefused(many.getvalue(), "台账.xlsx", "50")


class WriteTests(DubanTestCase):
    def test_every_good_row_becomes_a_ticket_on_the_import_channel(self):
        preview = sheets.read(xlsx_bytes(messy_workbook()), "台账.xlsx")
        written = sheets.write(preview, self.dispatcher)
        self.assertEqual(len(written.tickets), 5)
        tickets = Ticket.objects.filter(channel__code="import")
        self.assertEqual(tickets.count(), 5)
        receipt = Event.objects.get(ticket__description__startswith="富强社区垃圾清运", action="receive")
        self.assertEqual(receipt.payload["source"]["row"], 5)

    def test_a_row_with_unit_category_and_deadline_is_dispatched_there_by_hand(self):
        preview = sheets.read(xlsx_bytes(messy_workbook()), "台账.xlsx")
        sheets.write(preview, self.dispatcher)
        ticket = Ticket.objects.get(description="富强小区门口僵尸车长期占道")
        self.assertEqual((ticket.state, ticket.lead_unit), (State.DISPATCHED, self.chengguan))
        self.assertEqual(ticket.resolve_due_at.date(), date(2026, 3, 2))
        self.assertEqual(ticket.events.get(action="dispatch").actor, self.dispatcher)

    def test_a_row_marked_closed_is_imported_open_with_a_note(self):
        preview = sheets.read(xlsx_bytes(messy_workbook()), "台账.xlsx")
        sheets.write(preview, self.dispatcher)
        ticket = Ticket.objects.get(description__startswith="富强社区垃圾清运")
        self.assertNotIn(ticket.state, (State.CLOSED, State.VERIFIED, State.RESOLVED))
        notes = [e.payload["text"] for e in ticket.events.filter(action="note")]
        self.assertIn(CLOSED_NOTE, notes)

    def test_a_failure_while_writing_leaves_nothing_written(self):
        preview = sheets.read(xlsx_bytes(messy_workbook()), "台账.xlsx")
        preview.rows[-1].lead_unit, preview.rows[-1].due = self.chengguan, date(2021, 1, 4)  # past by now
        before = Event.objects.count()
        with self.assertRaises(ImportFailed) as caught:
            sheets.write(preview, self.dispatcher)
        self.assertEqual((caught.exception.error.sheet, caught.exception.error.row), ("其他问题", 4))
        self.assertEqual((Ticket.objects.count(), Event.objects.count()), (0, before))

"""Every way a file gets into duban refuses hostile files, says why in Chinese, and writes nothing.

The files: one too large, one of the wrong type (a PDF named .jpg or .xlsx), programs renamed as
photos and workbooks (an ELF, a Windows PE), image bombs (a PNG, a JPEG and a GIF of a few hundred
bytes whose headers declare 60000 × 60000 pixels) and zip bombs named .xlsx (8 MB of zeros packed
into kilobytes, and a workbook whose directory declares 4 GB). The entry points: the citizen's
report, the handler's ticket page, an inspection visit, a campaign task's report, the REST API
(attachments and ledger imports, with an API key), Open311 media, the races' workbook upload and
the `import_ledger` command. Each refusal is checked for its status and its exact message.
"""
import io
import json
import struct
import tempfile
import zipfile
import zlib
from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from duban.campaigns import service as campaigns
from duban.campaigns.models import TaskReport
from duban.catalogue.models import Channel
from duban.inspections import rounds
from duban.inspections.models import Round, Visit
from duban.intake import keys
from duban.ledger.models import Attachment, Event, Ticket
from duban.races.models import IndicatorValue
from tests.base import DubanTestCase, png_bytes
from tests.campaigns.base import CampaignTestCase
from tests.races.base import RaceTestCase

LIMIT = 100 * 1024  # the size limits the tests set, so that "too large" is cheap to send


def png_declaring(width, height):
    """A PNG of ~100 bytes whose header declares width × height pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def jpeg_declaring(width, height):
    """A baseline JPEG header (SOF0) declaring width × height, with a token scan after it."""
    def segment(marker, data):
        return b"\xff" + marker + struct.pack(">H", len(data) + 2) + data
    return (b"\xff\xd8" + segment(b"\xe0", b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
            + segment(b"\xdb", b"\0" + bytes(range(1, 65)))
            + segment(b"\xc0", struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
            + segment(b"\xda", b"\x01\x01\x00\x00\x3f\x00") + b"\x00" * 32 + b"\xff\xd9")


def gif_declaring(width, height):
    return (b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
            + b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00\x3b")


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\0" * 8 + b"\x02\x00\x3e\x00" + b"\0" * 200
PE = b"MZ\x90\x00\x03" + b"\0" * 55 + struct.pack("<I", 64) + b"PE\0\0" + b"\0" * 200
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def zip_of_zeros(megabytes=8):
    """A workbook-shaped zip holding 8 MB of zeros in a few kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(megabytes):
                part.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


def zip_declaring(size):
    """A small workbook-shaped zip whose central directory says its last part unpacks to `size` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(buffer.getvalue())
    entry = data.rfind(b"PK\x01\x02")
    data[entry + 24:entry + 28] = struct.pack("<I", size)
    return bytes(data)


def refused(template, name):
    return template.replace("NAME", name)


PROGRAM = "文件“NAME”是可执行程序，不是照片或文档，已拒收。"
BOMB = "文件“NAME”是超过 50 百万像素的图片，已拒收。"
# (file name, content, the message the person reads)
HOSTILE_PHOTOS = [
    ("大.png", png_bytes().ljust(LIMIT + 50 * 1024, b"\0"), "文件“大.png”大小为 150 KB，超过 100 KB 的上限。"),
    ("扫描件.jpg", PDF, "文件“扫描件.jpg”的类型不被接受（仅限照片、PDF、Word 或 Excel）。"),
    ("照片.jpg", ELF, refused(PROGRAM, "照片.jpg")),
    ("现场.png", PE, refused(PROGRAM, "现场.png")),
    ("炸弹.png", png_declaring(60000, 60000), refused(BOMB, "炸弹.png")),
    ("炸弹.jpg", jpeg_declaring(60000, 60000), refused(BOMB, "炸弹.jpg")),
    ("炸弹.gif", gif_declaring(60000, 60000), refused(BOMB, "炸弹.gif")),
]
HOSTILE_WORKBOOKS = [
    ("大台账.xlsx", b"PK\x03\x04".ljust(LIMIT + 50 * 1024, b"\0"), "文件“大台账.xlsx”大小为 150 KB，超过 100 KB 的上限。"),
    ("台账.xlsx", PDF, "文件“台账.xlsx”的类型不被接受（仅限.xlsx 或 .csv 文件）。"),
    ("程序.xlsx", PE, refused(PROGRAM, "程序.xlsx")),
    ("程序.csv", ELF, refused(PROGRAM, "程序.csv")),
    ("压缩炸弹.xlsx", zip_of_zeros(), "文件“压缩炸弹.xlsx”的压缩比超过 200 倍，远超正常文档，已拒收。"),
    ("四个G.xlsx", zip_declaring(0xFFFF0000), "文件“四个G.xlsx”解压后将超过 512 MB，已拒收。"),
]


def upload(name, data):
    return SimpleUploadedFile(name, data)


def good_photo():
    return upload("好照片.png", png_bytes(7))


class HostileFilesAreWhatTheySay(DubanTestCase):
    def test_each_hostile_file_is_what_its_name_says_it_is_not(self):
        """The test files are real: the bombs are small and declare what they should (read by Pillow)."""
        from PIL import Image

        ceiling, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # Pillow would refuse them too
        try:
            for name, data, _message in HOSTILE_PHOTOS[4:]:
                with self.subTest(name), Image.open(io.BytesIO(data)) as image:
                    self.assertLess(len(data), 1024)
                    self.assertEqual(image.size, (60000, 60000))
        finally:
            Image.MAX_IMAGE_PIXELS = ceiling
        self.assertLess(len(zip_of_zeros()), 64 * 1024)
        with zipfile.ZipFile(io.BytesIO(zip_declaring(0xFFFF0000))) as archive:
            self.assertEqual(archive.getinfo("xl/workbook.xml").file_size, 0xFFFF0000)


@override_settings(ATTACHMENT_MAX_BYTES=LIMIT, PUBLIC_REPORTS_PER_HOUR=10_000, OPEN311_POSTS_PER_HOUR=10_000)
class PhotoEntryPoints(DubanTestCase):
    """Photos and evidence: each hostile file, sent beside a good photo, refuses the whole form."""

    def assertNothingWritten(self, tickets=0, events=None):
        self.assertEqual(Ticket.objects.count(), tickets)
        self.assertEqual(Attachment.objects.count(), 0)
        if events is not None:
            self.assertEqual(Event.objects.count(), events)

    def test_the_citizens_report_refuses_each_hostile_photo_and_files_nothing(self):
        for name, data, message in HOSTILE_PHOTOS:
            with self.subTest(name):
                page = self.client.post(reverse("web:report"), {
                    "kind": "complaint", "description": "小区门口僵尸车占道半年。", "address": "富强小区东门",
                    "photos": [good_photo(), upload(name, data)]})
                self.assertContains(page, message, status_code=200)
                self.assertNothingWritten()

    def test_the_handlers_ticket_page_refuses_hostile_evidence_and_the_ticket_stays_where_it_was(self):
        ticket = self.dispatched_ticket()
        self.client.force_login(self.handler)
        self.client.post(reverse("web:act", args=[ticket.number, "acknowledge"]))
        events = Event.objects.count()
        for name, data, message in HOSTILE_PHOTOS:
            with self.subTest(name):
                page = self.client.post(reverse("web:act", args=[ticket.number, "resolve"]),
                                        {"text": "已联系车主拖离", "files": [good_photo(), upload(name, data)]},
                                        follow=True)
                self.assertContains(page, message, status_code=200)
                ticket.refresh_from_db()
                self.assertEqual(ticket.state, "acknowledged")
                self.assertNothingWritten(tickets=1, events=events)

    def test_an_inspection_visit_with_a_hostile_photo_is_refused_whole(self):
        today = timezone.localdate()
        round_ = rounds.create_round(self.supervisor, name="督导检查", kind=Round.Kind.SUPERVISION,
                                     starts_on=today - timedelta(days=3), ends_on=today + timedelta(days=3),
                                     team=[self.steward], units=[self.xishan, self.chengguan], targets=["富强小区"])
        self.client.force_login(self.steward)
        for name, data, message in HOSTILE_PHOTOS:
            with self.subTest(name):
                page = self.client.post(reverse("inspections:visit", args=[round_.pk]), {
                    "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "富强小区",
                    "unit": "西山街道", "notes": "徒步走城区", "finding-1-unit": "城管局",
                    "finding-1-description": "台阶两侧残留垃圾", "photos": [good_photo(), upload(name, data)]})
                self.assertContains(page, message, status_code=400)
                self.assertFalse(Visit.objects.exists())
                self.assertNothingWritten()

    def test_open311_media_that_is_hostile_is_an_open311_error_and_no_request(self):
        _key, raw = keys.create("FixMyStreet", Channel.objects.get(code="open311"))
        for name, data, message in HOSTILE_PHOTOS:
            with self.subTest(name):
                answer = self.client.post("/open311/v2/requests.json", {
                    "api_key": raw, "service_code": str(self.zombie_car.pk), "lat": "30.5", "long": "114.3",
                    "description": "井盖缺失", "media": [good_photo(), upload(name, data)]},
                    HTTP_ACCEPT_LANGUAGE="zh-hans")
                self.assertEqual(answer.status_code, 400, answer.content)
                self.assertEqual(answer.json(), [{"code": "400", "description": message}])
                self.assertNothingWritten()

    def test_the_api_refuses_hostile_attachments_with_a_key_and_adds_no_note(self):
        _key, raw = keys.create("城管系统", Channel.objects.get(code="app"))
        ticket = self.dispatched_ticket()
        events = Event.objects.count()
        for name, data, message in HOSTILE_PHOTOS:
            with self.subTest(name):
                answer = self.client.post(f"/api/v1/tickets/{ticket.number}/attachments",
                                          {"text": "补充材料", "files": [good_photo(), upload(name, data)]},
                                          HTTP_AUTHORIZATION=f"Bearer {raw}")
                self.assertEqual(answer.status_code, 400, answer.content)
                self.assertEqual(answer.json(), {"detail": message})
                self.assertNothingWritten(tickets=1, events=events)


@override_settings(ATTACHMENT_MAX_BYTES=LIMIT)
class CampaignReports(CampaignTestCase):
    def test_a_task_report_with_hostile_evidence_is_refused_and_not_counted(self):
        task = campaigns.add_task(self.parking_campaign, unit=self.chengguan, title="清除地锁",
                                  due=timezone.localdate() + timedelta(days=10), actor=self.supervisor)
        self.client.force_login(self.handler)
        attachments = Attachment.objects.count()
        for name, data, message in HOSTILE_PHOTOS:
            with self.subTest(name):
                page = self.client.post(reverse("campaigns:report", args=[task.pk]), {
                    "quantity": "120", "note": "清除地锁120处", "files": [good_photo(), upload(name, data)]})
                self.assertContains(page, message, status_code=400)
                self.assertFalse(TaskReport.objects.exists())
                self.assertEqual(Attachment.objects.count(), attachments)


@override_settings(IMPORT_MAX_BYTES=LIMIT)
class WorkbookEntryPoints(DubanTestCase):
    """Ledgers and race values: each hostile workbook is refused before anything reads it."""

    def test_the_api_import_refuses_each_hostile_workbook_with_a_field_error(self):
        _key, raw = keys.create("督查系统", Channel.objects.get(code="app"))
        for name, data, message in HOSTILE_WORKBOOKS:
            with self.subTest(name):
                answer = self.client.post("/api/v1/imports", {"file": upload(name, data), "accept": "true"},
                                          HTTP_AUTHORIZATION=f"Bearer {raw}")
                self.assertEqual(answer.status_code, 422, answer.content)
                self.assertEqual(answer.json()["errors"], {"file": [message]})
                self.assertEqual(Ticket.objects.count(), 0)

    def test_the_import_command_refuses_each_hostile_workbook(self):
        with tempfile.TemporaryDirectory() as folder:
            for name, data, message in HOSTILE_WORKBOOKS:
                with self.subTest(name):
                    path = Path(folder) / name
                    path.write_bytes(data)
                    with self.assertRaisesMessage(CommandError, message):
                        call_command("import_ledger", str(path), "--yes", "--as", self.dispatcher.username,
                                     stdout=io.StringIO())
                    self.assertEqual(Ticket.objects.count(), 0)


@override_settings(IMPORT_MAX_BYTES=LIMIT)
class RaceWorkbooks(RaceTestCase):
    def test_the_races_upload_refuses_each_hostile_workbook(self):
        self.client.force_login(self.supervisor)
        for name, data, message in HOSTILE_WORKBOOKS:
            with self.subTest(name):
                page = self.client.post(reverse("races:import"), {"file": upload(name, data)})
                self.assertContains(page, message, status_code=400)
                self.assertEqual(IndicatorValue.objects.count(), 0)

import io

from django.core.exceptions import ValidationError
from django.test import override_settings

from duban.ledger.attachments import check
from duban.ledger.machine import perform
from duban.ledger.models import Attachment
from tests.base import DubanTestCase, png_bytes


class AttachmentTests(DubanTestCase):
    def test_a_photo_is_accepted_with_its_type_and_hash(self):
        upload = check(io.BytesIO(png_bytes()), "现场.png")
        self.assertEqual((upload.content_type, len(upload.sha256)), ("image/png", 64))

    def test_a_renamed_executable_is_refused(self):
        with self.assertRaises(ValidationError):
            check(io.BytesIO(b"MZ\x90\x00" + b"\0" * 200), "照片.jpg")

    def test_a_photo_with_the_wrong_extension_is_refused(self):
        with self.assertRaises(ValidationError):
            check(io.BytesIO(png_bytes()), "report.pdf")

    def test_an_empty_file_is_refused(self):
        with self.assertRaises(ValidationError):
            check(io.BytesIO(b""), "空.png")

    @override_settings(ATTACHMENT_MAX_BYTES=50)
    def test_a_file_over_the_limit_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "50"):
            check(io.BytesIO(png_bytes() + b"\0" * 100), "大.png")

    def test_a_refused_file_leaves_the_ticket_unchanged(self):
        ticket = self.dispatched_ticket()
        perform(ticket, "acknowledge", self.handler)
        with self.assertRaises(ValidationError):
            perform(ticket, "resolve", self.handler, text="已处理", files=[(io.BytesIO(b"#!/bin/sh\n"), "x.png")])
        ticket.refresh_from_db()
        self.assertEqual((ticket.state, Attachment.objects.count()), ("acknowledged", 0))

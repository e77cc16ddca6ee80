"""Attachments: size and type checked from the content, stored once under their hash."""
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _

from duban.lib.chain import file_digest
from duban.ledger.models import Attachment

# Extensions accepted for each sniffed type, so a renamed file is refused.
EXTENSIONS = {
    "image/jpeg": {"jpg", "jpeg"}, "image/png": {"png"}, "image/webp": {"webp"}, "image/gif": {"gif"},
    "application/pdf": {"pdf"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
}


@dataclass
class Upload:
    file: object
    name: str
    content_type: str
    size: int
    sha256: str


def check(fileobj, name):
    """Validate one file; return an Upload or raise ValidationError naming the file."""
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise ValidationError(_("File %(name)s is empty.") % {"name": name})
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("File %(name)s is %(size)d bytes; the limit is %(limit)d bytes.")
                              % {"name": name, "size": size, "limit": settings.ATTACHMENT_MAX_BYTES})
    head = fileobj.read(8192)
    fileobj.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if mime not in settings.ATTACHMENT_TYPES or extension not in EXTENSIONS.get(mime, ()):
        raise ValidationError(_("File %(name)s is not an accepted type (photos, PDF, Word or Excel).")
                              % {"name": name})
    return Upload(fileobj, name, mime, size, file_digest(fileobj))


def store(uploads, ticket, event, actor):
    """Save checked uploads for an event already written (its hash names them)."""
    saved = []
    for upload in uploads:
        attachment = Attachment(ticket=ticket, event=event, name=upload.name[:200],
                                content_type=upload.content_type, size=upload.size,
                                sha256=upload.sha256, uploaded_by=actor, at=event.at)
        existing = Attachment.objects.filter(sha256=upload.sha256).only("file").first()
        if existing and existing.file.storage.exists(existing.file.name):
            attachment.file.name = existing.file.name
        else:
            attachment.file.save(upload.name, File(upload.file), save=False)
        attachment.save()
        saved.append(attachment)
    return saved

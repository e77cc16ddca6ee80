"""Every file anyone sends duban is checked here, by one function, before anything is written.

Attachments (tickets, reports, inspections, Open311 media) and workbooks to import (ledgers,
races) pass through `check`: the size, the type sniffed from the content and matched with the
extension (so a renamed program is refused, and named as a program), the pixels an image's header
declares (an image bomb is a small file that unpacks to gigabytes), and for Word and Excel files,
which are zips, the central directory: too many parts, too much when unpacked, or a part packed
too tightly (a zip bomb) — all read from headers, before Pillow, openpyxl or calamine decode anything.
Files are then stored once under their hash.
"""
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from duban.lib.chain import file_digest
from duban.ledger.models import Attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv"  # no magic number: a file nothing identifies, named .csv, without NUL bytes
# Extensions accepted for each sniffed type, so a renamed file is refused.
EXTENSIONS = {
    "image/jpeg": {"jpg", "jpeg"}, "image/png": {"png"}, "image/webp": {"webp"}, "image/gif": {"gif"},
    "application/pdf": {"pdf"}, DOCX: {"docx"}, XLSX: {"xlsx"},
}
ZIP = "application/zip"
ZIPPED = {DOCX, XLSX}
# The parts that make a zip a workbook or a Word document (filetype only looks at the first few).
ZIPPED_BY_FOLDER = {"xl/": XLSX, "word/": DOCX}
# What filetype calls programs, and the start of a script: refused whatever they are named.
PROGRAMS = {"application/x-executable", "application/x-msdownload", "application/x-mach-binary",
            "application/x-shockwave-flash", "application/wasm"}
SCRIPT_START = b"#!"
ZIP_RATIO_FROM_BYTES = 1024 * 1024  # parts smaller than this may be packed as tightly as they like


@dataclass(frozen=True)
class Accepted:
    """The types one entry point takes ({mime: extensions}; none: the ATTACHMENT_TYPES setting's), how to
    name them to the user, and the setting that limits their size."""

    types: dict
    described: str
    max_bytes_setting: str


ATTACHMENTS = Accepted({}, gettext_lazy("photos, PDF, Word or Excel"), "ATTACHMENT_MAX_BYTES")
WORKBOOKS = Accepted({XLSX: {"xlsx", "xlsm"}, CSV: {"csv"}}, gettext_lazy(".xlsx or .csv"), "IMPORT_MAX_BYTES")


@dataclass
class Upload:
    file: object
    name: str
    content_type: str
    size: int
    sha256: str


def check(fileobj, name, accepted=ATTACHMENTS):
    """Validate one file; return an Upload or raise ValidationError naming the file and what is wrong."""
    size = _check_size(fileobj, name, getattr(settings, accepted.max_bytes_setting))
    mime = _check_type(fileobj, name, accepted)
    if mime.startswith("image/"):
        _check_pixels(fileobj, name)
    return Upload(fileobj, name, mime, size, file_digest(fileobj))


def _check_size(fileobj, name, limit):
    size = _size(fileobj)
    if size == 0:
        raise ValidationError(_("File %(name)s is empty.") % {"name": name})
    if size > limit:
        raise ValidationError(_("File %(name)s is %(size)s; the limit is %(limit)s.")
                              % {"name": name, "size": _amount(size), "limit": _amount(limit)})
    return size


def _check_type(fileobj, name, accepted):
    """The type sniffed from the content, when the entry point accepts it under this file's extension."""
    head = fileobj.read(8192)
    fileobj.seek(0)
    mime = _sniff(head)
    if mime in PROGRAMS or head.startswith(SCRIPT_START):
        raise ValidationError(_("File %(name)s is a program, not a photo or a document: it is refused.")
                              % {"name": name})
    if mime in ZIPPED or mime == ZIP:
        mime = _check_zip(fileobj, name)
    types = accepted.types or {m: EXTENSIONS.get(m, set()) for m in settings.ATTACHMENT_TYPES}
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if mime == "" and extension in types.get(CSV, ()) and b"\0" not in head:
        mime = CSV
    if extension not in types.get(mime, ()):
        raise ValidationError(_("File %(name)s is not an accepted type (%(accepted)s).")
                              % {"name": name, "accepted": accepted.described})
    return mime


def _size(fileobj):
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    fileobj.seek(0)
    return size


def _amount(size):
    """Bytes as people read them: 10 MB, 300 KB, 50 B (one decimal at most, none when whole)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + " " + unit
    return f"{size} B"


def _sniff(head):
    kind = filetype.guess(head)
    return kind.mime if kind else ""


def _check_pixels(fileobj, name):
    """Refuse an image whose header declares more pixels than ATTACHMENT_MAX_PIXELS; nothing is decoded."""
    most = settings.ATTACHMENT_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(fileobj) as image:
                pixels = image.width * image.height
    except Image.DecompressionBombError:  # Pillow's own ceiling, far above ours
        pixels = most + 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("File %(name)s is not a readable image.") % {"name": name}) from None
    finally:
        fileobj.seek(0)
    if pixels > most:
        raise ValidationError(_("File %(name)s is an image of more than %(mp)s megapixels: it is refused.")
                              % {"name": name, "mp": _megapixels(most)})


def _megapixels(pixels):
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def _check_zip(fileobj, name):
    """Refuse a zip (.xlsx, .docx) that is broken or would unpack to too much; return what it holds.

    Everything is read from the zip's central directory: nothing is unpacked. The type is told by the
    folders of its parts (xl/, word/), or it is a plain zip.
    """
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ValidationError(_("File %(name)s is damaged: it cannot be opened.") % {"name": name}) from None
    finally:
        fileobj.seek(0)
    most_bytes, most_members = settings.IMPORT_MAX_UNCOMPRESSED_BYTES, settings.IMPORT_MAX_ZIP_MEMBERS
    if len(members) > most_members:
        raise ValidationError(_("File %(name)s holds more than %(members)s parts: it is refused.")
                              % {"name": name, "members": most_members})
    if sum(m.file_size for m in members) > most_bytes:
        raise ValidationError(_("File %(name)s would unpack to more than %(size)s: it is refused.")
                              % {"name": name, "size": _amount(most_bytes)})
    ratio = settings.ZIP_MAX_RATIO
    if any(m.file_size > ZIP_RATIO_FROM_BYTES and m.file_size > ratio * max(m.compress_size, 1) for m in members):
        raise ValidationError(_("File %(name)s is packed more than %(ratio)s times tighter than any document: "
                                "it is refused.") % {"name": name, "ratio": ratio})
    folders = {m.filename.split("/", 1)[0] + "/" for m in members}
    return next((mime for folder, mime in ZIPPED_BY_FOLDER.items() if folder in folders), ZIP)


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

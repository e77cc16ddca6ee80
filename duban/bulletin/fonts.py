"""The Chinese fonts every bulletin is written in: Debian's fonts-noto-cjk, read from disk.

Nothing is downloaded: when the files are missing the writers stop with FontMissing, which
says what to install. The files are font collections (.ttc): the Simplified Chinese face is
picked by its name for matplotlib; WeasyPrint and Word get the family name "Noto Sans CJK SC".
"""
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

FAMILY = "Noto Sans CJK SC"
REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


class FontMissing(RuntimeError):
    """A font file the bulletin needs is not installed; the message says which and how."""


def font_file(bold=False):
    """The path of the regular (or bold) font, checked to exist."""
    path = Path(getattr(settings, "BULLETIN_FONT_BOLD" if bold else "BULLETIN_FONT", BOLD if bold else REGULAR))
    if not path.is_file():
        raise FontMissing(_("The Chinese font %(path)s is missing: install Debian's package fonts-noto-cjk "
                            "(apt-get install fonts-noto-cjk).") % {"path": path})
    return path


@lru_cache(maxsize=4)
def face_index(path):
    """The index of the Simplified Chinese face in a font collection (0 for a single font)."""
    from matplotlib import ft2font  # noqa: PLC0415

    first = ft2font.FT2Font(str(path))
    for index in range(first.num_faces):
        if ft2font.FT2Font(str(path), face_index=index).family_name == FAMILY:
            return index
    return 0

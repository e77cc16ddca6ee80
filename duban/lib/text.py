"""Chinese text as people type it, made comparable.

`normalise` turns Traditional into Simplified characters (OpenCC), full-width letters, digits and
spaces into half-width ones, and runs of whitespace into one space. Chinese punctuation stays
full-width, because that is how Simplified Chinese is written. `find_phones` pulls mainland mobile
and landline numbers out of free text; `mask_phones` hides them for readers who may not see them.
"""
import re
import unicodedata
from functools import lru_cache

from duban.lib.mask import mask_phone

# Full-width ASCII variants (！ to ～) and the ideographic space become their half-width forms,
# except the punctuation that Simplified Chinese keeps full-width.
_KEEP_FULL = set("，。！？；：（）【】《》、“”‘’")
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in _KEEP_FULL}
_WIDTH[0x3000] = 0x20
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f]+")
_LINES = re.compile(r"\s*\n\s*")

# 11-digit mobiles (1[3-9]…), optionally +86 / 86, with spaces or dashes as people write them
# (138 1234 5678, 138-1234-5678); landlines 0xx(x)-xxxxxxx(x). Not inside a longer number.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{7,8})(?!\d)")


@lru_cache(maxsize=1)
def _converter():
    import opencc  # noqa: PLC0415 — the dictionaries load once, on first use

    return opencc.OpenCC("t2s")


def to_simplified(text):
    return _converter().convert(text) if text else text


_SEEN = {}  # text → its normal form, for the cells a ledger repeats row after row
_SEEN_MAX = 20_000


def normalise(text):
    """Simplified, half-width, single-spaced text; None and "" become ""."""
    if not text:
        return ""
    text = str(text)
    done = _SEEN.get(text)
    if done is not None:
        return done
    done = unicodedata.normalize("NFC", text).translate(_WIDTH)
    done = _LINES.sub("\n", _SPACE.sub(" ", to_simplified(done))).strip()
    if len(_SEEN) >= _SEEN_MAX:
        _SEEN.clear()
    _SEEN[text] = _SEEN[done] = done  # normalising the normal form again finds it at once
    return done


def find_phones(text):
    """The phone numbers in the text, digits only, in the order they appear, each once."""
    found = []
    for match in sorted([*_MOBILE.finditer(text or ""), *_LANDLINE.finditer(text or "")], key=lambda m: m.start()):
        number = "".join(match.groups())
        if number not in found:
            found.append(number)
    return found


def mask_phones(text):
    """The text with every phone number in it masked (138****5678)."""
    if not text:
        return text or ""
    text = _MOBILE.sub(lambda m: mask_phone("".join(m.groups())), text)
    return _LANDLINE.sub(lambda m: mask_phone("".join(m.groups())), text)


_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def compact(text):
    """The normalised text in lower case without spaces or punctuation."""
    return _NOISE.sub("", normalise(text).lower())


def pairs(compact_text, n=2):
    """The set of character n-grams of an already compact text."""
    if len(compact_text) <= n:
        return {compact_text} if compact_text else set()
    return {compact_text[i:i + n] for i in range(len(compact_text) - n + 1)}


def shingles(text, n=2):
    """The set of character n-grams of the text without spaces or punctuation (Chinese has no word
    breaks, so overlapping characters are the unit of similarity)."""
    return pairs(compact(text), n)


def storable(value):
    """Whether every string in `value` (nested lists and dicts, keys too) can be stored: no NUL
    character, which PostgreSQL's text and jsonb refuse, and no lone surrogate, which UTF-8 cannot encode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return "\x00" not in value
    if isinstance(value, dict):
        return all(storable(k) and storable(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(storable(v) for v in value)
    return True

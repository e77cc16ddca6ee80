"""Every string a user reads has its Simplified Chinese translation, compiled."""
import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "duban" / "locale"


def read_po(path):
    """msgid (or "context\x04msgid") → msgstr of a .po file, the header left out, and those marked fuzzy."""
    entries, fuzzy, current, field, is_fuzzy = {}, set(), {}, None, False
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            is_fuzzy = True
        elif line.startswith(("msgctxt ", "msgid ", "msgstr ")):
            field, _, literal = line.partition(" ")
            current[field] = ast.literal_eval(literal)  # a C string literal reads as a Python one
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
        elif not line.strip() and current:
            if current.get("msgid"):
                # A message with a context is kept as gettext keeps it: context, EOT, message.
                key = current["msgctxt"] + "\x04" + current["msgid"] if "msgctxt" in current else current["msgid"]
                entries[key] = current.get("msgstr", "")
                if is_fuzzy:
                    fuzzy.add(key)
            current, field, is_fuzzy = {}, None, False
    return entries, fuzzy


def test_every_message_has_a_chinese_translation():
    entries, fuzzy = read_po(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    assert [m for m, t in entries.items() if not t] == []
    assert fuzzy == set()


def test_the_compiled_catalogue_matches_the_source():
    entries, _ = read_po(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")
    with open(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [m for m, t in entries.items() if compiled.gettext(m) != t]
    assert stale == [], "run `make messages`"


@pytest.mark.parametrize("source", sorted(str(p) for p in (LOCALE.parent).rglob("*.py")
                                          if "migrations" not in p.parts))
def test_no_message_is_left_out_of_the_catalogue(source):
    entries, _ = read_po(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")
    literals = re.findall(r'\b(?:_|gettext|gettext_lazy)\("((?:[^"\\]|\\.)*)"\)', Path(source).read_text())
    assert [m for m in literals if m not in entries] == [], "run `make messages`"

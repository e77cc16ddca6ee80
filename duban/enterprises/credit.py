"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.

Positions 1–2 say who registered the body and what it is, 3–8 are the administrative division
(digits), 9–17 the organisation code, 18 the check character computed from the first 17.
The letters I, O, Z, S and V are never used.
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17):
    total = sum(CHARACTERS.index(c) * w for c, w in zip(first17, WEIGHTS))
    return CHARACTERS[(31 - total % 31) % 31]


def clean_credit_code(text):
    """The code in its canonical form (upper case, no spaces), "" when none is given;
    ValidationError with a message for the user when it cannot be a valid code."""
    code = "".join((text or "").split()).upper()
    if not code:
        return ""
    if len(code) != LENGTH:
        raise ValidationError(_("A unified social credit code has 18 characters; “%(code)s” has %(n)d.")
                              % {"code": code, "n": len(code)})
    wrong = sorted({c for c in code if c not in CHARACTERS})
    if wrong:
        raise ValidationError(_("A unified social credit code uses digits and capital letters other than "
                                "I, O, Z, S and V; “%(code)s” contains %(chars)s.")
                              % {"code": code, "chars": "、".join(wrong)})
    if not code[2:8].isdigit():
        raise ValidationError(_("Characters 3 to 8 of a unified social credit code are the division code, "
                                "six digits; check “%(code)s”.") % {"code": code})
    if check_character(code[:17]) != code[17]:
        raise ValidationError(_("The last character of “%(code)s” does not match the others: the code is "
                                "mistyped.") % {"code": code})
    return code

"""Masking personal data for people who may not see it."""
import re

MASK = "*"


def mask_name(name):
    """张三丰 → 张**; Alice → A****."""
    if not name:
        return ""
    return name[0] + MASK * max(len(name) - 1, 1)


def mask_phone(phone):
    """13812345678 → 138****5678; short numbers keep only their last two digits."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    if len(digits) >= 11:
        return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]
    return MASK * max(len(digits) - 2, 1) + digits[-2:]


def mask_email(email):
    """zhangsan@example.cn → z***@example.cn."""
    if not email:
        return ""
    local, _, domain = email.partition("@")
    return (local[:1] + MASK * 3) + ("@" + domain if domain else "")

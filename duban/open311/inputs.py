"""Reading Open311 parameters: empty means absent, dates take Z or an offset, errors are Refusals."""
import math
import re
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from duban.intake.service import Report

MAX_DESCRIPTION = 4000
MAX_SPAN = timedelta(days=90)
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
# "+08:00" in a query string that was not encoded arrives as " 08:00".
_BARE_OFFSET = re.compile(r" (\d{2}(:?\d{2})?)$")
_web_url = URLValidator(schemes=["http", "https"])


class Refusal(Exception):
    """An Open311 error answer: an HTTP status and one or more descriptions."""

    def __init__(self, status, *messages):
        super().__init__(*messages)
        self.status = status
        self.messages = [str(m) for m in messages]


def param(data, *names):
    """The first non-empty value among the names, stripped; "" when all are absent or empty."""
    for name in names:
        value = (data.get(name) or "").strip()
        if value:
            return value
    return ""


def number(value):
    """A row id written in ASCII digits, or None: never a crash on "²" or a number no database holds."""
    return int(value) if re.fullmatch(r"[0-9]{1,18}", value) else None


def split(value):
    """A comma list without its empty items."""
    return [item.strip() for item in value.split(",") if item.strip()]


def moment(data, name):
    """An aware datetime from a parameter, or None; a date alone is the start of that day here."""
    raw = param(data, name)
    if not raw:
        return None
    raw = _BARE_OFFSET.sub(r"+\1", raw)
    try:
        parsed = parse_datetime(raw)
        if parsed is None and parse_date(raw) is not None:
            parsed = datetime.combine(parse_date(raw), time())
    except ValueError:
        parsed = None
    if parsed is None:
        raise Refusal(400, _("%(name)s is not a valid date and time (e.g. 2025-11-24T09:00:00Z).") % {"name": name})
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def window(data):
    """(start, end) from start_date and end_date, at most 90 days apart; None for an open end.

    With neither: the last 90 days. With one: 90 days from it (or up to it).
    """
    try:
        return _window(moment(data, "start_date"), moment(data, "end_date"))
    except OverflowError:
        raise Refusal(400, _("start_date and end_date must be between the years 1 and 9999.")) from None


def _window(start, end):
    if start and end:
        if end < start:
            raise Refusal(400, _("end_date is before start_date."))
        if end - start > MAX_SPAN:
            raise Refusal(400, _("start_date and end_date may be at most %(days)d days apart.")
                          % {"days": MAX_SPAN.days})
        return start, end
    if start:
        return start, start + MAX_SPAN
    if end:
        return end - MAX_SPAN, end
    return timezone.now() - MAX_SPAN, None


def _coordinates(data, problems):
    lat, long = param(data, "lat"), param(data, "long")
    if not lat and not long:
        return None, None
    try:
        values = float(lat), float(long)
    except ValueError:
        values = None
    if values is None or not all(map(math.isfinite, values)) or abs(values[0]) > 90 or abs(values[1]) > 180:
        problems.append(_("lat and long must both be numbers in degrees (WGS84)."))
        return None, None
    return values


def attributes(data):
    """`attribute[CODE]=v` → {CODE: v}; `attribute[CODE][]=a&attribute[CODE][]=b` → {CODE: [a, b]}."""
    found = {}
    for name, values in data.lists():
        match = _ATTRIBUTE.match(name)
        values = [v.strip() for v in values if v.strip()]
        if match and values:
            found[match.group(1)] = values if match.group(2) else values[-1]
    return found


def _media_urls(data, problems):
    urls = [u.strip() for u in data.getlist("media_url") if u.strip()]
    for url in urls:
        try:
            _web_url(url)
        except ValidationError:
            problems.append(_("media_url must be an http or https URL."))
            return []
    return urls


def _name(first, last):
    """Chinese names are written family name first, without a space; others first name first."""
    if first and last and all(re.fullmatch(r"[\u3400-\u9fff·]+", part) for part in (first, last)):
        return last + first
    return " ".join(part for part in (first, last) if part)


def _compact(values):
    return {key: value for key, value in values.items() if value}


def report(data, files, category, key):
    """The Report for a POSTed request, or a Refusal listing everything wrong with it."""
    problems = []
    lat, long = _coordinates(data, problems)
    address, address_id = param(data, "address_string"), param(data, "address_id")
    if lat is None and not address and not address_id and not problems:
        problems.append(_("Send a location: lat and long, address_string or address_id."))
    description = param(data, "description")
    if len(description) > MAX_DESCRIPTION:
        problems.append(_("The description is longer than %(n)d characters.") % {"n": MAX_DESCRIPTION})
    media_urls = _media_urls(data, problems)
    if problems:
        raise Refusal(400, *problems)
    sent = _compact({
        "device_id": param(data, "device_id", "deviceid"), "account_id": param(data, "account_id"),
        "address_id": address_id, "media_url": media_urls, "attributes": attributes(data),
    })
    return Report(
        channel=key.channel.code, category=category,
        # The spec makes the description optional; the ledger needs one, so it is the service and place.
        description=description or " ".join(filter(None, [category.name, address or address_id])),
        address=address, latitude=lat, longitude=long,
        reporter_name=_name(param(data, "first_name"), param(data, "last_name")),
        reporter_phone=param(data, "phone"), reporter_email=param(data, "email"),
        files=[(f, f.name) for f in files.getlist("media")],
        source={"api_key": key.name, "open311": sent},
    )

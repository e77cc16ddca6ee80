"""Open311 answers in both formats, from one plain structure.

A view returns a root name and a body (a list of dicts, or one dict). In XML the root and every
list become elements, each item named after its list (`services` → `service`); in JSON the root
is dropped and lists are bare arrays. Booleans are `true`/`false` in both, datetimes are UTC
`YYYY-MM-DDTHH:MM:SSZ`, None is an empty element in XML and null in JSON.
"""
import json
import re
import xml.etree.ElementTree as ET  # nosec B405 # only writes XML; nothing here parses any
from datetime import UTC, datetime

from django.http import HttpResponse

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}

# The element name of one item of each list.
ITEM = {
    "services": "service", "attributes": "attribute", "values": "value", "service_requests": "request",
    "service_request_updates": "request_update", "errors": "error", "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def stamp(moment):
    """A datetime as Open311 writes it: UTC, whole seconds, Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def _scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return stamp(value)
    return "" if value is None else _NOT_XML.sub("", str(value))


def _element(parent, tag, value):
    node = ET.SubElement(parent, tag)
    _fill(node, tag, value)


def _fill(node, tag, value):
    if isinstance(value, dict):
        for key, item in value.items():
            _element(node, key, item)
    elif isinstance(value, list):
        for item in value:
            _element(node, ITEM[tag], item)
    else:
        node.text = _scalar(value)


def to_xml(root, body):
    node = ET.Element(root)
    _fill(node, root, body)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(node, encoding="unicode").encode("utf-8")


def _json_default(value):
    if isinstance(value, datetime):
        return stamp(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def to_json(body):
    return json.dumps(body, ensure_ascii=False, default=_json_default).encode("utf-8")


def answer(fmt, root, body, status=200):
    content = to_xml(root, body) if fmt == "xml" else to_json(body)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt, status, messages):
    """The Open311 error answer: one {code, description} per message, the code being the status."""
    return answer(fmt, "errors", [{"code": str(status), "description": str(m)} for m in messages], status)

"""When the database cannot be reached, say so: 503 with Retry-After, never a 500.

PostgreSQL restarting (a fail-over, an upgrade, `pg_ctl restart`) breaks the connections of every
app server at once. Whatever was running then fails with django.db's OperationalError or
InterfaceError, anywhere: in a view, in the API, or in a middleware that reads the session or the
idempotency records. Django turns an exception raised in any of those places into a 500 on the spot,
so this middleware cannot catch them as exceptions: a receiver of `got_request_exception` marks the
request instead, and the middleware, outside all those layers, replaces that request's 500 by the
503 a client knows to retry. The API answers in its JSON error format (duban/api/errors.py sends its
own exceptions here), Open311 in its own, pages with a short page in Chinese and English.

The broken connection is not reused: Django closes a connection that had an error and no longer
answers when the request finishes (`close_if_unusable_or_obsolete`), and a kept connection is checked
before its next request (CONN_HEALTH_CHECKS), so the app serves again as soon as the database is
back, without a restart.
"""
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

UNREACHABLE = (OperationalError, InterfaceError)
MARK = "_duban_database_unreachable"


def message():
    return _("The service is briefly unavailable: the database cannot be reached. Please try again shortly.")


def _page():
    """Both languages, whatever the request asked for: the language switch may not have run."""
    texts = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts[language] = (_("Service unavailable"), message())
    (zh_title, zh_text), (en_title, en_text) = texts["zh-hans"], texts["en"]
    html = format_html('<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>{} · {}</title>'
                       '<h1>{}</h1><p>{}</p><p lang="en">{}</p></html>', zh_title, en_title, zh_title, zh_text,
                       en_text)
    return HttpResponse(html, status=503, content_type="text/html; charset=utf-8")


def answer(request):
    """The 503 for this request, in the format of the interface it called, with Retry-After."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message()}, status=503, json_dumps_params={"ensure_ascii": False})
    elif request.path.startswith("/open311/"):
        response = _open311_answer(request)
    else:
        response = _page()
    response["Retry-After"] = str(settings.UNAVAILABLE_RETRY_SECONDS)
    return response


def _open311_answer(request):
    """Open311's error format, as the URL names it (.json or .xml), in English unless the caller asks."""
    from duban.open311 import render
    from duban.open311.views import _language

    with _language(request):
        return render.errors("xml" if request.path.endswith(".xml") else "json", 503, [message()])


def _mark(sender, request=None, **kwargs):
    """Called by Django while it handles an uncaught exception: remember that it was the database's."""
    if request is not None and isinstance(sys.exc_info()[1], UNREACHABLE):
        setattr(request, MARK, True)


got_request_exception.connect(_mark, dispatch_uid="duban.web.unavailable")


class UnavailableMiddleware:
    """Placed before the session middleware: a 500 caused by an unreachable database becomes a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, MARK, False):
            return answer(request)
        return response

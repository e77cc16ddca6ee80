"""Answers given before any view runs: the database unreachable (503 with Retry-After, never a 500),
and an address no database could look up (400; UnstorableMiddleware at the end).

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
from django.utils.translation import gettext_lazy

from duban.lib.text import storable

UNREACHABLE = (OperationalError, InterfaceError)
MARK = "_duban_database_unreachable"

UNSTORABLE = gettext_lazy("The address holds characters that cannot be stored (NUL, or broken Unicode).")
MESSAGE = gettext_lazy("The service is briefly unavailable: the database cannot be reached. "
                       "Please try again shortly.")


def _page(status, title, text):
    """Both languages, whatever the request asked for: the language switch may not have run."""
    texts = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts[language] = (str(title), str(text))
    (zh_title, zh_text), (en_title, en_text) = texts["zh-hans"], texts["en"]
    html = format_html('<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>{} · {}</title>'
                       '<h1>{}</h1><p>{}</p><p lang="en">{}</p></html>', zh_title, en_title, zh_title, zh_text,
                       en_text)
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def refusal(request, status, title, text):
    """An answer that reaches no view and no template, in the format of the interface the request
    called: the API's JSON, Open311's error list, or a short page in both languages. `title` and `text`
    are lazy translations."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(text)}, status=status, json_dumps_params={"ensure_ascii": False})
    if request.path.startswith("/open311/"):
        return _open311_answer(request, status, text)
    return _page(status, title, text)


def answer(request):
    """The 503 for this request, in the format of the interface it called, with Retry-After."""
    response = refusal(request, 503, gettext_lazy("Service unavailable"), MESSAGE)
    response["Retry-After"] = str(settings.UNAVAILABLE_RETRY_SECONDS)
    return response


def _open311_answer(request, status, text):
    """Open311's error format, as the URL names it (.json or .xml), in English unless the caller asks."""
    from duban.open311 import render
    from duban.open311.views import _language

    with _language(request):
        return render.errors("xml" if request.path.endswith(".xml") else "json", status, [str(text)])


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


class UnstorableMiddleware:
    """An address or query string holding a NUL or broken Unicode is refused with 400 before any view
    looks it up: PostgreSQL's text cannot hold a NUL, and the lookup would fail as a 500. (Forms refuse
    NUL themselves, Django's CharField has the validator; the API's parser refuses it in bodies.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if storable(request.path) and storable(list(request.GET.lists())):
            return self.get_response(request)
        return refusal(request, 400, gettext_lazy("Bad request"), UNSTORABLE)

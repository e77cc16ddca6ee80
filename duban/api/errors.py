"""Every error the API answers is JSON: {"detail": "…", "errors": {"field": ["…"]}}, in the
caller's language (Accept-Language; Simplified Chinese by default)."""
import functools

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from duban.intake.idempotency import KeyReused
from duban.web import unavailable


def _message(error):
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("string_too_long", "too_long"):
        return _("Too long: at most %(n)s characters.") % {"n": ctx.get("max_length", "?")}
    if kind in ("string_too_short", "too_short"):
        return _("Too short: at least %(n)s characters.") % {"n": ctx.get("min_length", "?")}
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _("Out of range.")
    if kind.startswith("datetime") or kind.startswith("date"):
        return _("Not a valid date and time (ISO 8601, e.g. 2026-03-01T09:30:00+08:00).")
    if kind.startswith("int") or kind.startswith("float"):
        return _("Not a valid number.")
    return _("Not a valid value.")


SOURCES = ("body", "query", "path", "form", "file", "header", "cookie")


def _field(location):
    """("body", "data", "latitude") → "latitude": the source and the view's parameter name go."""
    names = [str(part) for part in location]
    if names and names[0] in SOURCES:
        names = names[2:] if len(names) > 2 else names[1:]
    return ".".join(names) or "__all__"


def field_errors(errors):
    fields = {}
    for error in errors:
        fields.setdefault(_field(error.get("loc", ())), []).append(_message(error))
    return fields


def install(api):
    def answer(request, status, detail, errors=None):
        body = {"detail": str(detail)}
        if errors:
            body["errors"] = errors
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc):
        return answer(request, 422, _("The request has errors; see each field."), field_errors(exc.errors))

    @api.exception_handler(DjangoValidationError)
    def refused(request, exc):
        if hasattr(exc, "error_dict"):
            return answer(request, 422, _("The request has errors; see each field."),
                          {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()})
        return answer(request, 400, " ".join(exc.messages))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return answer(request, 401, _("Send an API key (Authorization: Bearer …) or sign in."))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400 and str(exc.message).startswith("Cannot parse request body"):
            if isinstance(exc.__cause__, DjangoValidationError):  # the parser read it, and refused what it held
                return refused(request, exc.__cause__)
            return answer(request, 400, _("The body must be JSON (Content-Type: application/json)."))
        return answer(request, exc.status_code, exc.message)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return answer(request, 413, _("The request is too large: at most %(n)s bytes.")
                      % {"n": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return answer(request, 404, _("Not found, or not yours to see."))

    @api.exception_handler(KeyReused)
    def key_reused(request, exc):
        return answer(request, 422, _("This Idempotency-Key was used for a different request."))

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unreachable(request, exc):
        """The database is down or restarting: 503 with Retry-After, as every other path answers it."""
        return unavailable.answer(request)


def json_not_allowed(api, patterns):
    """The API's URL patterns, with ninja's plain-text 405 answered in the documented JSON format."""
    def wrap(view):
        @functools.wraps(view)
        def answered(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
                return response
            body = {"detail": _("Method %(method)s is not allowed here; use %(allowed)s.")
                    % {"method": request.method, "allowed": response.get("Allow", "")}}
            refused = api.create_response(request, body, status=405)
            refused["Allow"] = response.get("Allow", "")
            return refused
        return answered

    return [URLPattern(p.pattern, wrap(p.callback), p.default_args, p.name) if isinstance(p, URLPattern) else p
            for p in patterns]

"""Idempotency-Key on every POST of the machine interfaces (/api/, /open311/).

The caller is named by the credential it presents — an API key (header, or Open311's `api_key`
parameter) or the signed-in person — so the same key from two callers are two requests. The view
runs inside `idempotency.once`, so a retry gets the first answer, marked `Idempotent-Replayed`.
"""
import hashlib

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from duban.intake.idempotency import HEADER, Answer, KeyReused, fingerprint, once


def _presented_key(request):
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return (request.headers.get("X-Api-Key") or request.GET.get("api_key") or request.POST.get("api_key") or "").strip()


def caller_scope(request):
    raw = _presented_key(request)
    if raw:
        return "key:" + hashlib.sha256(raw.encode()).hexdigest()[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def request_print(request):
    if request.content_type == "multipart/form-data":
        files = sorted((name, f.name, f.size) for name, f in request.FILES.items())
        return fingerprint(request.get_full_path(), sorted(request.POST.lists()), files)
    return fingerprint(request.get_full_path(), request.content_type, request.body)


def _answer(response):
    return Answer(response.status_code, response.content, response.get("Content-Type", "application/json"))


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER, "").strip()
        if request.method != "POST" or not key or not request.path.startswith(tuple(settings.IDEMPOTENT_PATHS)):
            return self.get_response(request)
        scope = caller_scope(request)
        if scope is None:
            return self.get_response(request)
        try:
            printed = request_print(request)
        except (RequestDataTooBig, TooManyFieldsSent):
            return self.get_response(request)  # nothing to remember: the view refuses it in its own format
        try:
            answer = once(scope, key, printed, lambda: _answer(self.get_response(request)))
        except KeyReused:
            return JsonResponse({"detail": _("This Idempotency-Key was used for a different request.")}, status=422)
        response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
        if answer.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

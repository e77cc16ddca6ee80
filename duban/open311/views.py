"""Open311 GeoReport v2 at /open311/v2/, with mySociety's servicerequestupdates for FixMyStreet.

Services are the active categories (service_code = the category's id, group = its parent's name).
They define no attributes, so `metadata` is false and a service definition has none; attributes
sent anyway (`attribute[CODE]`, `attribute[CODE][]`) are kept with the request in its receipt.

Every service is realtime: a POST goes through `take_in` at once and answers with the ticket's
number as `service_request_id`, never a token, so no token table is kept. `tokens/{token}` still
answers for clients that ask: the token of a request is its number.

Reading is public and needs no key; only POST needs an `api_key` (body or query string), and acts
as that key's service account on its channel. What the public sees is decided in `present`.
Errors are in English, as clients expect, unless the caller sends Accept-Language.
"""
from contextlib import nullcontext
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from duban.intake import keys
from duban.intake.service import take_in
from duban.ledger.machine import TERMINAL_STATES
from duban.ledger.models import State
from duban.open311 import present, render
from duban.open311.inputs import Refusal, number, param, report, split, window
from duban.web import throttle

# When this interface last changed, as discovery reports it.
CHANGESET = "2025-11-24T00:00:00Z"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
LIST_MAX = 1000
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Ticket fields named as the Open311 parameters they came from, in error messages.
PARAMETERS = {"reporter_email": "email", "reporter_phone": "phone", "reporter_name": "first_name",
              "address": "address_string", "latitude": "lat", "longitude": "long", "category": "service_code"}


def _language(request):
    """English unless the caller asks for a language (Django would answer in Chinese by default)."""
    return nullcontext() if request.headers.get("Accept-Language") else translation.override("en")


def _messages(error):
    if hasattr(error, "error_dict"):
        return [f"{PARAMETERS.get(field, field)}: {message}" if field != "__all__" else message
                for field, messages in error.message_dict.items() for message in messages]
    return error.messages


def _check_jurisdiction(request):
    given = param(request.POST, "jurisdiction_id") or param(request.GET, "jurisdiction_id")
    if given and given != getattr(settings, "OPEN311_JURISDICTION", "duban"):
        raise Refusal(404, _("Jurisdiction %(id)s not found.") % {"id": given})


def endpoint(*methods):
    """An Open311 view: its format from the URL, no CSRF, errors answered in the Open311 format."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def run(request, fmt, **kwargs):
            with _language(request):
                if request.method not in allowed:
                    response = render.errors(fmt, 405, [_("Method %(method)s is not allowed here.")
                                                        % {"method": request.method}])
                    response["Allow"] = ", ".join(sorted(allowed))
                    return response
                try:
                    _check_jurisdiction(request)
                    return view(request, fmt, **kwargs)
                except Refusal as refusal:
                    return render.errors(fmt, refusal.status, refusal.messages)
                except ValidationError as error:
                    return render.errors(fmt, 400, _messages(error))
                except (RequestDataTooBig, TooManyFieldsSent):
                    return render.errors(fmt, 400, [_("The request is too large.")])
                except MultiPartParserError:
                    return render.errors(fmt, 400, [_("The body is not a readable form.")])
        return run
    return decorate


def _category(code):
    if not code:
        raise Refusal(400, _("Service Code cannot be null -- can't proceed with the request."))
    pk = number(code)
    category = present.active_categories().filter(pk=pk).first() if pk is not None else None
    if category is None:
        raise Refusal(404, _("Service Code %(code)s not found.") % {"code": code})
    return category


@endpoint("GET")
def discovery(request, fmt):
    url = request.build_absolute_uri(request.path.rsplit("/", 1)[0] + "/")
    return render.answer(fmt, "discovery", {
        "changeset": CHANGESET, "contact": getattr(settings, "OPEN311_CONTACT", settings.DEFAULT_FROM_EMAIL),
        "key_service": getattr(settings, "OPEN311_KEY_SERVICE", "")
        or _("API keys for posting requests are issued by the city's hotline centre."),
        "endpoints": [{"specification": SPECIFICATION, "url": url, "changeset": CHANGESET, "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    })


@endpoint("GET")
def services(request, fmt):
    names = present.category_names()
    return render.answer(fmt, "services", [present.service(c, names) for c in present.active_categories()])


@endpoint("GET")
def service_definition(request, fmt, code):
    return render.answer(fmt, "service_definition", present.service_definition(_category(code)))


@endpoint("GET", "POST")
def requests(request, fmt):
    return create(request, fmt) if request.method == "POST" else listing(request, fmt)


def create(request, fmt):
    if not throttle.allow(request, "open311", settings.OPEN311_POSTS_PER_HOUR):
        raise Refusal(429, _("Too many requests from this address. Please try again in an hour."))
    if request.content_type not in FORM_TYPES:
        raise Refusal(400, _("The body must be application/x-www-form-urlencoded or multipart/form-data."))
    key = keys.authenticate(param(request.POST, "api_key") or param(request.GET, "api_key"))
    if key is None:
        raise Refusal(403, _("Invalid api_key received -- can't proceed with create_request."))
    category = _category(param(request.POST, "service_code"))
    outcome = take_in(report(request.POST, request.FILES, category, key), actor=key.person)
    ticket = outcome.ticket
    notice = (_("Sent to %(unit)s.") % {"unit": ticket.lead_unit.name} if outcome.dispatched
              else outcome.why_not_dispatched)
    return render.answer(fmt, "service_requests", [{
        "service_request_id": ticket.number, "service_notice": notice,
        "account_id": param(request.POST, "account_id") or None}])


def _by_status(tickets, statuses):
    unknown = [s for s in statuses if s not in ("open", "closed")]
    if unknown:
        raise Refusal(400, _("status must be open or closed, not %(value)s.") % {"value": ", ".join(unknown)})
    if set(statuses) == {"open"}:
        return tickets.exclude(state__in=TERMINAL_STATES)
    if set(statuses) == {"closed"}:
        return tickets.filter(state__in=TERMINAL_STATES)
    return tickets


def listing(request, fmt):
    query = request.GET
    numbers = split(param(query, "service_request_id"))
    tickets = present.public_tickets()
    if numbers:  # overrides every other filter; no more can be answered than LIST_MAX
        tickets = tickets.filter(number__in=numbers[:LIST_MAX])
    else:
        tickets = _by_status(tickets.exclude(state=State.MERGED), split(param(query, "status")))
        codes = split(param(query, "service_code"))
        if codes:
            tickets = tickets.filter(category_id__in=[pk for pk in map(number, codes[:LIST_MAX]) if pk is not None])
        start, end = window(query)
        tickets = tickets.filter(created_at__gte=start)
        if end is not None:
            tickets = tickets.filter(created_at__lte=end)
    tickets = tickets.order_by("-created_at", "-pk")[:LIST_MAX]
    return render.answer(fmt, "service_requests", present.requests(tickets))


@endpoint("GET")
def request_detail(request, fmt, number):
    ticket = present.public_tickets().filter(number=number).first()
    if ticket is None:
        raise Refusal(404, _("Service request %(id)s not found.") % {"id": number})
    return render.answer(fmt, "service_requests", present.requests([ticket]))


@endpoint("GET")
def token(request, fmt, token):
    # Requests are answered at once, so a token is nothing but the request's number.
    if not present.public_tickets().filter(number=token).exists():
        raise Refusal(404, _("Token %(token)s not found.") % {"token": token})
    return render.answer(fmt, "service_requests", [{"service_request_id": token, "token": token}])


@endpoint("GET")
def updates(request, fmt):
    start, end = window(request.GET)
    events = present.public_events().filter(at__gte=start)
    if end is not None:
        events = events.filter(at__lte=end)
    latest = list(events.order_by("-at", "-pk")[:LIST_MAX])
    return render.answer(fmt, "service_request_updates", [present.update(e) for e in reversed(latest)])


@csrf_exempt
def not_found(request, path=""):
    """Anything else under the prefix, an unknown format included: 404, in JSON if it asked for it."""
    fmt = "json" if path.endswith(".json") else "xml"
    with _language(request):
        return render.errors(fmt, 404, [_("Not found.")])

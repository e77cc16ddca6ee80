"""The citizen's pages, without logging in: report a matter, follow it, rate it.

Following needs the ticket number and the last four digits of the phone given with the report;
a number proved once is remembered in the session. What is shown is the public steps only.
"""
import hmac
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from duban.intake.service import Report, take_in
from duban.ledger.access import conceal
from duban.ledger.machine import allowed_actions
from duban.ledger.models import Ticket
from duban.verdict import service as verdicts
from duban.web import pickers
from duban.web.forms import RateForm, ReportForm, TrackForm
from duban.web.throttle import limited
from duban.web.timeline import public_steps
from duban.web.views.common import error_text, form_errors

TRACKED_MAX = 20  # numbers one session remembers


@limited("report", "PUBLIC_REPORTS_PER_HOUR")
def report(request):
    categories = pickers.categories()
    form = ReportForm(request.POST or None, pickers={"categories": categories}, auto_id="report-%s")
    photos = request.FILES.getlist("photos")
    if request.method == "POST" and form.is_valid():
        if len(photos) > settings.PUBLIC_PHOTOS_MAX:
            form.add_error(None, _("At most %(count)d photos.") % {"count": settings.PUBLIC_PHOTOS_MAX})
        else:
            try:
                outcome = take_in(Report(channel="web", files=[(f, f.name) for f in photos], **form.cleaned_data))
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                _remember(request, outcome.ticket.number)
                request.session["reported"] = outcome.ticket.number
                return redirect("web:reported")
    return render(request, "web/public/report.html", {"form": form, "categories": categories.labels,
                                                      "photos_max": settings.PUBLIC_PHOTOS_MAX})


def reported(request):
    number = request.session.get("reported")
    if not number:
        return redirect("web:report")
    return render(request, "web/public/reported.html", {"number": number})


def _remember(request, number):
    tracked = [n for n in request.session.get("tracked", []) if n != number]
    request.session["tracked"] = (tracked + [number])[-TRACKED_MAX:]


def _phone_ends_with(phone, last4):
    digits = re.sub(r"\D", "", phone or "")
    return len(digits) >= 4 and hmac.compare_digest(digits[-4:], last4)


@limited("track", "PUBLIC_LOOKUPS_PER_HOUR")
def track(request):
    form = TrackForm(request.POST or None, auto_id="track-%s")
    if request.method == "POST" and form.is_valid():
        number, last4 = form.cleaned_data["number"], form.cleaned_data["last4"]
        ticket = Ticket.objects.filter(number=number).only("number", "reporter_phone").first()
        if ticket is not None and _phone_ends_with(ticket.reporter_phone, last4):
            _remember(request, number)
            return redirect("web:followed", number=number)
        form.add_error(None, _("No matter has this number and phone. Check both and try again."))
    return render(request, "web/public/track.html", {"form": form})


def _followed_ticket(request, number):
    if number not in request.session.get("tracked", []):
        return None
    return get_object_or_404(Ticket.objects.select_related("category"), number=number)


def followed(request, number):
    ticket = _followed_ticket(request, number)
    if ticket is None:
        return redirect("web:track")
    steps = public_steps(ticket.events.order_by("seq"))
    for step in steps:  # a public page: the reporter's name and phone stay out of the unit's reply
        step.reply = conceal(step.reply, ticket.reporter_name)
    may_rate = any(t.action == "rate" for t in allowed_actions(None, ticket))
    return render(request, "web/public/followed.html", {
        "ticket": ticket, "title": conceal(ticket.title, ticket.reporter_name), "steps": steps,
        "rate_form": RateForm(auto_id="rate-%s") if may_rate else None})


@require_POST
def rate(request, number):
    ticket = _followed_ticket(request, number)
    if ticket is None:
        return redirect("web:track")
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("web:followed", number=number)
    try:
        verdicts.rate(ticket, None, rating=form.cleaned_data["rating"], solved=form.cleaned_data["solved"],
                      contacted=form.cleaned_data["contacted"], note=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Thank you: your rating is on record."))
    return redirect("web:followed", number=number)


@never_cache
def language(request, code):
    """Switch the language by a plain link: the pages offer links, not a form, so that the public pages
    shared caches keep carry no CSRF token. Like Django's set_language, it only sets the language cookie."""
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    response = redirect(back)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response

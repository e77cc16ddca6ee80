"""The REST API: /api/v1/ with its OpenAPI document at /api/v1/openapi.json and docs at /api/v1/docs.

Django Ninja: typed request schemas, an OpenAPI 3 document generated from the same code, plain
function views, and it runs inside Django (sessions, permissions, middleware) instead of beside it.
Every view calls the same domain functions as the pages and the CLI: take_in and perform.
"""
import tempfile

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, File, Form, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.parser import Parser

from duban.api import errors, present
from duban.api.auth import CALLERS
from duban.api.schemas import MAX_ID, ActionIn, Id, MessageIn, RatingIn, TicketIn
from duban.catalogue.models import Category, Channel
from duban.intake import sheets
from duban.intake.service import IntakeError, Report, take_in
from duban.ledger import export
from duban.ledger.access import is_admin, visible_matches, visible_tickets
from duban.ledger.machine import OVERSEEING, TRANSITIONS, VERDICT_ACTIONS, perform
from duban.ledger.models import Attachment, Ticket
from duban.lib.text import normalise, storable
from duban.org.models import Unit
from duban.verdict import service as verdicts

PAGE_MAX = 200
MAX_OFFSET = 10**12  # far beyond any ledger, and far below the databases' 2⁶³−1


class JsonOnly(Parser):
    """A body must be JSON: XML or a form where JSON was promised is refused, not guessed at. Text that
    cannot be stored (a NUL, a lone surrogate) is refused here, in the body, the form fields and the
    query alike, before any of it reaches the database."""

    def parse_body(self, request):
        if request.content_type != "application/json":
            raise ValueError("not JSON")
        return _storable(super().parse_body(request))

    def parse_querydict(self, data, list_fields, request):
        return _storable(super().parse_querydict(data, list_fields, request))


def _storable(data):
    if not storable(data):
        raise ValidationError(_("The request holds characters that cannot be stored (NUL, or broken Unicode)."))
    return data


class DubanAPI(NinjaAPI):
    """Ninja, with its plain-text 405 answered in the documented error format like every other error."""

    def _get_urls(self):
        return errors.json_not_allowed(self, super()._get_urls())


api = DubanAPI(title="duban API", version="1", description=__doc__, auth=CALLERS, parser=JsonOnly(),
               urls_namespace="api")
errors.install(api)


def _actor(request):
    return request.auth


def _channel(request):
    key = getattr(request, "api_key", None)
    return key.channel if key is not None else "web"


def _visible(request):
    return visible_tickets(_actor(request)).select_related("category", "channel", "area", "lead_unit", "merged_into")


def _get(request, number):
    return get_object_or_404(_visible(request), number=number)


def _by_id(model, pk, field):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise IntakeError({field: _("No such %(what)s: %(id)s.") % {"what": model._meta.verbose_name, "id": pk}})
    return found


def _outcome(request, outcome):
    body = present.ticket(outcome.ticket, _actor(request), full=True)
    body.update({"dispatched": outcome.dispatched, "why_not_dispatched": outcome.why_not_dispatched,
                 "possible_duplicates": [present.match(m)
                                         for m in visible_matches(_actor(request), outcome.duplicates)],
                 "suggestion": present.suggestion(outcome.suggestion)})
    return body


# --- tickets ----------------------------------------------------------------------------------

@api.post("/tickets", response={201: dict}, tags=["tickets"], summary="File a matter (受理)")
def create_ticket(request, data: TicketIn):
    report = Report(channel=_channel(request), **data.dict(exclude={"category", "area", "dispatch"}),
                    category=_by_id(Category, data.category, "category"), area=_by_id(Unit, data.area, "area"),
                    source={"api_key": request.api_key.name} if getattr(request, "api_key", None) else {})
    outcome = take_in(report, actor=_actor(request), dispatch=data.dispatch)
    return 201, _outcome(request, outcome)


class TicketFilter(Schema):
    q: str = ""
    state: list[str] = []
    kind: str = ""
    category: Id | None = None
    unit: Id | None = None
    area: Id | None = None
    channel: str = ""
    since: str = ""
    until: str = ""
    overdue: bool | None = None
    limit: int = 50
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _moment(value, field):
    if not value:
        return None
    moment = parse_datetime(value) if "T" in value else parse_datetime(value + "T00:00:00+08:00")
    if moment is None:
        raise IntakeError({field: _("Not a valid date and time (ISO 8601, e.g. 2026-03-01T09:30:00+08:00).")})
    return moment


def filtered(queryset, f):
    if f.q:
        text = normalise(f.q)
        queryset = queryset.filter(Q(number=text) | Q(title__icontains=text) | Q(description__icontains=text)
                                   | Q(address__icontains=text))
    if f.state:
        queryset = queryset.filter(state__in=f.state)
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.category is not None:
        category = _by_id(Category, f.category, "category")
        queryset = queryset.filter(category__path__startswith=category.path)
    if f.unit is not None:
        queryset = queryset.filter(lead_unit_id=f.unit)
    if f.area is not None:
        area = _by_id(Unit, f.area, "area")
        queryset = queryset.filter(area__path__startswith=area.path)
    if f.channel:
        queryset = queryset.filter(channel__code=f.channel)
    if since := _moment(f.since, "since"):
        queryset = queryset.filter(created_at__gte=since)
    if until := _moment(f.until, "until"):
        queryset = queryset.filter(created_at__lt=until)
    if f.overdue is not None:
        late = Q(resolved_at__isnull=True, resolve_due_at__lt=timezone.now()) | Q(resolve_on_time=False)
        queryset = queryset.filter(late) if f.overdue else queryset.exclude(late)
    return queryset


@api.get("/tickets", response=dict, tags=["tickets"], summary="List and search the tickets you may see")
def list_tickets(request, f: Query[TicketFilter]):
    limit, offset = max(1, min(f.limit, PAGE_MAX)), max(0, f.offset)
    queryset = filtered(_visible(request), f).order_by("-created_at", "-pk")
    page = list(queryset[offset:offset + limit + 1])
    viewer = _actor(request)
    return {"results": [present.ticket(t, viewer) for t in page[:limit]], "offset": offset, "limit": limit,
            "more": len(page) > limit}


@api.get("/tickets/{number}", response=dict, tags=["tickets"], summary="One ticket")
def get_ticket(request, number: str):
    return present.ticket(_get(request, number), _actor(request), full=True)


@api.get("/tickets/{number}/events", response=list[dict], tags=["tickets"], summary="The ticket's history")
def ticket_events(request, number: str):
    return [present.event(e) for e in _get(request, number).events.select_related("actor").order_by("seq")]


@api.post("/tickets/{number}/actions/{action}", response=dict, tags=["tickets"],
          summary="Move the ticket: dispatch, acknowledge, return, resolve, verify, close …")
def act(request, number: str, action: str, data: ActionIn):
    if action not in TRANSITIONS:
        raise IntakeError({"action": _("Unknown action %(action)s.") % {"action": action}})
    ticket = _get(request, number)
    target = get_object_or_404(_visible(request), number=data.target) if data.target else None
    if action in VERDICT_ACTIONS:
        raise IntakeError({"action": _("Ratings are recorded with POST /tickets/{number}/rating.")})
    perform(ticket, action, _actor(request), text=data.text, reason=data.reason,
            unit=_by_id(Unit, data.unit, "unit"), co_units=[_by_id(Unit, pk, "co_units") for pk in data.co_units],
            decline_reason=data.decline_reason, target=target, days=data.days, due=data.due, grounds=data.grounds)
    return present.ticket(_get(request, number), _actor(request), full=True)


@api.post("/tickets/{number}/rating", response={201: dict}, tags=["tickets"],
          summary="Record the reporter's rating of a closed matter (好差评)")
def rate(request, number: str, data: RatingIn):
    """A bad rating opens a rectification for the rated unit; "not solved" reopens the matter."""
    ticket = _get(request, number)
    event = verdicts.rate(ticket, _actor(request), rating=data.rating, solved=data.solved, contacted=data.contacted,
                          note=data.note, via="api")
    return 201, present.event(event)


@api.post("/tickets/{number}/attachments", response={201: dict}, tags=["tickets"],
          summary="Add files to a ticket (a note with attachments)")
def add_attachments(request, number: str, text: str = "", files: list[UploadedFile] = File(...)):
    ticket = _get(request, number)
    perform(ticket, "note", _actor(request), text=text or _("Files added."), files=[(f, f.name) for f in files])
    return 201, present.ticket(_get(request, number), _actor(request), full=True)


@api.get("/tickets/{number}/attachments/{pk}", tags=["tickets"], summary="Download an attachment")
def get_attachment(request, number: str, pk: int = Path(..., ge=1, le=MAX_ID)):
    attachment = get_object_or_404(Attachment, pk=pk, ticket=_get(request, number))
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type, as_attachment=True,
                        filename=attachment.name)


# --- ledgers in and out ------------------------------------------------------------------------

@api.get("/tickets.{fmt}", tags=["ledgers"], summary="Export the tickets you may see, filtered as the list (CSV or .xlsx)")
def export_tickets(request, fmt: str, f: Query[TicketFilter]):
    queryset = filtered(Ticket.objects.all(), f).order_by("created_at", "pk")
    viewer = _actor(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse((line.encode("utf-8") for line in export.csv_lines(queryset, viewer=viewer)),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.csv"'
        return response
    if fmt != "xlsx":
        raise Http404
    # openpyxl streams rows to a temporary file (constant memory); the file is then streamed out.
    spool = tempfile.TemporaryFile()
    export.write_xlsx(queryset, spool, viewer)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"ledger-{stamp}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@api.post("/imports", response={200: dict, 201: dict}, tags=["ledgers"],
          summary="Import a ledger workbook (问题整改台账): a preview, or with accept=true, every good row")
def import_ledger(request, file: UploadedFile = File(...), accept: bool = Form(False)):
    viewer = _actor(request)
    if not (is_admin(viewer) or viewer.role in OVERSEEING):
        raise HttpError(403, _("Only the hotline centre and the supervision office import ledgers."))
    try:
        preview = sheets.read(file, file.name)
    except sheets.UnreadableFile as error:
        raise IntakeError({"file": [str(error)]}) from None
    if not accept or not preview.rows:
        return 200, preview.as_dict(written=False)
    try:
        written = sheets.write(preview, viewer)
    except sheets.ImportFailed as failure:
        body = preview.as_dict(written=False)
        body["errors"].append(failure.error.as_dict())
        return 200, body
    body = preview.as_dict(written=True)
    body["warnings"] += [w.as_dict() for w in written.warnings]
    body["tickets"] = [t.number for t in written.tickets]
    return 201, body


# --- messages from group chats ----------------------------------------------------------------

@api.post("/messages", response={201: dict, 200: dict}, tags=["intake"],
          summary="A message from a group chat (微信服务群) becomes a ticket, answered with its number")
def message(request, data: MessageIn):
    key = getattr(request, "api_key", None)
    channel = key.channel.code if key is not None and key.channel.code != "open311" else "wechat"
    if data.message_id:
        seen = Ticket.objects.filter(channel__code=channel, events__seq=1,
                                     events__payload__source__message_id=data.message_id).first()
        if seen is not None:
            return 200, {"number": seen.number, "reply": _reply(seen)}
    report = Report(channel=channel, description=data.text, reporter_name=data.sender, reporter_phone=data.phone,
                    source={"group": data.group, "message_id": data.message_id,
                            "sent_at": data.sent_at.isoformat() if data.sent_at else ""},
                    at=None)
    outcome = take_in(report, actor=_actor(request))
    return 201, {"number": outcome.ticket.number, "reply": _reply(outcome.ticket)}


def _reply(ticket):
    return _("Received. Your ticket number is %(number)s; you will hear back from %(unit)s.") % {
        "number": ticket.number, "unit": ticket.lead_unit.name if ticket.lead_unit_id else _("the hotline centre")}


# --- the catalogue ----------------------------------------------------------------------------

@api.get("/categories", response=list[dict], tags=["catalogue"], summary="Categories (分类)")
def categories(request):
    return [{"id": c.pk, "name": c.name, "full_name": c.full_name(), "parent": c.parent_id,
             "default_kind": c.default_kind} for c in Category.objects.filter(active=True).order_by("path")]


@api.get("/units", response=list[dict], tags=["catalogue"], summary="Units (单位)")
def units(request):
    return [{"id": u.pk, "name": u.name, "tier": u.tier, "parent": u.parent_id, "aliases": u.aliases}
            for u in Unit.objects.order_by("path")]


@api.get("/channels", response=list[dict], tags=["catalogue"], summary="Channels (渠道)")
def channels(request):
    return [{"code": c.code, "name": c.name} for c in Channel.objects.all()]

"""The rules of enterprise service, shared by the pages, the demo and the admin.

- A firm's cadre is the person of its active Stewardship of kind "enterprise" named after it;
  assigning another ends the one before (the day before, or withdrawn when it began today).
- Supervisors, leaders and admins see the whole register; anyone else sees the firms they are
  the cadre of and the firms whose requests their unit holds (the tickets they can see).
- The contact person and phone are shown to the cadre, supervisors and admins; masked for others.
- A supervisor manages (registers, assigns cadres to) the firms of the districts in their scope.
- A request is a ticket of kind help, channel 政企直通车, subject the firm's name, area its district,
  reporter its contact, due in ENTERPRISE_REQUEST_WORKDAYS working days, dispatched to the unit the
  recorder chose or else by the dispatch catalogue.
"""
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duban.catalogue.dispatch import choose_units
from duban.catalogue.models import Channel, RequestKind
from duban.clock.calendar import work_calendar
from duban.enterprises.credit import clean_credit_code
from duban.enterprises.models import Enterprise, EnterpriseRequest, Visit
from duban.ledger.access import is_admin, visible_tickets
from duban.ledger.machine import open_for
from duban.lib.mask import mask_name, mask_phone
from duban.lib.workdays import CalendarRangeError
from duban.org.models import Person, Stewardship, Unit

Role = Person.Role
CHANNEL = ("enterprise", "政企直通车")
SEES_ALL = frozenset({Role.SUPERVISOR, Role.LEADER})
# The tiers a firm may be registered under: an area government, or a street or town in one.
DISTRICT_TIERS = (*Unit.AREA_GOVERNMENTS, Unit.Tier.STREET, Unit.Tier.TOWN)
MAX_REQUESTS_PER_VISIT = 3


def request_workdays():
    return getattr(settings, "ENTERPRISE_REQUEST_WORKDAYS", 3)


def channel():
    return Channel.objects.get_or_create(code=CHANNEL[0], defaults={"name": CHANNEL[1]})[0]


# --- cadres ---------------------------------------------------------------------------------

def charges(names, on=None):
    """{firm name: its active enterprise Stewardship} for these names (the latest begun, if several)."""
    found = {}
    rows = (Stewardship.objects.active(on).filter(kind=Stewardship.Kind.ENTERPRISE, subject__in=list(names))
            .select_related("person__unit").order_by("starts_on", "pk"))
    for charge in rows:
        found[charge.subject] = charge
    return found


def cadre_of(enterprise):
    charge = charges([enterprise.name]).get(enterprise.name)
    return charge.person if charge else None


def is_cadre(person, enterprise):
    return (person.is_authenticated and Stewardship.objects.active()
            .filter(kind=Stewardship.Kind.ENTERPRISE, subject=enterprise.name, person=person).exists())


def cadre_history(enterprise):
    """Every stewardship of the firm, the latest first."""
    return list(Stewardship.objects.filter(kind=Stewardship.Kind.ENTERPRISE, subject=enterprise.name)
                .select_related("person__unit").order_by("-starts_on", "-pk"))


def assign_cadre(enterprise, person, *, note="", on=None):
    """Make `person` the firm's cadre from `on` (today); the cadre before stops the day before.

    A charge that began on `on` itself is withdrawn (a same-day correction), so that nobody but the
    new cadre holds the firm from that day. Returns the new Stewardship.
    """
    on = on or timezone.localdate()
    if not person.is_active:
        raise ValidationError(_("%(person)s is no longer active and cannot be a cadre.") % {"person": person})
    with transaction.atomic():
        current = list(Stewardship.objects.select_for_update().active(on)
                       .filter(kind=Stewardship.Kind.ENTERPRISE, subject=enterprise.name))
        if any(c.person_id == person.pk for c in current):
            raise ValidationError(_("%(person)s is already the cadre of %(firm)s.")
                                  % {"person": person, "firm": enterprise.name})
        for charge in current:
            if charge.starts_on >= on:
                charge.delete()
            else:
                charge.ends_on = on - timedelta(days=1)
                charge.save(update_fields=["ends_on"])
        return Stewardship.objects.create(person=person, kind=Stewardship.Kind.ENTERPRISE, subject=enterprise.name,
                                          starts_on=on, note=note[:200])


# --- who sees and does what -----------------------------------------------------------------

def sees_all(person):
    return person.is_authenticated and person.is_active and (is_admin(person) or person.role in SEES_ALL)


def cadre_firms(person):
    names = Stewardship.objects.active().filter(kind=Stewardship.Kind.ENTERPRISE, person=person).values("subject")
    return Enterprise.objects.filter(name__in=names)


def visible_enterprises(person):
    """The firms this person may look at."""
    if sees_all(person):
        return Enterprise.objects.all()
    if not person.is_authenticated or not person.is_active:
        return Enterprise.objects.none()
    handled = EnterpriseRequest.objects.filter(ticket__in=visible_tickets(person)).values("enterprise_id")
    names = Stewardship.objects.active().filter(kind=Stewardship.Kind.ENTERPRISE, person=person).values("subject")
    return Enterprise.objects.filter(Q(name__in=names) | Q(pk__in=handled))


def in_scope(person, district):
    scope = person.scope_unit
    return scope is not None and district.path.startswith(scope.path)


def may_manage(person, district):
    """Whether the person may register firms in, and assign cadres to firms of, this district."""
    if not person.is_authenticated or not person.is_active:
        return False
    return is_admin(person) or (person.role == Role.SUPERVISOR and in_scope(person, district))


def may_record(person, enterprise):
    """Visits and requests are recorded by the firm's cadre or a supervisor over it."""
    return may_manage(person, enterprise.district) or is_cadre(person, enterprise)


def may_see_contact(person, enterprise):
    return person.is_authenticated and person.is_active and (
        is_admin(person) or person.role == Role.SUPERVISOR or is_cadre(person, enterprise))


def contact_of(person, enterprise):
    """The firm's contact person and phone as this person may see them."""
    if may_see_contact(person, enterprise):
        return {"name": enterprise.contact_name, "phone": enterprise.contact_phone, "masked": False}
    return {"name": mask_name(enterprise.contact_name), "phone": mask_phone(enterprise.contact_phone),
            "masked": True}


# --- the register ---------------------------------------------------------------------------

def register(actor, *, name, district, credit_code="", address="", industry="other", scale="below",
             contact_name="", contact_phone="", cadre=None, note="", at=None):
    """Put a firm on the register (and give it its first cadre); ValidationError, nothing written."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Write the firm's registered name."))
    code = clean_credit_code(credit_code)
    if district is None or district.tier not in DISTRICT_TIERS:
        raise ValidationError(_("Choose the district, county, zone, street or town the firm is in."))
    if actor is not None and not may_manage(actor, district):
        raise ValidationError(_("%(district)s is outside your scope.") % {"district": district.name})
    with transaction.atomic():
        if Enterprise.objects.filter(name=name).exists():
            raise ValidationError(_("%(name)s is already on the register.") % {"name": name})
        if code and Enterprise.objects.filter(credit_code=code).exists():
            other = Enterprise.objects.get(credit_code=code)
            raise ValidationError(_("The credit code %(code)s is already registered to %(name)s.")
                                  % {"code": code, "name": other.name})
        firm = Enterprise.objects.create(
            name=name, credit_code=code, district=district, address=address, industry=industry, scale=scale,
            contact_name=contact_name, contact_phone=contact_phone, registered_by=actor,
            registered_at=at or timezone.now())
        if cadre is not None:
            assign_cadre(firm, cadre, note=note, on=timezone.localdate(at) if at else None)
    return firm


# --- visits and requests --------------------------------------------------------------------

def destination(enterprise, unit=None, category=None):
    """(lead unit, co-units, note): the unit chosen by hand, else the dispatch catalogue's choice."""
    if unit is not None:
        return unit, [], ""
    with translation.override(settings.LANGUAGE_CODE):  # its explanation goes on the ledger as it is
        decision = choose_units(category, enterprise.district)
    if decision.lead_unit is None:
        raise ValidationError(_("The dispatch catalogue finds no unit for this request: choose the unit."))
    return decision.lead_unit, decision.co_units, decision.explanation


def open_request(enterprise, *, actor, title, description, topic=EnterpriseRequest.Topic.OTHER, unit=None,
                 category=None, visit=None, at=None):
    """The firm's request as a ticket on the fast clock; returns the EnterpriseRequest."""
    title, description = (title or "").strip(), (description or "").strip()
    if not title or not description:
        raise ValidationError(_("Give each request a title and a description."))
    if topic not in EnterpriseRequest.Topic.values:
        raise ValidationError(_("Choose the topic of the request."))
    at = at or timezone.now()
    lead, co_units, note = destination(enterprise, unit, category)
    try:
        due = work_calendar().add_workdays(at, request_workdays())
    except CalendarRangeError as error:
        raise ValidationError(str(error)) from error
    with transaction.atomic():
        ticket = open_for(
            lead, actor=actor, at=at, due=due, note=note, co_units=co_units, kind=RequestKind.HELP,
            channel=channel(), title=title[:200], description=description, address=enterprise.address,
            area=enterprise.district, subject=enterprise.name, category=category,
            reporter_name=enterprise.contact_name, reporter_phone=enterprise.contact_phone,
            source={"enterprise": enterprise.pk, "visit": visit.pk if visit else None})
        return EnterpriseRequest.objects.create(enterprise=enterprise, visit=visit, topic=topic, ticket=ticket)


def record_visit(enterprise, *, cadre, visited_at, kind, notes, needs="", requests=(), actor=None, at=None):
    """A visit by `cadre` and the requests it brought (dicts of open_request's arguments), all or nothing.

    `actor` records it (the cadre by default) and opens the tickets, at `at` (now): the unit's clock
    starts when the city records the request. Returns the Visit.
    """
    now = timezone.now()
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError(_("Write what was seen and said on the visit."))
    if visited_at > now:
        raise ValidationError(_("A visit cannot be recorded before it happens."))
    if kind not in Visit.Kind.values:
        raise ValidationError(_("Choose how the firm was visited."))
    if len(requests) > MAX_REQUESTS_PER_VISIT:
        raise ValidationError(_("Record at most %(n)d requests with one visit.") % {"n": MAX_REQUESTS_PER_VISIT})
    with transaction.atomic():
        visit = Visit.objects.create(enterprise=enterprise, cadre=cadre, visited_at=visited_at, kind=kind,
                                     notes=notes, needs=(needs or "").strip(), recorded_at=at or now)
        for spec in requests:
            open_request(enterprise, actor=actor or cadre, visit=visit, at=at, **spec)
    return visit

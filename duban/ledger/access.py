"""Who sees which tickets, and whose personal data they see.

Handlers and unit heads see the tickets of their own unit (as lead or co-unit); supervisors,
dispatchers and leaders see their scope's subtree; a steward sees everything in their charge;
anyone else sees nothing. A whistle-blower's identity (举报) is shown only to people given the
`ledger.view_whistleblower` permission; everyone else sees it masked. Every time it is shown in
clear, `identity_shown` writes an IdentityView row: reporter_of (pages, API, call-backs, admin) and the
ledger export all go through it, so no view logs on its own.
"""
from django.db.models import F, Q, Value

from duban.catalogue.models import RequestKind
from duban.ledger.models import IdentityView, Ticket
from duban.lib.mask import mask_email, mask_name, mask_phone
from duban.lib.text import mask_phones
from duban.org.models import Person, Stewardship

Role = Person.Role
OVERSIGHT_ROLES = {Role.SUPERVISOR, Role.DISPATCHER, Role.LEADER}


def is_admin(person):
    return person.is_superuser or person.role == Role.ADMIN


def stewardship_filter(person):
    condition = Q(pk__in=[])
    for charge in Stewardship.objects.active().filter(person=person).select_related("unit"):
        if charge.kind == Stewardship.Kind.UNIT:
            condition |= Q(area__path__startswith=charge.unit.path)
            condition |= Q(lead_unit__path__startswith=charge.unit.path)
        elif charge.kind == Stewardship.Kind.PLACE:
            condition |= Q(subject=charge.subject) | Q(address__contains=charge.subject)
        else:
            condition |= Q(subject=charge.subject)
    return condition


def visibility_filter(person):
    if not person.is_authenticated or not person.is_active:
        return Q(pk__in=[])
    if is_admin(person):
        return Q()
    condition = stewardship_filter(person)
    if person.unit_id and person.role in (Role.HANDLER, Role.UNIT_HEAD):
        condition |= Q(lead_unit_id=person.unit_id) | Q(co_units=person.unit_id)
    scope = person.scope_unit
    if scope is not None and person.role in OVERSIGHT_ROLES:
        condition |= Q(lead_unit__path__startswith=scope.path)
        condition |= Q(lead_unit__isnull=True, area__path__startswith=scope.path)
        if scope.parent_id is None:
            condition |= Q(lead_unit__isnull=True, area__isnull=True)
    return condition


def visible_tickets(person, queryset=None):
    queryset = Ticket.objects.all() if queryset is None else queryset
    condition = visibility_filter(person)
    if condition == Q():
        return queryset
    ids = Ticket.objects.filter(condition).values("pk")
    return queryset.filter(pk__in=ids)


def visible_matches(person, matches):
    """The duplicate matches (anything with a `.ticket`) whose ticket this person may see: a list of
    look-alikes must not show the number, title or unit of a ticket the person could not open."""
    pks = [m.ticket.pk for m in matches]
    seen = set(visible_tickets(person, Ticket.objects.filter(pk__in=pks)).values_list("pk", flat=True))
    return [m for m in matches if m.ticket.pk in seen]


def can_see(person, ticket):
    # The common answers follow from the ticket row at hand; only stewardships and co-units need
    # the database (the same rule as visibility_filter, which the tests hold these to).
    if not person.is_authenticated or not person.is_active:
        return False
    if is_admin(person):
        return True
    if person.role in OVERSIGHT_ROLES and oversees(person, ticket):
        return True
    if person.role in (Role.HANDLER, Role.UNIT_HEAD) and person.unit_id and person.unit_id == ticket.lead_unit_id:
        return True
    return visible_tickets(person, Ticket.objects.filter(pk=ticket.pk)).exists()


def oversees(person, ticket):
    """Whether the ticket's unit (or, before dispatch, its area) lies in the person's scope."""
    scope = person.scope_unit
    if scope is None:
        return False
    target = ticket.lead_unit or ticket.area
    if target is None:
        return scope.parent_id is None
    return target.path.startswith(scope.path)


def may_see_whistleblower(person):
    return person.is_authenticated and person.is_active and person.has_perm("ledger.view_whistleblower")


def may_see_reporter(person, ticket):
    if ticket.kind == RequestKind.REPORT:
        return may_see_whistleblower(person)
    return is_admin(person) or can_see(person, ticket)


def reporter_of(person, ticket, where=IdentityView.Where.PAGE):
    """The reporter's name, phone and email as this person may see them; `where` (an IdentityView.Where)
    names the page, for the log of whistle-blowers shown in clear."""
    if may_see_reporter(person, ticket):
        if ticket.kind == RequestKind.REPORT and has_identity(ticket.reporter_name, ticket.reporter_phone,
                                                              ticket.reporter_email):
            identity_shown(person, [ticket.pk], where)
        return {"name": ticket.reporter_name, "phone": ticket.reporter_phone, "email": ticket.reporter_email}
    return {"name": mask_name(ticket.reporter_name), "phone": mask_phone(ticket.reporter_phone),
            "email": mask_email(ticket.reporter_email)}


def conceal(text, name):
    """Free text as someone who may not see its reporter reads it: every phone number masked, and the
    reporter's own name wherever the text repeats it (周大爷 → 周**)."""
    text = mask_phones(text or "")
    name = (name or "").strip()
    return text.replace(name, mask_name(name)) if len(name) >= 2 else text


def has_identity(*fields):
    return any(fields)


def identity_shown(person, ticket_ids, where):
    """Log that `person` was shown these whistle-blowers in clear: one append-only row per ticket."""
    IdentityView.objects.bulk_create([IdentityView(ticket_id=pk, person=person, where=where) for pk in ticket_ids])


def stewards_of(ticket):
    """The people whose active stewardship covers this ticket (the inverse of stewardship_filter)."""
    unit_ids = set(ticket.lead_unit.ancestor_ids() if ticket.lead_unit_id else [])
    unit_ids |= set(ticket.area.ancestor_ids() if ticket.area_id else [])
    charges = Stewardship.objects.active().alias(address=Value(ticket.address)).filter(
        Q(kind=Stewardship.Kind.UNIT, unit_id__in=unit_ids)
        | (~Q(kind=Stewardship.Kind.UNIT) & ~Q(subject="") & Q(subject=ticket.subject))
        | Q(kind=Stewardship.Kind.PLACE, address__contains=F("subject")) & ~Q(subject="")
    )
    return list(Person.objects.filter(is_active=True, pk__in=charges.values("person_id")))

"""The rules of campaigns and pledges, shared by the pages, the admin and the demo.

Every change to a matter goes through the ledger: a task and a pledge are tickets opened with
open_for (channel supervision, kind suggestion, due on their date), a report or a progress
update is a `note` on that ticket carrying its evidence. Refusals raise CampaignError (or the
ledger's TransitionError) with a message for the person who asked, and write nothing.
"""
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.campaigns.models import CampaignTicket, Pledge, PledgeUpdate, Target, Task, TaskReport
from duban.catalogue.models import Channel, RequestKind
from duban.ledger.access import can_see, is_admin, visible_tickets
from duban.ledger.machine import open_for, perform
from duban.ledger.models import State, Ticket
from duban.org.models import Person

Role = Person.Role
UNIT_ROLES = (Role.HANDLER, Role.UNIT_HEAD)
CHANNEL = ("supervision", "督查督办")  # the channel of tasks and pledges (created by assessment's migration)
QUANTITY_LIMIT = 10_000_000
# Tickets that never were a matter to work on: they are not offered for linking.
NOT_LINKABLE = (State.DECLINED, State.MERGED)


class CampaignError(ValidationError):
    """Something that cannot be done; the message is for the person who asked."""


def supervision_channel():
    return Channel.objects.get_or_create(code=CHANNEL[0], defaults={"name": CHANNEL[1]})[0]


def _day(value):
    return formats.date_format(value, "DATE_FORMAT")


def _check_due(due, today=None):
    today = today or timezone.localdate()
    if not isinstance(due, date) or due < today:
        raise CampaignError(_("The deadline must be today or later."))


def oversees_unit(person, unit):
    """A supervisor whose scope holds the unit (admins oversee everything)."""
    if is_admin(person):
        return True
    scope = person.scope_unit
    return person.role == Role.SUPERVISOR and scope is not None and unit.path.startswith(scope.path)


# --- progress -------------------------------------------------------------------------------

@dataclass
class Progress:
    target: Target
    count: int

    @property
    def percent(self):
        return round(100 * self.count / self.target.goal)

    @property
    def met(self):
        return self.count >= self.target.goal

    @property
    def bar(self):
        """The value a progress bar shows (full once the goal is met)."""
        return min(self.count, self.target.goal)


def closed_links(target):
    """The campaign's linked tickets a target counts: closed, of its category when it names one."""
    links = CampaignTicket.objects.filter(campaign_id=target.campaign_id, ticket__state=State.CLOSED)
    if target.category_id is not None:
        links = links.filter(ticket__category__path__startswith=target.category.path)
    return links


def progress(targets):
    """Progress of each target, in the order given: only its own campaign's links and tasks count."""
    targets = list(targets)
    summing = [t.pk for t in targets if t.counts == Target.Counts.REPORTED]
    totals = (TaskReport.objects.filter(task__target__in=summing, task__campaign_id=F("task__target__campaign_id"))
              .order_by().values("task__target").annotate(total=Sum("quantity")))
    reported = {row["task__target"]: row["total"] for row in totals} if summing else {}
    rows = []
    for target in targets:
        if target.counts == Target.Counts.TICKETS:
            count = closed_links(target).count()
        else:
            count = reported.get(target.pk) or 0
        rows.append(Progress(target, count))
    return rows


def campaign_progress(campaigns):
    """campaign pk → [Progress] for these campaigns, with each target's category at hand."""
    targets = Target.objects.filter(campaign__in=campaigns).select_related("category")
    by_campaign = {}
    for row in progress(targets):
        by_campaign.setdefault(row.target.campaign_id, []).append(row)
    return by_campaign


def covered(campaign):
    """The ticket filter for the campaign's categories and their subcategories (nothing if none)."""
    condition = Q(pk__in=[])
    for category in campaign.categories.all():
        condition |= Q(category__path__startswith=category.path)
    return condition


def candidates(campaign, person, limit=20):
    """Tickets of the campaign's categories from its period, not linked yet, that this person sees."""
    queryset = (Ticket.objects.filter(covered(campaign), created_at__date__gte=campaign.starts_on,
                                      created_at__date__lte=campaign.ends_on)
                .exclude(state__in=NOT_LINKABLE).exclude(campaign_links__campaign=campaign))
    return list(visible_tickets(person, queryset).select_related("category", "lead_unit")
                .order_by("-created_at")[:limit])


# --- linking tickets ------------------------------------------------------------------------

def may_link(person):
    return is_admin(person) or person.role in (Role.DISPATCHER, Role.SUPERVISOR)


def find_ticket(person, number):
    """The ticket with this number that the person can see; CampaignError when there is none."""
    number = (number or "").strip().upper()
    ticket = visible_tickets(person).filter(number=number).first() if number else None
    if ticket is None:
        raise CampaignError(_("No ticket numbered “%(number)s” that you can see.") % {"number": number})
    return ticket


def link(campaign, ticket, person, at=None):
    """Link a ticket to the campaign; returns the CampaignTicket."""
    if not may_link(person) or not can_see(person, ticket):
        raise CampaignError(_("Only dispatchers and supervisors who can see a ticket link it to a campaign."))
    if ticket.state in NOT_LINKABLE:
        raise CampaignError(_("Ticket %(number)s is %(state)s: it cannot serve a campaign.")
                            % {"number": ticket.number, "state": ticket.get_state_display()})
    with transaction.atomic():
        if CampaignTicket.objects.filter(campaign=campaign, ticket=ticket).exists():
            raise CampaignError(_("Ticket %(number)s is already linked to “%(campaign)s”.")
                                % {"number": ticket.number, "campaign": campaign.name})
        return CampaignTicket.objects.create(campaign=campaign, ticket=ticket, linked_by=person,
                                             linked_at=at or timezone.now())


def unlink(campaign, ticket, person):
    if not may_link(person) or not can_see(person, ticket):
        raise CampaignError(_("Only dispatchers and supervisors who can see a ticket link it to a campaign."))
    CampaignTicket.objects.filter(campaign=campaign, ticket=ticket).delete()


# --- tasks ----------------------------------------------------------------------------------

def add_task(campaign, *, unit, title, due, actor, target=None, description="", at=None):
    """Give the campaign's unit a task: a ticket dispatched to it at once, due on `due`."""
    title = (title or "").strip()
    if not title:
        raise CampaignError(_("Write what the task is."))
    if not oversees_unit(actor, unit):
        raise CampaignError(_("Only a supervisor over %(unit)s gives it a task.") % {"unit": unit.name})
    if target is not None and target.campaign_id != campaign.pk:
        raise CampaignError(_("The target “%(target)s” belongs to another campaign.") % {"target": target.name})
    if target is not None and target.counts != Target.Counts.REPORTED:
        raise CampaignError(_("The target “%(target)s” counts closed tickets, not reported quantities: choose "
                              "another target or none.") % {"target": target.name})
    at = at or timezone.now()
    _check_due(due, timezone.localdate(at))
    with transaction.atomic():
        task = Task.objects.create(campaign=campaign, target=target, unit=unit, title=title[:150], due=due,
                                   created_by=actor, created_at=at)
        with translation.override(settings.LANGUAGE_CODE):
            values = {"campaign": campaign.name, "title": title, "unit": unit.name, "due": _day(due),
                      "target": str(target) if target else "—"}
            ticket_title = _("[Campaign] %(campaign)s: %(title)s") % values
            text = _("Task of the campaign “%(campaign)s” for %(unit)s, due %(due)s: %(title)s. Target: "
                     "%(target)s. Report the quantities done on the campaign's page, with evidence; resolve "
                     "this ticket with evidence once the task is done.") % values
        if description.strip():
            text += "\n" + description.strip()
        task.ticket = open_for(unit, actor=actor, at=at, due=due, kind=RequestKind.SUGGESTION,
                               channel=supervision_channel(), title=ticket_title[:200], description=text, area=unit,
                               source={"campaign": campaign.pk, "task": task.pk})
        task.save(update_fields=["ticket"])
    return task


def may_report(person, task):
    """The people of the unit that holds the task's ticket (and admins) report on it."""
    if not person.is_authenticated or not person.is_active:
        return False
    if is_admin(person):
        return True
    return person.role in UNIT_ROLES and person.unit_id is not None and person.unit_id == task.ticket.lead_unit_id


def _whole_number(value, low, high, message):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CampaignError(message)
    return value


def report(task, person, quantity, note="", files=(), at=None):
    """A unit's report on its task: a note with the evidence on the task's ticket, and the quantity."""
    if not may_report(person, task):
        raise CampaignError(_("Only the people of %(unit)s report on this task.")
                            % {"unit": task.ticket.lead_unit.name})
    quantity = _whole_number(quantity, 0, QUANTITY_LIMIT,
                             _("The quantity must be a whole number, 0 or more."))
    note = (note or "").strip()
    measure = task.target.measure if task.target_id else ""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Reported for “%(task)s”: %(quantity)s %(measure)s.") % {
            "task": task.title, "quantity": quantity, "measure": measure}
    with transaction.atomic():
        event = perform(task.ticket, "note", person, text=f"{text}\n{note}" if note else text, files=files, at=at)
        return TaskReport.objects.create(task=task, quantity=quantity, note=note, event=event, by=person,
                                         at=event.at)


# --- pledges --------------------------------------------------------------------------------

PLEDGE_STATES = {"done": gettext_lazy("fulfilled"), "in_progress": gettext_lazy("under way"),
                 "overdue": gettext_lazy("past its deadline")}


def may_manage_pledges(person):
    return is_admin(person) or person.role == Role.SUPERVISOR


def add_pledge(pledge_list, *, area, number, title, target, owner, deadline, actor, at=None):
    """Put a pledge on the list: a ticket dispatched to its owner at once, due on its deadline."""
    area, title, target = (area or "").strip(), (title or "").strip(), (target or "").strip()
    if not (area and title and target):
        raise CampaignError(_("Write the area of work, the title and the target of the pledge."))
    if not may_manage_pledges(actor) or not oversees_unit(actor, owner):
        raise CampaignError(_("Only a supervisor over %(unit)s gives it a pledge.") % {"unit": owner.name})
    at = at or timezone.now()
    _check_due(deadline, timezone.localdate(at))
    with transaction.atomic():
        if Pledge.objects.filter(pledge_list=pledge_list, number=number).exists():
            raise CampaignError(_("Number %(number)s is already taken in “%(list)s”.")
                                % {"number": number, "list": pledge_list.name})
        pledge = Pledge.objects.create(pledge_list=pledge_list, area=area[:50], number=number, title=title[:200],
                                       target=target, owner=owner, deadline=deadline)
        with translation.override(settings.LANGUAGE_CODE):
            values = {"list": pledge_list.name, "area": area, "number": number, "title": title, "target": target,
                      "unit": owner.name, "deadline": _day(deadline)}
            ticket_title = _("[Pledge] %(number)s. %(title)s") % values
            text = _("Pledge %(number)s of “%(list)s” (%(area)s), owned by %(unit)s, due %(deadline)s: %(target)s "
                     "Report its progress with evidence; resolve this ticket with evidence once it is done.") % values
        pledge.ticket = open_for(owner, actor=actor, at=at, due=deadline, kind=RequestKind.SUGGESTION,
                                 channel=supervision_channel(), title=ticket_title[:200], description=text,
                                 area=owner, source={"pledge": pledge.pk})
        pledge.save(update_fields=["ticket"])
    return pledge


def may_update(person, pledge):
    """The people of the unit that holds the pledge's ticket (and admins) tell its progress."""
    if not person.is_authenticated or not person.is_active:
        return False
    if is_admin(person):
        return True
    return person.role in UNIT_ROLES and person.unit_id is not None and person.unit_id == pledge.ticket.lead_unit_id


def update_pledge(pledge, person, percent, text, public=False, files=(), at=None):
    """Progress of a pledge: a note with the evidence on its ticket, and the percentage done."""
    if not may_update(person, pledge):
        raise CampaignError(_("Only the people of %(unit)s tell the progress of this pledge.")
                            % {"unit": pledge.ticket.lead_unit.name})
    percent = _whole_number(percent, 0, 100, _("The percentage done must be a whole number from 0 to 100."))
    text = (text or "").strip()
    if not text:
        raise CampaignError(_("Write what has been done."))
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Progress %(percent)s%%: %(text)s") % {"percent": percent, "text": text}
    with transaction.atomic():
        event = perform(pledge.ticket, "note", person, text=note, files=files, at=at)
        return PledgeUpdate.objects.create(pledge=pledge, percent=percent, text=text, public=bool(public),
                                           event=event, by=person, at=event.at)


def pledge_state(pledge, now=None):
    """done (its ticket closed), overdue (past the deadline and not resolved in time), or in_progress."""
    ticket = pledge.ticket
    if ticket.state == State.CLOSED:
        return "done"
    now = now or timezone.now()
    resolved_in_time = ticket.resolved_at is not None and ticket.resolve_on_time
    if ticket.resolve_due_at is not None and now > ticket.resolve_due_at and not resolved_in_time:
        return "overdue"
    return "in_progress"


def latest_updates(pledges):
    """pledge pk → (its latest update, its latest public update), from one query."""
    latest = {}
    for update in PledgeUpdate.objects.filter(pledge__in=pledges).order_by("pledge_id", "at", "pk"):
        last, public = latest.get(update.pledge_id, (None, None))
        latest[update.pledge_id] = (update, update if update.public else public)
    return latest


def pledge_rows(pledges, now=None):
    """The pledges with .state, .state_label, .latest (update) and .latest_public set."""
    pledges = list(pledges)
    latest = latest_updates(pledges)
    now = now or timezone.now()
    for pledge in pledges:
        pledge.state = pledge_state(pledge, now)
        pledge.state_label = PLEDGE_STATES[pledge.state]
        pledge.latest, pledge.latest_public = latest.get(pledge.pk, (None, None))
    return pledges


def by_area(pledges):
    """[(area, [pledges])] in the order the areas first appear (by number)."""
    groups = {}
    for pledge in sorted(pledges, key=lambda p: p.number):
        groups.setdefault(pledge.area, []).append(pledge)
    return list(groups.items())


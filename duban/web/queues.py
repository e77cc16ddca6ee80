"""Lists of tickets for the pages: filters, the clock as a person reads it, counts, pages.

Lists never count their rows: a page reads one row more than it shows to know whether another
page follows. Counts are per state of one unit (the (lead_unit, state) index) or of short lists.
"""
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from duban.clock.calendar import work_calendar
from duban.clock.deadlines import warning
from duban.ledger.machine import CLOCKED  # a unit holds the matter: the only states a colour means something in
from duban.ledger.models import UNIT_QUEUE_STATES, State
from duban.lib.workdays import CalendarRangeError

PAGE_SIZE = 50
CLOCK_LABELS = {"green": pgettext_lazy("clock", "on track"), "yellow": pgettext_lazy("clock", "due soon"),
                "red": pgettext_lazy("clock", "overdue"), "paused": pgettext_lazy("clock", "paused")}


def colour_filter(colour, now):
    """The tickets whose clock shows this colour now (the same rule as deadlines.warning)."""
    running = Q(state__in=CLOCKED, resolve_due_at__isnull=False, resolved_at__isnull=True)
    if colour == "paused":
        return running & Q(paused_at__isnull=False)
    running &= Q(paused_at__isnull=True)
    if colour == "red":
        return running & Q(resolve_due_at__lt=now)
    if colour == "yellow":
        return running & Q(resolve_due_at__gte=now, warn_at__lte=now)
    return running & Q(resolve_due_at__gte=now) & (Q(warn_at__gt=now) | Q(warn_at__isnull=True))


def filtered(queryset, filters, now, default_states=UNIT_QUEUE_STATES):
    """Apply a valid QueueFilter's cleaned data."""
    state = filters.get("state")
    if state == "":
        queryset = queryset.filter(state__in=default_states)
    elif state and state != "all":
        queryset = queryset.filter(state=state)
    if filters.get("colour"):
        queryset = queryset.filter(colour_filter(filters["colour"], now))
    if filters.get("category") is not None:
        queryset = queryset.filter(category__path__startswith=filters["category"].path)
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(Q(number=text.upper()) | Q(title__contains=text) | Q(address__contains=text)
                                   | Q(description__contains=text))
    return queryset


@dataclass
class Page:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1


def page_number(request):
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


def paginate(queryset, number, size=PAGE_SIZE):
    """One page of rows, reading one more to know whether another follows; never COUNT(*)."""
    start = (number - 1) * size
    rows = list(queryset[start:start + size + 1])
    return Page(rows[:size], number, len(rows) > size)


@dataclass
class Clock:
    colour: str
    label: str
    left: str  # "3 working days left", "due today", "2 working days overdue"
    due: object


def clock_of(ticket, now, calendar=None):
    """The clock of a ticket a unit holds, as a person reads it; None for any other."""
    if ticket.state not in CLOCKED:
        return None
    colour = warning(ticket, now)
    if colour is None:
        return None
    left = ""
    try:
        calendar = calendar or work_calendar()
        if colour == "red":
            days = calendar.count_workdays(ticket.resolve_due_at, now)
            left = _("%(days)d working days overdue") % {"days": days} if days > 0 else _("overdue today")
        elif colour != "paused":
            days = calendar.count_workdays(now, ticket.resolve_due_at)
            left = _("%(days)d working days left") % {"days": days} if days > 0 else _("due today")
    except CalendarRangeError:
        left = ""
    return Clock(colour, str(CLOCK_LABELS[colour]), left, ticket.resolve_due_at)


def with_clocks(tickets, now):
    """Attach `clock` to each ticket (the calendar is read once)."""
    try:
        calendar = work_calendar()
    except CalendarRangeError:  # no calendar loaded: the colours still show, the days left do not
        calendar = None
    for ticket in tickets:
        ticket.clock = clock_of(ticket, now, calendar)
    return tickets


def state_counts(queryset):
    """{state: count} in one grouped query (COUNT(*): from the (lead_unit, state) index alone)."""
    return dict(queryset.order_by().values_list("state").annotate(n=Count("*")))


def labelled_counts(counts):
    """[(state, label, count)] in the machine's order, leaving out states with none."""
    return [(value, label, counts[value]) for value, label in State.choices if counts.get(value)]


def colour_counts(queryset, now):
    """[(colour, label, count)]: how many of the tickets show each colour now, in one query.

    Only clocked tickets have a colour; for one unit's they are counted from the index
    ticket_unit_queue alone, which holds every column counted (so not the primary key)."""
    counts = queryset.order_by().filter(state__in=CLOCKED).aggregate(
        **{colour: Count("state", filter=colour_filter(colour, now)) for colour in CLOCK_LABELS})
    return [(colour, label, counts[colour]) for colour, label in CLOCK_LABELS.items()]

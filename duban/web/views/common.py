"""What several pages share: who may open them, the lists they show, how errors are told."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from duban.ledger.access import is_admin, visible_tickets
from duban.web import queues

LIST_RELATED = ("category", "lead_unit", "area", "channel")


def roles(*allowed):
    """A page for people signed in with one of these roles (admins may open every page)."""
    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.role not in allowed and not is_admin(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapper
    return decorate


def visible(request, queryset=None):
    """The tickets this person may see, with what a list shows."""
    return visible_tickets(request.user, queryset).select_related(*LIST_RELATED)


def by_deadline(queryset):
    return queryset.order_by(F("resolve_due_at").asc(nulls_last=True), "pk")


def listing(request, queryset):
    """One page of the queryset with each ticket's clock."""
    page = queues.paginate(queryset, queues.page_number(request))
    queues.with_clocks(page.rows, timezone.now())
    return page


def query_without_page(request):
    """The list's query string for its page links and saved views (the page number left out)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def error_text(error):
    """The messages of a ValidationError (the machine's, intake's or an attachment's) as one line."""
    return " ".join(error.messages)


def form_errors(form):
    return " ".join(f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
                    for name, errors in form.errors.items())

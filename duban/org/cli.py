"""What the management commands share about people."""
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duban.org.models import Person


def person_named(username):
    """The active person with this username (--as), None when no name is given; else a CommandError."""
    if not username:
        return None
    try:
        return Person.objects.get(username=username, is_active=True)
    except Person.DoesNotExist:
        raise CommandError(_("No active person with the username “%(name)s”.") % {"name": username}) from None

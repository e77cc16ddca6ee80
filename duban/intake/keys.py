"""API keys: made once, kept as a hash, looked up by hash, revoked by time."""
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from duban.intake.models import ApiKey
from duban.org.models import Person, Unit

PREFIX = "dbk_"


def digest(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def _service_account(raw, name, unit):
    """The person a key acts as: a handler in its unit, or a dispatcher over the whole city."""
    role = Person.Role.HANDLER if unit else Person.Role.DISPATCHER
    scope = None if unit else Unit.objects.filter(parent=None).order_by("pk").first()
    person = Person(username="apikey-" + raw[len(PREFIX):12], name=name[:50], role=role, unit=unit, scope=scope)
    person.set_unusable_password()
    person.save()
    return person


@transaction.atomic
def create(name, channel, unit=None, by=None):
    """Make a key; return the row and the key itself, which is never stored and shown only now."""
    raw = PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(name=name, prefix=raw[:12], digest=digest(raw), channel=channel, unit=unit,
                                person=_service_account(raw, name, unit), created_by=by)
    return key, raw


def authenticate(raw):
    """The active key for a raw key, or None. Marks when it was last used (at most once a minute)."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    # The person with their scope: what they may see is asked of every answer.
    key = (ApiKey.objects.select_related("channel", "unit", "person__scope", "person__unit")
           .filter(digest=digest(raw), revoked_at=None).first())
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


@transaction.atomic
def revoke(key):
    ApiKey.objects.filter(pk=key.pk, revoked_at=None).update(revoked_at=timezone.now())
    Person.objects.filter(pk=key.person_id).update(is_active=False)

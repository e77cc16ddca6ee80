"""Writing messages with their events, and delivering them at least once.

`enqueue` runs inside the transaction that writes the event, so a message exists exactly when
its event does; its idempotency key is unique, so enqueueing an event twice writes nothing new.
`deliver_due` claims due messages atomically (SKIP LOCKED on PostgreSQL, the write lock on
SQLite) under a lease, sends them outside the transaction, and records the outcome: sent, a
retry with exponential backoff, or failed. A worker that dies mid-send leaves its lease to
expire; the message is sent again with the same key, so receivers can drop the repeat
(tests/notify/test_worker_kill.py kills one with SIGKILL). A live worker renews its lease on each
message just before sending it, so a batch slower than one lease is not sent twice by two workers, and
records an outcome only while the message is still its own.
"""
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import get_random_string

from duban.notify.models import Endpoint, Outbox
from duban.notify.transports import TRANSPORTS, PermanentError, TransientError


def key_for(event, transport, address):
    return hashlib.sha256(f"{event.hash}|{transport}|{address}".encode()).hexdigest()


def render(template, context):
    """Subject (the first line) and body of a message; Chinese first, whatever the request's language."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"notify/{template}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip()[:200], body.strip()


def enqueue(event, people=(), units=(), template="", context=None, contacts=()):
    """Write one message per contact of each person and per active robot of each unit.

    `contacts` are (transport, address) pairs of people who are not staff, such as a reporter.
    """
    subject, body = render(template, {"event": event, **(context or {})})
    now = timezone.now()
    rows = []

    def add(transport, address, **extra):
        rows.append(Outbox(event=event, ticket_id=event.ticket_id, transport=transport, address=address,
                           subject=subject, body=body, next_attempt_at=now,
                           idempotency_key=key_for(event, transport, address), **extra))

    for person in people:
        if person.email:
            add("email", person.email, recipient=person)
        if person.phone:
            add("sms", person.phone, recipient=person)
    for endpoint in Endpoint.objects.filter(unit__in=[u for u in units if u is not None], active=True):
        add(endpoint.transport, endpoint.url, endpoint=endpoint)
    for transport, address in contacts:
        if address:
            add(transport, address)
    Outbox.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def due(now):
    expired = Q(status=Outbox.Status.SENDING, claimed_until__lt=now)
    return Outbox.objects.filter(Q(status=Outbox.Status.PENDING, next_attempt_at__lte=now) | expired)


def claim(now, limit, worker):
    """Take up to `limit` due messages for this worker, under a lease, in one short transaction."""
    with transaction.atomic():
        messages = list(due(now).select_for_update(skip_locked=True).order_by("next_attempt_at")[:limit])
        Outbox.objects.filter(pk__in=[m.pk for m in messages]).update(
            status=Outbox.Status.SENDING, claimed_by=worker, claimed_until=lease(now))
    return messages


def backoff(attempts):
    return timedelta(seconds=min(settings.NOTIFY_RETRY_SECONDS * 2 ** (attempts - 1), 6 * 3600))


def lease(now):
    return max(now, timezone.now()) + timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)


def renew(message, now, worker):
    """Extend this worker's lease just before sending; False when another worker has taken it since."""
    return Outbox.objects.filter(pk=message.pk, claimed_by=worker, status=Outbox.Status.SENDING).update(
        claimed_until=lease(now)) == 1


def send(message, now, worker):
    """Send one message and record the outcome, unless another worker took it meanwhile (its lease ran
    out): that worker records its own. Returns the status recorded, or None."""
    if not renew(message, now, worker):
        return None
    attempts = message.attempts + 1
    try:
        TRANSPORTS[message.transport].notify(message)
    except TransientError as error:
        failed = attempts >= settings.NOTIFY_MAX_ATTEMPTS
        changes = {"status": Outbox.Status.FAILED if failed else Outbox.Status.PENDING,
                   "next_attempt_at": now + backoff(attempts), "last_error": str(error)[:2000]}
    except PermanentError as error:
        changes = {"status": Outbox.Status.FAILED, "last_error": str(error)[:2000]}
    else:
        changes = {"status": Outbox.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    recorded = Outbox.objects.filter(pk=message.pk, claimed_by=worker).update(
        attempts=attempts, claimed_until=None, **changes)
    return changes["status"] if recorded else None


def deliver_due(now=None, limit=50, worker=None):
    """Send what is due; returns how many messages were handled."""
    now = now or timezone.now()
    worker = worker or get_random_string(16)
    messages = claim(now, limit, worker)
    for message in messages:
        send(message, now, worker)
    return len(messages)

"""Idempotency-Key: a retried POST gets the first answer and never makes a second ticket.

The request runs inside one transaction that also stores its answer under (caller, key); two
copies of one request racing each other meet at the unique constraint, and the loser's work is
rolled back before it replays the winner's answer. Answers of 5xx are not kept: the retry runs.
"""
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from duban.intake.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY = 200


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str
    replayed: bool = False


class KeyReused(Exception):
    """The same key came with a different request."""


def fingerprint(*parts):
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def _replay(record, print_):
    if record.fingerprint != print_:
        raise KeyReused
    return Answer(record.status, bytes(record.body), record.content_type, replayed=True)


def once(scope, key, print_, run):
    """Run `run()` (returning an Answer) once per (scope, key); replay its answer afterwards."""
    if not key:
        return run()
    key = key[:MAX_KEY]
    record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    if record is not None:
        return _replay(record, print_)
    try:
        with transaction.atomic():
            answer = run()
            if answer.status >= 500:
                transaction.set_rollback(True)
                return answer
            IdempotencyRecord.objects.create(scope=scope, key=key, fingerprint=print_, status=answer.status,
                                             body=answer.body, content_type=answer.content_type)
            return answer
    except IntegrityError:
        record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if record is None:
            raise
        return _replay(record, print_)

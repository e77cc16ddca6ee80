"""Checkpoints and the verification of the whole ledger.

Each ticket's events form a chain; a checkpoint folds the hashes of all events with ids in
(previous checkpoint, upto] and the heads of the tickets they belong to, chained onto the
previous checkpoint. Verification recomputes every event's hash, every chain, every checkpoint,
and compares the tickets' cached heads and states, naming each ticket that does not match.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from duban.lib.chain import GENESIS, fold, link
from duban.ledger.models import Checkpoint, Event, Ticket

CHUNK = 5000


def _checkpoint_hash(prev_hash, event_hashes, upto, count, heads):
    return link(fold(prev_hash, event_hashes), {"upto": upto, "count": count, "heads": heads})


def _range(start, upto):
    """Hashes, in id order, and ticket heads of the events with ids in (start, upto]."""
    hashes, heads = [], {}
    rows = (Event.objects.filter(pk__gt=start, pk__lte=upto).order_by("pk")
            .values_list("hash", "seq", "ticket__number").iterator(chunk_size=CHUNK))
    for event_hash, seq, number in rows:
        hashes.append(event_hash)
        if seq > heads.get(number, (0, ""))[0]:
            heads[number] = (seq, event_hash)
    return hashes, {number: list(head) for number, head in heads.items()}


def make_checkpoint(margin_seconds=None):
    """Checkpoint the events written before the margin; None when there is nothing new."""
    margin = settings.CHECKPOINT_MARGIN_SECONDS if margin_seconds is None else margin_seconds
    cutoff = timezone.now() - timedelta(seconds=margin)
    previous = Checkpoint.objects.order_by("-upto_event_id").first()
    start = previous.upto_event_id if previous else 0
    prev_hash = previous.hash if previous else GENESIS
    upto = (Event.objects.filter(pk__gt=start, recorded_at__lte=cutoff)
            .order_by("-pk").values_list("pk", flat=True).first())
    if upto is None:
        return None
    hashes, heads = _range(start, upto)
    count = (previous.event_count if previous else 0) + len(hashes)
    checkpoint = Checkpoint(at=timezone.now(), upto_event_id=upto, event_count=count,
                            prev_hash=prev_hash, heads=heads,
                            hash=_checkpoint_hash(prev_hash, hashes, upto, count, heads))
    try:
        with transaction.atomic():
            checkpoint.save()
    except IntegrityError:
        return None  # another process checkpointed the same range first
    return checkpoint


@dataclass
class Report:
    problems: list = field(default_factory=list)  # (ticket number or "", message)
    tickets: int = 0
    events: int = 0
    checkpoints: int = 0

    @property
    def ok(self):
        return not self.problems

    @property
    def broken_tickets(self):
        return sorted({number for number, _ in self.problems if number})

    def add(self, number, message):
        self.problems.append((number, message))


def _check_chains(report):
    tickets = (Ticket.objects.order_by("pk").values_list("pk", "number", "event_count", "head_hash", "state")
               .iterator(chunk_size=CHUNK))
    events = (Event.objects.order_by("ticket_id", "seq")
              .values_list("ticket_id", "seq", "at", "actor_id", "action", "from_state", "to_state",
                           "payload", "attachments", "prev_hash", "hash")
              .iterator(chunk_size=CHUNK))
    pending = next(events, None)
    for pk, number, count, head, state in tickets:
        report.tickets += 1
        expected_prev, seq, last_state, broken = GENESIS, 0, None, False
        while pending is not None and pending[0] < pk:
            report.add("", f"events of a ticket that no longer exists (id {pending[0]})")
            pending = next(events, None)
        while pending is not None and pending[0] == pk:
            _, event_seq, at, actor, action, from_state, to_state, payload, files, prev, stored = pending
            report.events += 1
            seq += 1
            content = {"ticket": number, "seq": event_seq, "at": at, "actor": actor, "action": action,
                       "from": from_state, "to": to_state, "payload": payload, "attachments": files}
            if not broken and event_seq != seq:
                report.add(number, f"event {seq} is missing or out of order (found {event_seq})")
                broken = True
            elif not broken and prev != expected_prev:
                report.add(number, f"event {event_seq} does not follow the one before it")
                broken = True
            elif not broken and link(prev, content) != stored:
                report.add(number, f"event {event_seq} was changed after it was written")
                broken = True
            expected_prev, last_state = stored, to_state or last_state
            pending = next(events, None)
        if broken:
            continue
        if seq == 0:
            report.add(number, "the ticket has no history")
        elif seq != count or expected_prev != head:
            report.add(number, "the ticket's history does not end where the ticket says it does")
        elif last_state != state:
            report.add(number, f"the ticket says it is {state}, its history says {last_state}")
    while pending is not None:
        report.add("", f"events of a ticket that no longer exists (id {pending[0]})")
        pending = next(events, None)


def _check_checkpoints(report):
    prev_hash, start, count, heads = GENESIS, 0, 0, {}
    for checkpoint in Checkpoint.objects.order_by("upto_event_id").iterator():
        report.checkpoints += 1
        hashes, range_heads = _range(start, checkpoint.upto_event_id)
        count += len(hashes)
        expected = _checkpoint_hash(prev_hash, hashes, checkpoint.upto_event_id, count, range_heads)
        if checkpoint.prev_hash != prev_hash:
            report.add("", f"checkpoint {checkpoint.pk} does not follow the one before it")
        elif checkpoint.hash != expected:
            report.add("", f"checkpoint {checkpoint.pk}: events with ids {start + 1}–"
                           f"{checkpoint.upto_event_id} were changed, deleted or re-ordered")
        heads.update(checkpoint.heads)
        prev_hash, start = checkpoint.hash, checkpoint.upto_event_id
    _check_heads(report, heads)


def _check_heads(report, heads):
    """Every ticket a checkpoint saw must still exist and still hold the event it saw."""
    numbers = sorted(heads)
    for i in range(0, len(numbers), CHUNK):
        batch = numbers[i:i + CHUNK]
        present = {(n, s): h for n, s, h in Event.objects.filter(ticket__number__in=batch)
                   .values_list("ticket__number", "seq", "hash")}
        existing = set(Ticket.objects.filter(number__in=batch).values_list("number", flat=True))
        for number in batch:
            seq, event_hash = heads[number]
            if number not in existing:
                report.add(number, "the ticket was deleted after a checkpoint recorded it")
            elif present.get((number, seq)) != event_hash:
                report.add(number, f"event {seq} differs from what a checkpoint recorded")


def verify():
    report = Report()
    _check_chains(report)
    _check_checkpoints(report)
    return report

"""Eight processes writing at once on PostgreSQL: unique numbers, no lost event."""
import subprocess
import sys
from pathlib import Path

import pytest

from duban.ledger.integrity import make_checkpoint, verify
from duban.ledger.models import Event, Ticket
from tests import child
from tests.base import build_city

PROCESSES, TICKETS, NOTES = 8, 25, 10
ROOT = Path(__file__).resolve().parents[2]


class City:
    pass


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_processes_get_unique_numbers_and_lose_no_event(tmp_path):
    build_city(City)
    from duban.ledger.machine import receive
    shared = receive(actor=City.dispatcher, kind="complaint", category=City.zombie_car,
                     channel=City.hotline_channel, title="共享工单", description="八个进程同时写备注")
    env = child.env()
    start = tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, "-m", "tests.ledger.concurrent_writer", str(start),
                                 str(TICKETS), str(NOTES), str(shared.pk)], cwd=ROOT, env=env)
               for _ in range(PROCESSES)]
    start.touch()
    assert [w.wait(timeout=120) for w in workers] == [0] * PROCESSES

    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == PROCESSES * TICKETS + 1
    sequence = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert sequence == list(range(1, PROCESSES * TICKETS + 2))
    shared.refresh_from_db()
    assert shared.event_count == 1 + PROCESSES * NOTES
    assert list(shared.events.values_list("seq", flat=True)) == list(range(1, shared.event_count + 1))
    assert Event.objects.count() == PROCESSES * TICKETS + 1 + PROCESSES * NOTES
    make_checkpoint(margin_seconds=0)
    assert verify().ok

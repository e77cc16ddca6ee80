"""A worker killed with SIGKILL in the middle of sending notifications loses none: the next worker
sends what the dead one had claimed once its lease runs out, every delivery carries the message's
Idempotency-Key, and the one the receiver got but the dead worker never recorded comes again with the
same key, so the receiver can drop it.

The real `duban worker` runs in child processes against a file SQLite database of the test's own
(tests/backup/city.py); the messages come from real 督办 events, to a WeCom robot and an SMS gateway
that are one HTTP server on loopback. The receiver holds the HOLD_AT-th request open until the worker
is dead.
"""
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from duban.ledger.machine import perform
from duban.notify.models import Endpoint, Outbox
from duban.notify.outbox import claim, send
from tests import child
from tests.backup.city import ROOT, child_env, copy_database, migrated_sqlite, sqlite_url, wait_for
from tests.base import DubanTestCase
from tests.notify import test_outbox

TICKETS = 6  # two messages each: the unit's robot and the steward's phone
HOLD_AT = 4  # the delivery during which the worker is killed
LEASE_SECONDS = 3


class HoldingReceiver(test_outbox.Receiver):
    """The outbox tests' receiver, holding the HOLD_AT-th request open until released."""

    def __init__(self):
        self.holding, self.release = threading.Event(), threading.Event()
        super().__init__(answer=self.hold)
        self.server.daemon_threads = True

    def hold(self, request):
        if len(self.requests) == HOLD_AT:
            self.holding.set()
            self.release.wait(timeout=60)
        return 200, {"errcode": 0}

    def deliveries(self):
        """(path, Idempotency-Key or None, body) of each request, in the order they came."""
        return [(r["path"], {k.lower(): v for k, v in r["headers"].items()}.get("idempotency-key"), r["json"])
                for r in self.requests]

    def stop(self):
        self.release.set()
        super().stop()


@pytest.fixture
def receiver():
    server = HoldingReceiver()
    yield server
    server.stop()


@pytest.fixture
def workers():
    """Start `duban worker` processes; each still running at the end is killed."""
    started = []

    def start(env):
        process = subprocess.Popen([sys.executable, "-m", "duban", "worker", "--interval", "0.2"], cwd=ROOT,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        process.stderr.close()


def sqlite_outbox(path):
    def read():
        with sqlite3.connect(path, timeout=30) as db:
            return {key: (status, attempts) for key, status, attempts in
                    db.execute("SELECT idempotency_key, status, attempts FROM notify_outbox")}
    return read


def postgres_outbox():
    """The test database as the workers leave it (the test is transactional: their commits are seen)."""
    return {key: (status, attempts) for key, status, attempts in
            Outbox.objects.values_list("idempotency_key", "status", "attempts")}


def test_a_worker_killed_mid_send_on_sqlite_loses_no_message_and_repeats_only_with_the_same_key(
        tmp_path, receiver, workers, vendor):
    if vendor == "postgresql":
        pytest.skip("the SQLite run covers SQLite; on PostgreSQL the test below runs instead")
    database = copy_database(migrated_sqlite(tmp_path), tmp_path / "duban.sqlite3")
    kill_mid_send(sqlite_url(database), sqlite_outbox(database), receiver, workers)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_send_on_postgres_loses_no_message_and_repeats_only_with_the_same_key(
        receiver, workers):
    kill_mid_send(child.env()["DATABASE_URL"], postgres_outbox, receiver, workers)


def kill_mid_send(url, outbox, receiver, workers):
    """Messages from real events; a worker killed while the receiver holds one of them; another
    worker, after the lease; then what the receiver got and what the outbox says."""
    setup = [sys.executable, "-m", "tests.backup.city", "supervise", str(TICKETS), f"{receiver.url}/robot"]
    done = subprocess.run(setup, cwd=ROOT, env=child_env(url), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    messages = outbox()
    assert len(messages) == 2 * TICKETS and {s for s, _a in messages.values()} == {"pending"}

    env = child_env(url, NOTIFY_SMS_URL=f"{receiver.url}/sms", NOTIFY_LEASE_SECONDS=str(LEASE_SECONDS),
                    NOTIFY_TIMEOUT_SECONDS="60", DELIVER_EVERY_SECONDS="1", SWEEP_EVERY_SECONDS="3600",
                    CHECKPOINT_EVERY_SECONDS="3600")
    first = workers(env)
    wait_for(lambda: receiver.holding.is_set() or first.poll() is not None, 120, "the first worker to send")
    assert first.poll() is None, first.stderr.read().decode()
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    receiver.release.set()

    held_key = receiver.deliveries()[HOLD_AT - 1][1]
    after_kill = outbox()
    assert after_kill[held_key][0] == "sending"  # delivered, but the dead worker never recorded it
    assert sum(status == "sent" for status, _a in after_kill.values()) == HOLD_AT - 1

    second = workers(env)
    wait_for(lambda: {s for s, _a in outbox().values()} == {"sent"} or second.poll() is not None, 120,
             "the second worker to send the rest")
    assert second.poll() is None, second.stderr.read().decode()

    deliveries = receiver.deliveries()
    keys = [key for _path, key, _body in deliveries]
    assert None not in keys  # every delivery carries its key
    assert set(keys) == set(messages)  # every message delivered, nothing else
    repeated = {key for key in keys if keys.count(key) > 1}
    assert repeated == {held_key} and keys.count(held_key) == 2  # only the one in flight, with the same key
    first_time, second_time = [(path, body) for path, key, body in deliveries if key == held_key]
    assert first_time == second_time  # the same message, so the receiver may drop the repeat
    assert {path for path, _key, _body in deliveries} == {"/robot", "/sms"}
    assert set(outbox().values()) == {("sent", 1)}


class LeaseTests(DubanTestCase):
    """The lease handed over: a worker slower than its lease neither sends nor records what another
    worker has taken since."""

    def setUp(self):
        self.receiver = test_outbox.Receiver()
        self.addCleanup(self.receiver.stop)
        ticket = self.dispatched_ticket()
        Endpoint.objects.create(unit=self.chengguan, transport="wecom", url=f"{self.receiver.url}/robot")
        perform(ticket, "supervise", self.supervisor, text="三日内清走", due=timezone.now() + timedelta(days=3))

    def test_a_worker_whose_lease_was_taken_over_neither_sends_nor_records(self):
        now = timezone.now()
        [message] = claim(now, 10, "slow")
        later = now + timedelta(seconds=settings.NOTIFY_LEASE_SECONDS + 1)
        self.assertEqual(len(claim(later, 10, "next")), 1)  # the slow worker's lease ran out
        self.assertIsNone(send(message, now, "slow"))
        self.assertEqual(self.receiver.requests, [])
        self.assertEqual(send(message, later, "next"), "sent")
        self.assertEqual(len(self.receiver.requests), 1)
        self.assertEqual(Outbox.objects.get().claimed_by, "next")

    def test_a_worker_records_nothing_over_the_outcome_of_the_worker_that_took_over(self):
        now = timezone.now()
        [message] = claim(now, 10, "slow")
        Outbox.objects.update(claimed_by="next", status="sent", claimed_until=None)  # taken over and sent
        self.assertIsNone(send(message, now, "slow"))
        self.assertEqual(Outbox.objects.get().status, "sent")
        self.assertEqual(self.receiver.requests, [])

"""Messages leave through the outbox: delivered, retried with backoff, or failed for admins to see."""
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from duban.notify.models import Endpoint, Outbox
from duban.notify.outbox import deliver_due, enqueue
from tests.base import DubanTestCase


class Receiver:
    """A real HTTP server on loopback that records what it gets and answers as told: `answer(request)`
    → (status, JSON), called in the request's thread, or else the queued `answers`, or else 200."""

    def __init__(self, answer=None):
        self.requests, self.answers = [], []
        receiver = self
        answer = answer or (lambda request: self.answers.pop(0) if self.answers else (200, {"errcode": 0}))

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
                receiver.requests.append(request)
                status, reply = answer(request)
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class OutboxTests(DubanTestCase):
    def setUp(self):
        self.receiver = Receiver()
        self.addCleanup(self.receiver.stop)
        self.ticket = self.dispatched_ticket()
        self.event = self.ticket.events.last()

    def robot(self, transport="wecom", secret=""):
        return Endpoint.objects.create(unit=self.chengguan, transport=transport, url=f"{self.receiver.url}/robot",
                                       secret=secret)

    def enqueue(self, people=(), units=()):
        return enqueue(self.event, people=people, units=units, template="supervision",
                       context={"ticket": self.ticket, "demand": "三日内清走僵尸车", "due": timezone.now()})

    def test_a_wecom_robot_gets_the_message_with_its_idempotency_key(self):
        self.robot()
        self.enqueue(units=[self.chengguan])
        self.assertEqual(deliver_due(), 1)
        request = self.receiver.requests[0]
        self.assertEqual(request["json"]["msgtype"], "text")
        self.assertIn(self.ticket.number, request["json"]["text"]["content"])
        message = Outbox.objects.get()
        self.assertEqual(request["headers"]["Idempotency-Key"], message.idempotency_key)
        self.assertEqual((message.status, message.attempts), ("sent", 1))

    def test_a_dingtalk_robot_with_a_secret_gets_a_signed_request(self):
        self.robot("dingtalk", secret="SEC123")
        self.enqueue(units=[self.chengguan])
        deliver_due()
        query = parse_qs(urlparse(self.receiver.requests[0]["path"]).query)
        self.assertEqual(set(query), {"timestamp", "sign"})

    @override_settings(NOTIFY_SMS_URL="")
    def test_sms_without_a_gateway_fails_permanently_and_visibly(self):
        self.unit_head.phone = "13900001111"
        self.enqueue(people=[self.unit_head])
        deliver_due()
        message = Outbox.objects.get()
        self.assertEqual(message.status, "failed")
        self.assertIn("NOTIFY_SMS_URL", message.last_error)

    def test_sms_goes_to_the_gateway(self):
        self.unit_head.phone = "13900001111"
        with override_settings(NOTIFY_SMS_URL=f"{self.receiver.url}/sms"):
            self.enqueue(people=[self.unit_head])
            deliver_due()
        self.assertEqual(self.receiver.requests[0]["json"]["phone"], "13900001111")
        self.assertIn("三日内清走僵尸车", self.receiver.requests[0]["json"]["text"])

    def test_a_server_error_is_retried_with_backoff_until_it_is_sent(self):
        self.robot()
        self.receiver.answers = [(500, {}), (503, {})]
        self.enqueue(units=[self.chengguan])
        now = timezone.now()
        deliver_due(now)
        message = Outbox.objects.get()
        self.assertEqual((message.status, message.attempts), ("pending", 1))
        self.assertEqual(deliver_due(now), 0)  # not due again yet
        deliver_due(message.next_attempt_at)
        second = Outbox.objects.get()
        self.assertGreater(second.next_attempt_at - message.next_attempt_at, timedelta(seconds=60))
        deliver_due(second.next_attempt_at)
        self.assertEqual(Outbox.objects.get().status, "sent")
        self.assertEqual(len(self.receiver.requests), 3)

    def test_a_refusal_fails_at_once_with_the_reason_for_admins(self):
        self.robot()
        self.receiver.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
        self.enqueue(units=[self.chengguan])
        deliver_due()
        message = Outbox.objects.get()
        self.assertEqual(message.status, "failed")
        self.assertIn("93000", message.last_error)

    def test_a_message_claimed_by_a_dead_worker_is_sent_again_with_the_same_key(self):
        self.robot()
        self.enqueue(units=[self.chengguan])
        now = timezone.now()
        Outbox.objects.update(status="sending", claimed_by="dead", claimed_until=now - timedelta(seconds=1))
        deliver_due(now)
        message = Outbox.objects.get()
        self.assertEqual(message.status, "sent")
        self.assertEqual(self.receiver.requests[0]["headers"]["Idempotency-Key"], message.idempotency_key)

    def test_email_is_sent_with_an_idempotency_header(self):
        self.unit_head.email = "zhou@chengguan.example.cn"
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self.enqueue(people=[self.unit_head])
            deliver_due()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["zhou@chengguan.example.cn"])
        self.assertIn("X-Idempotency-Key", mail.outbox[0].extra_headers)

    def test_enqueueing_the_same_event_twice_writes_nothing_new(self):
        self.robot()
        self.enqueue(units=[self.chengguan])
        self.enqueue(units=[self.chengguan])
        self.assertEqual(Outbox.objects.count(), 1)

    def test_a_message_rolls_back_with_its_event(self):
        self.robot()
        with self.assertRaises(RuntimeError), transaction.atomic():
            self.enqueue(units=[self.chengguan])
            raise RuntimeError("the event's transaction fails")
        self.assertEqual(Outbox.objects.count(), 0)

    def test_people_without_a_contact_are_skipped(self):
        self.assertEqual(self.enqueue(people=[self.outsider]), 0)


class City:
    pass


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_each_message_once():
    from tests.base import build_city
    from duban.ledger.machine import perform, receive
    build_city(City)
    receiver = Receiver()
    try:
        Endpoint.objects.create(unit=City.chengguan, transport="wecom", url=f"{receiver.url}/robot")
        for i in range(40):
            ticket = receive(actor=City.dispatcher, kind="complaint", category=City.zombie_car,
                             channel=City.hotline_channel, title=f"工单{i}", description="并发发送", area=City.grid)
            event = perform(ticket, "dispatch", City.dispatcher)
            enqueue(event, units=[City.chengguan], template="supervision",
                    context={"ticket": ticket, "demand": "尽快办理", "due": timezone.now()})
        from django.db import connection
        connection.close()

        def work():
            try:
                for _ in range(30):
                    deliver_due(limit=3)
            finally:
                connection.close()  # this thread's own connection

        workers = [threading.Thread(target=work) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        keys = [r["headers"]["Idempotency-Key"] for r in receiver.requests]
        assert len(keys) == len(set(keys)) == 40
        assert Outbox.objects.filter(status="sent").count() == 40
    finally:
        receiver.stop()

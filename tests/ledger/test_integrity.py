"""The ledger's history cannot be rewritten unnoticed."""
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from duban.ledger.integrity import make_checkpoint, verify
from duban.lib.chain import link
from duban.ledger.machine import perform
from duban.ledger.models import Event, Ticket
from tests.base import DubanTestCase


def tamper(sql, params=()):
    """Run SQL as someone with direct access to the database, the append-only triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off, as a superuser can
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER ledger_event_append_only")
            cursor.execute(sql, params)
            cursor.execute("CREATE TRIGGER ledger_event_append_only BEFORE UPDATE ON ledger_event "
                           "BEGIN SELECT RAISE(ABORT, 'append-only'); END;")


def delete_ticket(ticket):
    tamper("DELETE FROM triage_band WHERE fingerprint_id = %s", [ticket.pk])
    tamper("DELETE FROM triage_fingerprint WHERE ticket_id = %s", [ticket.pk])
    tamper("DELETE FROM ledger_attachment WHERE ticket_id = %s", [ticket.pk])
    tamper("DELETE FROM ledger_event WHERE ticket_id = %s", [ticket.pk])
    tamper("DELETE FROM ledger_ticket_co_units WHERE ticket_id = %s", [ticket.pk])
    tamper("DELETE FROM ledger_ticket WHERE id = %s", [ticket.pk])


class IntegrityTests(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = cls.resolved_ticket()
        cls.second = cls.dispatched_ticket()
        cls.third = cls.new_ticket()

    def test_an_intact_ledger_verifies(self):
        make_checkpoint(margin_seconds=0)
        report = verify()
        self.assertTrue(report.ok, report.problems)
        self.assertEqual((report.tickets, report.events, report.checkpoints), (3, 7, 1))

    def test_an_edited_event_is_named(self):
        event = self.first.events.get(action="resolve")
        tamper("UPDATE ledger_event SET payload = %s WHERE id = %s", ['{"resolution": "早就办好了"}', event.pk])
        report = verify()
        self.assertEqual(report.broken_tickets, [self.first.number])
        self.assertIn("changed", report.problems[0][1])

    def test_an_edited_event_with_a_recomputed_chain_is_caught_by_the_checkpoint(self):
        make_checkpoint(margin_seconds=0)
        event = self.third.events.get()
        event.payload = {**event.payload, "title": "改过的标题"}
        new_hash = link(event.prev_hash, event.content(self.third.number))
        tamper("UPDATE ledger_event SET payload = %s, hash = %s WHERE id = %s",
               [json.dumps(event.payload), new_hash, event.pk])
        Ticket.objects.filter(pk=self.third.pk).update(head_hash=new_hash)
        report = verify()
        self.assertEqual(report.broken_tickets, [self.third.number])
        self.assertTrue(any("checkpoint" in message for _, message in report.problems))

    def test_a_deleted_event_is_named(self):
        tamper("DELETE FROM ledger_event WHERE ticket_id = %s AND seq = 2", [self.second.pk])
        self.assertEqual(verify().broken_tickets, [self.second.number])

    def test_reordered_events_are_named(self):
        events = list(self.first.events.order_by("seq"))
        tamper("UPDATE ledger_event SET seq = 99 WHERE id = %s", [events[1].pk])
        tamper("UPDATE ledger_event SET seq = 2 WHERE id = %s", [events[2].pk])
        tamper("UPDATE ledger_event SET seq = 3 WHERE id = %s", [events[1].pk])
        self.assertEqual(verify().broken_tickets, [self.first.number])

    def test_a_deleted_ticket_is_caught_by_the_checkpoint(self):
        make_checkpoint(margin_seconds=0)
        delete_ticket(self.second)
        report = verify()
        self.assertEqual(report.broken_tickets, [self.second.number])
        self.assertTrue(any("deleted" in message for _, message in report.problems))

    def test_a_cached_state_that_disagrees_with_the_history_is_named(self):
        Ticket.objects.filter(pk=self.second.pk).update(state="closed")
        self.assertEqual(verify().broken_tickets, [self.second.number])

    def test_checkpoints_cover_only_events_older_than_the_margin(self):
        self.assertIsNone(make_checkpoint(margin_seconds=3600))
        checkpoint = make_checkpoint(margin_seconds=0)
        self.assertEqual(checkpoint.event_count, 7)
        perform(self.third, "dispatch", self.dispatcher)
        self.assertEqual(make_checkpoint(margin_seconds=0).event_count, 8)
        self.assertIsNone(make_checkpoint(margin_seconds=0))
        self.assertTrue(verify().ok)

    def test_verify_ledger_exits_zero_when_intact_and_one_naming_the_ticket_when_not(self):
        out = StringIO()
        call_command("verify_ledger", stdout=out)
        self.assertIn("3 tickets", out.getvalue())
        tamper("UPDATE ledger_event SET action = 'close' WHERE ticket_id = %s AND seq = 1", [self.third.pk])
        err = StringIO()
        with self.assertRaises(SystemExit) as exit_:
            call_command("verify_ledger", stdout=StringIO(), stderr=err)
        self.assertEqual(exit_.exception.code, 1)
        self.assertIn(self.third.number, err.getvalue())


class AppendOnlyTests(DubanTestCase):
    def test_the_application_cannot_update_or_delete_an_event(self):
        event = self.new_ticket().events.get()
        with self.assertRaises(PermissionError):
            event.save()
        with self.assertRaises(PermissionError):
            event.delete()
        with self.assertRaises(PermissionError):
            Event.objects.filter(pk=event.pk).update(action="x")
        with self.assertRaises(PermissionError):
            Event.objects.all().delete()

    def test_the_application_cannot_delete_a_ticket(self):
        with self.assertRaises(PermissionError):
            self.new_ticket().delete()

    def test_the_database_refuses_an_update_of_an_event(self):
        event = self.new_ticket().events.get()
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE ledger_event SET action = 'x' WHERE id = %s", [event.pk])
        self.assertEqual(Event.objects.get(pk=event.pk).action, "receive")

    @pytest.mark.postgres
    def test_postgres_refuses_deleting_an_event(self):
        event = self.new_ticket().events.get()
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM ledger_event WHERE id = %s", [event.pk])
        self.assertTrue(Event.objects.filter(pk=event.pk).exists())

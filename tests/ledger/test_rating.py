"""Ratings (好差评): the reporter's verdict on a closed matter, once per closing, as a ledger event."""
from duban.ledger.integrity import verify
from duban.ledger.machine import TransitionError, allowed_actions, perform
from duban.ledger.models import Rating, State
from tests.base import DubanTestCase, photo


class RatingTests(DubanTestCase):
    def closed(self):
        ticket = self.resolved_ticket()
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        return ticket

    def test_the_reporter_rates_a_closed_ticket_and_the_state_stays_closed(self):
        ticket = self.closed()
        event = perform(ticket, "rate", None, rating=Rating.SATISFIED, solved=True, text="车已拖走")
        self.assertEqual((event.action, event.from_state, event.to_state), ("rate", State.CLOSED, State.CLOSED))
        self.assertEqual(event.payload, {"rating": 4, "solved": True, "contacted": None, "note": "车已拖走",
                                         "via": "reporter", "unit": self.chengguan.pk})
        self.assertTrue(verify().ok)

    def test_a_rating_must_be_one_of_the_five_levels(self):
        ticket = self.closed()
        for wrong in (None, 0, 6, "5", True):
            with self.subTest(rating=wrong), self.assertRaises(TransitionError):
                perform(ticket, "rate", None, rating=wrong)

    def test_each_closing_is_rated_once(self):
        ticket = self.closed()
        perform(ticket, "rate", None, rating=Rating.VERY_DISSATISFIED, solved=False)
        with self.assertRaises(TransitionError):
            perform(ticket, "rate", None, rating=Rating.VERY_SATISFIED)
        self.assertNotIn("rate", [t.action for t in allowed_actions(self.dispatcher, ticket)])

    def test_a_reopened_matter_closed_again_may_be_rated_again(self):
        ticket = self.closed()
        perform(ticket, "rate", None, rating=Rating.DISSATISFIED, solved=False)
        perform(ticket, "reopen", self.supervisor, reason="回访称车还在")
        perform(ticket, "acknowledge", self.handler)
        perform(ticket, "resolve", self.handler, text="已再次拖离", files=[photo()])
        perform(ticket, "verify", self.supervisor)
        perform(ticket, "close", self.supervisor)
        perform(ticket, "rate", None, rating=Rating.SATISFIED, solved=True)
        self.assertEqual(ticket.events.filter(action="rate").count(), 2)

    def test_an_open_ticket_cannot_be_rated(self):
        ticket = self.resolved_ticket()
        with self.assertRaises(TransitionError):
            perform(ticket, "rate", None, rating=Rating.SATISFIED)

    def test_the_hotline_records_a_call_backs_rating_but_the_unit_may_not_rate_itself(self):
        ticket = self.closed()
        self.assertIn("rate", [t.action for t in allowed_actions(self.dispatcher, ticket)])
        self.assertNotIn("rate", [t.action for t in allowed_actions(self.handler, ticket)])
        with self.assertRaises(TransitionError):
            perform(ticket, "rate", self.handler, rating=Rating.VERY_SATISFIED)
        event = perform(ticket, "rate", self.dispatcher, rating=Rating.BASICALLY_SATISFIED)
        self.assertEqual(event.payload["via"], "call_back")

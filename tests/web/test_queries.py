"""The pages ask the database the same number of questions for 5 rows as for 50 (no N+1)."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.ledger.machine import perform
from tests.base import DubanTestCase, photo


class QueryCountTests(DubanTestCase):
    def queries(self, url, shown):
        self.client.get(url)  # the first request reads the calendar into the process's cache
        with CaptureQueriesContext(connection) as captured:
            page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        # The rows are on the page, so every query their showing needs was made.
        self.assertTrue(shown in page.content.decode(), f"{url} does not show {shown}")
        return len(captured)

    def assert_flat(self, person, url, add_rows, marker="僵尸车"):
        """Compare the queries for the page with 5 rows and with 50 (rows `add_rows` titles marker + i)."""
        self.client.force_login(person)
        add_rows(5)
        few = self.queries(url, f"{marker}4")
        add_rows(45)
        self.assertEqual(self.queries(url, f"{marker}44"), few, url)

    def test_the_units_queue(self):
        self.assert_flat(self.handler, reverse("web:work"),
                         lambda n: [self.dispatched_ticket(title=f"僵尸车{i}") for i in range(n)])

    def test_the_leaders_stewardship(self):
        self.assert_flat(self.steward, reverse("web:steward"),
                         lambda n: [self.dispatched_ticket(title=f"僵尸车{i}") for i in range(n)])

    def test_the_tickets_waiting_for_dispatch(self):
        self.assert_flat(self.dispatcher, reverse("web:received"),
                         lambda n: [self.new_ticket(title=f"僵尸车{i}") for i in range(n)])

    def test_the_returns(self):
        def returned(n):
            for i in range(n):
                ticket = self.dispatched_ticket(title=f"僵尸车{i}")
                perform(ticket, "return", self.handler, reason="不属本单位")
        self.assert_flat(self.dispatcher, reverse("web:returned"), returned)

    def test_the_supervisors_lists(self):
        def resolved(n):
            for i in range(n):
                ticket = self.dispatched_ticket(title=f"僵尸车{i}")
                perform(ticket, "acknowledge", self.handler)
                perform(ticket, "request_extension", self.handler, reason="需协调", days=3)
        self.assert_flat(self.supervisor, reverse("web:oversight") + "?tab=requests", resolved)

    def test_the_ticket_page_with_a_long_timeline(self):
        ticket = self.dispatched_ticket()

        def notes(n):
            for i in range(n):
                perform(ticket, "note", self.co_handler if i % 2 else self.handler, text=f"进展{i}",
                        files=[photo(seed=i)] if i % 5 == 0 else [])
        self.assert_flat(self.handler, reverse("web:ticket", args=[ticket.number]), notes, marker="进展")

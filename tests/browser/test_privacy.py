"""What the browser receives never names a reporter to those who may not know them: the citizen's
tracking page, an outsider's pages, and a whistle-blower's report to the unit it accuses."""
import pytest
from playwright.sync_api import expect

from duban.ledger.machine import perform
from duban.ledger.models import Ticket
from tests.browser.pages import PHONE_NUMBER, REPORTER, open_from, report, track

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def assert_no_reporter(page):
    html = page.content()  # the markup, attributes and all, not just the text shown
    assert PHONE_NUMBER not in html, f"{page.url} shows the reporter's phone"
    assert REPORTER not in html, f"{page.url} shows the reporter's name"


def test_only_those_allowed_see_who_reported_wrongdoing(city, walk):
    matter = "富强小区东门商户长期占道经营"
    number = report(walk, walk.visitor(), f"我的电话{PHONE_NUMBER}，举报{matter}，有人收取好处费。", kind="report")
    perform(Ticket.objects.get(number=number), "dispatch", city.dispatcher, unit=city.chengguan)

    assert_no_reporter(track(walk, number))

    outsider = walk.login(city.outsider)
    for what, path in (("queue", "/work/"), ("stewardship", "/steward/"), ("ticket", f"/tickets/{number}/"),
                       ("find", f"/tickets/?number={number}")):
        outsider.goto(path)
        walk.shot(outsider, f"outsider-{what}")
        assert_no_reporter(outsider)
        assert matter not in outsider.content()  # nothing of the matter at all

    handler = walk.login(city.handler)  # the unit that handles a report of wrongdoing never learns who made it
    open_from(walk, handler, "/work/", number, "handler")
    walk.shot(handler, "handler-ticket")
    assert_no_reporter(handler)

    reader = walk.login(city.whistle_reader)
    reader.goto(f"/tickets/{number}/")
    walk.shot(reader, "whistle-reader-ticket")
    expect(reader.locator("#reporter-phone")).to_have_text(PHONE_NUMBER)
    expect(reader.locator("#reporter-name")).to_have_text(REPORTER)

"""A matter's whole life in a real browser, and a return that the dispatcher reassigns: the pages
show each state, and the ledger holds the events in order."""
import pytest
from playwright.sync_api import expect

from duban.ledger import integrity
from duban.ledger.machine import perform
from duban.ledger.models import Event, State, Ticket
from tests.base import png_bytes
from tests.browser.conftest import PHONE
from tests.browser.pages import open_from, press, report, track

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def actions_of(ticket):
    return list(Event.objects.filter(ticket=ticket).order_by("seq").values_list("action", flat=True))


def test_a_matter_from_report_to_rating(city, walk):
    citizen = walk.visitor()
    number = report(walk, citizen, "富强小区东门一辆白色轿车停了半年，落满灰尘，占了消防通道。")
    assert Ticket.objects.get(number=number).state == State.RECEIVED

    dispatcher = walk.login(city.dispatcher)
    open_from(walk, dispatcher, "/hotline/received/", number, "dispatcher")
    expect(dispatcher.locator("#duplicates")).to_be_visible()  # htmx asked for the triage
    press(walk, dispatcher, "dispatch", State.DISPATCHED, "dispatcher", category="城市管理 › 停车秩序 › 僵尸车")
    expect(dispatcher.locator("#ticket-lead-unit")).to_have_text("城市管理行政执法局")

    handler = walk.login(city.handler, viewport=PHONE)  # out on the street
    open_from(walk, handler, "/work/", number, "handler")
    press(walk, handler, "acknowledge", State.ACKNOWLEDGED, "handler")
    press(walk, handler, "resolve", State.RESOLVED, "handler", text="已联系车主将车辆拖离，消防通道已畅通。",
          files=[("拖离后.png", png_bytes(1))])

    supervisor = walk.login(city.supervisor)
    open_from(walk, supervisor, "/oversight/", number, "supervisor")
    press(walk, supervisor, "verify", State.VERIFIED, "supervisor", text="现场核查属实")
    press(walk, supervisor, "close", State.CLOSED, "supervisor")

    followed = track(walk, number)
    expect(followed.locator("#followed-state")).to_have_attribute("data-state", State.CLOSED)
    expect(followed.locator("#steps")).to_contain_text("已联系车主将车辆拖离")  # the unit's reply
    followed.check("#rate-form input[name=contacted][value=yes]")
    followed.check("#rate-form input[name=solved][value=yes]")
    followed.get_by_label("非常满意").check()
    followed.click("#rate-submit")
    expect(followed.locator("#messages")).to_contain_text("感谢您的评价")
    expect(followed.locator("#rate-form")).to_have_count(0)
    walk.shot(followed, "citizen-rated")

    ticket = Ticket.objects.get(number=number)
    assert (ticket.state, ticket.lead_unit) == (State.CLOSED, city.chengguan)
    assert actions_of(ticket) == ["receive", "dispatch", "acknowledge", "resolve", "verify", "close", "rate"]
    assert ticket.events.get(action="rate").payload["rating"] == 5
    assert ticket.attachment_set.count() == 2  # the citizen's photo and the evidence
    assert integrity.verify().ok


def test_a_unit_returns_the_matter_and_the_dispatcher_reassigns_it(city, walk):
    number = report(walk, walk.visitor(), "小区门口有车辆长期违停，影响通行。")
    perform(Ticket.objects.get(number=number), "dispatch", city.dispatcher, unit=city.chengguan)

    handler = walk.login(city.handler)
    open_from(walk, handler, "/work/", number, "handler")
    press(walk, handler, "return", State.RETURNED, "handler", reason="停车秩序属交警支队职责")

    dispatcher = walk.login(city.dispatcher)
    open_from(walk, dispatcher, "/hotline/returned/", number, "dispatcher")
    expect(dispatcher.locator("#timeline")).to_contain_text("停车秩序属交警支队职责")
    press(walk, dispatcher, "reassign", State.DISPATCHED, "dispatcher", unit="交警支队", reason="退单理由成立")
    expect(dispatcher.locator("#ticket-lead-unit")).to_have_text("公安局交通警察支队")

    ticket = Ticket.objects.get(number=number)
    assert (ticket.state, ticket.lead_unit) == (State.DISPATCHED, city.jiaojing)
    assert actions_of(ticket) == ["receive", "dispatch", "return", "reassign"]
    event = Event.objects.filter(ticket=ticket).latest("seq")
    assert (event.actor, event.payload["return_upheld"]) == (city.dispatcher, True)
    assert integrity.verify().ok

"""The verdict in a real browser: the hotline calls back and hears a bad rating, the unit appeals,
a supervisor upholds the appeal; the rankings, the dashboard's charts, the bulletin page and the
public board show the month without anyone's personal data."""
import pytest
from django.test import override_settings
from playwright.sync_api import expect

from duban.figures.figures import Period, unit_figures
from duban.ledger.machine import perform
from duban.ledger.models import Event, Ticket
from duban.verdict.models import Rectification
from duban.verdict.service import rate
from tests.base import photo
from tests.browser.conftest import PHONE
from tests.browser.pages import PHONE_NUMBER, REPORTER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def closed_ticket(city, title):
    from duban.ledger.machine import receive
    ticket = receive(actor=city.dispatcher, kind="complaint", category=city.zombie_car, channel=city.hotline_channel,
                     title=title, description=f"{title}，已经很久了。", address="江南区富强小区东门", area=city.grid,
                     reporter_name=REPORTER, reporter_phone=PHONE_NUMBER)
    perform(ticket, "dispatch", city.dispatcher)
    perform(ticket, "acknowledge", city.handler)
    perform(ticket, "resolve", city.handler, text="已联系车主将车辆拖离", files=[photo()])
    perform(ticket, "verify", city.supervisor)
    perform(ticket, "close", city.supervisor)
    return ticket


@override_settings(RANKING_MIN_SAMPLE=2)
def test_a_bad_rating_heard_on_a_call_back_is_appealed_and_withdrawn(city, walk):
    ticket = closed_ticket(city, "小区门口僵尸车占道")
    for title in ("消防通道被私家车占用", "人行道上停放废弃车辆"):
        rate(closed_ticket(city, title), None, rating=5, solved=True, contacted=True)

    hotline = walk.login(city.dispatcher)
    hotline.goto("/call-backs/?tab=ordinary")
    walk.shot(hotline, "hotline-call-backs")
    hotline.click(f"[data-number='{ticket.number}'] a")
    form = hotline.locator("#action-call-back")
    form.locator("summary").click()
    for name, value in (("reached", "yes"), ("contacted", "yes"), ("solved", "yes")):
        form.locator(f"input[name={name}][value={value}]").check()
    form.get_by_label("不满意", exact=True).check()
    form.locator("textarea").fill("态度生硬，只来看了一眼")
    walk.shot(hotline, "hotline-call-back-form")
    hotline.click("#do-call-back")
    expect(hotline.locator("#messages")).to_contain_text("完成")
    rectification = Rectification.objects.get(rated=ticket).ticket
    assert rectification.lead_unit_id == city.chengguan.pk

    handler = walk.login(city.handler)
    handler.goto(f"/tickets/{ticket.number}/")
    appeal = handler.locator("#action-appeal")
    appeal.locator("summary").click()
    handler.select_option("#appeal-grounds", "malicious")
    handler.fill("#appeal-reason", "来电人与车主存在纠纷，评价与办理情况不符")
    walk.shot(handler, "handler-appeal")
    handler.click("#do-appeal")
    expect(handler.locator("#messages")).to_contain_text("完成")

    supervisor = walk.login(city.supervisor)
    supervisor.goto("/appeals/")
    walk.shot(supervisor, "supervisor-appeals")
    supervisor.click(f"[data-number='{ticket.number}'] a")
    decision = supervisor.locator("#action-uphold_appeal")
    decision.locator("summary").click()
    supervisor.fill("#uphold_appeal-reason", "经调取通话录音核实，属恶意评价，不计入考核")
    supervisor.click("#do-uphold_appeal")
    expect(supervisor.locator("#messages")).to_contain_text("完成")
    walk.shot(supervisor, "supervisor-upheld")
    assert Event.objects.filter(ticket=ticket, action="uphold_appeal").exists()

    month = Period.month(ticket.updated_at.strftime("%Y-%m"))
    assert unit_figures(month)[city.chengguan.pk].sample == 2  # the withdrawn rating counts nowhere

    supervisor.goto(f"/rankings/?month={month.label}")
    row = supervisor.locator(f"[data-unit='{city.chengguan.name}']").first
    expect(row).to_contain_text("100")
    walk.shot(supervisor, "supervisor-rankings")
    supervisor.goto(f"/dashboard/?month={month.label}")
    expect(supervisor.locator("#chart-trend canvas")).to_have_count(1)  # ECharts drew the trend
    walk.shot(supervisor, "supervisor-dashboard")
    supervisor.goto(f"/bulletins/?month={month.label}")
    expect(supervisor.locator("#download-pdf")).to_be_visible()
    walk.shot(supervisor, "supervisor-bulletins")

    citizen = walk.visitor(PHONE)
    citizen.goto(f"/board/?month={month.label}")
    expect(citizen.locator(f"[data-unit='{city.chengguan.name}']").first).to_be_visible()
    walk.shot(citizen, "public-board")
    content = citizen.content()
    assert REPORTER not in content and PHONE_NUMBER not in content and PHONE_NUMBER[-4:] not in content
    assert Ticket.objects.filter(channel__code="supervision").count() == 1

"""One project review with a blocker, in a real browser: the project secretary (365 service) files the
fortnightly review with progress, investment and one blocker naming 城管局; the blocker becomes a ticket
dispatched to 城管局 on its own clock, shown on the project's page, and 城管局 finds it in its queue."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duban.clock.calendar import work_calendar
from duban.ledger.models import Event
from duban.org.models import Person
from duban.projects import service
from duban.projects.models import Blocker, Milestone, Project
from tests.browser.conftest import PASSWORD, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def key_project(city):
    today = timezone.localdate()
    secretary = Person.objects.create_user("xmms", password=PASSWORD, name="刘秘书", role="handler",
                                           unit=city.jiangnan)
    project = Project.objects.create(
        name="年产15万吨碳纤维原丝项目", code="cf-150k", district=city.jiangnan, kind=Project.Kind.INDUSTRIAL,
        planned_investment=Decimal("500000"), completed_investment=Decimal("120000"), progress=30,
        stage=Project.Stage.CONSTRUCTION, chief=city.steward, secretary=secretary, unit=city.jiangnan,
        starts_on=today - timedelta(days=120), started_on=today - timedelta(days=120),
        ends_on=today + timedelta(days=300), description="建设聚合、原液和纺丝车间，分两期建设。")
    Milestone.objects.create(project=project, name="取得施工许可证", order=1, planned_on=today - timedelta(days=130),
                             done_on=today - timedelta(days=125), progress=100)
    structure = Milestone.objects.create(project=project, name="纺丝车间主体结构完成", order=2,
                                         planned_on=today + timedelta(days=40), progress=60)
    service.steward(project)
    return project, secretary, structure


def test_one_project_review_with_a_blocker(city, walk):
    project, secretary, structure = key_project(city)

    page = walk.login(secretary)
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator("#project-light [data-light]")).to_have_attribute("data-light", "green")
    walk.shot(page, "secretary-project")
    page.click("#file-review")
    page.fill("#review-progress", "36")
    page.fill("#review-investment_completed", "138000")
    page.fill("#review-summary", "纺丝车间主体结构已完成70%，聚合和原液车间主体结构完成30%。")
    page.fill(f"#review-milestone-{structure.pk}-progress", "70")
    page.select_option("#review-blocker-1-kind", "land")
    page.fill("#review-blocker-1-unit", "城管局")
    page.fill("#review-blocker-1-description", "二期用地范围内3处违章建筑尚未拆除，影响场地平整。")
    walk.shot(page, "secretary-review-form")
    page.click("#review-submit")

    expect(page).to_have_url(f"{walk.base_url}/projects/{project.pk}/")
    blocker = Blocker.objects.select_related("ticket").get()
    ticket = blocker.ticket
    assert (ticket.lead_unit_id, ticket.state, ticket.kind, ticket.channel.code) == \
           (city.chengguan.pk, "dispatched", "help", "supervision")
    assert ticket.resolve_due_at == work_calendar().add_workdays(blocker.review.filed_at, 5)
    source = Event.objects.get(ticket=ticket, seq=1).payload["source"]
    assert source == {"project": project.pk, "review": blocker.review_id}
    expect(page.locator("#messages")).to_contain_text(ticket.number)
    row = page.locator(f"[data-testid=blocker-row][data-number='{ticket.number}']")
    expect(row).to_have_attribute("data-state", "dispatched")
    expect(row.locator("[data-testid=blocker-unit]")).to_have_text(city.chengguan.name)
    expect(row.locator("[data-clock]")).to_have_attribute("data-clock", "green")
    expect(page.locator("#project-light [data-light]")).to_have_attribute("data-light", "red")
    expect(page.locator("#project-progress")).to_have_text("36%")
    walk.shot(page, "secretary-project-blocked")
    page.click(f"#blocker-ticket-{blocker.pk}")
    expect(page.locator("#ticket-number")).to_have_text(ticket.number)
    walk.shot(page, "secretary-blocker-ticket")

    handler = walk.login(city.handler, viewport=PHONE)
    handler.goto("/work/")
    expect(handler.locator(f"[data-number='{ticket.number}']").first).to_be_visible()
    walk.shot(handler, "handler-queue")
    handler.goto(f"/projects/{project.pk}/")
    expect(handler.locator(f"[data-testid=blocker-row][data-number='{ticket.number}']")).to_be_visible()
    assert handler.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    walk.shot(handler, "handler-project-phone")

    supervisor = walk.login(city.supervisor)
    supervisor.goto("/projects/")
    expect(supervisor.locator(f"[data-project='{project.pk}']")).to_have_attribute("data-light", "red")
    expect(supervisor.locator("[data-testid=race-row][data-district='江南区']")).to_have_attribute("data-rank", "1")
    walk.shot(supervisor, "supervisor-board")

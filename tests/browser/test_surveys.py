"""A review survey in a real browser: a supervisor makes invitations (links and QR codes), a citizen
answers one on a 375-px phone — told per question what is missing, with big tap targets and no
sideways scrolling — cannot answer twice, and the supervisor sees the result per unit."""
import pytest
from playwright.sync_api import expect

from duban.surveys import service
from duban.surveys.models import Respondent, Response, Survey
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
K = service.Kind
TAP = 44  # px: the smallest comfortable tap target


def open_survey(city):
    survey = Survey.objects.create(
        title="2025年度市直部门作风建设大评议", audience="企业和群众", anonymous=True, created_by=city.supervisor,
        intro="市委作风建设年工作专班组织企业和群众对市直部门进行“大遍访大评议”，评议不记名，结果纳入部门考核。")
    survey.units.set([city.chengguan, city.jiaojing])
    questions = {
        "overall": service.add_question(survey, K.SCALE, "您对市直部门作风建设的总体评价"),
        "each": service.add_question(survey, K.UNIT_SCALE, "请对以下部门的工作作风和服务质量分别评价"),
        "most": service.add_question(survey, K.MOST_SATISFIED, "您最满意的部门"),
        "problems": service.add_question(survey, K.MULTIPLE, "您在办事过程中遇到过哪些问题？",
                                         choices=["办事效率低", "推诿扯皮", "多头跑、反复跑", "没有遇到以上问题"]),
        "advice": service.add_question(survey, K.TEXT, "您对改进机关作风有什么意见和建议？", required=False),
    }
    service.set_status(survey, Survey.Status.OPEN)
    return survey, questions


def tap(page, name, value):
    """Tap the whole option (its label), as a thumb would."""
    page.locator(f"label:has(input[name='{name}'][value='{value}'])").click()


def test_one_survey_answered_on_a_phone_sized_screen(city, walk):
    survey, q = open_survey(city)

    supervisor = walk.login(city.supervisor)
    supervisor.goto(f"/surveys/{survey.pk}/invitations/")
    supervisor.fill("#invite-count", "2")
    walk.shot(supervisor, "supervisor-invitations")
    supervisor.click("#invite-submit")
    expect(supervisor.locator("[data-testid=invitation-link]")).to_have_count(2)
    expect(supervisor.locator(".survey-qr svg").first).to_be_visible()
    walk.shot(supervisor, "supervisor-links-and-qr-codes")
    link = supervisor.locator(".survey-link-url a").first.get_attribute("href")

    phone = walk.visitor(PHONE)
    phone.goto(link)
    expect(phone.locator("#survey-title")).to_have_text(survey.title)
    expect(phone.locator("#survey-promise")).to_contain_text("匿名")
    walk.shot(phone, "citizen-questionnaire")

    tap(phone, f"q{q['overall'].pk}", 4)
    phone.click("#answer-submit")
    expect(phone.locator("#answer-errors")).to_contain_text("3")
    expect(phone.locator(f"#q{q['each'].pk}-error")).to_contain_text("请为每个单位评分")
    expect(phone.locator(f"#q{q['most'].pk}-error")).to_contain_text("请选择一个单位")
    expect(phone.locator(f"#q{q['problems'].pk}-error")).to_contain_text("请至少选择一项")
    expect(phone.locator(f"input[name=q{q['overall'].pk}][value='4']")).to_be_checked()  # kept
    walk.shot(phone, "citizen-told-what-is-missing")

    each = f"q{q['each'].pk}"
    tap(phone, f"{each}-u{city.chengguan.pk}", 5)
    tap(phone, f"{each}-u{city.jiaojing.pk}", service.UNKNOWN)
    tap(phone, f"q{q['most'].pk}", city.chengguan.pk)
    problems = {c.text: c.pk for c in q["problems"].choices.all()}
    tap(phone, f"q{q['problems'].pk}", problems["推诿扯皮"])
    tap(phone, f"q{q['problems'].pk}", problems["多头跑、反复跑"])
    phone.fill(f"#q{q['advice'].pk}-text", "希望一窗受理，不要让群众多头跑。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    heights = phone.locator(".survey-option").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert min(heights) >= TAP, heights
    walk.shot(phone, "citizen-answered")
    phone.click("#answer-submit")
    expect(phone.locator("#answer-thanks")).to_contain_text("答卷已收到")
    walk.shot(phone, "citizen-thanks")

    phone.goto(link)
    expect(phone.locator("#answer-refused")).to_contain_text("每份邀请只能作答一次")
    walk.shot(phone, "citizen-cannot-answer-twice")
    assert Response.objects.count() == 1 and not Respondent.objects.exists()

    supervisor.goto(f"/surveys/{survey.pk}/results/")
    expect(supervisor.locator("#results-summary")).to_have_attribute("data-responses", "1")
    expect(supervisor.locator(f"[data-unit='{city.chengguan.name}'] .most")).to_contain_text("1 / 1")
    expect(supervisor.locator(f"[data-unit='{city.chengguan.name}'] .average")).to_contain_text("5.00")
    walk.shot(supervisor, "supervisor-results")
    supervisor.goto(f"/surveys/{survey.pk}/edit/")
    expect(supervisor.locator("#survey-locked")).to_be_visible()  # answered: the questions are fixed
    expect(supervisor.locator("[data-testid=question]")).to_have_count(5)
    walk.shot(supervisor, "supervisor-builder")

    leader = walk.visitor(PHONE)
    leader.goto("/login/")
    leader.fill("#id_username", city.steward.username)
    leader.fill("#id_password", "browser-walk")
    leader.click("#login-submit")
    leader.goto(f"/surveys/{survey.pk}/results/")
    expect(leader.locator(f"[data-unit='{city.jiaojing.name}']")).to_be_visible()
    assert leader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    walk.shot(leader, "leader-results-on-a-phone")

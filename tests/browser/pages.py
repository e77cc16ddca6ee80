"""What people do in the browser, step by step, for the walks: each step presses what a person
would press and waits for the page that answers."""
from playwright.sync_api import expect

from tests.base import png_bytes

PHONE_NUMBER = "13812345678"
REPORTER = "周大爷"


def report(walk, page, description, kind="complaint"):
    """A citizen reports a matter with a photo; the tracking number the page gives."""
    page.goto("/report/")
    page.check(f"input[name=kind][value={kind}]")
    page.fill("#report-description", description)
    page.fill("#report-address", "江南区富强小区东门")
    page.set_input_files("#report-photos", files=[{"name": "现场.png", "mimeType": "image/png",
                                                   "buffer": png_bytes()}])
    page.fill("#report-reporter_name", REPORTER)
    page.fill("#report-reporter_phone", PHONE_NUMBER)
    walk.shot(page, "citizen-report")
    page.click("#report-submit")
    number = page.locator("#tracking-number").inner_text().strip()
    walk.shot(page, "citizen-number")
    return number


def track(walk, number):
    """A citizen, on a phone that has never seen the matter, follows it by number and phone."""
    page = walk.visitor()
    page.goto("/track/")
    page.fill("#track-number", number)
    page.fill("#track-last4", PHONE_NUMBER[-4:])
    walk.shot(page, "citizen-track")
    page.click("#track-submit")
    expect(page.locator("#followed-number")).to_have_text(number)
    walk.shot(page, "citizen-followed")
    return page


def open_from(walk, page, listing, number, who):
    """Open the ticket from a list it must be on."""
    page.goto(listing)
    walk.shot(page, f"{who}-list")
    page.click(f"#open-{number}")
    expect(page.locator("#ticket-number")).to_have_text(number)


def press(walk, page, action, state, who, **fields):
    """Fill an action's form on the ticket page (opening it if folded), press its button and see
    the ticket reach `state`. `files` are (name, bytes) pairs."""
    form = page.locator(f"#action-{action}")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    for name, value in fields.items():
        if name == "files":
            page.set_input_files(f"#{action}-files", files=[
                {"name": file_name, "mimeType": "image/png", "buffer": data} for file_name, data in value])
        else:
            page.fill(f"#{action}-{name}", value)
    page.click(f"#do-{action}")
    expect(page.locator("#ticket-state")).to_have_attribute("data-state", state)
    walk.shot(page, f"{who}-{action}")

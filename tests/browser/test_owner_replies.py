"""The manager sends update requests; an owner replies through the link; the manager accepts one reply
and returns the other; only the accepted text reaches the next report's Appendix B."""
from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.browser.conftest import check_accessibility, fill_date
from tests.browser.journeys import sign_in
from tests.conftest import make_app
from tests.web.owners import set_up_owners

NEW_TEXT = "The toilets reopened on 3 May after the refit"
NOTE = "Please say whether the new signs are up yet"


@pytest.fixture
def owners_server(tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'browser.sqlite'}",
                   MAIL_OUTBOX=str(tmp_path / "outbox"))
    setup = set_up_owners(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", setup
    server.shutdown()
    thread.join(timeout=5)


def test_requests_replies_and_review_end_in_the_next_report(page, browser, owners_server):
    base, setup = owners_server
    sign_in(page, base, "manager")
    page.goto(f"{base}/reports/{setup.report_id}")
    page.get_by_role("link", name="Ask owners for updates before this meeting").click()
    assert check_accessibility(page) == []
    page.get_by_role("link", name="Send requests to 2 owners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send update requests")
    expect(page.get_by_label("Day")).not_to_have_value("")  # two weeks before the meeting, filled in
    assert check_accessibility(page) == []
    page.get_by_role("button", name="Send the requests").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 requests sent: 0 by email, 2 written to the outbox")

    page.get_by_role("link", name="Messages sent and written to the outbox").first.click()
    assert check_accessibility(page) == []
    jo = page.locator("[data-testid=message]", has_text="Jo Bloggs")
    jo.get_by_text("Read the message").click()
    link = re.search(r"http://\S+/reply/\S+", jo.locator("[data-testid=message-body]").inner_text()).group(0)

    # The owner, with no account session: the link is the key.
    owner_context = browser.new_context()
    owner = owner_context.new_page()
    owner.goto(link)
    expect(owner.get_by_role("heading", level=1)).to_contain_text("Your updates for the Overview and Scrutiny Committee")
    assert check_accessibility(owner) == []
    items = owner.locator("[data-testid=reply-item]")
    first_id = items.nth(0).get_attribute("id")
    items.nth(0).get_by_role("button", name="No change").click()
    expect(owner.locator(".govuk-notification-banner")).to_contain_text("“No change”")
    second = owner.locator(f"[data-testid=reply-item]:not(#{first_id})").first
    second_id = second.get_attribute("id")
    second.get_by_label("Or say what has happened").fill(NEW_TEXT)
    second.get_by_role("button", name="Send update").click()
    expect(owner.locator(".govuk-notification-banner")).to_contain_text("Your update")
    expect(owner.locator(f"#{second_id} [data-testid=your-answer]")).to_contain_text("waiting for the manager's review")

    # Not in any report until the manager accepts it.
    page.goto(f"{base}/reports/{setup.report_id}?part=appendix-b")
    expect(page.locator(".app-report")).not_to_contain_text(NEW_TEXT)

    page.goto(f"{base}/updates")
    assert check_accessibility(page) == []
    cards = page.locator("[data-testid=review-card]")
    expect(cards).to_have_count(2)
    with_text = page.locator("[data-testid=review-card]", has_text=NEW_TEXT)
    with_text.get_by_role("button", name="Accept").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("update accepted")
    no_change = page.locator("[data-testid=review-card]")
    expect(no_change).to_have_count(1)
    no_change.get_by_label("Or return it: note to the owner").fill(NOTE)
    no_change.get_by_role("button", name="Return to owner").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("returned to Jo Bloggs")
    expect(page.get_by_test_id("nothing-to-review")).to_be_visible()

    owner.goto(link)
    expect(owner.locator(f"#{first_id}")).to_contain_text(NOTE)
    expect(owner.locator(f"#{second_id} [data-testid=last-reported]")).to_have_text(NEW_TEXT)

    # A report created after shows the accepted text, and nothing of the returned reply.
    page.get_by_role("link", name="Reports").click()
    fill_date(page, "Meeting date", dt.date.today() + dt.timedelta(days=120))
    page.get_by_role("button", name="Create draft report").click()
    page.get_by_role("link", name="Appendix B – Action Plan, Master List").click()
    expect(page.locator(".app-report")).to_contain_text(NEW_TEXT)
    owner_context.close()


def test_an_owner_signs_in_to_their_actions(page, owners_server):
    base, _ = owners_server
    sign_in(page, base, "owner")
    expect(page).to_have_url(f"{base}/my-actions")
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    assert check_accessibility(page) == []
    first = page.locator("[data-testid=reply-item]").first
    first.get_by_role("button", name="Send update").click()  # nothing typed: refused, with the summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what has happened")
    assert check_accessibility(page) == []


def test_an_admin_links_an_account_to_an_owner_record(page, owners_server):
    base, _ = owners_server
    sign_in(page, base, "admin")
    page.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Liaison User").click()
    assert check_accessibility(page) == []
    page.get_by_label("Owner record this account answers for").select_option(label="Sam Other (Property)")
    page.get_by_role("button", name="Save owner record").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Liaison User now answers for Sam Other (Property)")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Sam Other (Property)")

"""A manager prepares and publishes a committee report; a committee member downloads it."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.test_sign_in import sign_in


def test_manager_publishes_and_committee_downloads(page, live_server, browser):
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Meeting date").fill("2026-12-03")
    page.get_by_role("button", name="Create draft report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Overview and Scrutiny Committee, 3 December 2026")
    assert check_accessibility(page) == []
    page.get_by_role("link", name="Appendix B – Action Plan, Master List").click()
    expect(page.locator(".app-report")).to_contain_text("CC-87-ORG-32")
    assert check_accessibility(page) == []
    page.get_by_role("button", name="Publish this report").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is frozen")

    member = browser.new_page()
    sign_in(member, live_server, "committee")
    member.get_by_role("link", name="Reports").click()
    assert check_accessibility(member) == []
    with member.expect_download() as download:
        member.get_by_role("link", name="PDF of Appendix B – Action Plan, Master List, Overview and Scrutiny Committee, 3 December 2026").click()
    path = download.value.path()
    assert open(path, "rb").read(5) == b"%PDF-"
    member.get_by_role("link", name="Overview and Scrutiny Committee, 3 December 2026", exact=True).click()
    assert check_accessibility(member) == []

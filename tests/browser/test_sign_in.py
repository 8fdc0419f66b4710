"""Sign in as each role in Chromium, see the right navigation, sign out; no axe-core violations."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, fill_date
from tests.browser.journeys import sign_in

EXPECTED_NAV = {
    "admin": ["Overview", "Action plan", "Recommendations", "Projects", "Changes", "Reports", "CSE standard",
              "Updates to review", "Outbox", "Import", "Users", "Audit log"],
    "manager": ["Overview", "Action plan", "Recommendations", "Projects", "Changes", "Reports", "CSE standard",
                "Updates to review", "Outbox", "Import"],
    "liaison": ["Overview", "Action plan", "Recommendations", "Projects", "Changes", "Reports", "CSE standard"],
    "committee": ["Overview", "Action plan", "Recommendations", "Projects", "Changes", "Reports", "CSE standard"],
    "owner": ["Overview", "Action plan", "Recommendations", "Projects", "Changes", "Reports", "CSE standard",
              "My actions"],
}


@pytest.mark.parametrize("role", list(EXPECTED_NAV))
def test_sign_in_see_navigation_sign_out(page, live_server, role):
    page.goto(live_server + "/")
    expect(page).to_have_url(f"{live_server}/login?next=%2F")
    assert check_accessibility(page) == []
    sign_in(page, live_server, role)
    # An owner's home is their own actions; everyone else starts at the overview.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "My actions" if role == "owner" else "Best Value Review of Customer Contact")
    nav = page.get_by_role("navigation", name="Main")
    links = [t.strip() for t in nav.locator("a.govuk-service-navigation__link").all_inner_texts()]
    assert links == EXPECTED_NAV[role]
    assert check_accessibility(page) == []
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.get_by_text("You have signed out")).to_be_visible()
    page.goto(live_server + "/actions")
    expect(page).to_have_url(f"{live_server}/login?next=%2Factions")


def test_wrong_password_shows_error_summary(page, live_server):
    page.goto(f"{live_server}/login")
    page.get_by_label("Email address").fill("manager@example.gov.uk")
    page.get_by_label("Password", exact=True).fill("this is not it")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
    assert check_accessibility(page) == []


@pytest.mark.parametrize("path", ["/", "/actions", "/actions/CC-01-ENV-01", "/recommendations",
                                  "/recommendations/15", "/recommendations/1", "/standards/cse", "/users", "/users/1", "/audit",
                                  "/imports", "/reports", "/changes?from=2000-01-01&to=bad"])
def test_pages_have_no_accessibility_violations(page, live_server, path):
    sign_in(page, live_server, "admin")
    page.goto(live_server + path)
    assert check_accessibility(page) == []


def test_forms_behind_details_and_the_update_requests_have_no_violations(page, live_server):
    sign_in(page, live_server, "manager")
    page.goto(live_server + "/recommendations/1")
    page.get_by_text("Record the council's response").click()
    page.get_by_text("Set the status by hand").click()
    page.get_by_label("Status", exact=True).select_option("complete")
    page.get_by_role("button", name="Save status").click()  # no reason given: the error state too
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the status is set by hand")
    assert check_accessibility(page) == []
    page.goto(live_server + "/reports")
    fill_date(page, "Meeting date", dt.date(2027, 3, 4))
    page.get_by_role("button", name="Create draft report").click()
    page.get_by_role("link", name="Ask owners for updates before this meeting").click()
    expect(page.get_by_test_id("requests-summary")).to_contain_text("reply by 18 February 2027")
    assert check_accessibility(page) == []

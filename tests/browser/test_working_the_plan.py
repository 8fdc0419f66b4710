"""Journeys of the manager and the Liaison Group in Chromium, with htmx doing the swapping."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.journeys import sign_in


def test_filter_the_master_list_in_place(page, live_server):
    sign_in(page, live_server, "committee")
    page.goto(f"{live_server}/actions")
    page.get_by_label("Central issue").select_option("PERF")
    expect(page.get_by_test_id("result-count")).to_contain_text("10 actions match")
    expect(page).to_have_url(re.compile(r"theme=PERF"))  # filters live in the URL
    page.get_by_label("Search ref, title, measures and outputs").fill("satisfaction")
    expect(page.get_by_test_id("result-count")).to_contain_text("2 actions match")
    assert check_accessibility(page) == []
    page.go_back()
    expect(page).to_have_url(re.compile(r"theme=PERF"))


def test_manager_updates_a_status_in_place(page, live_server):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}/actions/CC-01-ENV-01")
    card = page.locator("#measure-2")
    card.get_by_text("Update measure 2").click()
    assert check_accessibility(page) == []
    card.get_by_label("Progress text (measured output)").fill("Finger posts ordered")
    card.get_by_label("Status", exact=True).select_option("in_progress")
    url_before = page.url
    card.get_by_role("button", name="Save measure 2").click()
    card = page.locator("#measure-2")
    expect(card.get_by_test_id("measured-output")).to_have_text("Finger posts ordered")
    expect(card.get_by_test_id("measure-status")).to_contain_text("In progress")
    expect(card).to_contain_text("Measure 2 of CC-01-ENV-01 updated")
    assert page.url == url_before  # swapped in place, no navigation
    page.reload()
    expect(page.locator("#history")).to_be_visible()
    expect(page.locator(".app-timeline")).to_contain_text("Finger posts ordered")


def test_stale_update_shows_both_texts_in_place(page, live_server, browser):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}/actions/CC-01-ENV-01")
    other = browser.new_page()
    sign_in(other, live_server, "admin")
    other.goto(f"{live_server}/actions/CC-01-ENV-01")
    other.locator("#measure-2").get_by_text("Update measure 2").click()
    other.locator("#measure-2").get_by_label("Progress text (measured output)").fill("Admin got there first")
    other.locator("#measure-2").get_by_role("button", name="Save measure 2").click()
    expect(other.locator("#measure-2")).to_contain_text("updated")
    card = page.locator("#measure-2")
    card.get_by_text("Update measure 2").click()
    card.get_by_label("Progress text (measured output)").fill("Manager's own words")
    card.get_by_role("button", name="Save measure 2").click()
    card = page.locator("#measure-2")
    expect(card.get_by_test_id("their-text")).to_have_text("Admin got there first")
    expect(card.get_by_label("Progress text (measured output)")).to_have_value("Manager's own words")
    assert check_accessibility(page) == []


def test_liaison_bulk_assigns_an_owner_and_sees_it_in_history(page, live_server):
    sign_in(page, live_server, "liaison")
    page.goto(f"{live_server}/actions?theme=PERF")
    for ref in ("CC-40-PERF-01", "CC-41-PERF-02"):
        page.get_by_label(f"Select {ref}").check()
    page.get_by_label("Owner (officer)").fill("Performance Officer")
    page.get_by_label("Business unit").fill("Policy")
    page.get_by_role("button", name="Assign owner").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Performance Officer (Policy) now owns 2 actions")
    expect(page.get_by_test_id("owner-CC-41-PERF-02")).to_have_text("Performance Officer (Policy)")
    page.goto(f"{live_server}/actions/CC-41-PERF-02")
    expect(page.locator(".app-timeline")).to_contain_text("Performance Officer (Policy)")
    page.goto(f"{live_server}/changes")
    expect(page.locator("table")).to_contain_text("CC-40-PERF-01")
    assert check_accessibility(page) == []


@pytest.mark.parametrize("path", ["/projects", "/projects/CCC", "/changes", "/actions?theme=ORG",
                                  "/recommendations/12"])
def test_working_pages_have_no_accessibility_violations(page, live_server, path):
    sign_in(page, live_server, "manager")
    page.goto(live_server + path)
    for summary in page.locator("details summary").all():
        summary.click()  # check the forms too
    assert check_accessibility(page) == []


def test_liaison_types_a_target_date_in_the_boxes_and_an_impossible_one_is_explained(page, live_server):
    sign_in(page, live_server, "liaison")
    page.goto(f"{live_server}/actions/CC-01-ENV-01")
    page.get_by_text("Change owner or target date").click()
    page.get_by_label("Owner (officer)").fill("Jane Smith")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save owner and date").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("Target date must be a real date")
    expect(page.get_by_label("Owner (officer)")).to_have_value("Jane Smith")  # nothing typed is lost
    expect(page.get_by_label("Month")).to_have_value("2")
    assert check_accessibility(page) == []
    summary.get_by_role("link").click()
    expect(page.get_by_label("Day")).to_be_focused()  # the summary leads to the first box
    page.get_by_label("Month").fill("3")
    page.get_by_role("button", name="Save owner and date").click()
    expect(page.get_by_test_id("target-date")).to_contain_text("31 March 2027")
    expect(page.get_by_test_id("owner")).to_have_text("Jane Smith")

"""Mapping an action to a CSE element, rating the element, and watching readiness move, in Chromium."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.journeys import sign_in


def test_map_an_action_rate_the_element_and_watch_readiness_change(page, live_server):
    sign_in(page, live_server, "manager")

    # 1. From the action page: search the standard as you type, map the action to 4.3.2.
    page.goto(f"{live_server}/actions/CC-34-OWN-06")
    section = page.locator("#standard-elements")
    expect(section.get_by_test_id("action-elements")).to_contain_text("CSE 1.2.1")
    assert check_accessibility(page) == []
    url_before = page.url
    section.get_by_label("Map CC-34-OWN-06 to an element").fill("complaints procedure")
    results = page.locator("#element-picker-results")
    expect(results).to_contain_text("4.3.2")  # htmx swapped the results in, no submit
    results.get_by_role("button", name="Map CC-34-OWN-06 to CSE 4.3.2").click()
    section = page.locator("#standard-elements")
    expect(section).to_contain_text("CC-34-OWN-06 mapped to CSE 4.3.2")
    expect(section.get_by_test_id("action-elements")).to_contain_text("CSE 4.3.2")
    assert page.url == url_before  # swapped in place
    assert check_accessibility(page) == []

    # 2. The element page lists the action with its live status.
    page.goto(f"{live_server}/standards/cse/elements/4.3.2")
    expect(page.get_by_test_id("mapped-actions")).to_contain_text("CC-34-OWN-06")
    expect(page.get_by_test_id("mapped-actions")).to_contain_text("Not started")
    assert check_accessibility(page) == []

    # 3. Rate 4.3.2 in the Customer Contact Centre assessment: readiness moves without a reload.
    page.goto(f"{live_server}/standards/cse/assessments/1")
    expect(page.get_by_test_id("readiness-percent")).to_have_text("7.0%")
    expect(page.get_by_test_id("readiness-sentence")).to_contain_text("4 of 57 elements")
    assert check_accessibility(page) == []
    card = page.locator("#element-4-3-2")
    expect(card.get_by_test_id("element-rag")).to_contain_text("Red")
    expect(card).to_contain_text("CC-34-OWN-06")
    card.get_by_text("Rate 4.3.2").click()
    card.get_by_label("Rating").select_option("compliance")
    card.get_by_label("Evidence notes").fill("Complaints procedure published at reception and on the web.")
    card.get_by_role("button", name="Save rating for 4.3.2").click()
    card = page.locator("#element-4-3-2")
    expect(card).to_contain_text("4.3.2 rated Compliance")
    expect(card.get_by_test_id("element-rag")).to_contain_text("Green")
    expect(page.get_by_test_id("readiness-percent")).to_have_text("8.7%")
    expect(page.get_by_test_id("readiness-sentence")).to_contain_text("5 of 57 elements")
    assert check_accessibility(page) == []

    # 4. The gap analysis: a cell opens its elements below the grid.
    page.goto(f"{live_server}/standards/cse/gap-analysis")
    assert check_accessibility(page) == []
    page.get_by_role("link", name="Customer Contact Centre, 4.3 Deal effectively with problems").click()
    cell = page.locator("#gap-cell")
    expect(cell).to_contain_text("Customer Contact Centre: 4.3 Deal effectively with problems")
    expect(cell.get_by_test_id("gap-cell-elements")).to_contain_text("4.3.2")
    assert check_accessibility(page) == []


def test_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}/standards/cse/elements/4.3.5")
    page.get_by_label("Map an action of CC to 4.3.5").fill("suggestion")
    page.get_by_role("button", name="Search actions").click()
    page.get_by_role("button", name="Map CC-34-OWN-06 to 4.3.5").click()
    expect(page.get_by_test_id("mapped-actions")).to_contain_text("CC-34-OWN-06")
    page.goto(f"{live_server}/standards/cse/assessments/1#element-4-3-5")
    card = page.locator("#element-4-3-5")
    card.get_by_text("Rate 4.3.5").click()
    card.get_by_label("Rating").select_option("partial")
    card.get_by_role("button", name="Save rating for 4.3.5").click()
    expect(page.locator("#element-4-3-5").get_by_test_id("rating")).to_have_text("Partial Compliance")
    context.close()


def test_start_an_assessment_with_a_date_typed_in_one_box_after_a_refusal(page, live_server):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}/standards/cse/assessments")
    page.get_by_label("Service or site").fill("Planning")
    when = page.get_by_role("group", name="Date of the assessment")
    when.get_by_label("Day").fill("30")
    when.get_by_label("Month").fill("2")
    when.get_by_label("Year").fill("2004")
    page.get_by_role("button", name="Start assessment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert check_accessibility(page) == []
    summary.get_by_role("link", name="Date of the assessment must be a real date, for example 31 3 2027").click()
    expect(when.get_by_label("Day")).to_be_focused()
    expect(page.get_by_label("Service or site")).to_have_value("Planning")
    when.get_by_label("Day").fill("31 March 2004")
    when.get_by_label("Month").fill("")
    when.get_by_label("Year").fill("")
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planning")
    expect(page.locator("body")).to_contain_text("31 March 2004")

"""The faults a manager met, in Chromium: a status that went stale after a save in place, CSP errors
from htmx's inline styles, and pages that scrolled sideways on a phone."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import csp_violations, save_measure_in_place, sign_in, watch_console

# Collects every Content-Security-Policy violation the page reports, including ones raised by scripts.


def test_saving_a_measure_in_place_updates_the_action_status(page, live_server):
    problems = watch_console(page)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}/actions/CC-01-ENV-01")
    status = page.get_by_test_id("action-status")
    before = " ".join(status.text_content().split())
    card = page.locator("#measure-2")
    card.get_by_text("Update measure 2").click()
    card.get_by_label("Progress text (measured output)").fill("Complete")
    url_before = page.url
    card.get_by_role("button", name="Save measure 2").click()
    expect(page.locator("#measure-2")).to_contain_text("Measure 2 of CC-01-ENV-01 updated")
    expect(status).not_to_have_text(before)
    assert "1 of 3 not started" in before and "1 of 3 complete" in " ".join(status.text_content().split())
    after = " ".join(status.text_content().split())
    assert page.url == url_before  # swapped in place
    assert page.locator("#action-status").count() == 1
    page.reload()
    assert " ".join(page.get_by_test_id("action-status").text_content().split()) == after  # what a reload shows
    assert problems == [] and csp_violations(page) == []


def test_no_console_or_csp_errors_on_pages_that_update_in_place(page, live_server):
    problems = watch_console(page)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}/")
    page.wait_for_load_state("networkidle")
    assert csp_violations(page) == []
    page.goto(f"{live_server}/actions")
    page.get_by_label("Central issue").select_option("PERF")
    expect(page.get_by_test_id("result-count")).to_contain_text("10 actions match")
    page.get_by_label("Search ref, title, measures and outputs").fill("satisfaction")
    expect(page.get_by_test_id("result-count")).to_contain_text("2 actions match")
    assert csp_violations(page) == []
    page.goto(f"{live_server}/actions/CC-01-ENV-01")
    save_measure_in_place(page, 1, "Two road signs installed")
    assert csp_violations(page) == []
    assert problems == []


@pytest.mark.parametrize("path", ["/", "/actions/CC-01-ENV-01", "/actions", "/changes"])
def test_no_sideways_scroll_on_a_phone(page, live_server, path):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}{path}")
    page.wait_for_load_state("networkidle")
    widths = page.evaluate("""() => ({scroll: Math.max(document.documentElement.scrollWidth,
                                                         document.body.scrollWidth),
                                       viewport: document.documentElement.clientWidth})""")
    assert widths["scroll"] <= widths["viewport"], f"{path} scrolls sideways at 375px: {widths}"


def test_the_dashboard_table_shows_every_column_at_1280(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}/")
    wrap = page.locator(".app-table-wrap", has=page.get_by_test_id("status-by-theme"))
    sizes = wrap.evaluate("el => ({scroll: el.scrollWidth, client: el.clientWidth})")
    assert sizes["scroll"] <= sizes["client"], f"the status table hides columns at 1280px: {sizes}"


def test_pages_served_again_from_the_store_run_their_scripts_and_save_in_place(page, live_server):
    """The second visit is the stored copy (tracker/page_store.py) with a new nonce: htmx still runs."""
    problems = watch_console(page)
    sign_in(page, live_server, "manager")
    for _ in range(2):
        page.goto(f"{live_server}/actions")
    page.get_by_label("Central issue").select_option("PERF")
    expect(page.get_by_test_id("result-count")).to_contain_text("10 actions match")
    for _ in range(2):
        page.goto(f"{live_server}/actions/CC-01-ENV-01")
    save_measure_in_place(page, 1, "Signs ordered after a second look")
    page.reload()
    expect(page.locator("#measure-1")).to_contain_text("Signs ordered after a second look")
    assert csp_violations(page) == [] and problems == []

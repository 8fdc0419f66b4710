"""An action holding its progress itself, in Chromium: added through the page, updated in place."""
from __future__ import annotations

import os

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.journeys import sign_in

SHOTS = os.environ.get("PROGRESS_SCREENSHOTS")  # a folder: keep screenshots to look at


def test_manager_adds_an_action_with_its_progress_and_updates_it_in_place(page, live_server):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}/actions/new?theme=ENV")
    assert check_accessibility(page) == []
    page.get_by_label("Title").fill("Publish service standards")
    page.get_by_label("On the action itself (no numbered measures)").check()
    page.get_by_label("Progress so far (optional)").fill("Some standards drafted.")
    page.get_by_role("button", name="Add action").click()
    card = page.locator("#measure-0")
    expect(card.get_by_test_id("progress-text")).to_have_text("Some standards drafted.")
    expect(page.get_by_test_id("action-status")).to_contain_text("Progress recorded on the action: in progress")
    card.get_by_text("Update progress").click()
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert check_accessibility(page) == []
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/action-progress-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    url_before = page.url
    card.get_by_label("Progress text").fill("Complete: every standard published.")
    card.get_by_role("button", name="Save progress").click()
    card = page.locator("#measure-0")
    expect(card.get_by_test_id("progress-text")).to_have_text("Complete: every standard published.")
    expect(card).to_contain_text("updated")
    expect(page.get_by_test_id("action-status")).to_contain_text("Progress recorded on the action: complete")
    assert page.url == url_before  # swapped in place, no navigation
    page.reload()
    expect(page.locator(".app-timeline")).to_contain_text("progress")
    expect(page.locator(".app-timeline")).not_to_contain_text("measure 0")
    page.goto(f"{live_server}/actions?theme=ENV")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/action-list-{width}.png", full_page=False)
    assert check_accessibility(page) == []

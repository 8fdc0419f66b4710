"""The Liaison Group's select-all journey in Chromium, on a desktop and a phone: the form at the top of
the filtered list, every page of it selected, what will change confirmed, then applied."""
from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, serving
from tests.browser.journeys import sign_in
from tests.conftest import make_app

SHOTS = os.environ.get("BULK_SCREENSHOTS")  # a folder: keep screenshots to look at
PAGE_SIZE = 5  # the seed's 87 actions (ENV has more than five) then span several pages


@pytest.fixture
def small_pages_server(tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'bulk.sqlite'}", PAGE_SIZE=PAGE_SIZE)
    with serving(app) as base:
        yield base


def no_sideways_scroll(page) -> bool:
    widths = page.evaluate("""() => ({scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
                                       viewport: document.documentElement.clientWidth})""")
    return widths["scroll"] <= widths["viewport"]


@pytest.mark.parametrize("width", [1280, 375])
def test_liaison_selects_every_action_that_matches_and_assigns_them_after_confirming(page, small_pages_server, width):
    base = small_pages_server
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, base, "liaison")
    page.goto(f"{base}/actions?theme=ENV")
    count = int(page.get_by_test_id("result-count").text_content().split()[0])
    assert count > PAGE_SIZE
    form = page.locator("#bulk-assign")
    # The form is where the selection is: above the list's first row, not after its last.
    assert form.bounding_box()["y"] < page.locator("#action-results table").first.bounding_box()["y"]
    select_all = page.get_by_label(f"Select all {count} actions that match these filters")
    expect(select_all).to_be_visible()
    assert check_accessibility(page) == [] and no_sideways_scroll(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/bulk-list-{width}.png", full_page=False)
    select_all.check()
    form.get_by_label("Owner (officer)").fill("Facilities Officer")
    form.get_by_label("Business unit").fill("Property")
    form.get_by_label("Day").fill("31")
    form.get_by_label("Month").fill("3")
    form.get_by_label("Year").fill("2027")
    form.get_by_role("button", name="Assign owner and target date").click()

    heading = f"Assign {count} actions to Facilities Officer (Property), target date 31 March 2027"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{heading}?")
    expect(page.get_by_test_id("what-changes")).to_contain_text(f"Facilities Officer (Property): changes on {count}")
    assert check_accessibility(page) == [] and no_sideways_scroll(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/bulk-confirm-{width}.png", full_page=True)
    page.get_by_role("button", name=heading).click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Facilities Officer (Property) now owns {count} actions")
    assert "theme=ENV" in page.url
    # Not only the page that was shown: the last page's actions have their owner too.
    page.get_by_role("link", name="Next page").click()
    owners = page.locator("[data-testid^=owner-]")
    expect(owners.first).to_have_text("Facilities Officer (Property)")
    assert set(owners.all_text_contents()) == {"Facilities Officer (Property)"}
    ref = page.locator("#action-results td.app-ref a").first.text_content()
    page.goto(f"{base}/actions/{ref}")
    expect(page.locator(".app-timeline")).to_contain_text("Facilities Officer (Property)")
    expect(page.locator(".app-timeline")).to_contain_text("31 Mar 2027")

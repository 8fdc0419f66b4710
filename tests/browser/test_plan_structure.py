"""The manager reshapes the plan in Chromium: a new action with two measures, one edited, one
retired, seen in the action's history and in the next Appendix B; the new pages pass axe-core
and are looked at on a desktop and a phone."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, fill_date
from tests.browser.journeys import sign_in

# Screenshots for a person to look at; kept under the test's temporary folder unless asked for.
SHOTS = os.environ.get("STRUCTURE_SCREENSHOTS")


def shoot(page, name: str, tmp_path: Path) -> None:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_manager_adds_edits_and_retires_and_sees_it_in_history_and_appendix_b(page, live_server, tmp_path):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}/actions?theme=ENV")
    page.get_by_role("link", name="Add an action to Environment").click()
    expect(page.get_by_label("Ref id")).to_have_value("CC-88-ENV-29")  # suggested from the pattern
    assert check_accessibility(page) == []
    shoot(page, "new-action", tmp_path)
    page.get_by_label("Title").fill("Install finger posts at every car park")
    page.get_by_label("Ref id").fill("CC-88-ENV-1")  # breaks the pattern: refused, typed text kept
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("March")  # the month as a word is read too
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("does not follow this review's pattern")
    expect(page.get_by_label("Title")).to_have_value("Install finger posts at every car park")
    expect(page.get_by_label("Month")).to_have_value("March")  # shown back as typed
    assert check_accessibility(page) == []
    shoot(page, "new-action-error", tmp_path)
    page.get_by_label("Ref id").fill("CC-88-ENV-29")
    page.get_by_role("button", name="Add action").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add a measure to CC-88-ENV-29")
    assert check_accessibility(page) == []
    page.get_by_label("Measure text").fill("Survey every car park")
    page.get_by_label("Measured output (optional)").fill("Survey started in March")
    page.get_by_role("button", name="Add measure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CC-88-ENV-29 Install finger posts at every car park")
    expect(page.get_by_test_id("target-date")).to_contain_text("31 March 2027")
    page.get_by_role("link", name="Add a measure").click()
    page.get_by_label("Measure text").fill("Order the posts")
    page.get_by_role("button", name="Add measure").click()

    page.locator("#measure-1").get_by_role("link", name="Edit text of measure 1").click()
    assert check_accessibility(page) == []
    shoot(page, "edit-measure", tmp_path)
    page.get_by_label("Measure text").fill("Survey every council car park")
    page.get_by_role("button", name="Save measure text").click()
    expect(page.locator("#measure-1")).to_contain_text("Survey every council car park")

    page.locator("#measure-2").get_by_role("link", name="Retire measure 2").click()
    assert check_accessibility(page) == []
    shoot(page, "retire-measure", tmp_path)
    page.get_by_label("Why is it retired?").fill("The posts come with the signage contract")
    page.get_by_role("button", name="Retire measure 2").click()
    expect(page.locator("#measure-2")).to_have_count(0)
    expect(page.get_by_test_id("retired-measure-2")).to_contain_text("The posts come with the signage contract")
    history = page.locator(".app-timeline")
    expect(history).to_contain_text("CC-88-ENV-29: Created")
    expect(history).to_contain_text("CC-88-ENV-29 measure 1: Wording: Survey every car park → "
                                    "Survey every council car park")
    expect(history).to_contain_text("CC-88-ENV-29 measure 2: Retired: none → Retired")
    assert check_accessibility(page) == []
    shoot(page, "action-page", tmp_path)

    page.get_by_role("link", name="Reports").click()
    fill_date(page, "Meeting date", dt.date(2026, 12, 3))
    page.get_by_role("button", name="Create draft report").click()
    page.get_by_role("link", name="Appendix B – Action Plan, Master List").click()
    report = page.locator(".app-report")
    expect(report).to_contain_text("Install finger posts at every car park")
    expect(report).to_contain_text("Survey every council car park")
    today = dt.date.today().strftime("%-d %B %Y")
    expect(report).to_contain_text(f"Retired ({today}): The posts come with the signage contract")


def test_review_and_theme_pages_pass_axe_on_desktop_and_phone(page, live_server, tmp_path):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server}/actions")
    page.get_by_role("link", name="Edit the review's title and description").click()
    assert check_accessibility(page) == []
    shoot(page, "edit-review", tmp_path)
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the review's title")
    assert check_accessibility(page) == []
    page.goto(f"{live_server}/actions/CC-01-ENV-01")
    page.locator("#measure-1").get_by_role("link", name="Set what it waits on (measure 1)").click()
    assert check_accessibility(page) == []
    page.get_by_label("Waits on").select_option("CCC")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#measure-1")).to_contain_text("Customer Contact Centre project")
    page.goto(f"{live_server}/actions?theme=ENV")
    page.get_by_role("link", name="Rename theme Environment").click()
    assert check_accessibility(page) == []
    shoot(page, "rename-theme", tmp_path)

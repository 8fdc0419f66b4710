"""A manager prepares and publishes a committee report; a committee member downloads it."""
from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, publish
from tests.browser.journeys import sign_in
from tests.conftest import ROOT

AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"


def axe_violations_of_file(page, path) -> list:
    """axe-core on a downloaded report opened from disk, as a councillor would open it."""
    page.goto(f"file://{path}")
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => (await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations
        .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))""")


def test_manager_publishes_and_committee_downloads(page, live_server, browser, tmp_path):
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Reports").click()
    meeting = page.get_by_role("group", name="Meeting date")
    meeting.get_by_label("Day").fill("31")
    meeting.get_by_label("Month").fill("2")
    meeting.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Create draft report").click()
    # Refused: the summary takes the focus and its link goes to the day box, the typed date kept.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert check_accessibility(page) == []
    summary.get_by_role("link", name="Meeting date must be a real date, for example 31 3 2027").click()
    expect(meeting.get_by_label("Day")).to_be_focused()
    expect(meeting.get_by_label("Month")).to_have_value("2")
    meeting.get_by_label("Day").fill("3")
    meeting.get_by_label("Month").fill("December")
    page.get_by_role("button", name="Create draft report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Overview and Scrutiny Committee, 3 December 2026")
    expect(page.locator(".app-report svg[role=img]")).to_have_count(1)  # the covering summary's chart
    assert check_accessibility(page) == []
    page.get_by_role("link", name="Appendix A – Key Recommendations").click()
    expect(page.locator(".app-report")).to_contain_text("The possibility of running the Shopmobility service")
    assert check_accessibility(page) == []
    page.get_by_role("link", name="Appendix B – Action Plan, Master List").click()
    expect(page.locator(".app-report")).to_contain_text("CC-87-ORG-32")
    assert check_accessibility(page) == []
    page.emulate_media(media="print")  # printing the preview prints the report, not the service around it
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.get_by_role("link", name="Publish this report")).to_be_hidden()
    expect(page.locator(".app-report")).to_be_visible()
    page.emulate_media(media="screen")
    publish(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is frozen")

    member = browser.new_page()
    sign_in(member, live_server, "committee")
    member.get_by_role("link", name="Reports").click()
    assert check_accessibility(member) == []
    with member.expect_download() as download:
        member.get_by_role("link", name="PDF of Appendix B – Action Plan, Master List, Overview and Scrutiny Committee, 3 December 2026").click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    with member.expect_download() as download:
        member.get_by_role("link", name="HTML of Covering summary, Overview and Scrutiny Committee, 3 December 2026").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    member.get_by_role("link", name="Overview and Scrutiny Committee, 3 December 2026", exact=True).click()
    expect(member.get_by_role("link", name="Publish this report")).to_have_count(0)
    assert check_accessibility(member) == []

    reader = browser.new_page()
    assert axe_violations_of_file(reader, saved) == []
    expect(reader.get_by_role("heading", level=1)).to_have_text("Covering summary")


def test_admin_opens_the_public_page_and_a_citizen_reads_it(page, live_server, browser):
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("group", name="Meeting date").get_by_label("Day").fill("3/12/2026")
    page.get_by_role("button", name="Create draft report").click()
    publish(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is frozen")

    admin = browser.new_page()
    sign_in(admin, live_server, "admin")
    admin.get_by_role("link", name="Reports").click()
    assert check_accessibility(admin) == []
    admin.get_by_label("On", exact=True).check()
    admin.get_by_role("button", name="Save public page setting").click()
    expect(admin.locator(".govuk-notification-banner")).to_contain_text("public progress page for CC is on")

    citizen = browser.new_page()  # a new context: not signed in
    citizen.goto(f"{live_server}/public")
    citizen.get_by_role("link", name="Customer Contact").click()
    expect(citizen.get_by_test_id("public-report")).to_contain_text("Overview and Scrutiny Committee, 3 December 2026")
    expect(citizen.get_by_role("link", name="Sign out")).to_have_count(0)  # none of the signed-in service
    citizen.screenshot(path=str(Path(tempfile.gettempdir()) / "public-page.png"), full_page=True)
    assert check_accessibility(citizen) == []
    citizen.get_by_role("link", name="Appendix B – Action Plan, Master List").click()
    expect(citizen.locator(".app-report")).to_contain_text("CC-87-ORG-32")
    assert check_accessibility(citizen) == []

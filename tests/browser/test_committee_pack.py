"""A manager writes and publishes the committee pack in Chromium: a draft report, its covering
report's narrative, the preview, publishing after the confirmation, then the pack as one PDF and one
Word document. Every page is checked with axe at desktop and phone widths, and for console and
Content-Security-Policy errors."""
from __future__ import annotations

import io
import zipfile

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.journeys import csp_violations, sign_in, watch_console

MEETING = "Overview and Scrutiny Committee, 3 December 2026"
SUMMARY = "This report details the progress in implementing the Customer Contact Best Value Action Plan."
NEXT_STEPS = "O&S should consider monitoring the implementation and delivery of the contact centre contract."


def check_at_both_widths(page, name: str) -> None:
    """No axe violations at 1280 and 375 px, and no sideways scrolling of the page on a phone."""
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert check_accessibility(page) == [], f"{name} at {width} px"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_manager_writes_previews_publishes_and_downloads_the_pack(page, live_server):
    problems = watch_console(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Reports").click()
    meeting = page.get_by_role("group", name="Meeting date")
    meeting.get_by_label("Day").fill("3")
    meeting.get_by_label("Month").fill("12")
    meeting.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Create draft report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(MEETING)
    check_at_both_widths(page, "draft report")

    # The covering report's narrative, written in the product.
    page.get_by_role("link", name="Write the covering report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write the covering report")
    check_at_both_widths(page, "covering report form")
    page.get_by_label("Report reference").fill("CS 01/03")
    page.get_by_label("Contact officer").fill("John Nutley")
    page.get_by_label("Telephone extension").fill("x7250")
    page.get_by_label("Summary", exact=True).fill(SUMMARY)
    page.get_by_label("Next Steps", exact=True).fill(NEXT_STEPS)
    page.get_by_role("button", name="Save the covering report").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Covering report saved")

    # The preview: the covering report as the committee will read it, in the seed paper's order.
    report = page.locator(".app-report")
    expect(report).to_contain_text("Report reference: CS 01/03")
    expect(report).to_contain_text(SUMMARY)
    expect(report).to_contain_text(NEXT_STEPS)
    text = report.inner_text()
    assert text.index("Summary") < text.index("Contact Officer") < text.index("Background") < \
        text.index("Next Steps") < text.index("Implications")
    check_at_both_widths(page, "covering report preview")

    # Publishing only after the confirmation that says what will be frozen.
    page.get_by_role("link", name="Publish this report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Publish the report to {MEETING}?")
    expect(page.get_by_test_id("frozen")).to_contain_text("Covering report")
    check_at_both_widths(page, "publish confirmation")
    page.get_by_role("button", name="Publish and freeze this report").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is frozen")
    expect(page.get_by_role("link", name="Publish this report")).to_have_count(0)
    check_at_both_widths(page, "published report")

    # The pack: one PDF and one Word document, the narrative and both appendices in each.
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF of the whole pack", exact=True).click()
    assert download.value.suggested_filename == "CC-pack-2026-12-03.pdf"
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    with page.expect_download() as download:
        page.get_by_role("link", name="Word document of the whole pack", exact=True).click()
    assert download.value.suggested_filename == "CC-pack-2026-12-03.docx"
    with zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    for words in (SUMMARY, "Appendix A to report CS 01/03", "Appendix B to report CS 01/03", "CC-87-ORG-32"):
        assert words in body.replace("&amp;", "&"), words
    assert problems == [] and csp_violations(page) == []

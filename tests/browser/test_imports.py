"""Upload a spreadsheet, map a column, preview, confirm: in Chromium, with no axe-core violations."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.journeys import sign_in
from tests.web.files import ONE_ROW_PER_MEASURE, xlsx


def test_upload_map_preview_confirm(page, live_server, tmp_path):
    rows = [r[:] for r in ONE_ROW_PER_MEASURE]
    rows[0][5] = "Where we are"
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx(rows))
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Import").click()
    assert check_accessibility(page) == []
    page.get_by_label("Review code").fill("SC")
    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("problems")).to_contain_text("measure 1 has no measured output")
    assert check_accessibility(page) == []
    page.get_by_label("Measured output / progress").select_option("Where we are")
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_test_id("preview-summary")).to_contain_text("2 actions to create")
    assert check_accessibility(page) == []
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 actions created")
    expect(page.locator("#action-results")).to_contain_text("SC1")


def test_a_word_tracker_with_its_own_headings_through_the_pages(page, live_server, tmp_path):
    """The heading-row choice and the status words sit on the check page: all usable, no axe-core violations."""
    from tests.web.files import housing_word

    path = tmp_path / "housing.docx"
    path.write_bytes(housing_word())
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Import").click()
    page.get_by_label("Review code").fill("HS")
    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("import-note").first).to_contain_text("Read table 2 of the Word document")
    page.get_by_text("Column headings: table 2, row 1").click()
    expect(page.get_by_label("table 2, row 1: Improvement action | Responsible officer")).to_be_checked()
    assert check_accessibility(page) == []
    page.get_by_label("“Green”").select_option("in_progress")
    page.get_by_label("“Amber”").select_option("in_progress")
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_test_id("preview-summary")).to_contain_text("3 actions to create")
    assert check_accessibility(page) == []
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("3 actions created")

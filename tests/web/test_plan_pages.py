"""The read-only plan pages render the seed, filter, and load in a fixed number of queries."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.web.plans import bulk_review
from tracker.extensions import db
from tracker.imports.plan_data import apply_plan
from tracker.models import Action, Measure


def test_overview_counts_by_status_and_theme(app, client_for):
    page = client_for("committee").page("/").text
    assert "Best Value Review of Customer Contact" in page
    assert "15 key recommendations, 87 actions, 116 measures" in page
    with app.app_context():
        complete = db.session.scalar(select(db.func.count()).where(Measure.status == "complete"))
    assert f"{complete} of 116 measures are complete" in page
    assert "Customer Contact Centre project" in page


def test_master_list_groups_by_central_issue_in_ref_order(client_for):
    client = client_for("committee")
    first, second = client.page("/actions"), client.page("/actions?page=2")
    assert "page 1 of 2" in first.text_of('[data-testid="result-count"]')
    headings = first.texts("h2.govuk-heading-m") + second.texts("h2.govuk-heading-m")
    # A central issue split across two pages is headed on both.
    assert list(dict.fromkeys(headings)) == [
        "Environment", "Ownership", "Performance Management", "Communication", "Organisation"]
    refs = first.texts("td.app-ref a") + second.texts("td.app-ref a")
    assert all(re.fullmatch(r"CC-\d\d-[A-Z]+-\d\d", ref) for ref in refs)
    assert len(refs) == 87 and refs == sorted(refs, key=lambda r: int(r[3:5]))
    assert "i) Central point of contact" in second.text and "vi) Customer Care Culture" in second.text


def test_master_list_filters_by_theme_status_and_text(client_for):
    client = client_for("committee")
    page = client.page("/actions?theme=PERF").text
    assert "10 actions match" in page and "CC-40-PERF-01" in page and "CC-01-ENV-01" not in page
    page = client.page("/actions?status=cancelled").text
    assert "1 action match" in page and "CC-78-ORG-23" in page
    page = client.page("/actions?q=shopmobility").text
    assert "0 actions match" in page
    page = client.page("/actions?q=finger posts").text
    assert "CC-01-ENV-01" in page and "1 action match" in page


def test_bad_filter_is_explained_not_ignored(client_for):
    page = client_for("committee").page("/actions?status=finished", status=400)
    assert "'finished' is not a status" in page.text


def test_htmx_filter_returns_only_the_table(client_for):
    response = client_for("committee").get("/actions?theme=COM", headers={"HX-Request": "true",
                                                                          "HX-Target": "action-results"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="action-results"') and "<html" not in body
    assert "CC-50-COM-01" in body


def test_action_page_shows_measures_outputs_status_and_dependency(client_for):
    page = client_for("committee").page("/actions/CC-04-ENV-04").text
    assert "Corporate standardisation of Customer Care" in page
    assert "Create quality customer care standards for the Authority" in page
    assert "Outcome of CCC Project" in page and "Customer Contact Centre project" in page
    assert "Several schemes identified" in page


def test_unknown_action_is_404(client_for):
    assert client_for("committee").get("/actions/CC-99-ENV-99").status_code == 404


def test_recommendations_show_text_variations_and_status(client_for):
    page = client_for("committee").page("/recommendations").text
    assert page.count("Recommendation ") >= 15
    assert "That a separate unit be created to deal exclusively" in page
    assert "Status commentary: Complete. A separate customer service unit has been created" in page
    assert "Leisuretime - that the Customer Relations Method Statement" in page
    page = client_for("committee").page("/recommendations/15").text
    assert "viii." in page and "Still to start" in page


def test_cse_standard_lists_57_elements(client_for):
    page = client_for("committee").page("/standards/cse")
    assert "5 criteria, 15 sub-criteria, 57 elements" in page.text
    elements = [element["id"] for element in page.select('[id^="element-"]')]
    assert len(elements) == 57 and all(re.fullmatch(r"element-\d\.\d\.\d", e) for e in elements)


def test_user_text_is_escaped(app, client_for):
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        action.title = "<script>alert(1)</script>"
        db.session.commit()
    page = client_for("committee").page("/actions/CC-01-ENV-01")
    body = page.response.get_data(as_text=True)
    # Escaped: shown as text to the reader, never an element of the page.
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script>" in page.text and not [s for s in page.select("script") if "alert(1)" in s.text]


def test_healthz_reports_database(client_for):
    response = client_for().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "database": "ok"}


def test_list_and_action_pages_issue_a_fixed_number_of_queries(app, client_for, count_queries):
    client = client_for("committee")
    client.get("/actions?review=BK")  # warm-up: the session, the user

    def measure(n):
        with app.app_context():
            apply_plan(bulk_review(n))
            db.session.commit()
        with count_queries() as list_queries:
            assert client.get("/actions?review=BK").status_code == 200
        with count_queries() as action_queries:
            assert client.get("/actions/B1?review=BK").status_code == 200
        with count_queries() as overview_queries:
            assert client.get("/?review=BK").status_code == 200
        return len(list_queries), len(action_queries), len(overview_queries)

    small = measure(5)
    large = measure(60)
    assert small == large, f"queries grew with the number of actions: {small} -> {large}"

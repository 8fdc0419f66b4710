"""The read-only plan pages render the seed, filter, and load in a fixed number of queries."""
from __future__ import annotations

import html as htmllib
import re

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Action, Measure, Theme
from tracker.imports.plan_data import apply_plan


def text_of(response) -> str:
    """The page's text as a reader sees it: tags dropped, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", htmllib.unescape(text)).replace(" .", ".").replace(" :", ":").strip()


def html_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_overview_counts_by_status_and_theme(app, client_for):
    page = text_of(client_for("committee").get("/"))
    assert "Best Value Review of Customer Contact" in page
    assert "15 key recommendations, 87 actions, 116 measures" in page
    with app.app_context():
        complete = db.session.scalar(select(db.func.count()).where(Measure.status == "complete"))
    assert f"{complete} of 116 measures are complete" in page
    assert "Customer Contact Centre project" in page


def test_master_list_groups_by_central_issue_in_ref_order(client_for):
    client = client_for("committee")
    first, second = html_of(client.get("/actions")), html_of(client.get("/actions?page=2"))
    assert "page 1 of 2" in first
    headings = re.findall(r'<h2 class="govuk-heading-m">([^<]+)</h2>', first + second)
    # A central issue split across two pages is headed on both.
    assert list(dict.fromkeys(h.strip() for h in headings)) == [
        "Environment", "Ownership", "Performance Management", "Communication", "Organisation"]
    refs = re.findall(r">(CC-\d\d-[A-Z]+-\d\d)</a>", first + second)
    assert len(refs) == 87 and refs == sorted(refs, key=lambda r: int(r[3:5]))
    assert "i) Central point of contact" in second and "vi) Customer Care Culture" in second


def test_master_list_filters_by_theme_status_and_text(client_for):
    client = client_for("committee")
    page = text_of(client.get("/actions?theme=PERF"))
    assert "10 actions match" in page and "CC-40-PERF-01" in page and "CC-01-ENV-01" not in page
    page = text_of(client.get("/actions?status=cancelled"))
    assert "1 action match" in page and "CC-78-ORG-23" in page
    page = text_of(client.get("/actions?q=shopmobility"))
    assert "0 actions match" in page
    page = text_of(client.get("/actions?q=finger posts"))
    assert "CC-01-ENV-01" in page and "1 action match" in page


def test_bad_filter_is_explained_not_ignored(client_for):
    response = client_for("committee").get("/actions?status=finished")
    assert response.status_code == 400
    assert "'finished' is not a status" in text_of(response)


def test_htmx_filter_returns_only_the_table(client_for):
    response = client_for("committee").get("/actions?theme=COM", headers={"HX-Request": "true",
                                                                          "HX-Target": "action-results"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="action-results"') and "<html" not in body
    assert "CC-50-COM-01" in body


def test_action_page_shows_measures_outputs_status_and_dependency(client_for):
    page = text_of(client_for("committee").get("/actions/CC-04-ENV-04"))
    assert "Corporate standardisation of Customer Care" in page
    assert "Create quality customer care standards for the Authority" in page
    assert "Outcome of CCC Project" in page and "Customer Contact Centre project" in page
    assert "Several schemes identified" in page


def test_unknown_action_is_404(client_for):
    assert client_for("committee").get("/actions/CC-99-ENV-99").status_code == 404


def test_recommendations_show_text_variations_and_status(client_for):
    page = text_of(client_for("committee").get("/recommendations"))
    assert page.count("Recommendation ") >= 15
    assert "That a separate unit be created to deal exclusively" in page
    assert "Status commentary: Complete. A separate customer service unit has been created" in page
    assert "Leisuretime - that the Customer Relations Method Statement" in page
    page = text_of(client_for("committee").get("/recommendations/15"))
    assert "viii." in page and "Still to start" in page


def test_cse_standard_lists_57_elements(client_for):
    page = text_of(client_for("committee").get("/standards/cse"))
    assert "5 criteria, 15 sub-criteria, 57 elements" in page
    assert len(re.findall(r'id="element-\d\.\d\.\d"', client_for("committee").get("/standards/cse").get_data(as_text=True))) == 57


def test_user_text_is_escaped(app, client_for):
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        action.title = "<script>alert(1)</script>"
        db.session.commit()
    body = client_for("committee").get("/actions/CC-01-ENV-01").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_healthz_reports_database(client_for):
    response = client_for().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "database": "ok"}


def _bulk_review(n_actions: int) -> dict:
    return {"authority": "Bulk Council", "review": {"code": "BK", "title": "Bulk", "ref_pattern": r"B\d+"},
            "projects": [{"code": "P", "name": "Project P", "aliases": ["Project P"]}],
            "themes": [{"code": "T", "name": "Theme", "subthemes": [{"code": "i", "name": "Sub"}]}],
            "actions": [{"ref": f"B{i}", "title": f"Action {i}", "theme": "T", "subtheme": "i" if i % 2 else None,
                         "owner": {"name": f"Officer {i % 7}", "business_unit": "Unit"},
                         "measures": [{"number": k, "text": f"Measure {k}", "measured_output": "Outcome of Project P"}
                                      for k in (1, 2, 3)]}
                        for i in range(1, n_actions + 1)]}


def test_list_and_action_pages_issue_a_fixed_number_of_queries(app, client_for, count_queries):
    client = client_for("committee")
    client.get("/actions?review=BK")  # warm-up: the session, the user

    def measure(n):
        with app.app_context():
            apply_plan(_bulk_review(n))
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

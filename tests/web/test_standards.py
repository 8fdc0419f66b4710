"""Standards: element mapping, self-assessments, readiness, gap analysis and their reports."""
from __future__ import annotations

import csv
import datetime as dt
import io
import shutil

import pytest
import yaml
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import ROOT, Page
from tests.web.forms_pages import date_boxes, has_target, legends, summary_links
from tracker.domain.readiness import RAG_LABELS
from tracker.extensions import db
from tracker.imports.plan_data import PlanError
from tracker.imports.seed import load_seeds
from tracker.models import Action, Assessment, Change, Standard, action_element

SEED_REVIEW = yaml.safe_load((ROOT / "seeds" / "reviews" / "cc.yaml").read_text(encoding="utf-8"))
SEED_MAPPING = yaml.safe_load((ROOT / "seeds" / "mappings" / "cse_cc.yaml").read_text(encoding="utf-8"))
RAG_WORDS = set(RAG_LABELS.values())
HTMX = {"HX-Request": "true"}

# A second, small standard: proves standards are data, not code.
MINI_STANDARD = {
    "code": "MINI", "name": "Mini Contact Standard", "source": "written for this test",
    "criteria": [
        {"number": "A", "title": "Answering", "subcriteria": [
            {"number": "A.1", "title": "Speed", "elements": [
                {"code": "A.1.1", "text": "We answer calls within a minute."},
                {"code": "A.1.2", "text": "We reply to letters within ten days."}]},
            {"number": "A.2", "title": "Courtesy", "elements": [
                {"code": "A.2.1", "text": "We greet every caller.", "guidance": "Mystery shopping."}]}]},
    ],
}


def version_of(client, code: str, assessment_id: int = 1) -> str:
    """The version an element's rating form carries, as a person loading the page would see it."""
    page = client.page(f"/standards/cse/assessments/{assessment_id}")
    return page.form(f"/standards/cse/assessments/{assessment_id}/elements/{code}")["version"]


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


# --- the seed: standard, mapping, assessments ---

def test_every_seed_action_maps_to_at_least_one_element(app):
    refs = [a["ref"] for a in SEED_REVIEW["actions"]]
    assert len(refs) == 87
    assert sorted(SEED_MAPPING["mappings"]) == sorted(refs)
    assert all(entry["why"].strip() for entry in SEED_MAPPING["mappings"].values())
    with app.app_context():
        unmapped = db.session.scalars(select(Action.ref).where(~Action.id.in_(select(action_element.c.action_id)))).all()
        assert unmapped == []
        links = db.session.scalar(select(func.count()).select_from(action_element))
        assert links == sum(len(e["elements"]) for e in SEED_MAPPING["mappings"].values())


def test_customer_satisfaction_surveys_map_to_1_3_1(client_for):
    page = client_for("committee").page("/standards/cse/elements/1.3.1").text
    assert "CC-44-PERF-05" in page and "Customer satisfaction surveys" in page
    assert "Not started" in page  # the live status of the mapped action


def test_seeding_twice_changes_nothing(app):
    with app.app_context():
        changes = db.session.scalar(select(func.count(Change.id)))
        summaries = load_seeds(app.config["SEEDS_DIR"])
        assert all(not s.changed for s in summaries.values()), {k: (s.created, s.updated) for k, s in summaries.items()}
        assert db.session.scalar(select(func.count(Change.id))) == changes
        assert db.session.scalar(select(func.count(Assessment.id))) == 3


@pytest.mark.parametrize("bad, message", [
    ({"CC-99-ENV-99": {"elements": ["1.3.1"], "why": "no such action"}}, "unknown action ref 'CC-99-ENV-99'"),
    ({"CC-44-PERF-05": {"elements": ["1.3.9"], "why": "no such element"}}, "unknown element '1.3.9'"),
])
def test_a_mapping_seed_with_an_unknown_ref_or_element_writes_nothing(empty_app, tmp_path, bad, message):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    mapping = yaml.safe_load((seeds / "mappings" / "cse_cc.yaml").read_text(encoding="utf-8"))
    mapping["mappings"].update(bad)
    (seeds / "mappings" / "cse_cc.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
    with empty_app.app_context():
        with pytest.raises(PlanError) as raised:
            load_seeds(seeds)
        assert message in str(raised.value) and "mappings/cse_cc.yaml" in str(raised.value)
        assert db.session.scalar(select(func.count(Action.id))) == 0
        assert db.session.scalar(select(func.count(Standard.id))) == 0


def test_an_assessment_seed_with_an_unknown_rating_or_element_writes_nothing(empty_app, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "assessments" / "zzz.yaml").write_text(yaml.safe_dump({
        "standard": "CSE", "review": "CC", "site": "Planning", "assessed_on": "2004-01-05",
        "ratings": {"1.1.1": {"rating": "excellent"}, "9.9.9": {"rating": "compliance"}}}), encoding="utf-8")
    with empty_app.app_context():
        with pytest.raises(PlanError) as raised:
            load_seeds(seeds)
        assert "assessments/zzz.yaml: ratings 1.1.1: rating 'excellent' is not one of" in str(raised.value)
        assert "unknown element '9.9.9'" in str(raised.value)
        assert db.session.scalar(select(func.count(Assessment.id))) == 0


# --- standards are data: a second standard loaded in the test ---

def test_a_second_standard_loaded_from_seed_files_works_like_cse(app, client_for, tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "standards").mkdir(parents=True)
    (seeds / "mappings").mkdir()
    (seeds / "standards" / "mini.yaml").write_text(yaml.safe_dump(MINI_STANDARD), encoding="utf-8")
    (seeds / "mappings" / "mini_cc.yaml").write_text(yaml.safe_dump({
        "review": "CC", "standard": "MINI",
        "mappings": {"CC-43-PERF-04": {"elements": ["A.1.1", "A.1.2"], "why": "Multi-channel PIs time responses."},
                     "CC-13-ENV-13": {"elements": ["A.2.1"], "why": "Meeting and greeting."}}}), encoding="utf-8")
    with app.app_context():
        load_seeds(seeds)
        db.session.commit()  # the caller ends the transaction (`flask seed` or the test)
    committee, manager = client_for("committee"), client_for("manager")
    page = committee.page("/standards/mini").text
    assert "Mini Contact Standard" in page and "1 criteria, 2 sub-criteria, 3 elements" in page
    assert "CC-43-PERF-04" in committee.page("/standards/mini/elements/A.1.2").text
    created = manager.post("/standards/mini/assessments", token_from="/standards/mini/assessments", data={
        "site": "Customer Contact Centre", "assessed_on": ["1", "6", "2004"],
        "review": "CC"})
    assert created.status_code == 303
    page = manager.page(created.headers["Location"]).text
    assert "0 of 3 elements (0.0%)" in page
    for code in ("A.1.1", "A.2.1"):
        manager.post(created.headers["Location"] + f"/elements/{code}", token_from=created.headers["Location"],
                     data={"rating": "compliance", "evidence": "", "version": "1"})
    page = manager.page(created.headers["Location"]).text
    assert "2 of 3 elements (66.6%)" in page and "Not ready" in page
    # The CSE gap analysis is untouched by the other standard's assessment; MINI has its own.
    grid = committee.get("/standards/mini/gap-analysis.csv")
    rows = csv_rows(grid.data)
    assert [r["Site"] for r in rows] == ["Customer Contact Centre"]
    assert list(rows[0])[2:4] == ["A.1", "A.2"]
    assert len(csv_rows(committee.get("/standards/cse/gap-analysis.csv").data)) == 3


# --- mapping through the pages ---

def test_map_and_unmap_an_action_from_the_element_page_without_javascript(client_for):
    manager = client_for("manager")
    page = manager.page("/standards/cse/elements/4.3.2?q=comment").text
    assert "No action is mapped to this element yet" in page
    assert "CC-34-OWN-06" in page  # found by the search: "Comment and suggestion sheets"
    response = manager.post("/standards/cse/elements/4.3.2/actions?review=CC", token_from="/standards/cse/elements/4.3.2",
                            data={"ref": "CC-34-OWN-06", "back": "element", "q": "comment"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/standards/cse/elements/4.3.2?review=CC&q=comment#element-actions")
    assert "1 action mapped to 4.3.2" in manager.page("/standards/cse/elements/4.3.2").text
    action_page = manager.page("/actions/CC-34-OWN-06")
    assert "CSE 4.3.2" in action_page.text
    history = action_page.text_after("#history")
    assert "CC-34-OWN-06: Standard element: none → CSE 4.3.2" in history
    response = manager.post("/standards/cse/elements/4.3.2/actions/remove?review=CC",
                            token_from="/standards/cse/elements/4.3.2", data={"ref": "CC-34-OWN-06", "back": "action"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#standard-elements")
    assert "No action is mapped to this element yet" in manager.page("/standards/cse/elements/4.3.2").text


def test_map_an_action_to_an_element_from_the_action_side_with_htmx(client_for):
    manager = client_for("manager")
    page = manager.page("/actions/CC-34-OWN-06")
    assert page.select('#standard-elements [name="q"]')  # the include and its picker
    token = page.csrf_token
    # Search as you type: only the results come back.
    results = manager.get("/standards-mapping/CC-34-OWN-06?review=CC&q=complaints",
                          headers={**HTMX, "HX-Target": "element-picker-results"})
    fragment = results.get_data(as_text=True)
    assert results.status_code == 200 and "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="element-picker-results"')
    assert "CSE 4.3.2" in Page(results).text and "CSE 4.3.5" in Page(results).text
    # Map one: the section comes back re-rendered with the element linked and marked as mapped.
    response = manager.post("/standards/cse/elements/4.3.5/actions?review=CC",
                            data={"ref": "CC-34-OWN-06", "back": "action", "q": "complaints"},
                            headers={**HTMX, "X-CSRFToken": token})
    section = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in section
    assert "CC-34-OWN-06 mapped to CSE 4.3.5" in Page(response).text
    assert "Mapped" in Page(response).texts("strong")
    with manager.app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-34-OWN-06"))
        assert "4.3.5" in [e.code for e in action.elements]
    # Mapping it again changes nothing.
    again = manager.post("/standards/cse/elements/4.3.5/actions?review=CC", data={"ref": "CC-34-OWN-06", "back": "action"},
                         headers={**HTMX, "X-CSRFToken": token})
    assert "Nothing changed" in Page(again).text


def test_the_no_javascript_element_picker_page_searches_and_maps(client_for):
    manager = client_for("manager")
    assert "CSE 4.2.3" in manager.page("/standards-mapping/CC-87-ORG-32?review=CC&q=benchmark").text
    response = manager.post("/standards/cse/elements/4.2.3/actions?review=CC", token_from="/actions/CC-87-ORG-32",
                            data={"ref": "CC-87-ORG-32", "back": "picker", "q": "benchmark"})
    assert response.status_code == 303
    assert "/standards-mapping/CC-87-ORG-32?review=CC&q=benchmark" in response.headers["Location"]
    assert "CSE 4.2.3" in manager.page("/actions/CC-87-ORG-32").text


def test_mapping_an_unknown_action_is_refused_with_a_message(client_for):
    manager = client_for("manager")
    response = manager.post("/standards/cse/elements/1.3.1/actions?review=CC", token_from="/standards/cse/elements/1.3.1",
                            data={"ref": "CC-99-ENV-99", "back": "element"})
    assert response.status_code == 400
    assert "There is no action CC-99-ENV-99 in review CC" in Page(response).errors


def test_search_as_you_type_on_the_element_page_returns_only_results(client_for):
    response = client_for("manager").get("/standards/cse/elements/1.3.1?q=survey",
                                         headers={**HTMX, "HX-Target": "action-picker-results"})
    page = Page(response)
    assert not page.select("html") and "CC-45-PERF-06" in page.text and "CC-53-COM-04" in page.text
    assert "Mapped" in page.text  # CC-44-PERF-05 is already mapped to 1.3.1


# --- assessments, ratings and readiness ---

def test_seeded_assessment_shows_its_readiness_numbers_and_rule(client_for):
    page = client_for("committee").page("/standards/cse/assessments/1")
    text = page.text
    assert "Customer Contact Centre" in text
    assert "4 of 57 elements (7.0%) are rated Compliance or Compliance Plus; accreditation needs 80%." in text
    assert "Not ready: 42 more elements must reach Compliance" in text
    assert "Not counted as compliant: 16 Partial Compliance, 23 Non-compliance, 14 Not assessed" in text
    assert "Green: the element is rated Compliance Plus or Compliance." in text  # the rule, in words
    assert "Red when at least half of its elements are Red" in text
    assert page.select('[data-testid="next-actions"]')
    assert "Rate 1.3.1" not in text  # committee members read; they do not rate
    assert not page.select('form[action*="/elements/"]')


def test_rating_an_element_moves_readiness_and_records_history(app, client_for):
    manager = client_for("manager")
    response = manager.post("/standards/cse/assessments/1/elements/1.3.1", token_from="/standards/cse/assessments/1",
                            data={"rating": "compliance", "evidence": "Quarterly survey, 1,000 replies.",
                                  "version": version_of(manager, "1.3.1"),
                                  "note": "after the survey"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#element-1-3-1")
    page = manager.page("/standards/cse/assessments/1")
    assert "5 of 57 elements (8.7%)" in page.text and "Quarterly survey, 1,000 replies." in page.text
    history = page.text_after("#history")
    assert "Customer Contact Centre CSE 1.3.1: Rating: Non-compliance → Compliance. Note: after the survey" in history
    with app.app_context():
        changes = db.session.scalars(select(Change).where(Change.entity_type == "element_rating")
                                     .order_by(Change.id.desc()).limit(2)).all()
        assert {(c.field, c.before, c.after) for c in changes} == {
            ("rating", "Non-compliance", "Compliance"),
            ("evidence", "No regular customer satisfaction survey; CC-44-PERF-05 and CC-46-PERF-07 to start.",
             "Quarterly survey, 1,000 replies.")}
        assert changes[0].user_name == "Manager User" and changes[0].note == "after the survey"


def test_rating_with_htmx_returns_the_element_and_the_readiness_out_of_band(client_for):
    manager = client_for("manager")
    token = manager.token("/standards/cse/assessments/1")
    response = manager.post("/standards/cse/assessments/1/elements/3.1.2", headers={**HTMX, "X-CSRFToken": token},
                            data={"rating": "compliance_plus", "evidence": "Charges on every bill.",
                                  "version": version_of(manager, "3.1.2")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div class="govuk-summary-card" id="element-3-1-2"')
    page = Page(response)
    assert page.one("#readiness")["hx-swap-oob"] == "true"
    assert "5 of 57 elements (8.7%)" in page.text_of("#readiness")
    assert "3.1.2 rated Compliance Plus" in page.text


def test_a_stale_rating_is_refused_with_409_and_keeps_the_text(client_for):
    manager, admin = client_for("manager"), client_for("admin")
    url = "/standards/cse/assessments/1/elements/2.1.4"
    first = admin.post(url, token_from="/standards/cse/assessments/1",
                       data={"rating": "partial", "evidence": "Admin's evidence", "version": "1"})
    assert first.status_code == 303
    stale = manager.post(url, token_from="/standards/cse/assessments/1",
                         data={"rating": "compliance", "evidence": "Manager's careful notes", "version": "1"})
    assert stale.status_code == 409
    page = Page(stale)
    form = page.form(url)
    assert "Someone else rated 2.1.4 while you were editing" in page.text
    assert form["evidence"] == "Manager's careful notes"  # the person's text, back in the form
    assert "Admin's evidence" in page.text  # and what the other person saved
    assert form["version"] == "2"  # saving again is deliberate
    # With htmx the same refusal comes back as the element alone.
    token = manager.token("/standards/cse/assessments/1")
    again = manager.post(url, headers={**HTMX, "X-CSRFToken": token},
                         data={"rating": "compliance", "evidence": "Manager's careful notes", "version": "1"})
    assert again.status_code == 409 and "<html" not in again.get_data(as_text=True)
    resolved = manager.post(url, token_from="/standards/cse/assessments/1",
                            data={"rating": "compliance", "evidence": "Merged notes", "version": "2"})
    assert resolved.status_code == 303


def test_a_rating_outside_the_list_is_refused(client_for):
    response = client_for("manager").post("/standards/cse/assessments/1/elements/1.1.1",
                                          token_from="/standards/cse/assessments/1",
                                          data={"rating": "excellent", "evidence": "typed", "version": "1"})
    assert response.status_code == 400 and "Choose a rating from the list" in Page(response).errors


def _rate_all(app, assessment_id: int, compliant: int):
    from tracker.standards.operations import rate_element
    from tracker.standards.queries import elements_of, load_standard
    with app.app_context():
        standard = load_standard("CSE")
        assessment = db.session.get(Assessment, assessment_id)
        for i, element in enumerate(elements_of(standard)):
            rate_element(assessment, element, rating="compliance" if i < compliant else "partial", evidence=None)
        db.session.commit()


@pytest.mark.parametrize("compliant, text, verdict", [(46, "46 of 57 elements (80.7%)", "Ready for assessment"),
                                                      (45, "45 of 57 elements (78.9%)", "Not ready")])
def test_readiness_on_the_page_at_the_80_percent_boundary(app, client_for, compliant, text, verdict):
    manager = client_for("manager")
    created = manager.post("/standards/cse/assessments", token_from="/standards/cse/assessments", data={
        "site": "Revenues and Benefits", "assessed_on": ["1", "3", "2004"],
        "review": "CC"})
    assessment_id = int(created.headers["Location"].rsplit("/", 1)[1])
    _rate_all(app, assessment_id, compliant)
    page = manager.page(created.headers["Location"])
    assert text in page.text
    assert page.one('[data-testid="readiness-verdict"]').strong.get_text(strip=True) == verdict
    assert f"{compliant} of 57" in manager.page("/standards/cse/assessments").text


def test_creating_an_assessment_checks_site_date_and_duplicates(client_for):
    manager = client_for("manager")
    empty = manager.post("/standards/cse/assessments", token_from="/standards/cse/assessments",
                         data={"site": "", "assessed_on": ["1", "12", "2003"]})
    assert empty.status_code == 400 and "Enter the service or site being assessed" in Page(empty).errors
    bad_date = manager.post("/standards/cse/assessments", token_from="/standards/cse/assessments",
                            data={"site": "Planning", "assessed_on": ["31", "2", "2004"]})
    page = Page(bad_date)
    assert bad_date.status_code == 400 and "must be a real date" in " ".join(page.errors)
    assert page.one('input[name="site"]')["value"] == "Planning"
    duplicate = manager.post("/standards/cse/assessments", token_from="/standards/cse/assessments",
                             data={"site": "Customer Contact Centre", "assessed_on": ["1", "12", "2003"], "review": "CC"})
    assert duplicate.status_code == 400 and "already has an assessment" in " ".join(Page(duplicate).errors)


def _assessment_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Assessment))


@pytest.mark.parametrize("typed", ["31/3/2004", "31 March 2004", "2004-03-31", ["31", "3", "2004"],
                                   ["31", "Mar", "04"]])
def test_the_assessment_date_is_read_as_people_type_it(app, client_for, typed):
    manager = client_for("manager")
    created = manager.post("/standards/cse/assessments", token_from="/standards/cse/assessments",
                           data={"site": "Planning", "assessed_on": typed, "review": "CC"})
    assert created.status_code == 303
    with app.app_context():
        found = db.session.get(Assessment, int(created.headers["Location"].rsplit("/", 1)[1]))
        assert (found.site, found.assessed_on) == ("Planning", dt.date(2004, 3, 31))


def test_an_impossible_assessment_date_is_refused_with_a_link_to_its_first_box(app, client_for):
    manager = client_for("manager")
    before = _assessment_count(app)
    response = manager.post("/standards/cse/assessments", token_from="/standards/cse/assessments",
                            data={"site": "Planning", "assessed_on": ["31", "2", "2004"], "review": "CC"})
    assert response.status_code == 400
    assert summary_links(response) == {
        "#assessed_on-day": "Date of the assessment must be a real date, for example 31 3 2027"}
    assert has_target(response, "#assessed_on-day")
    assert date_boxes(response, "assessed_on") == ["31", "2", "2004"]
    assert "Date of the assessment" in legends(response)
    assert Page(response).one('input[name="site"]')["value"] == "Planning"
    assert _assessment_count(app) == before


def test_a_missing_site_and_a_review_not_on_the_list_link_to_their_fields(app, client_for):
    manager = client_for("manager")
    response = manager.post("/standards/cse/assessments", token_from="/standards/cse/assessments",
                            data={"site": "", "assessed_on": ["1", "4", "2004"]})
    assert summary_links(response) == {"#site": "Enter the service or site being assessed"}
    response = manager.post("/standards/cse/assessments", token_from="/standards/cse/assessments",
                            data={"site": "Planning", "assessed_on": ["1", "4", "2004"], "review": "NOPE"})
    assert response.status_code == 400 and summary_links(response) == {"#review": "Choose a review from the list"}


def test_a_refused_rating_is_in_the_error_summary_linking_to_its_own_select(client_for):
    response = client_for("manager").post("/standards/cse/assessments/1/elements/1.1.1",
                                          token_from="/standards/cse/assessments/1",
                                          data={"rating": "excellent", "evidence": "typed", "version": "1"})
    assert response.status_code == 400
    assert summary_links(response) == {"#rating-element-1-1-1": "Choose a rating from the list"}
    assert has_target(response, "#rating-element-1-1-1")


def test_a_failed_mapping_links_to_the_search_box(client_for):
    manager = client_for("manager")
    response = manager.post("/standards/cse/elements/1.3.1/actions?review=CC", token_from="/standards/cse",
                            data={"ref": "CC-99-NONE-99", "back": "element"})
    assert response.status_code == 400
    assert summary_links(response) == {"#action-q": "There is no action CC-99-NONE-99 in review CC"}
    assert has_target(response, "#action-q")
    fragment = manager.post("/standards/cse/elements/1.3.1/actions?review=CC", token_from="/standards/cse",
                            data={"ref": "", "back": "element"}, headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 400 and "<html" not in html and html.lstrip().startswith('<div id="element-actions"')
    assert summary_links(fragment) == {"#action-q": "Choose an action to map"}


# --- gap analysis ---

def test_gap_analysis_grid_has_a_rag_word_per_site_and_sub_criterion(client_for):
    page = client_for("committee").page("/standards/cse/gap-analysis")
    cells = [cell["data-cell"] for cell in page.select("[data-cell]")]
    assert len(cells) == 3 * 15
    assert {c.split("|")[0] for c in cells} == {"Customer Contact Centre", "Revenues and Benefits",
                                                "Tourist Information Centre"}
    # Each cell's link starts with its RAG word (the site and sub-criterion follow, visually hidden).
    words = [link.find(string=True, recursive=False).strip() for link in page.select("[data-cell] a.app-gap__link")]
    assert len(words) == 45 and set(words) <= {"Red", "Amber", "Green"}


def test_a_gap_cell_shows_its_elements_as_a_page_and_as_a_fragment(client_for):
    committee = client_for("committee")
    page = committee.page("/standards/cse/gap-analysis/1/3.3")
    assert "Customer Contact Centre: 3.3 Access" in page.text and page.select('[data-testid="gap-grid"]')
    assert "3.3.1" in page.text and "3.3.3" in page.text and "CC-14-ENV-14" in page.text
    fragment = committee.get("/standards/cse/gap-analysis/1/3.3", headers={**HTMX, "HX-Target": "gap-cell"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and text.lstrip().startswith('<div id="gap-cell"') and "3.3.2" in text
    assert committee.get("/standards/cse/gap-analysis/1/9.9").status_code == 404


# --- reports ---

def test_readiness_csv_has_57_element_rows_each_with_a_rag_word(client_for):
    response = client_for("committee").get("/standards/cse/assessments/1/readiness.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = csv_rows(response.data)
    assert len(rows) == 57
    assert list(rows[0])[:5] == ["Element", "Element text", "Rating", "RAG", "Mapped actions"]
    assert all(r["RAG"] in RAG_WORDS for r in rows)
    by_code = {r["Element"]: r for r in rows}
    assert by_code["1.3.1"]["Mapped actions"] == "CC-44-PERF-05, CC-46-PERF-07"
    assert by_code["3.3.3"]["Rating"] == "Compliance" and by_code["3.3.3"]["RAG"] == "Green"
    assert by_code["3.1.2"]["Rating"] == "Not assessed" and by_code["3.1.2"]["RAG"] == "Red"


def test_readiness_in_excel_and_html_says_the_same(client_for, tmp_path):
    committee = client_for("committee")
    book = load_workbook(io.BytesIO(committee.get("/standards/cse/assessments/1/readiness.xlsx").data))
    assert book.sheetnames[:3] == ["Elements", "Criteria and sub-criteria", "What to do next"]
    sheet = book["Elements"]
    assert sheet.max_row == 58 and sheet["D1"].value == "RAG"
    page = committee.page("/standards/cse/assessments/1/readiness.html").text
    assert "4 of 57 elements (7.0%)" in page and "How RAG is worked out" in page
    assert all(code in page for code in ("1.1.1", "5.3.3"))


def test_report_readiness_command_writes_57_rows(app, tmp_path):
    output = tmp_path / "readiness.csv"
    result = app.test_cli_runner().invoke(args=["report", "readiness", "--review", "CC", "--format", "csv",
                                                "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "the assessment of Customer Contact Centre, 1 December 2003" in result.output
    rows = csv_rows(output.read_bytes())
    assert len(rows) == 57 and all(r["RAG"] in RAG_WORDS for r in rows)
    assert [r["Element"] for r in rows][:3] == ["1.1.1", "1.1.2", "1.1.3"]


def test_report_readiness_without_an_assessment_counts_every_element_as_not_assessed(app, tmp_path):
    with app.app_context():
        for a in db.session.scalars(select(Assessment)):
            a.review_id = None
        db.session.commit()
    output = tmp_path / "readiness.csv"
    result = app.test_cli_runner().invoke(args=["report", "readiness", "--review", "CC", "--format", "csv",
                                                "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = csv_rows(output.read_bytes())
    assert len(rows) == 57 and {r["Rating"] for r in rows} == {"Not assessed"}
    # Not assessed: Amber where a mapped action is under way or complete, Red otherwise.
    assert {r["RAG"] for r in rows} == {"Red", "Amber"}


def test_report_gap_analysis_command(app, tmp_path):
    output = tmp_path / "gap.csv"
    result = app.test_cli_runner().invoke(args=["report", "gap-analysis", "--format", "csv", "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = csv_rows(output.read_bytes())
    assert [r["Site"] for r in rows] == ["Customer Contact Centre", "Revenues and Benefits", "Tourist Information Centre"]
    subs = ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2", "5.3"]
    assert all(r[s] in RAG_WORDS for r in rows for s in subs)
    assert rows[0]["Assessed on"] == "2003-12-01"


def test_report_command_still_needs_a_review_for_committee_parts(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["report", "appendix-a", "--format", "csv",
                                                "--output", str(tmp_path / "a.csv")])
    assert result.exit_code != 0 and "--review" in result.output


# --- who may do what ---

def test_committee_can_read_but_cannot_map_or_rate(client_for):
    committee = client_for("committee")
    for url in ("/standards/cse", "/standards/cse/elements/1.3.1", "/standards/cse/assessments",
                "/standards/cse/assessments/1", "/standards/cse/gap-analysis", "/standards-mapping/CC-44-PERF-05",
                "/standards/cse/assessments/1/readiness.csv", "/standards/cse/gap-analysis.csv"):
        assert committee.get(url).status_code == 200, url
    token = committee.token("/standards/cse/assessments/1")
    posts = [("/standards/cse/elements/1.3.1/actions?review=CC", {"ref": "CC-45-PERF-06"}),
             ("/standards/cse/elements/1.3.1/actions/remove?review=CC", {"ref": "CC-44-PERF-05"}),
             ("/standards/cse/assessments/1/elements/1.3.1", {"rating": "compliance", "version": "1"}),
             ("/standards/cse/assessments", {"site": "X", "assessed_on": ["1", "1", "2004"]})]
    for url, data in posts:
        assert committee.post(url, data={**data, "csrf_token": token}).status_code == 403, url
    page = committee.page("/standards/cse/elements/1.3.1")
    assert "Remove" not in page.text and not page.select("#action-q") and not page.select('form[action*="/actions"]')


def test_assessment_page_reads_in_a_fixed_number_of_queries(client_for, count_queries):
    committee = client_for("committee")
    with count_queries() as first:
        committee.get("/standards/cse/assessments/1")
    with count_queries() as gap:
        committee.get("/standards/cse/gap-analysis")
    assert len(first) <= 15 and len(gap) <= 15


def test_element_in_another_standard_404s(client_for):
    committee = client_for("committee")
    assert committee.get("/standards/cse/elements/9.9.9").status_code == 404
    assert committee.get("/standards/nope").status_code == 404
    assert committee.get("/standards/cse/assessments/999").status_code == 404

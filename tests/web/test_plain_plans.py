"""Plain numbered plans and tables pasted as text, imported through the page and the command line."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tests.conftest import SHARED_SEEDS
from tracker.extensions import db
from tracker.imports.operations import plan_file
from tracker.models import Action, Measure, Recommendation, Review

NUMBERED = """Housing and customer services improvement plan 2026

1. Customer access
1.1 Improve the website so that the top 20 services can be done online. Progress: pilot live.
1.2 Publish service standards
2. Housing
2.1 Review the allocations policy – Owner: Head of Housing – Target: March 2027
    Consultation closed in May; report to Executive in July.
"""
RECOMMENDATIONS = """CUSTOMER CONTACT
Recommendation 1: Answer most calls at the first point of contact.
  Update: 78% answered first time; target 80%.
Recommendation 2: Extend opening hours
BENEFITS
Recommendation 3: Publish processing times – Lead officer: Benefits Manager
Status: Complete
"""
TABBED = ("Housing action plan\n"
          "Ref\tTitle\tDetail\tProgress\n"
          "H1\tAllocations policy\tReview the policy\tConsultation closed\n"
          "H2\tVoids\tRelet empty homes faster\tComplete\n")
BARRED = """| Ref | Title | Detail | Progress |
|-----|-------|--------|----------|
| H1  | Allocations policy | Review the policy | Consultation closed |
| H2  | Voids | Relet empty homes faster | Complete |
"""
ONE_ROW_PER_ACTION = "Ref\tAction\tProgress\nH1\tReview the allocations policy\tConsultation closed\nH2\tVoids\t\n"


def plan_of(app, code: str) -> list[tuple]:
    """(ref, title, theme name) of each action, in order."""
    with app.app_context():
        actions = db.session.scalars(select(Action).join(Review).where(Review.code == code)
                                     .options(selectinload(Action.theme)).order_by(Action.position))
        return [(a.ref, a.title, a.theme.name) for a in actions]


def own_progress(app, code: str) -> dict[str, tuple[str, str]]:
    """ref -> (progress text, status) of each action's unnumbered measure (number 0)."""
    with app.app_context():
        rows = db.session.execute(select(Action.ref, Measure.measured_output, Measure.status)
                                  .join(Measure, Measure.action_id == Action.id).join(Review)
                                  .where(Review.code == code, Measure.number == 0)).all()
    assert rows, "no action holds its own progress"
    return {ref: (text, status) for ref, text, status in rows}


def paste(client, code: str, text: str) -> tuple[str, str]:
    """The preview page for ``text`` pasted into the import page, and its address."""
    response = client.post("/imports", token_from="/imports", data={"review": code, "pasted": text})
    assert response.status_code == 303, response.get_data(as_text=True)
    url = response.headers["Location"]
    return client.get(url).get_data(as_text=True), url


def confirm(client, url: str, new_review: bool = True):
    data = {"action": "confirm", "csrf_token": client.token(url)}
    if new_review:
        data["new_review"] = "1"
    return client.post(url, data=data)


def cli_import(app, tmp_path, text: str, code: str, *extra: str):
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["import", str(path), "--review", code, *extra])


# -- numbered plans ------------------------------------------------------------------------------

def test_numbered_plan_pasted_into_the_page_becomes_themes_and_actions(app, client_for):
    manager = client_for("manager")
    page, url = paste(manager, "HP", NUMBERED)
    assert "3 actions to create" in page and "Read as a numbered plan: 3 items became actions" in page
    assert "under Customer access, Housing. 1 has no progress written yet, so it is Not started." in page
    assert "Targets given as a month (March 2027) are read as the last day of that month." in page
    assert plan_of(app, "HP") == []  # nothing before confirming
    assert confirm(manager, url).status_code == 303
    assert plan_of(app, "HP") == [
        ("1.1", "Improve the website so that the top 20 services can be done online.", "Customer access"),
        ("1.2", "Publish service standards", "Customer access"),
        ("2.1", "Review the allocations policy", "Housing")]
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "HP"))
        housing = next(a for a in review.actions if a.ref == "2.1")
        assert review.ref_pattern == r"\d+\.\d+"
        assert (housing.owner.name, housing.target_date.isoformat()) == ("Head of Housing", "2027-03-31")
        assert all(not a.measures or all(m.number == 0 for m in a.measures) for a in review.actions)
    progress = own_progress(app, "HP")
    assert {ref: text for ref, (text, _) in progress.items()} == {
        "1.1": "pilot live.", "1.2": "", "2.1": "Consultation closed in May; report to Executive in July."}
    assert progress["1.2"][1] == "not_started"


def test_recommendations_plan_through_the_command_line(app, tmp_path):
    result = cli_import(app, tmp_path, RECOMMENDATIONS, "RC")
    assert result.exit_code == 0, result.output
    assert "Note: Read as a numbered plan: 3 items became actions" in result.output
    assert "under Customer contact, Benefits" in result.output and "3 actions created" in result.output
    assert plan_of(app, "RC") == [("R1", "Answer most calls at the first point of contact.", "Customer contact"),
                                  ("R2", "Extend opening hours", "Customer contact"),
                                  ("R3", "Publish processing times", "Benefits")]
    with app.app_context():
        recs = db.session.scalars(select(Recommendation).join(Review).where(Review.code == "RC")
                                  .order_by(Recommendation.number)).all()
        assert [(r.number, r.text, [a.ref for a in r.actions]) for r in recs] == [
            (1, "Answer most calls at the first point of contact.", ["R1"]),
            (2, "Extend opening hours", ["R2"]), (3, "Publish processing times", ["R3"])]
        assert recs[0].status_text == "78% answered first time; target 80%."
    progress = own_progress(app, "RC")
    assert {ref: text for ref, (text, _) in progress.items()} == {
        "R1": "78% answered first time; target 80%.", "R2": "", "R3": "Complete"}
    assert (progress["R2"][1], progress["R3"][1]) == ("not_started", "complete")


def test_a_second_edition_updates_the_plan_by_ref(app, tmp_path):
    assert cli_import(app, tmp_path, NUMBERED, "HP").exit_code == 0
    second = NUMBERED.replace("Publish service standards", "Publish and promote service standards")
    result = cli_import(app, tmp_path, second, "HP", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "0 to create, 1 to update, 2 unchanged" in result.output
    assert "1.2: title: Publish service standards → Publish and promote service standards" in result.output


def test_items_under_the_reviews_own_themes_and_ref_ids_go_into_it(app, client_for):
    manager = client_for("manager")
    page, url = paste(manager, "CC", "ENVIRONMENT\nCC-88-ENV-88 New signage at the station\nProgress: To start\n"
                                     "R9 Not a ref id of this review\n")
    assert "ref id &#39;R9&#39; does not follow this review&#39;s pattern" in page
    page, url = paste(manager, "CC", "ENVIRONMENT\nCC-88-ENV-88 New signage at the station\nProgress: To start\n")
    assert "1 action to create" in page and "87 not in the file" in page
    assert confirm(manager, url, new_review=False).status_code == 303
    assert plan_of(app, "CC")[-1] == ("CC-88-ENV-88", "New signage at the station", "Environment")
    assert own_progress(app, "CC") == {"CC-88-ENV-88": ("To start", "not_started")}


def test_sections_the_review_does_not_have_are_refused_by_name(app, client_for):
    manager = client_for("manager")
    page, _ = paste(manager, "CC", NUMBERED)
    assert "section &#39;Customer access&#39; is not one of this review&#39;s themes" in page
    assert "nothing has been imported" in page


# -- tables pasted as text -------------------------------------------------------------------------

def test_a_table_copied_from_word_or_excel_goes_the_way_a_sheet_goes(app, client_for):
    manager = client_for("manager")
    page, url = paste(manager, "HT", TABBED)
    assert "Read as a table pasted as text, with the headings Ref, Title, Detail, Progress" in page
    assert "2 actions to create" in page
    assert confirm(manager, url).status_code == 303
    assert plan_of(app, "HT") == [("H1", "Allocations policy", "General"), ("H2", "Voids", "General")]
    with app.app_context():
        measures = db.session.execute(select(Action.ref, Measure.number, Measure.text, Measure.measured_output)
                                      .join(Measure).join(Review).where(Review.code == "HT")
                                      .order_by(Action.ref)).all()
    assert [tuple(m) for m in measures] == [("H1", 1, "Review the policy", "Consultation closed"),
                                           ("H2", 1, "Relet empty homes faster", "Complete")]


def test_a_table_typed_with_bars_through_the_command_line(app, tmp_path):
    result = cli_import(app, tmp_path, BARRED, "HB")
    assert result.exit_code == 0, result.output
    assert "Columns: ref <- 'Ref', title <- 'Title'" in result.output
    assert "Note: Read as a table pasted as text" in result.output
    assert plan_of(app, "HB") == [("H1", "Allocations policy", "General"), ("H2", "Voids", "General")]


def test_a_table_problem_names_the_line_of_the_text(app, tmp_path):
    result = cli_import(app, tmp_path, TABBED.replace("H2\tVoids", "\tVoids"), "HB")
    assert result.exit_code == 1 and "row 4: No ref id" in result.output


def test_one_row_per_action_with_a_progress_column(app, client_for):
    manager = client_for("manager")
    page, url = paste(manager, "HA", ONE_ROW_PER_ACTION)
    assert "Read as a table pasted as text" in page
    assert confirm(manager, url).status_code == 303
    assert [ref for ref, *_ in plan_of(app, "HA")] == ["H1", "H2"]
    progress = own_progress(app, "HA")
    assert progress == {"H1": ("Consultation closed", progress["H1"][1]), "H2": ("", "not_started")}


# -- what cannot be read, and the Carlisle paper ---------------------------------------------------

def test_text_that_holds_no_plan_says_which_shapes_are_read(app, client_for, tmp_path):
    prose = "Minutes of the meeting\nApologies were received.\nThe minutes were agreed.\n"
    page, _ = paste(client_for("manager"), "MN", prose)
    assert "No actions were found. The text can be a numbered plan" in page
    assert "Ref | Action | Progress" in page and "no numbered measures" not in page
    result = cli_import(app, tmp_path, prose, "MN")
    assert result.exit_code == 1 and "No actions were found. The text can be a numbered plan" in result.output


@pytest.mark.skipif(not (SHARED_SEEDS / "004_3f0832b40f0a09ed.txt").exists(), reason="shared/seeds is missing")
def test_the_carlisle_paper_is_still_read_in_its_own_layout(app):
    with app.app_context():
        plan = plan_file((SHARED_SEEDS / "004_3f0832b40f0a09ed.txt").read_bytes(), "004.txt", "CX")
    assert plan.ok, plan.problems
    assert plan.notes[0] == ("Read as a committee paper's action plan: 87 actions with ref ids, each with numbered "
                             "measures and their measured outputs.")
    assert all(action["measures"] and "progress" not in action for action in plan.conversion.data["actions"])

"""A council's status words: read by stated rules, asked once when unknown, remembered per council."""
from __future__ import annotations

import io
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.files import csv_bytes
from tracker.extensions import db
from tracker.imports.operations import apply_import, plan_spreadsheet
from tracker.imports.spreadsheet import guess_mapping
from tracker.models import Action, Authority, Change, Measure, Review, StatusWord, Theme
from tracker.plan.vocabulary import forget_status_word, remember_status_words, remembered_words
from tracker.refused import Refused

HEADER = ["Ref", "Title", "Measure", "Progress", "Status"]
COLUMNS = {f"map-{field}": column for field, column in guess_mapping(HEADER).items()}  # as the page posts them
FIRST_EDITION = [HEADER,
                 ["SW1", "Signs", "Put up signs", "Half the signs are up", "Mauve"],
                 ["SW2", "Web forms", "Put forms online", "Forms being written", "Green"],
                 ["SW3", "Desk", "Staff the desk", "Staffed", "Complete"]]
SECOND_EDITION = [HEADER,
                  ["SW1", "Signs", "Put up signs", "Most signs are up", "MAUVE "],
                  ["SW2", "Web forms", "Put forms online", "Forms online", "Green"],
                  ["SW3", "Desk", "Staff the desk", "Staffed", "Complete"]]


def upload(client, rows, review: str) -> str:
    response = client.post("/imports", token_from="/imports", data={
        "review": review, "file": (io.BytesIO(csv_bytes(rows)), "tracker.csv")}, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def words_on(page: str) -> dict[str, tuple[str, str]]:
    """The status-words block: word -> (the hint, the status selected)."""
    soup = BeautifulSoup(page, "html.parser")
    block = soup.find(attrs={"data-testid": "status-words"})
    found = {}
    for group in block.find_all(class_="govuk-form-group") if block else []:
        word = re.search(r"“(.*)”", group.label.get_text(" ", strip=True)).group(1)
        chosen = group.select_one("option[selected]")
        found[word] = (group.find(class_="govuk-hint").get_text(" ", strip=True), chosen["value"] if chosen else "")
    return found


def remembered_for(page: str) -> str:
    soup = BeautifulSoup(page, "html.parser")
    return soup.find(attrs={"data-testid": "status-words-remembered"}).get_text(" ", strip=True)


def status_of(app, ref: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Measure.status).join(Action).where(Action.ref == ref))


def other_council(app) -> None:
    """A second council with a review of its own, ED."""
    with app.app_context():
        eden = Authority(name="Eden District Council")
        review = Review(authority=eden, code="ED", title="Eden review", ref_pattern=r"SW\d+")
        db.session.add_all([eden, review, Theme(review=review, code="GEN", name="General")])
        db.session.commit()


def test_an_unknown_word_mapped_once_is_read_without_asking_next_time_and_only_for_that_council(app, client_for):
    manager = client_for("manager")
    page_url = upload(manager, FIRST_EDITION, "SW")
    page = manager.get(page_url).get_data(as_text=True)
    words = words_on(page)
    assert set(words) == {"Mauve", "Green"}          # "Complete" is a plain status: nothing to check
    assert words["Mauve"] == ("Not a status we know: say what it means.", "")
    assert words["Green"][1] == "in_progress" and "never read as complete" in words["Green"][0]
    assert "Status &#39;Mauve&#39; (rows 2)" in page and "Confirm and import" not in page

    token = manager.token(page_url)
    form = {**COLUMNS, "status-Mauve": "on_hold", "status-Green": "in_progress", "csrf_token": token}
    checked = manager.post(page_url, data={**form, "action": "check"})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "3 actions to create" in page
    # The choice stays on the page, so confirming sends it again.
    assert words_on(page)["Mauve"] == ("Read as On hold, as you chose: it will be remembered.", "on_hold")
    assert remembered_for(page) == "We'll remember what you choose here for Carlisle City Council's next import."
    with app.app_context():
        assert db.session.scalar(select(StatusWord)) is None     # nothing before confirm
    done = manager.post(page_url, data={**form, "action": "confirm"})
    assert done.status_code == 303
    assert (status_of(app, "SW1"), status_of(app, "SW2"), status_of(app, "SW3")) == (
        "on_hold", "in_progress", "complete")
    with app.app_context():
        carlisle = db.session.scalar(select(Authority).where(Authority.name == "Carlisle City Council"))
        assert remembered_words(carlisle.id) == {"mauve": "on_hold"}   # Green was read by the rule, unchanged
        word = db.session.scalar(select(StatusWord))
        assert (word.written, word.created_by) == ("Mauve", "Manager User")
        change = db.session.scalar(select(Change).where(Change.entity_type == "status_word"))
        assert (change.field, change.before, change.after, change.user_name) == (
            "status", None, "on_hold", "Manager User")

    # The second edition writes it "MAUVE ": read as remembered, with the date, and not asked.
    page_url = upload(manager, SECOND_EDITION, "SW")
    page = manager.get(page_url).get_data(as_text=True)
    hint, chosen = words_on(page)["MAUVE"]
    assert chosen == "on_hold" and re.fullmatch(r"Read as On hold, as you told us on \d{1,2} \w+ \d{4} "
                                                r"\(Manager User\)\.", hint)
    assert "maps to no category" not in page and "Confirm and import" in page
    done = manager.post(page_url, data={**COLUMNS, "action": "confirm", "csrf_token": manager.token(page_url)})
    assert done.status_code == 303 and status_of(app, "SW1") == "on_hold"

    # Another council has not told us what "Mauve" means: it is asked there.
    other_council(app)
    page_url = upload(manager, FIRST_EDITION, "ED")
    page = manager.get(page_url).get_data(as_text=True)
    assert words_on(page)["Mauve"] == ("Not a status we know: say what it means.", "")
    assert "Eden District Council's next import" in remembered_for(page) and "Confirm and import" not in page


def test_a_rule_reading_changed_by_a_person_is_remembered_for_that_council(app):
    """A council whose key says Green means achieved says so once."""
    rows = [HEADER, ["SW1", "Signs", "Put up signs", "All up", "Green"]]
    with app.app_context():
        plan = plan_spreadsheet(csv_bytes(rows), "t.csv", "SW")
        assert plan.ok and [(r.how, r.category) for r in plan.status_words.rows] == [("rule", "in_progress")]
        plan = plan_spreadsheet(csv_bytes(rows), "t.csv", "SW", status_map={"Green": "complete"})
        assert [(r.how, r.category) for r in plan.status_words.rows] == [("chosen", "complete")]
        apply_import(plan)
        db.session.commit()
        plan = plan_spreadsheet(csv_bytes(rows), "t.csv", "SW")
        assert [(r.how, r.category) for r in plan.status_words.rows] == [("remembered", "complete")]
        assert plan.conversion.data["actions"][0]["measures"][0]["status"] == "complete"


def test_a_preview_and_a_refused_choice_remember_nothing(app, client_for):
    manager = client_for("manager")
    page_url = upload(manager, FIRST_EDITION, "SW")
    token = manager.token(page_url)
    response = manager.post(page_url, data={**COLUMNS, "status-Mauve": "purple", "status-Green": "in_progress",
                                            "action": "confirm", "csrf_token": token})
    assert response.status_code == 400
    assert words_on(response.get_data(as_text=True))["Mauve"][1] == ""      # still to choose
    manager.post(page_url, data={**COLUMNS, "status-Mauve": "on_hold", "action": "check", "csrf_token": token})
    with app.app_context():
        assert db.session.scalar(select(StatusWord)) is None and db.session.scalar(select(Review).where(
            Review.code == "SW")) is None


def test_remember_and_forget_write_the_history(app):
    with app.app_context():
        carlisle = db.session.scalar(select(Authority))
        assert remember_status_words(carlisle, {"Mauve": "on_hold", "Open": "in_progress"}) == ["mauve", "open"]
        assert remember_status_words(carlisle, {"mauve": "on_hold"}) == []             # same meaning: no change
        assert remember_status_words(carlisle, {"MAUVE": "postponed"}) == ["mauve"]    # a new meaning replaces it
        assert remembered_words(carlisle.id) == {"mauve": "postponed", "open": "in_progress"}
        assert forget_status_word(carlisle, "Mauve").category == "postponed"
        assert forget_status_word(carlisle, "Mauve") is None
        assert remembered_words(carlisle.id) == {"open": "in_progress"}
        changes = db.session.scalars(select(Change).where(Change.entity_type == "status_word")
                                     .order_by(Change.id)).all()
        assert [(c.before, c.after) for c in changes] == [
            (None, "on_hold"), (None, "in_progress"), ("on_hold", "postponed"), ("postponed", None)]
        assert changes[0].entity_label == 'Status word "Mauve" (Carlisle City Council)'


def test_remember_refuses_what_is_not_a_status(app):
    with app.app_context():
        carlisle = db.session.scalar(select(Authority))
        with pytest.raises(Refused):
            remember_status_words(carlisle, {"Mauve": "purple"})
        assert remembered_words(carlisle.id) == {}


def test_cli_remembers_status_map_lists_and_forgets(app, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_bytes(csv_bytes(FIRST_EDITION))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", str(path), "--review", "SW"])
    assert result.exit_code == 1 and "Status 'Mauve'" in result.output
    result = runner.invoke(args=["import", str(path), "--review", "SW", "--status-map", "Mauve=purple"])
    assert result.exit_code != 0 and "'purple' is not a status" in result.output
    result = runner.invoke(args=["import", str(path), "--review", "SW", "--status-map", "Mauve=on_hold", "--dry-run"])
    assert result.exit_code == 0 and "Dry run" in result.output
    assert "No status words are remembered." in runner.invoke(args=["status-words", "list"]).output
    result = runner.invoke(args=["import", str(path), "--review", "SW", "--status-map", "Mauve=on_hold"])
    assert result.exit_code == 0, result.output
    assert "Status 'Green': Read as In progress: Green rates" in result.output
    assert "Remembered for Carlisle City Council's next import: 'Mauve'" in result.output

    path.write_bytes(csv_bytes(SECOND_EDITION))
    result = runner.invoke(args=["import", str(path), "--review", "SW"])
    assert result.exit_code == 0 and "Status 'MAUVE': Read as On hold, as you told us on" in result.output
    listed = runner.invoke(args=["status-words", "list"]).output
    assert "Carlisle City Council:" in listed and "'Mauve' -> On hold (told us on" in listed

    result = runner.invoke(args=["status-words", "forget", "mauve"])
    assert result.exit_code == 0 and "Forgotten: 'Mauve' (On hold)" in result.output
    result = runner.invoke(args=["status-words", "forget", "mauve"])
    assert result.exit_code == 1 and "not a remembered status word" in result.output
    result = runner.invoke(args=["import", str(path), "--review", "SW"])
    assert result.exit_code == 1 and "Status 'MAUVE' (rows 2) maps to no category" in result.output


def test_forget_asks_for_the_council_when_there_is_more_than_one(app):
    other_council(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["status-words", "forget", "Mauve"])
    assert result.exit_code != 0 and "Name the council with --authority" in result.output
    result = runner.invoke(args=["status-words", "forget", "Mauve", "--authority", "Nowhere"])
    assert result.exit_code != 0 and "No council is called 'Nowhere'" in result.output

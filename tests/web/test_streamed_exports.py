"""The JSON and Excel exports stream: actions are read a batch at a time and written as they come,
so memory stays flat as a plan grows, and what is written is exactly what the in-memory export
wrote (``json.dumps(..., ensure_ascii=False, indent=2)``; the same workbook cell for cell)."""
from __future__ import annotations

import gc
import io
import json

from openpyxl import load_workbook
from sqlalchemy import select

from tracker.exports.plan_json import LazyList, export_all, export_chunks, json_chunks, review_actions
from tracker.exports.plan_xlsx import review_workbook
from tracker.extensions import db
from tracker.models import Action, Review


def dumped(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def test_json_pieces_read_exactly_as_json_dumps_writes():
    awkward = {"a": [], "b": {}, "c": "line\nbreak \u2028 “quoted” £5 ünïcode", "d": [1, 2.5, None, True],
               "e": [{"f": {"g": []}}]}
    for lazy, plain in [
        (LazyList([]), []),
        (LazyList(iter([awkward, awkward])), [awkward, awkward]),
        ({"x": LazyList([]), "y": {}}, {"x": [], "y": {}}),
        ({"top": [{"inner": LazyList(iter([awkward]))}, {"inner": LazyList([])}], "after": awkward},
         {"top": [{"inner": [awkward]}, {"inner": []}], "after": awkward}),
        ([LazyList([[1], [2, [3, {}]]])], [[[1], [2, [3, {}]]]]),
    ]:
        assert "".join(json_chunks(lazy)) == dumped(plain)


def test_the_streamed_export_is_the_in_memory_export_character_for_character(app):
    with app.app_context():
        for codes in (["CC"], None):
            pieces = list(export_chunks(codes))
            assert len(pieces) > 87, "written an action at a time, not as one text"
            assert "".join(pieces) == dumped(export_all(codes))


def test_actions_are_read_in_batches_and_let_go(app):
    """With batches of 10, no more than a few batches of actions are alive at once, whatever the
    review's size; the actions come in the plan's order, as the relationship gives them."""
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        expected = [a.ref for a in review.actions]
        review_id = review.id
        db.session.expunge_all()
        del review
        gc.collect()
        refs, most = [], 0
        for data in review_actions(review_id, batch=10):
            refs.append(data["ref"])
            if len(refs) % 10 == 5:
                gc.collect()
                most = max(most, sum(isinstance(o, Action) for o in db.session.identity_map.values()))
        assert refs == expected and len(refs) == 87
        assert 0 < most <= 20, f"{most} actions held at once while exporting in batches of 10"


def test_json_download_streams_the_same_text(client_for, app):
    client = client_for("committee")
    response = client.get("/exports/CC.json", buffered=False)
    try:
        assert response.status_code == 200 and response.is_streamed
        assert response.mimetype == "application/json"
        assert "attachment" in response.headers["Content-Disposition"]
        body = response.get_data(as_text=True)
    finally:
        response.close()
    with app.app_context():
        assert body == dumped(export_all(["CC"]))
    assert client.get("/exports/NOPE.json").status_code == 404
    assert client.get("/exports/NOPE.xlsx").status_code == 404


def cells(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: (sheet.freeze_panes, {k: d.width for k, d in sheet.column_dimensions.items()},
                          [[(c.value, c.data_type, c.font.b, c.alignment.wrap_text, c.alignment.vertical)
                            for c in row] for row in sheet.iter_rows()])
            for sheet in book.worksheets}


def test_xlsx_download_streams_the_workbook_made_from_the_data(client_for, app):
    client = client_for("committee")
    response = client.get("/exports/CC.xlsx", buffered=False)
    try:
        assert response.status_code == 200 and response.is_streamed
        content = response.get_data()
    finally:
        response.close()
    with app.app_context():
        expected = cells(review_workbook(export_all(["CC"])["reviews"][0]))
    got = cells(content)
    assert got == expected
    measures = got["Measures"][2]
    assert len(measures) == 117 and measures[0][0] == ("Ref-Id", "s", True, None, None)
    assert measures[1][0] == ("CC-01-ENV-01", "s", False, True, "top")


def test_command_line_writes_the_same_json_to_a_file_and_to_standard_output(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "--review", "CC", "--output", str(tmp_path / "cc.json")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        expected = dumped(export_all(["CC"])) + "\n"
    assert (tmp_path / "cc.json").read_text(encoding="utf-8") == expected
    result = runner.invoke(args=["export", "--review", "CC"])
    assert result.exit_code == 0 and result.stdout == expected

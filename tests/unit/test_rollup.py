import pytest

from tracker.domain.rollup import roll_up


@pytest.mark.parametrize("items, expected", [
    ([], "not_started"),
    ([("complete", None)] * 3, "complete"),
    ([("complete", None), ("not_applicable", None)], "complete"),
    ([("cancelled", None)], "cancelled"),
    ([("cancelled", None), ("not_applicable", None)], "not_applicable"),
    ([("complete", None), ("dependent", "CCC")], "in_progress"),
    ([("in_progress", None), ("not_started", None)], "in_progress"),
    ([("ongoing", None), ("complete", None)], "ongoing"),
    ([("dependent", "CCC"), ("dependent", "CCC")], "dependent"),
    ([("dependent", "CCC"), ("not_started", None)], "dependent"),
    ([("on_hold", "CCC"), ("not_started", None)], "on_hold"),
    ([("postponed", "TIR")], "postponed"),
    ([("not_started", None), ("not_applicable", None)], "not_started"),
])
def test_roll_up_rules(items, expected):
    assert roll_up(items).category == expected


def test_reason_says_what_waits_on_what():
    result = roll_up([("complete", None), ("dependent", "CCC"), ("dependent", "CCC"), ("in_progress", None)])
    assert result.category == "in_progress"
    assert "2 of 4 waiting on CCC" in result.reason and "1 of 4 complete" in result.reason

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


class _Progress:
    """An action's own progress as the roll-up sees it: its unnumbered measure (number 0)."""
    def __init__(self, status, project=None, number=0):
        self.status, self.number = status, number
        self.depends_on = type("P", (), {"code": project})() if project else None


def test_an_action_holding_its_progress_has_that_status_in_plain_words():
    from tracker.domain.rollup import roll_up_measures
    result = roll_up_measures([_Progress("in_progress")])
    assert (result.category, result.reason) == ("in_progress", "Progress recorded on the action: in progress")
    waiting = roll_up_measures([_Progress("dependent", "CCC")])
    assert (waiting.category, waiting.reason) == ("dependent", "Progress recorded on the action: it waits on CCC")


def test_actions_holding_progress_count_as_one_item_each_beside_measures():
    from tracker.domain.rollup import roll_up_measures
    both = roll_up_measures([_Progress("complete"), _Progress("complete")])
    assert both.reason == "Every action is closed (2 of 2 complete)"
    mixed = roll_up_measures([_Progress("complete"), _Progress("complete", number=1)])
    assert mixed.reason == "Every item is closed (2 of 2 complete)"
    measures = roll_up_measures([_Progress("complete", number=1), _Progress("complete", number=2)])
    assert measures.reason == "Every measure is closed (2 of 2 complete)"

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


def _counted(measures):
    """What a GROUP BY gives: counts by status and by waited-on project, in first-met order, and
    how many are actions' own progress."""
    counts, waits = {}, {}
    for m in measures:
        counts[m.status] = counts.get(m.status, 0) + 1
        if m.status == "dependent" and m.depends_on:
            waits[m.depends_on.code] = waits.get(m.depends_on.code, 0) + 1
    return counts, waits, sum(1 for m in measures if m.number == 0)


def test_rolling_up_counts_says_exactly_what_rolling_up_the_measures_says():
    import random
    from types import SimpleNamespace

    from tracker.domain.rollup import roll_up_counts, roll_up_measures
    from tracker.domain.status import CATEGORIES

    rng = random.Random(16)
    projects = [None, None, SimpleNamespace(code="CCC"), SimpleNamespace(code="TIR"), SimpleNamespace(code="PDP")]
    for _ in range(3000):
        measures = [SimpleNamespace(status=rng.choice(CATEGORIES), depends_on=rng.choice(projects),
                                    number=rng.choice((0, 1, 2, 3)))
                    for _ in range(rng.choice((0, 1, 1, 2, 3, 5, 12)))]
        assert roll_up_counts(*_counted(measures)) == roll_up_measures(measures), measures


def test_equal_counts_are_listed_in_the_order_first_met():
    from tracker.domain.rollup import roll_up_counts

    first = roll_up_counts({"not_started": 1, "on_hold": 1}).reason
    second = roll_up_counts({"on_hold": 1, "not_started": 1}).reason
    assert first.endswith("(1 of 2 not started; 1 of 2 on hold)")
    assert second.endswith("(1 of 2 on hold; 1 of 2 not started)")

"""Readiness arithmetic (at the 80% boundary) and the element RAG rule, case by case."""
from __future__ import annotations

from fractions import Fraction

import pytest

from tracker.domain.readiness import RAG_RULE, element_rag, next_actions, readiness, roll_up_rag


def ratings(compliant: int, total: int, rest: str = "partial") -> list[str]:
    return ["compliance"] * compliant + [rest] * (total - compliant)


# --- readiness: share of elements at Compliance or better against 80% ---

def test_46_of_57_is_80_7_percent_and_ready():
    r = readiness(ratings(46, 57))
    assert (r.compliant, r.total) == (46, 57)
    assert r.percent_text == "80.7%"
    assert r.ready and r.needed == 0


def test_45_of_57_is_78_9_percent_and_not_ready():
    r = readiness(ratings(45, 57))
    assert r.percent_text == "78.9%"
    assert not r.ready
    assert r.needed == 1
    assert "Not ready: 1 more element must reach Compliance" in r.sentence


def test_exactly_80_percent_is_ready():
    r = readiness(ratings(8, 10))
    assert r.share == Fraction(4, 5)
    assert r.percent_text == "80.0%"
    assert r.ready


def test_just_under_80_percent_never_prints_as_80():
    r = readiness(ratings(3999, 5000))  # 79.98%
    assert not r.ready
    assert r.percent_text == "79.9%"


def test_compliance_plus_counts_as_compliant():
    r = readiness(["compliance_plus"] * 4 + ["compliance"] * 4 + ["non_compliance"] * 2)
    assert r.compliant == 8 and r.ready


def test_not_assessed_counts_in_the_denominator_and_says_so():
    r = readiness(["compliance"] * 8 + [None, "not_assessed"])
    assert (r.compliant, r.total) == (8, 10) and r.ready
    assert r.not_counted == [("Not assessed", 2)]
    assert "Not counted as compliant: 2 Not assessed" in r.left_out_sentence
    assert "in the denominator" in r.left_out_sentence


def test_sentence_states_numerator_denominator_and_threshold():
    r = readiness(ratings(46, 57))
    assert r.sentence.startswith("46 of 57 elements (80.7%) are rated Compliance or Compliance Plus; "
                                 "accreditation needs 80%.")
    assert "Ready for assessment" in r.sentence


def test_other_thresholds_and_empty_standard():
    assert readiness(ratings(9, 10), threshold=90).ready
    assert not readiness(ratings(8, 10), threshold=90).ready
    empty = readiness([])
    assert not empty.ready and empty.percent_text == "n/a"


def test_unknown_rating_is_refused():
    with pytest.raises(ValueError):
        readiness(["excellent"])


# --- the element RAG rule, one test per line of RAG_RULE ---

@pytest.mark.parametrize("rating", ["compliance_plus", "compliance"])
def test_green_when_rated_compliance_or_better_whatever_the_actions(rating):
    assert element_rag(rating, []).rag == "green"
    assert element_rag(rating, ["not_started", "cancelled"]).rag == "green"


@pytest.mark.parametrize("actions", [[], ["not_started"], ["complete"], ["in_progress"]])
def test_amber_when_partial_compliance(actions):
    result = element_rag("partial", actions)
    assert result.rag == "amber" and result.reason == "Rated Partial Compliance"


@pytest.mark.parametrize("rating", ["non_compliance", "not_assessed", None])
@pytest.mark.parametrize("status", ["in_progress", "ongoing"])
def test_amber_when_not_compliant_but_a_mapped_action_is_under_way(rating, status):
    result = element_rag(rating, ["not_started", status])
    assert result.rag == "amber"
    assert "1 of 2 mapped actions under way" in result.reason


def test_amber_when_not_assessed_and_a_mapped_action_is_complete():
    result = element_rag("not_assessed", ["complete", "dependent"])
    assert result.rag == "amber"
    assert "evidence to assess" in result.reason


def test_red_when_non_compliant_even_if_a_mapped_action_is_complete():
    # The assessor saw the finished work and still found a gap: nothing under way closes it.
    result = element_rag("non_compliance", ["complete"])
    assert result.rag == "red"


@pytest.mark.parametrize("rating", ["non_compliance", "not_assessed"])
def test_red_when_nothing_is_mapped(rating):
    result = element_rag(rating, [])
    assert result.rag == "red" and "no action is mapped" in result.reason


@pytest.mark.parametrize("status", ["not_started", "dependent", "on_hold", "postponed", "cancelled",
                                    "not_applicable"])
def test_red_when_no_mapped_action_is_under_way(status):
    result = element_rag("not_assessed", [status, status])
    assert result.rag == "red"
    assert "no mapped action under way" in result.reason


def test_the_rule_is_written_down_for_every_outcome():
    text = " ".join(RAG_RULE)
    for word in ("Green:", "Amber:", "Red:", "Compliance Plus", "Partial Compliance", "Non-compliance",
                 "not assessed", "under way"):
        assert word in text


def test_unknown_rating_has_no_rag():
    with pytest.raises(ValueError):
        element_rag("good", [])


# --- roll-ups and next actions ---

def test_roll_up_is_green_only_when_every_element_is_green():
    assert roll_up_rag(["green"] * 3).rag == "green"
    assert roll_up_rag(["green"] * 3).reason == "All 3 elements Green"
    assert roll_up_rag(["green", "green", "amber"]).rag == "amber"


def test_roll_up_is_red_when_at_least_half_the_elements_are_red():
    assert roll_up_rag(["red", "green"]).rag == "red"  # exactly half
    red = roll_up_rag(["green", "amber", "red", "red", "red"])
    assert red.rag == "red"
    assert red.reason == "3 of 5 elements Red, at least half (3 Red, 1 Amber, 1 Green)"


def test_roll_up_is_amber_when_fewer_than_half_are_red_and_not_all_green():
    amber = roll_up_rag(["red", "green", "green"])
    assert amber.rag == "amber"
    assert amber.reason == "Fewer than half of the 3 elements Red, not all Green (1 Red, 2 Green)"
    assert roll_up_rag(["amber", "amber"]).rag == "amber"


def test_next_actions_rank_open_actions_by_non_green_elements_they_map_to():
    rags = {"1.1.1": "red", "1.1.2": "amber", "1.1.3": "green", "2.1.1": "red"}
    actions = [
        ("A-1", "not_started", ["1.1.1"]),
        ("A-2", "complete", ["1.1.1", "1.1.2", "2.1.1"]),  # closed: moves nothing
        ("A-3", "dependent", ["1.1.1", "1.1.2", "1.1.3"]),
        ("A-4", "in_progress", ["2.1.1"]),
        ("A-5", "not_started", ["1.1.3"]),  # only green elements: left out
        ("A-6", "not_started", ["9.9.9"]),  # an element of another standard: left out
    ]
    ranked = next_actions(rags, actions)
    assert [a.ref for a in ranked] == ["A-3", "A-4", "A-1"]  # ties: under way first
    assert ranked[0].elements == ("1.1.1", "1.1.2")
    assert len(next_actions(rags, actions, limit=1)) == 1

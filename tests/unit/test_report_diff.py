from tracker.domain.report_diff import diff_states


def state(measures, actions=None):
    return {"measures": {f"{ref}|{n}": {"ref": ref, "number": n, "status": s, "output": o}
                         for ref, n, s, o in measures}, "actions": actions or {}}


def test_only_changed_statuses_are_listed_with_old_and_new():
    old = state([("A1", 1, "not_started", "To start"), ("A1", 2, "dependent", "Outcome of CCC"),
                 ("A2", 1, "in_progress", "Some")])
    new = state([("A1", 1, "complete", "Complete"), ("A1", 2, "dependent", "Outcome of CCC"),
                 ("A2", 1, "on_hold", "On hold"), ("A3", 1, "not_started", "To start")])
    diff = diff_states(old, new)
    assert [(c["ref"], c["number"], c["old"], c["new"]) for c in diff.status_changes] == [
        ("A1", 1, "not_started", "complete"), ("A2", 1, "in_progress", "on_hold")]
    assert [c["ref"] for c in diff.completed] == ["A1"]
    assert [m["ref"] for m in diff.new_measures] == ["A3"]


def test_new_and_revised_target_dates_keep_the_original():
    old = state([], {"A1": {"target_date": "2024-03-31", "original_target_date": "2024-03-31"},
                     "A2": {"target_date": None}})
    new = state([], {"A1": {"title": "One", "target_date": "2024-06-30", "original_target_date": "2024-03-31",
                            "target_date_reason": "Supplier late"},
                     "A2": {"title": "Two", "target_date": "2024-05-01", "original_target_date": "2024-05-01"}})
    diff = diff_states(old, new)
    assert [(c["ref"], c["old"], c["new"], c["original"]) for c in diff.date_changes] == [
        ("A1", "2024-03-31", "2024-06-30", "2024-03-31"), ("A2", None, "2024-05-01", "2024-05-01")]


def test_nothing_changed_is_empty():
    same = state([("A1", 1, "complete", "Complete")], {"A1": {"target_date": "2024-01-01"}})
    assert diff_states(same, same).empty


def test_three_changes_before_publishing_and_two_after_lists_only_the_two():
    start = state([(f"A{i}", 1, "not_started", "To start") for i in range(1, 7)])
    published = state([("A1", 1, "complete", "Complete"), ("A2", 1, "complete", "Complete"),
                       ("A3", 1, "in_progress", "Some"), ("A4", 1, "not_started", "To start"),
                       ("A5", 1, "not_started", "To start"), ("A6", 1, "not_started", "To start")])
    now = {**published, "measures": {**published["measures"],
                                     "A4|1": {"ref": "A4", "number": 1, "status": "complete", "output": "Complete"},
                                     "A5|1": {"ref": "A5", "number": 1, "status": "dependent", "output": "Outcome of CCC"}}}
    assert len(diff_states(start, published).status_changes) == 3
    diff = diff_states(published, now)
    assert [(c["ref"], c["old"], c["new"]) for c in diff.status_changes] == [
        ("A4", "not_started", "complete"), ("A5", "not_started", "dependent")]
    assert [c["ref"] for c in diff.completed] == ["A4"] and not diff.new_measures


def test_measures_are_listed_in_ref_then_number_order_not_as_text():
    old = state([("A1", n, "not_started", "") for n in (1, 2, 10)])
    new = state([("A1", n, "complete", "Complete") for n in (1, 2, 10)])
    assert [c["number"] for c in diff_states(old, new).status_changes] == [1, 2, 10]


def test_refs_without_a_kept_position_sort_naturally_and_a_kept_position_wins():
    old = state([(ref, 1, "not_started", "") for ref in ("R10", "R2", "R1")])
    new = state([(ref, 1, "complete", "Complete") for ref in ("R10", "R2", "R1")])
    assert [c["ref"] for c in diff_states(old, new).status_changes] == ["R1", "R2", "R10"]
    for position, ref in enumerate(("R10", "R1", "R2")):
        new["measures"][f"{ref}|1"]["position"] = position
    assert [c["ref"] for c in diff_states(old, new).status_changes] == ["R10", "R1", "R2"]


def test_progress_on_the_action_is_one_item_and_carries_on_as_measure_1():
    old = state([("R1", 0, "in_progress", "Pilot live"), ("R2", 0, "not_started", "")])
    new = state([("R1", 1, "complete", "Pilot live; done"), ("R2", 0, "complete", "Done"),
                 ("R3", 0, "not_started", "")])
    diff = diff_states(old, new)
    assert [(c["ref"], c["number"], c["old"], c["new"]) for c in diff.status_changes] == [
        ("R1", 1, "in_progress", "complete"), ("R2", 0, "not_started", "complete")]
    assert [(m["ref"], m["number"]) for m in diff.new_measures] == [("R3", 0)]

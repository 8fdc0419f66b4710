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

"""What changed between two states of a plan: the committee's "since the last meeting" question.

A state is plain data taken when a report is published (and now, for the next one):
    {"measures": {"REF|n": {"status": ..., "output": ..., "ref": ..., "number": n, "position": p}},
     "actions": {"REF": {"title": ..., "target_date": "YYYY-MM-DD" | None, "original_target_date": ...,
                         "position": p}}}
"position" (the action's place in the plan) orders the lists as the appendix does; it is optional.
An action that holds its progress itself is one item numbered 0 ("REF|0"). When such an action is
given its first numbered measure, that progress becomes measure 1 (the same row), so "REF|1" is
compared with what "REF|0" was, not listed as new.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class PlanDiff:
    completed: list[dict] = field(default_factory=list)       # measures that became complete
    status_changes: list[dict] = field(default_factory=list)  # every status change, old -> new
    date_changes: list[dict] = field(default_factory=list)    # new or revised target dates
    new_measures: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.status_changes or self.date_changes or self.new_measures)


def _natural(ref: str) -> tuple:
    # "R2" before "R10" when no plan position was kept.
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", ref) if p)


def _order(entries: dict):
    """Plan order (the "position" a state keeps), else natural ref order; then measure number."""
    def key(k):
        entry = entries[k]
        ref = entry.get("ref", k.rpartition("|")[0] or k)
        return entry.get("position", float("inf")), _natural(ref), entry.get("number", 0)
    return key


def diff_states(old: dict, new: dict) -> PlanDiff:
    result = PlanDiff()
    old_measures, new_measures = old.get("measures", {}), new.get("measures", {})
    for key in sorted(new_measures, key=_order(new_measures)):
        now = new_measures[key]
        before = old_measures.get(key)
        if before is None and now.get("number") == 1:
            was_progress = f"{now['ref']}|0"
            if was_progress not in new_measures:
                before = old_measures.get(was_progress)
        if before is None:
            result.new_measures.append(dict(now))
            continue
        if before["status"] != now["status"]:
            change = {"ref": now["ref"], "number": now["number"], "old": before["status"], "new": now["status"],
                      "output": now["output"]}
            result.status_changes.append(change)
            if now["status"] == "complete":
                result.completed.append(change)
    old_actions, new_actions = old.get("actions", {}), new.get("actions", {})
    for ref in sorted(new_actions, key=_order(new_actions)):
        now, before = new_actions[ref], old_actions.get(ref, {})
        if now.get("target_date") != before.get("target_date") and now.get("target_date"):
            result.date_changes.append({
                "ref": ref, "title": now.get("title"), "old": before.get("target_date"), "new": now["target_date"],
                "original": now.get("original_target_date"), "reason": now.get("target_date_reason")})
    return result

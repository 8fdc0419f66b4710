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


# --- "Since the last report", complete (the committee pack) ------------------------------------
# Everything a councillor asks at the meeting, each change with the item's own words: statuses
# (completed ones once, apart from the other changes), progress texts updated under the same
# status, owners, target dates with reasons, new items and retired ones. A state taken before these
# fields were kept (no "text", "owner" or "retired") simply reports less: it never reports a
# change that did not happen.

@dataclass
class SinceLastReport:
    completed: list[dict] = field(default_factory=list)
    status_changes: list[dict] = field(default_factory=list)   # other than to complete
    progress_updates: list[dict] = field(default_factory=list)  # new progress text, same status
    owner_changes: list[dict] = field(default_factory=list)
    date_changes: list[dict] = field(default_factory=list)
    new_actions: list[dict] = field(default_factory=list)       # with their measures
    new_measures: list[dict] = field(default_factory=list)      # of actions the last report had
    retired: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any((self.completed, self.status_changes, self.progress_updates, self.owner_changes,
                        self.date_changes, self.new_actions, self.new_measures, self.retired))


def _item(ref: str, number, now: dict, before: dict, actions: dict, old_actions: dict) -> dict:
    action = actions.get(ref) or old_actions.get(ref) or {}
    return {"ref": ref, "title": action.get("title") or "", "number": number,
            # Number 0: the action holds its progress itself; the item is the action.
            "text": "" if number == 0 else (now.get("text") or before.get("text") or "")}


def since_last_report(old: dict, new: dict) -> SinceLastReport:
    result = SinceLastReport()
    old_measures, new_measures = old.get("measures", {}), new.get("measures", {})
    old_actions, new_actions = old.get("actions", {}), new.get("actions", {})
    for key in sorted(new_measures, key=_order(new_measures)):
        now, before = new_measures[key], old_measures.get(key)
        item = _item(now["ref"], now["number"], now, before or {}, new_actions, old_actions)
        if before is None:
            if now["ref"] in old_actions:
                result.new_measures.append({**item, "status": now["status"], "output": now["output"]})
            continue
        if before["status"] != now["status"]:
            change = {**item, "old": before["status"], "new": now["status"], "output": now["output"],
                      "old_output": before.get("output", "")}
            (result.completed if now["status"] == "complete" else result.status_changes).append(change)
        elif (before.get("output") or "") != (now.get("output") or ""):
            result.progress_updates.append({**item, "status": now["status"], "old_output": before.get("output") or "",
                                            "output": now.get("output") or ""})
    by_action: dict[str, list] = {}
    for key in sorted(new_measures, key=_order(new_measures)):
        by_action.setdefault(new_measures[key]["ref"], []).append(new_measures[key])
    for ref in sorted(new_actions, key=_order(new_actions)):
        now, before = new_actions[ref], old_actions.get(ref)
        if before is None:
            result.new_actions.append({"ref": ref, "title": now.get("title") or "", "measures": [
                [m["number"], m.get("text") or ""] for m in by_action.get(ref, []) if m["number"] != 0]})
            continue
        if "owner" in before and "owner" in now and before["owner"] != now["owner"]:
            result.owner_changes.append({"ref": ref, "title": now.get("title") or "", "old": before["owner"],
                                         "new": now["owner"]})
        if now.get("target_date") != before.get("target_date") and now.get("target_date"):
            result.date_changes.append({
                "ref": ref, "title": now.get("title") or "", "old": before.get("target_date"),
                "new": now["target_date"], "original": now.get("original_target_date"),
                "reason": now.get("target_date_reason")})
    retired = new.get("retired") or {}
    for ref, gone in sorted((retired.get("actions") or {}).items(), key=lambda kv: _natural(kv[0])):
        if ref in old_actions:
            result.retired.append({"ref": ref, "title": gone.get("title") or "", "number": None, "text": "",
                                   "reason": gone.get("reason") or "", "on": gone.get("on")})
    for key, gone in sorted((retired.get("measures") or {}).items(), key=lambda kv: _order(retired["measures"])(kv[0])):
        if key in old_measures and gone["ref"] not in (retired.get("actions") or {}):
            item = _item(gone["ref"], gone["number"], gone, old_measures[key], new_actions, old_actions)
            result.retired.append({**item, "reason": gone.get("reason") or "", "on": gone.get("on")})
    return result

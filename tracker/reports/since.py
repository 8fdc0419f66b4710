""""Since the last report" as report blocks: what a councillor asks first, readable in a minute.

An overview sentence counts each kind of change; then one short table per kind that happened, in
the order a councillor asks (what was completed, the progress reported, target dates that slipped
with their reasons, changes of owner, new and retired items), each row naming the item in its own
words (the action's title and the measure's numbered text, as in Appendix B), what it was and what
it is now. Completed measures are listed once, under Completed.
"""
from __future__ import annotations

import datetime as dt

from ..domain.report_diff import SinceLastReport, since_last_report
from ..domain.status import CATEGORY_LABELS


def _label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def _date(value) -> str:
    return dt.date.fromisoformat(value).strftime("%-d %B %Y") if value else ""


def _item(change: dict) -> dict:
    numbered = [[change["number"], change["text"]]] if change.get("number") and change.get("text") else []
    return {"title": change["title"], "numbered": numbered}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _overview(diff: SinceLastReport) -> str:
    parts = [(len(diff.completed), "measure completed", "measures completed"),
             (len(diff.status_changes), "other change of status", "other changes of status"),
             (len(diff.progress_updates), "progress text updated under the same status",
              "progress texts updated under the same status"),
             (len(diff.date_changes), "target date set or moved", "target dates set or moved"),
             (len(diff.owner_changes), "change of owner", "changes of owner"),
             (len(diff.new_actions) + len(diff.new_measures), "new item", "new items"),
             (len(diff.retired), "item retired", "items retired")]
    said = [_plural(n, one, many) for n, one, many in parts if n]
    return "In brief: " + ("; ".join(said) if said else "nothing has changed") + "."


def since_blocks(since: dict | None, now: dict, since_label: str | None, *, level: int = 3) -> list[dict]:
    """The blocks for the changes between ``since`` (a published report's state) and ``now``."""
    if since is None:
        return [{"type": "paragraph", "text": "No committee report has been published before, so there is "
                                              "nothing to compare with yet."}]
    diff = since_last_report(since, now)
    blocks = [{"type": "paragraph", "text": f"Compared with {since_label}. {_overview(diff)}"}]

    def table(title: str, caption: str, columns: list[str], rows: list[list], widths: list[int]) -> None:
        if not rows:
            return
        blocks.append({"type": "heading", "level": level, "text": f"{title} ({len(rows)})"})
        blocks.append({"type": "table", "caption": caption, "sheet": title, "columns": columns, "rows": rows,
                       "widths": widths, "keep": len(rows) <= 12})

    table("Completed", "Measures completed since the last report", ["Ref-Id", "Item", "Was", "Measured output now"],
          [[c["ref"], _item(c), _label(c["old"]), c["output"]] for c in diff.completed], [16, 36, 13, 35])
    table("Other changes of status", "Changes of status since the last report, other than completions",
          ["Ref-Id", "Item", "Was", "Now", "Measured output now"],
          [[c["ref"], _item(c), _label(c["old"]), _label(c["new"]), c["output"]] for c in diff.status_changes],
          [16, 32, 12, 12, 28])
    table("Progress updated, same status", "New progress texts under an unchanged status",
          ["Ref-Id", "Item", "Status", "Was", "Now"],
          [[c["ref"], _item(c), _label(c["status"]), c["old_output"], c["output"]] for c in diff.progress_updates],
          [16, 28, 12, 22, 22])
    table("Target dates set or moved", "Target dates set or moved since the last report, with the reasons",
          ["Ref-Id", "Action", "Was", "Now", "Original", "Reason"],
          [[c["ref"], c["title"], _date(c["old"]) or "Not set", _date(c["new"]), _date(c["original"]),
            c["reason"] or ""] for c in diff.date_changes], [16, 24, 12, 12, 12, 24])
    table("Changes of owner", "Actions whose owner changed", ["Ref-Id", "Action", "Was", "Now"],
          [[c["ref"], c["title"], c["old"] or "Not assigned", c["new"] or "Not assigned"] for c in diff.owner_changes],
          [16, 36, 24, 24])
    new_rows = [[a["ref"], {"title": a["title"], "numbered": a["measures"]}, "New action"] for a in diff.new_actions]
    new_rows += [[m["ref"], _item(m), f"New measure: {_label(m['status'])}"] for m in diff.new_measures]
    table("New items", "Actions and measures added since the last report", ["Ref-Id", "Item", "What"],
          new_rows, [16, 59, 25])
    table("Retired items", "Actions and measures retired since the last report, with the reasons",
          ["Ref-Id", "Item", "Retired on", "Reason"],
          [[r["ref"], _item(r), _date(r["on"]), r["reason"]] for r in diff.retired], [16, 39, 15, 30])
    return blocks

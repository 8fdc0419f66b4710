"""An action's (or recommendation's) status rolled up from its measures, by rules stated in words.

Averages hide what committees ask about, so the roll-up is an ordered list of rules, and the
result says which one applied ("In progress: 2 of 3 measures complete; 1 waits on CCC").
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from .status import CATEGORY_LABELS, CLOSED


@dataclass(frozen=True)
class Rollup:
    category: str
    reason: str


def _describe(counts: Counter, total: int, waits: Counter) -> str:
    parts = []
    for category, n in counts.most_common():
        label = CATEGORY_LABELS[category].lower()
        if category == "dependent" and waits:
            on = ", ".join(f"{code} ({k})" if len(waits) > 1 else code for code, k in waits.most_common())
            parts.append(f"{n} of {total} waiting on {on}")
        else:
            parts.append(f"{n} of {total} {label}")
    return "; ".join(parts)


def roll_up(items: Iterable[tuple[str, str | None]]) -> Rollup:
    """``items`` are (status category, project code or None) of each measure."""
    items = list(items)
    total = len(items)
    if not total:
        return Rollup("not_started", "No measures recorded")
    counts = Counter(category for category, _ in items)
    waits = Counter(code for category, code in items if category == "dependent" and code)
    detail = _describe(counts, total, waits)
    open_counts = Counter({c: n for c, n in counts.items() if c not in CLOSED})
    if not open_counts:
        if counts["complete"]:
            return Rollup("complete", f"Every measure is closed ({detail})")
        only = "cancelled" if counts.keys() == {"cancelled"} else "not_applicable"
        return Rollup(only, f"No measure is complete and none is open ({detail})")
    progressed = counts["complete"] + counts["ongoing"] + counts["in_progress"]
    if counts["in_progress"] or (progressed and (open_counts.keys() - {"ongoing"})):
        return Rollup("in_progress", f"Some work is done and some is open ({detail})")
    if open_counts.keys() == {"ongoing"}:
        return Rollup("ongoing", f"What is open is ongoing work ({detail})")
    for category in ("dependent", "on_hold", "postponed", "not_started"):
        if open_counts[category]:
            return Rollup(category, f"Nothing has started and {CATEGORY_LABELS[category].lower()} "
                                    f"is the most blocking state ({detail})")
    return Rollup("not_started", detail)  # pragma: no cover - every open category is handled above


def roll_up_measures(measures) -> Rollup:
    """``roll_up`` of objects with ``status`` and ``depends_on`` (a project with a ``code``), such
    as an action's measures, or those of every action that delivers a recommendation."""
    return roll_up((m.status, m.depends_on.code if m.depends_on else None) for m in measures)

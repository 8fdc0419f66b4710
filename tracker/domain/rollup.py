"""An action's (or recommendation's) status rolled up from its measures, by rules stated in words.

Averages hide what committees ask about, so the roll-up is an ordered list of rules, and the
result says which one applied ("In progress: 2 of 3 measures complete; 1 waits on CCC").

An action that holds its progress itself (no numbered measures; stored as its one unnumbered
measure, number 0) has that progress's status, and the reason says so rather than "1 of 1".
Where such actions are rolled up with others (a recommendation), each counts as one item.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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


# The number of an action's own, unnumbered progress (tracker.models.plan.OWN_PROGRESS; the domain
# does not import models).
OWN_PROGRESS = 0
OWN_PROGRESS_REASON = "Progress recorded on the action"


def roll_up(items: Iterable[tuple[str, str | None]], noun: str = "measure") -> Rollup:
    """``items`` are (status category, project code or None) of each measure; ``noun`` names them
    in the reason ("measure", or "action" / "item" where actions hold their own progress)."""
    items = list(items)
    counts = Counter(category for category, _ in items)
    waits = Counter(code for category, code in items if category == "dependent" and code)
    return _roll_up(counts, waits, noun)


def _roll_up(counts: Counter, waits: Counter, noun: str) -> Rollup:
    """The stated rules on counts. Both counters are in the order each category (project code) was
    first met: the reason lists equal counts in that order."""
    total = sum(counts.values())
    if not total:
        return Rollup("not_started", f"No {noun}s recorded")
    detail = _describe(counts, total, waits)
    open_counts = Counter({c: n for c, n in counts.items() if c not in CLOSED})
    if not open_counts:
        if counts["complete"]:
            return Rollup("complete", f"Every {noun} is closed ({detail})")
        only = "cancelled" if counts.keys() == {"cancelled"} else "not_applicable"
        return Rollup(only, f"No {noun} is complete and none is open ({detail})")
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


def own_progress_rollup(category: str, waits_on: str | None = None) -> Rollup:
    """The status of an action that holds its progress itself: that progress's status."""
    if category == "dependent" and waits_on:
        return Rollup(category, f"{OWN_PROGRESS_REASON}: it waits on {waits_on}")
    return Rollup(category, f"{OWN_PROGRESS_REASON}: {CATEGORY_LABELS.get(category, category).lower()}")


def roll_up_measures(measures) -> Rollup:
    """``roll_up`` of objects with ``status``, ``depends_on`` (a project with a ``code``) and
    ``number``, such as an action's measures, or those of every action that delivers a
    recommendation. An action's own progress (number 0) alone is that progress's status."""
    measures = list(measures)
    own = sum(1 for m in measures if getattr(m, "number", None) == OWN_PROGRESS)
    if own == 1 and len(measures) == 1:
        m = measures[0]
        return own_progress_rollup(m.status, m.depends_on.code if m.depends_on else None)
    noun = "measure" if not own else ("action" if own == len(measures) else "item")
    return roll_up(((m.status, m.depends_on.code if m.depends_on else None) for m in measures), noun)


def roll_up_counts(counts: Mapping[str, int], waits: Mapping[str, int] | None = None, own: int = 0) -> Rollup:
    """``roll_up_measures`` from counts instead of objects, for a database's GROUP BY: ``counts`` of
    measures by status category, ``waits`` of dependent measures by the project code they wait on,
    both in the order each was first met (equal counts are listed in that order), and ``own``, how
    many of the measures are actions' own progress (number 0). The same rules and the same words."""
    counts = Counter({category: n for category, n in counts.items() if n})
    waits = Counter({code: n for code, n in (waits or {}).items() if n})
    total = sum(counts.values())
    if own == 1 and total == 1:
        return own_progress_rollup(next(iter(counts)), next(iter(waits), None))
    noun = "measure" if not own else ("action" if own == total else "item")
    return _roll_up(counts, waits, noun)

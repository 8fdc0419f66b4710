"""Accreditation readiness and Red/Amber/Green, by rules stated in words (no Flask here).

Readiness is the share of a standard's elements rated Compliance or better; CSE accreditation
needs 80% (Halton's report to its Executive, 2009). Each element also gets a derived RAG from its
rating and the live status of the actions mapped to it, and sub-criteria and criteria roll up
from their elements. Every result carries the reason in words, so a page can say why.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from .status import CATEGORY_LABELS, CLOSED

RATINGS = ("compliance_plus", "compliance", "partial", "non_compliance", "not_assessed")
RATING_LABELS = {
    "compliance_plus": "Compliance Plus",
    "compliance": "Compliance",
    "partial": "Partial Compliance",
    "non_compliance": "Non-compliance",
    "not_assessed": "Not assessed",
}
COMPLIANT = frozenset({"compliance_plus", "compliance"})

RAGS = ("red", "amber", "green")
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green"}

# An action is "under way" when work on it has started and is not finished.
UNDER_WAY = frozenset({"in_progress", "ongoing"})

DEFAULT_THRESHOLD = 80  # per cent of elements at Compliance or better

# The element rule, first match wins. Pages print these lines as they are.
RAG_RULE = (
    "Green: the element is rated Compliance Plus or Compliance.",
    "Amber: the element is rated Partial Compliance.",
    "Amber: the element is rated Non-compliance or is not assessed, and at least one action mapped to it "
    "is under way (In progress or Ongoing).",
    "Amber: the element is not assessed and an action mapped to it is complete, so there is evidence to assess.",
    "Red: anything else – Non-compliance or not assessed with no mapped action under way (none mapped, or "
    "every mapped action is not started, waiting on a project, on hold, postponed, cancelled or no longer "
    "applicable).",
)
ROLLUP_RULE = (
    "A sub-criterion or criterion is Green when all its elements are Green, Red when at least half of its "
    "elements are Red, and Amber otherwise."
)


@dataclass(frozen=True)
class Rag:
    rag: str
    reason: str

    @property
    def label(self) -> str:
        return RAG_LABELS[self.rag]


def element_rag(rating: str | None, action_statuses: Iterable[str] = ()) -> Rag:
    """The RAG of one element from its rating and the rolled-up status of each mapped action."""
    rating = rating or "not_assessed"
    if rating not in RATING_LABELS:
        raise ValueError(f"unknown rating {rating!r}; expected one of {', '.join(RATINGS)}")
    statuses = list(action_statuses)
    label = RATING_LABELS[rating]
    if rating in COMPLIANT:
        return Rag("green", f"Rated {label}")
    if rating == "partial":
        return Rag("amber", "Rated Partial Compliance")
    under_way = sum(1 for s in statuses if s in UNDER_WAY)
    rated = "Not assessed" if rating == "not_assessed" else "Rated Non-compliance"
    if under_way:
        return Rag("amber", f"{rated}; {under_way} of {len(statuses)} mapped "
                            f"action{'s' if len(statuses) != 1 else ''} under way")
    complete = sum(1 for s in statuses if s == "complete")
    if rating == "not_assessed" and complete:
        return Rag("amber", f"Not assessed; {complete} of {len(statuses)} mapped "
                            f"action{'s' if len(statuses) != 1 else ''} complete, evidence to assess")
    if not statuses:
        return Rag("red", f"{rated}; no action is mapped to it")
    counts = Counter(statuses)
    detail = ", ".join(f"{n} {CATEGORY_LABELS.get(s, s).lower()}" for s, n in counts.most_common())
    return Rag("red", f"{rated}; no mapped action under way ({detail})")


def roll_up_rag(rags: Iterable[str]) -> Rag:
    """Green if all elements are Green, Red if at least half are Red, else Amber; counts in words."""
    rags = list(rags)
    if not rags:
        return Rag("red", "No elements")
    counts = Counter(rags)
    total = len(rags)
    detail = ", ".join(f"{counts[r]} {RAG_LABELS[r]}" for r in ("red", "amber", "green") if counts[r])
    if counts["green"] == total:
        return Rag("green", f"All {total} elements Green")
    if counts["red"] * 2 >= total:
        return Rag("red", f"{counts['red']} of {total} elements Red, at least half ({detail})")
    return Rag("amber", f"Fewer than half of the {total} elements Red, not all Green ({detail})")


@dataclass(frozen=True)
class Readiness:
    """The share of elements at Compliance or better, with its numerator and denominator."""
    compliant: int
    total: int
    counts: Mapping[str, int] = field(default_factory=dict)  # rating -> number of elements
    threshold: int = DEFAULT_THRESHOLD

    @property
    def share(self) -> Fraction:
        return Fraction(self.compliant, self.total) if self.total else Fraction(0)

    @property
    def ready(self) -> bool:
        # Exact arithmetic: 8 of 10 is 80% and meets an 80% threshold; no rounding can tip it.
        return self.total > 0 and self.compliant * 100 >= self.threshold * self.total

    @property
    def percent_text(self) -> str:
        """One decimal place, rounded down, so a share below the threshold never prints as the threshold."""
        if not self.total:
            return "n/a"
        tenths = (self.compliant * 1000) // self.total
        return f"{tenths // 10}.{tenths % 10}%"

    @property
    def needed(self) -> int:
        """Elements still to bring to Compliance to reach the threshold (0 when ready)."""
        need = -(-self.threshold * self.total // 100)  # ceiling
        return max(0, need - self.compliant)

    @property
    def not_counted(self) -> list[tuple[str, int]]:
        """What the numerator leaves out, by rating (the denominator leaves nothing out)."""
        return [(RATING_LABELS[r], self.counts.get(r, 0)) for r in ("partial", "non_compliance", "not_assessed")
                if self.counts.get(r, 0)]

    @property
    def sentence(self) -> str:
        if not self.total:
            return "The standard has no elements, so there is nothing to measure."
        text = (f"{self.compliant} of {self.total} elements ({self.percent_text}) are rated Compliance or "
                f"Compliance Plus; accreditation needs {self.threshold}%. ")
        text += "Ready for assessment." if self.ready else \
            f"Not ready: {self.needed} more element{'s' if self.needed != 1 else ''} must reach Compliance."
        return text

    @property
    def left_out_sentence(self) -> str:
        parts = [f"{n} {label}" for label, n in self.not_counted]
        counted = f"Every one of the {self.total} elements is in the denominator; elements not assessed " \
                  f"count as not compliant."
        if not parts:
            return counted
        return f"Not counted as compliant: {', '.join(parts)}. " + counted


def readiness(ratings: Iterable[str | None], threshold: int = DEFAULT_THRESHOLD) -> Readiness:
    """``ratings``: one per element of the standard (None = not assessed)."""
    values = [r or "not_assessed" for r in ratings]
    for r in values:
        if r not in RATING_LABELS:
            raise ValueError(f"unknown rating {r!r}")
    counts = Counter(values)
    return Readiness(compliant=sum(counts[r] for r in COMPLIANT), total=len(values),
                     counts=dict(counts), threshold=threshold)


@dataclass(frozen=True)
class NextAction:
    ref: str
    status: str
    elements: tuple[str, ...]  # the non-green element codes it maps to


def next_actions(element_rags: Mapping[str, str], actions: Iterable[tuple[str, str, Iterable[str]]],
                 limit: int = 10) -> list[NextAction]:
    """Open actions ranked by how many non-green elements they map to.

    ``actions``: (ref, rolled-up status, mapped element codes) in plan order. Closed actions
    (complete, cancelled, not applicable) cannot move anything and are left out. Ties keep plan
    order, with actions already under way first.
    """
    ranked = []
    for position, (ref, status, codes) in enumerate(actions):
        if status in CLOSED:
            continue
        gaps = tuple(c for c in codes if element_rags.get(c) not in (None, "green"))
        if gaps:
            ranked.append((-len(gaps), 0 if status in UNDER_WAY else 1, position, NextAction(ref, status, gaps)))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:limit]]

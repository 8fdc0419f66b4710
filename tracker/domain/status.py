"""The status vocabulary: a committee's progress text -> a status category and a dependency.

The text is never changed: committees read it word for word. The category is derived from it by
an ordered table of rules (first match wins) so the reason can be shown, and a person can
override it. A project is named by its aliases ("CCC", "Customer Contact Centre"), which are data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

CATEGORIES = ("complete", "ongoing", "in_progress", "not_started", "dependent", "on_hold", "postponed",
              "cancelled", "not_applicable")
CATEGORY_LABELS = {
    "complete": "Complete", "ongoing": "Ongoing", "in_progress": "In progress", "not_started": "Not started",
    "dependent": "Dependent", "on_hold": "On hold", "postponed": "Postponed", "cancelled": "Cancelled",
    "not_applicable": "Not applicable",
}
# Closed items are finished with, but only "complete" counts as done (honest arithmetic).
CLOSED = frozenset({"complete", "cancelled", "not_applicable"})
OPEN = frozenset(CATEGORIES) - CLOSED


@dataclass(frozen=True)
class Project:
    code: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    category: str | None
    depends_on: str | None
    reason: str


def _rule(pattern: str, category: str, reason: str):
    return re.compile(pattern), category, reason


# Order matters: each rule is tried only when the ones above it did not match.
RULES = (
    _rule(r"\bcancell?ed\b|\bwithdrawn\b|\bdropped\b", "cancelled", "the text says it was cancelled"),
    _rule(r"no longer (applicable|relevant|required|needed)|not applicable|(^|\s)n/?a\b|redundant|superseded",
          "not_applicable", "the text says it no longer applies"),
    _rule(r"\bon hold\b|\bpaused\b|\bsuspended\b", "on_hold", "the text says it is on hold"),
    _rule(r"\bpostponed\b|\bdeferred\b|delayed until", "postponed", "the text says it was postponed"),
    _rule(r"\bon-?going\b|\bcontinuous\b|business as usual|rolling programme", "ongoing",
          "the text says the work is ongoing"),
    # "Complete for the printed medium", "Complete. Queuing system to be installed": done in part,
    # so these must be caught before the plain "Complete" rule below.
    _rule(r"\bcomplete(d)? for\b|partially complete|partly complete|\bcomplete(d)?\b.*\b(to be|still to|awaiting|remaining)\b",
          "in_progress", "the text says it is complete only in part"),
    _rule(r"^(complete|completed|done|achieved|implemented|in place)\b|performs that function"
          r"|provision (has been )?made|has been (created|appointed|completed|implemented|achieved|set up|established)",
          "complete", "the text says it is complete"),
    _rule(r"outcome of|\bpending\b|awaiting (the )?(outcome|establishment|completion|decision|result)"
          r"|part of .*\b(programme|program|project|initiative|scheme|review)\b|after .*\bimplementation\b"
          r"|will (flow|arise|come) from|to assume control|\bdepend(s|ent)? on\b|subject to",
          "dependent", "the text says it waits on something else"),
    _rule(r"\bsome\b|\bseveral\b|in progress|under ?way|\bagreed\b|(?<!not )(?<!yet )\bstarted\b|\bpartial|\binstalled\b"
          r"|now available|being (considered|developed|implemented|installed|reviewed)|\bdrafted\b|\bidentified\b",
          "in_progress", "the text describes work under way"),
    _rule(r"to start|not (yet )?started|still to (start|be)|to be started|to consider|not yet|\bplanned\b",
          "not_started", "the text says it has not started"),
)

# Words people and spreadsheets use for a status; RAG colours are not statuses.
_WORDS = {
    "complete": "complete", "completed": "complete", "done": "complete", "achieved": "complete",
    "closed": "complete", "implemented": "complete",
    "ongoing": "ongoing", "on-going": "ongoing", "on going": "ongoing", "continuous": "ongoing",
    "in progress": "in_progress", "in-progress": "in_progress", "started": "in_progress", "underway": "in_progress",
    "under way": "in_progress", "partially complete": "in_progress",
    "not started": "not_started", "not yet started": "not_started", "to start": "not_started",
    "open": "not_started", "planned": "not_started",
    "dependent": "dependent", "depends": "dependent", "waiting": "dependent", "pending": "dependent",
    "on hold": "on_hold", "on-hold": "on_hold", "paused": "on_hold",
    "postponed": "postponed", "deferred": "postponed", "delayed": "postponed",
    "cancelled": "cancelled", "canceled": "cancelled", "withdrawn": "cancelled",
    "not applicable": "not_applicable", "n/a": "not_applicable", "na": "not_applicable",
    "superseded": "not_applicable", "redundant": "not_applicable", "no longer applicable": "not_applicable",
}


def _normalise(text: str) -> str:
    # Curly apostrophes and odd spacing come from Word; the rules see one plain form.
    return re.sub(r"\s+", " ", (text or "").replace("\u2019", "'").replace("\u2018", "'")).strip().casefold()


def find_project(text: str, projects: Iterable[Project]) -> str | None:
    """The project the text names; on overlapping aliases the longest wins."""
    plain = _normalise(text)
    best: tuple[int, str] | None = None
    for project in projects:
        for alias in project.aliases:
            alias_plain = _normalise(alias)
            if alias_plain and re.search(rf"(?<![\w]){re.escape(alias_plain)}(?![\w])", plain):
                if best is None or len(alias_plain) > best[0]:
                    best = (len(alias_plain), project.code)
    return best[1] if best else None


def classify(text: str, projects: Iterable[Project] = ()) -> Classification:
    plain = _normalise(text)
    if not plain:
        return Classification("not_started", None, "no progress has been recorded")
    project = find_project(text, list(projects))
    category, reason = None, ""
    for pattern, rule_category, rule_reason in RULES:
        if pattern.search(plain):
            category, reason = rule_category, rule_reason
            break
    if project and category in (None, "not_started"):
        category, reason = "dependent", f"the text names the {project} project"
    elif project and category == "dependent":
        reason = f"{reason}: the {project} project"
    if category is None:
        return Classification(None, None, "no rule recognises this wording; choose a status")
    depends_on = project if category in OPEN else None
    return Classification(category, depends_on, reason)


def parse_category(word: str) -> str | None:
    """A status written by a person or a spreadsheet, as a category; None when unknown."""
    plain = _normalise(word).replace("_", " ")
    if not plain:
        return None
    for code, label in CATEGORY_LABELS.items():
        if plain in (code.replace("_", " "), label.casefold()):
            return code
    return _WORDS.get(plain)

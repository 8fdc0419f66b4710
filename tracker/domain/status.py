"""The status vocabulary: a committee's progress text -> a status category and a dependency.

The text is never changed: committees read it word for word. The category is derived from it by
an ordered table of rules (first match wins) so the reason can be shown, and a person can
override it. A project is named by its aliases ("CCC", "Customer Contact Centre"), which are data,
so the same rules serve any council's wording and projects. Standard library only.

Empty text is "not_started" rather than None: a measure with no output yet has not started, and
asking a person to confirm that for every blank cell of an import would be noise.

A text no rule recognises is never quietly "Not started" (the committee would read that for work
under way): ``settle`` keeps the category the item had and says it is to be checked by a person.
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
    """What the classifier needs to know about a project."""
    code: str                   # e.g. "CCC"
    aliases: tuple[str, ...]    # phrases naming it, matched case-insensitively on word boundaries


@dataclass(frozen=True)
class Classification:
    category: str | None        # None: no rule matched, a person must choose
    depends_on: str | None      # a project code
    reason: str                 # plain English, shown beside the derived status


def _rule(pattern: str, category: str, why: str):
    return re.compile(pattern), category, why


# Read top to bottom; each rule is tried only when the ones above it did not match. The order is
# the point: words that end or suspend an item (cancelled, no longer applicable, on hold, postponed)
# outrank everything else, because "On hold pending outcome of CCC" is on hold, not merely waiting.
RULES = (
    _rule(r"\bcancell?ed\b|\bwithdrawn\b|\bdropped\b", "cancelled", "so it was cancelled"),
    _rule(r"no longer (applicable|relevant|required|needed)|not applicable|(?<![\w/])n/?a(?![\w/])"
          r"|\bredundant\b|\bsuperseded\b", "not_applicable", "so it no longer applies"),
    _rule(r"\bon hold\b|\bpaused\b|\bsuspended\b", "on_hold", "so it is on hold"),
    _rule(r"\bpostponed\b|\bdeferred\b|delayed until", "postponed", "so it was put off"),
    # Before "complete": "Complete/On-going" describes continuing work, not a finished item.
    _rule(r"\bon-?going\b|\bcontinuous\b|business as usual|rolling programme", "ongoing",
          "so the work is ongoing"),
    # Before "complete": "Complete for the printed medium" and "Complete. Queuing system to be
    # installed" are done only in part, and counting them complete would overstate progress.
    _rule(r"\bcomplete(d)? for\b|partially complete|partly complete"
          r"|\bcomplete(d)?\b.*\b(to be|still to|awaiting|remaining)\b",
          "in_progress", "so it is complete only in part"),
    # Anchored at the start: "Some systems in place but ..." is not complete.
    _rule(r"^(complete|completed|done|achieved|implemented|in place)\b|performs that function"
          r"|provision (has been )?made|has been (created|appointed|completed|implemented|achieved|set up|established)"
          r"|\bwent live\b|has gone live|is now live",
          "complete", "so it is complete"),
    # Before "in progress" and "not started": "To start. Will arise from the work of the Liaison
    # Group" is held up by that work, which is what the plan's reader needs to see.
    _rule(r"outcome of|\bpending\b|awaiting (the )?(outcome|establishment|completion|decision|result)"
          r"|part of .*\b(programme|program|project|initiative|scheme|review)\b|after .*\bimplementation\b"
          r"|will (flow|arise|come) from|to assume control|\bdepend(s|ent)? on\b|subject to",
          "dependent", "so it waits on something else"),
    # The look-behinds keep "not started" and "to be started" out of this rule and for the next.
    _rule(r"\bsome\b|\bseveral\b|in progress|under ?way|\bagreed\b"
          r"|on (track|target|schedule)|(ahead of|behind) schedule"
          r"|(?<!not )(?<!yet )(?<!to be )(?<!not been )\bstarted\b|\bpartial|\binstalled\b"
          r"|now available|being (considered|developed|implemented|installed|reviewed)|\bdrafted\b|\bidentified\b",
          "in_progress", "so work is under way"),
    _rule(r"to start|not (yet )?started|still to (start|be)|to be started|to consider|not yet|\bplanned\b|not (yet )?due",
          "not_started", "so it has not started"),
)

# Words people and spreadsheets use for a status. RAG colours are not statuses, and ambiguous
# words ("open", "closed", "delayed") are left out so an importer asks a person to map them.
_WORDS = {
    "completed": "complete", "done": "complete", "achieved": "complete", "implemented": "complete",
    "on going": "ongoing", "continuous": "ongoing", "business as usual": "ongoing",
    "started": "in_progress", "underway": "in_progress", "under way": "in_progress",
    "on track": "in_progress", "on target": "in_progress", "on schedule": "in_progress",
    "ahead of schedule": "in_progress", "behind schedule": "in_progress",
    "not due": "not_started", "not yet due": "not_started",
    "partially complete": "in_progress", "partly complete": "in_progress",
    "not yet started": "not_started", "to start": "not_started", "planned": "not_started",
    "depends": "dependent", "waiting": "dependent", "pending": "dependent",
    "paused": "on_hold", "suspended": "on_hold",
    "deferred": "postponed",
    "canceled": "cancelled", "withdrawn": "cancelled", "dropped": "cancelled",
    "n/a": "not_applicable", "na": "not_applicable", "superseded": "not_applicable",
    "redundant": "not_applicable", "no longer applicable": "not_applicable",
}
_WORDS.update({code.replace("_", " "): code for code in CATEGORIES})
_WORDS.update({label.casefold(): code for code, label in CATEGORY_LABELS.items()})


def _collapse(text: str) -> str:
    # Curly apostrophes and odd spacing come from Word; the rules see one plain form.
    return re.sub(r"\s+", " ", (text or "").replace("\u2019", "'").replace("\u2018", "'")).strip()


def _quote(collapsed: str, folded: str, match: re.Match) -> str:
    # Quote the writer's own words where case-folding kept the length (it nearly always does).
    phrase = collapsed[match.start():match.end()] if len(collapsed) == len(folded) else match.group(0)
    return phrase if len(phrase) <= 60 else phrase[:57].rstrip() + "..."


def find_project(text: str, projects: Iterable[Project]) -> str | None:
    """The first project the text names. Where aliases overlap, the longest wins
    ("Customer Contact Centre" over a "Contact Centre" belonging to another project)."""
    folded = _collapse(text).casefold()
    found = []  # (start, end, code)
    for project in projects:
        for alias in project.aliases or (project.code,):
            alias_folded = _collapse(alias).casefold()
            if alias_folded:
                pattern = rf"(?<!\w){re.escape(alias_folded)}(?!\w)"
                found += [(m.start(), m.end(), project.code) for m in re.finditer(pattern, folded)]
    kept: list[tuple[int, int, str]] = []
    for start, end, code in sorted(found, key=lambda f: f[0] - f[1]):  # longest first
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, code))
    return min(kept)[2] if kept else None


def classify(text: str, projects: Iterable[Project] = ()) -> Classification:
    """Derive a category and a dependency from progress text; the text itself is not touched."""
    collapsed = _collapse(text)
    folded = collapsed.casefold()
    if not folded:
        return Classification("not_started", None, "no progress has been recorded, so it has not started")
    project = find_project(collapsed, projects)
    category = phrase = why = None
    for pattern, rule_category, rule_why in RULES:
        match = pattern.search(folded)
        if match:
            category, phrase, why = rule_category, _quote(collapsed, folded, match), rule_why
            break
    if project and category in (None, "not_started"):
        # A plan that names a project without saying more is waiting on that project.
        said = f'says "{phrase}" and ' if phrase else ""
        return Classification("dependent", project, f"the text {said}names the {project} project, "
                                                    "so it waits on that project")
    if category is None:
        return Classification(None, None, "no rule recognises this wording; choose a status")
    reason = f'the text says "{phrase}", {why}'
    # A closed item depends on nothing, even if its text mentions a project.
    depends_on = project if category in OPEN else None
    if depends_on:
        reason += f"; it names the {project} project"
    return Classification(category, depends_on, reason)


@dataclass(frozen=True)
class Settled:
    category: str               # the category to record
    to_check: bool              # True: no rule recognised the text, a person should confirm the category


def settle(derived: Classification, *, chosen: str | None = None, previous: str | None = None) -> Settled:
    """The category an item gets after its progress text is (re)written.

    A category a person chose wins and needs no check. Otherwise the rules' category, if they
    recognised the text. Otherwise the item keeps ``previous`` (a new item: "not_started", still the
    honest default for the arithmetic) and is flagged, so nobody reads a guess as a fact.
    """
    if chosen:
        return Settled(chosen, False)
    if derived.category is not None:
        return Settled(derived.category, False)
    return Settled(previous or "not_started", True)


def parse_category(word: str) -> str | None:
    """A status written by a person or a spreadsheet ("Completed", "on-going", "N/A"), as a
    category; None when unknown, so the caller asks for a mapping."""
    plain = re.sub(r"[\s_-]+", " ", _collapse(word).casefold()).strip(" .")
    return _WORDS.get(plain) if plain else None

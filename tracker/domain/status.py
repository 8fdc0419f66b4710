"""The status vocabulary: a committee's progress text -> a status category and a dependency.

The text is never changed: committees read it word for word. The category is derived from it by
an ordered table of rules (first match wins) so the reason can be shown, and a person can
override it. A project is named by its aliases ("CCC", "Customer Contact Centre"), which are data,
so the same rules serve any council's wording and projects. Standard library only.

Empty text is "not_started" rather than None: a measure with no output yet has not started, and
asking a person to confirm that for every blank cell of an import would be noise.

A text no rule recognises is never quietly "Not started" (the committee would read that for work
under way): ``settle`` keeps the category the item had and says it is to be checked by a person.

Status words — a spreadsheet's Status column, or a progress text of a word or two — are read by
``read_status_word`` with these stated rules, first that applies wins. Every reading but the first
carries its reason, and the import preview shows it beside the word so a person can change it
(a change is remembered for that council: tracker/plan/vocabulary.py).

1. A status word we know as written (``_WORDS``: "Completed", "Actioned", "Delivered",
   "On-going", "Awaiting funding", "N/A" ...). Case, spaces, hyphens, dashes and underscores do
   not matter: "On-going", "on going" and "ON_GOING" are one word.
2. A percentage: 100% is complete, 0% is not started, anything between is in progress ("75%",
   "100% complete", "c. 80%"). Over 100% is not read.
3. A RAG colour, alone or combined. Blue is complete: it is the colour councils add for "done and
   handed over". Green, Amber and Red are all in progress: they rate how open work is going (on
   track, at risk, off track), so a red item is work going badly, not work that has not started.
   Green is never read as complete, although some councils' keys say green means achieved:
   reading it so would overstate progress, and such a council says so once on the import page.
   Colours mixed ("A/G", "Amber/Green") are in progress unless every one is Blue. A colour
   followed by words ("Green - on track", "Red - not started") is read by the words when they are
   a status, else (in a Status column only) by the colour. Single letters (G, A, R, B) count only
   on their own or with other letters ("G", "A/G"), never before other words ("A Smith").
4. The progress-text rules (``RULES`` below): "Budget approved" is in progress, "Agreed and
   implemented" complete, "Awaiting sign-off" waits on something else.
5. A misspelling: a word of six or more letters one slip (a letter added, dropped or changed, or
   two neighbours swapped) from one of ``SLIP_TARGETS`` (status words of seven or more letters)
   and starting with the same letter is read
   as that word ("Compelte", "Complted", "Onging", "Superceded", "Dependant"), unless it is a real
   word of its own (``NOT_SLIPS``: "Compete", "Stated", "Commended"). Shorter words are never
   corrected: "Done" is one letter from "Gone" and "None".

A progress text is read by ``RULES`` first; only when none of them matches is the whole text read
as a status word, so "Actioned", "75%" or "Compelte" alone are read, and "Blue badge bays marked
out" is not (a colour inside a sentence is not a rating).

Words that say what was decided rather than how far the work has got ("Agreed", "Accepted",
"Rejected"), and words that could mean two categories ("Open", "Closed", "Delayed", "Overdue",
"Not implemented", "Grey"), are not read (``ASKED``): the importer asks once per council, and
remembers.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

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


def _rule(pattern: str, category, why):
    """``category`` and ``why`` may be functions of the match (a percentage's category depends on
    its number); a category function returning None lets the next rules try."""
    return re.compile(pattern), category, why


_OUTCOME = r"complete|completed|implemented|achieved|delivered|met|in place"
_PERCENT = r"(\d{1,3}(?:\.\d+)?) ?%"


def _percent_value(match: re.Match) -> float | None:
    number = next((g for g in match.groups() if g is not None), None)
    return float(number) if number is not None else None


def _percent_category(value: float | None) -> str | None:
    if value is None or value > 100:
        return None
    return "complete" if value == 100 else "not_started" if value == 0 else "in_progress"


def _percent_why(value: float | None) -> str:
    return {"complete": "so it is complete (100%)", "not_started": "so it has not started (0%)"}.get(
        _percent_category(value), "so work is under way (more than 0%, less than 100%)")


# Read top to bottom; each rule is tried only when the ones above it did not match. The order is
# the point: words that end or suspend an item (cancelled, no longer applicable, on hold, postponed)
# outrank everything else, because "On hold pending outcome of CCC" is on hold, not merely waiting.
RULES = (
    _rule(r"\bcancell?ed\b|\bwithdrawn\b|\bdropped\b|\babandoned\b|\bdiscontinued\b"
          r"|not (being )?(taken forward|pursued)|\bnot proceeding\b", "cancelled", "so it was cancelled"),
    _rule(r"no longer (applicable|relevant|required|needed)|not applicable|(?<![\w/])n/?a(?![\w/])"
          r"|\bredundant\b|\bsuperseded\b|\bsuperceded\b", "not_applicable", "so it no longer applies"),
    _rule(r"\bon[- ]hold\b|\bpaused\b|\bsuspended\b", "on_hold", "so it is on hold"),
    _rule(r"\bpostponed\b|\bdeferred\b|delayed until", "postponed", "so it was put off"),
    # Before "complete": "Complete/On-going" describes continuing work, not a finished item.
    _rule(r"\bon[- ]?going\b|\bcontinuous\b|business as usual|rolling programme", "ongoing",
          "so the work is ongoing"),
    # Before "complete": "Complete for the printed medium", "Complete. Queuing system to be
    # installed" and "Partially implemented" are done only in part, and counting them complete
    # would overstate progress.
    _rule(rf"\bcomplete(d)? for\b|\b(partially|partly|substantially|largely|mostly) ({_OUTCOME})\b"
          rf"|not (yet )?fully ({_OUTCOME})\b|\bin part\b|\bin some (areas|services|sites|teams|departments|places)\b"
          r"|\b(complete(d)?|implemented|delivered|actioned)\b.*\b(to be|still to|awaiting|remaining)\b",
          "in_progress", "so it is complete only in part"),
    # A share of the work done: "75% complete", "Progress: 40%", or a bare "100%".
    _rule(rf"(?<![\d.,]){_PERCENT} (?:complete|completed|done|delivered|implemented|achieved|finished|through)\b"
          rf"|^(?:c\. ?|approx\. ?|about )?{_PERCENT}\.?$|\b(?:complete|completed|completion|progress)\b[ :=-]*{_PERCENT}",
          lambda m: _percent_category(_percent_value(m)), lambda m: _percent_why(_percent_value(m))),
    # Anchored at the start: "Some systems in place but ..." is not complete. A short phrase ending
    # in an outcome ("Contract renegotiated", "Training delivered") is complete unless it is negated.
    _rule(r"^(complete|completed|done|achieved|implemented|in place|actioned|delivered|finished|resolved|embedded"
          r"|renegotiated|signed off)\b|performs that function|provision (has been )?made"
          r"|ha(s|ve) been (created|appointed|completed|implemented|achieved|set up|established|delivered|actioned"
          r"|renegotiated|resolved|signed off)"
          rf"|\bfully ({_OUTCOME})\b|\bagreed and implemented\b"
          r"|^(?!.*\b(not|never|no|partially|partly|being|to be|yet to|will be)\b)(\w+ ){1,2}"
          r"(renegotiated|delivered|actioned|implemented|completed|achieved)$"
          r"|\bwent live\b|has gone live|is now live",
          "complete", "so it is complete"),
    # Before "in progress" and "not started": "To start. Will arise from the work of the Liaison
    # Group" is held up by that work, which is what the plan's reader needs to see.
    _rule(r"outcome of|\bpending\b|awaiting (the )?(outcome|establishment|completion|decision|result|funding|approval"
          r"|sign[- ]?off|agreement|confirmation|budget|go[- ]ahead)\b|waiting (for|on) (the )?(funding|approval|decision)"
          r"|part of .*\b(programme|program|project|initiative|scheme|review)\b|after .*\bimplementation\b"
          r"|will (flow|arise|come) from|to assume control|\bdepend(s|ent)? on\b|subject to",
          "dependent", "so it waits on something else"),
    # The look-behinds keep "not started" and "to be started" out of this rule and for the next.
    # Budgets approved and decisions made are steps on the way: the work they allow is still to do.
    _rule(r"\bsome\b|\bseveral\b|in progress|under ?way|\bagreed\b"
          r"|on (track|target|schedule)|(ahead of|behind) schedule|off[- ]track|\bat risk\b|\bslipped\b"
          r"|(?<!not )(?<!yet )(?<!to be )(?<!not been )\b(started|commenced)\b|\bpartial|\binstalled\b"
          r"|now available|being (considered|developed|implemented|installed|reviewed|renegotiated)|\bdrafted\b"
          r"|\bidentified\b|\bprogressing\b|\b(re)?negotiating\b|\bin (re)?negotiations?\b"
          r"|\b(budget|funding|finance|business case|bid)s? (has been |have been |is |was |were |now )?"
          r"(approved|agreed|allocated|secured|confirmed|awarded)\b|\bdecisions? (has been |have been |was |were )?"
          r"(made|taken)\b",
          "in_progress", "so work is under way"),
    _rule(r"to start|not (yet )?started|still to (start|be)|to be started|to consider|not yet|\bplanned\b|not (yet )?due"
          r"|not (yet )?commenced|yet to (start|commence|begin)|not (yet )?begun",
          "not_started", "so it has not started"),
)

# Status words as people and spreadsheets write them, after ``fold_word``. What they mean is
# stated by the category they are under; ambiguous words are left out on purpose (see above).
_WORDS_BY_CATEGORY = {
    "complete": ("completed", "done", "achieved", "implemented", "actioned", "delivered", "finished", "resolved",
                 "embedded", "renegotiated", "signed off", "met", "fully met", "fully implemented",
                 "fully achieved", "achieved fully", "achieved (fully)", "agreed and implemented",
                 "implemented and embedded", "complete embedded", "completed embedded", "closed complete",
                 "complete closed", "in place", "gone live", "now live"),
    "ongoing": ("on going", "continuous", "continuing", "business as usual", "bau", "rolling programme"),
    "in_progress": ("started", "commenced", "underway", "under way", "in hand", "progressing", "work in progress",
                    "wip", "on track", "on target", "on schedule", "ahead of schedule", "behind schedule",
                    "off track", "at risk", "slipped", "partially complete", "partly complete",
                    "partially implemented", "partly implemented", "partially achieved", "partially met",
                    "substantially complete", "substantially implemented", "largely complete",
                    "on track but not yet due", "on track not yet due", "on track but not yet due for completion",
                    "budget approved", "funding approved", "funding agreed", "funding secured", "decision made",
                    "decision taken", "in development", "being implemented", "renegotiating", "under review"),
    "not_started": ("not yet started", "to start", "yet to start", "not commenced", "not yet commenced",
                    "to be started", "planned", "not due", "not yet due"),
    "dependent": ("depends", "waiting", "pending", "awaiting funding", "awaiting approval", "awaiting decision",
                  "awaiting sign off", "awaiting signoff", "dependency"),
    "on_hold": ("paused", "suspended", "hold"),
    "postponed": ("deferred",),
    "cancelled": ("canceled", "withdrawn", "dropped", "abandoned", "discontinued", "not proceeding"),
    "not_applicable": ("n/a", "na", "superseded", "redundant", "no longer applicable", "no longer required",
                       "no longer relevant", "not required", "not relevant", "obsolete"),
}
_WORDS = {word: category for category, words in _WORDS_BY_CATEGORY.items() for word in words}
_WORDS.update({code.replace("_", " "): code for code in CATEGORIES})
_WORDS.update({label.casefold(): code for code, label in CATEGORY_LABELS.items()})

# Asked, never read, when one of these is the whole of a Status cell: a response to a
# recommendation ("Agreed", "Accepted") says what was decided, not how far the work has got, and
# the others mean different things at different councils. (In a progress text "Agreed design" is
# still read by the rules: there it says work has moved on.)
ASKED = frozenset({"agreed", "accepted", "rejected", "partially agreed", "partially accepted", "partly accepted",
                   "noted", "approved", "open", "closed", "delayed", "overdue", "not implemented", "not achieved",
                   "not met", "grey", "gray", "live", "yes", "no", "stopped"})

# Misspellings are read only towards these words (rule 5), and never from the real words below
# them, each a slip away from one of them.
SLIP_TARGETS = ("complete", "completed", "ongoing", "progress", "progressing", "implemented", "cancelled",
                "postponed", "superseded", "achieved", "delivered", "actioned", "withdrawn", "deferred",
                "suspended", "dependent", "applicable", "started", "commenced", "finished", "schedule",
                "underway", "continuous", "redundant", "embedded")
NOT_SLIPS = frozenset({"compete", "competed", "completer", "stated", "stared", "starred", "starter", "startled",
                       "smarted", "commended", "deterred", "auctioned", "deliverer", "achiever", "suspender",
                       "contiguous", "finisher", "applicably"})

_COLOUR = r"(?:red|amber|yellow|green|blue|[rgab])\b"
_RAG = re.compile(rf"(?:rag(?: status| rating)?|status|rated)?[ :]*(?P<colours>{_COLOUR}(?:\s*(?:/|\\|&|\+|,|\bor\b"
                  rf"|\bto\b|\band\b)?\s*{_COLOUR})*)(?P<rest>.*)")
_COLOUR_NAMES = {"r": "Red", "red": "Red", "a": "Amber", "amber": "Amber", "yellow": "Amber", "g": "Green",
                 "green": "Green", "b": "Blue", "blue": "Blue"}
_COLOUR_MEANS = {
    "Blue": ("complete", "Blue is the colour for complete"),
    "Green": ("in_progress", "Green rates work under way as on track (never read as complete)"),
    "Amber": ("in_progress", "Amber rates work under way as at risk"),
    "Red": ("in_progress", "Red rates work under way as off track: open work, not work that has not started"),
}


@dataclass(frozen=True)
class WordReading:
    category: str | None        # None: no rule reads the word, a person must choose
    reason: str                 # plain English, shown beside the word on the import page
    known: bool = False         # a status word we know as written: nothing for a person to check


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


def _match_rules(collapsed: str, folded: str) -> tuple[str | None, str | None, str | None]:
    """The first rule that reads the text: (category, the words it read, why), or Nones."""
    for pattern, rule_category, rule_why in RULES:
        match = pattern.search(folded)
        if match:
            category = rule_category(match) if callable(rule_category) else rule_category
            if category is None:
                continue
            why = rule_why(match) if callable(rule_why) else rule_why
            return category, _quote(collapsed, folded, match), why
    return None, None, None


def classify(text: str, projects: Iterable[Project] = ()) -> Classification:
    """Derive a category and a dependency from progress text; the text itself is not touched."""
    collapsed = _collapse(text)
    folded = collapsed.casefold()
    if not folded:
        return Classification("not_started", None, "no progress has been recorded, so it has not started")
    project = find_project(collapsed, projects)
    category, phrase, why = _match_rules(collapsed, folded)
    if category is not None:
        reason = f'the text says "{phrase}", {why}'
    else:
        # A progress text of a word or two read as a status word: "Actioned", "75%", "Compelte".
        reading = read_status_word(collapsed, status_column=False)
        category = reading.category
        reason = f'the text says "{_quote(collapsed, folded, re.match(".*", folded))}": {reading.reason}'
        phrase = collapsed if category else None
    if project and category in (None, "not_started"):
        # A plan that names a project without saying more is waiting on that project.
        said = f'says "{phrase}" and ' if phrase else ""
        return Classification("dependent", project, f"the text {said}names the {project} project, "
                                                    "so it waits on that project")
    if category is None:
        return Classification(None, None, "no rule recognises this wording; choose a status")
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


def fold_word(word: str) -> str:
    """The one form a status word is known and remembered by: "On-going ", "ON_GOING" and
    "on going" fold alike, and so do "Green – on track" and "green - on track"."""
    return re.sub(r"[\s_\-\u2013\u2014]+", " ", _collapse(word).casefold()).strip(" .:;,!")


def _one_slip(typed: str, word: str) -> bool:
    """One letter added, dropped or changed, or two neighbours swapped (and not the same word)."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) == len(word):
        diffs = [i for i, (x, y) in enumerate(zip(typed, word, strict=True)) if x != y]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                   and typed[diffs[0]] == word[diffs[1]] and typed[diffs[1]] == word[diffs[0]])
    short, long = sorted((typed, word), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


_KNOWN_TOKENS = frozenset(token for phrase in _WORDS for token in phrase.split())


def _correct_slips(plain: str) -> tuple[str, list[tuple[str, str]]]:
    """The text with each misspelt word read as the status word it slipped from (rule 5), and
    the corrections made as (as written, read as)."""
    corrections = []

    def fix(match: re.Match) -> str:
        token = match.group(0)
        if len(token) < 6 or token in _KNOWN_TOKENS or token in NOT_SLIPS:
            return token
        near = [word for word in SLIP_TARGETS if word[0] == token[0] and _one_slip(token, word)]
        if not near or len({_WORDS.get(word, word) for word in near}) > 1:
            return token    # near nothing, or near two words that mean different things: no guess
        # "Completd" is a slip from "complete" and from "completed": one meaning, either will do.
        corrections.append((token, near[0]))
        return near[0]

    return re.sub(r"[^\W\d_]+", fix, plain), corrections


def _percentage(plain: str) -> WordReading | None:
    match = re.fullmatch(rf"(?:c\.? ?|ca\.? ?|approx\.? ?|approximately |about |around ){{0,1}}{_PERCENT}"
                         r"(?: (?:complete|completed|done|delivered|implemented|achieved|finished|through|in progress))?"
                         rf"|(?:complete|completed|completion|progress)[ :=]*{_PERCENT}", plain)
    if not match:
        return None
    value = _percent_value(match)
    category = _percent_category(value)
    if category is None:
        return None
    return WordReading(category, f"{value:g}% of the work is done, {_percent_why(value)}")


def _rag(plain: str, status_column: bool) -> WordReading | None:
    match = _RAG.fullmatch(plain)
    if not match:
        return None
    tokens = re.findall(r"red|amber|yellow|green|blue|[rgab]\b", match.group("colours"))
    colours = list(dict.fromkeys(_COLOUR_NAMES[t] for t in tokens))
    rest = match.group("rest").strip(" :;,/()-.")
    if rest and any(len(t) == 1 for t in tokens):
        return None                 # "A Smith", "G block": letters before words are not colours
    if rest:
        words = _read_words(rest, status_column)
        if words.category is not None:
            return WordReading(words.category, f'the words after the colour ("{rest}") say so: {words.reason}')
        if not status_column:
            return None             # "Blue badge bays marked": a colour in a sentence is not a rating
    if len(colours) == 1:
        category, why = _COLOUR_MEANS[colours[0]]
        return WordReading(category, why)
    if set(colours) == {"Blue"}:
        return WordReading("complete", "Blue is the colour for complete")
    return WordReading("in_progress", f"a rating between {' and '.join(colours)} is work under way, "
                                      "complete only when it is Blue")


def _read_words(plain: str, status_column: bool) -> WordReading:
    """Rules 1, 2, 4 and 5 (everything but colours) on folded text."""
    if plain in _WORDS:
        return WordReading(_WORDS[plain], "it is a status word we know", known=True)
    reading = _percentage(plain)
    if reading:
        return reading
    category, phrase, why = _match_rules(plain, plain)
    if category is not None:
        return WordReading(category, f'it says "{phrase}", {why}')
    corrected, corrections = _correct_slips(plain)
    if corrections:
        said = "; ".join(f'"{typed}" looks like a misspelling of "{word}"' for typed, word in corrections)
        if corrected in _WORDS:
            return WordReading(_WORDS[corrected], said)
        category, phrase, why = _match_rules(corrected, corrected)
        if category is not None:
            return WordReading(category, f'{said}, and "{phrase}" means it is {CATEGORY_LABELS[category].lower()}')
    return WordReading(None, "no rule reads this word; choose a status")


def read_status_word(word: str, *, status_column: bool = True) -> WordReading:
    """A status as written in a Status column ("Completed", "A/G", "75%", "Compelte") read by the
    stated rules of the module docstring, with the reason. ``status_column=False`` reads a
    progress text: a colour there counts only when followed by nothing or by a status."""
    plain = fold_word(word)
    if not plain:
        return WordReading(None, "the cell is empty")
    if plain in _WORDS:
        return WordReading(_WORDS[plain], "it is a status word we know", known=True)
    if plain in ASKED:
        return WordReading(None, "this word means different things at different councils; choose a status")
    return _percentage(plain) or _rag(plain, status_column) or _read_words(plain, status_column)


def parse_category(word: str) -> str | None:
    """A status written by a person or a spreadsheet ("Completed", "on-going", "N/A", "Green",
    "75%"), as a category; None when no rule reads it, so the caller asks for a mapping."""
    return read_status_word(word).category

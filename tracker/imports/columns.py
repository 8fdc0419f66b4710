"""Which column holds what: guessed from the headings, then from what the cells hold, then changed
one field at a time by the person (the import page's choices, or `--map FIELD=COLUMN`).

Councils head their columns in their own words ("What did we say we'd do?", "Where are we now?",
"RAG") or not at all (an unheaded id column), so the headings are read first and the cells decide
what the headings leave open: a column of ref ids, ref ids opening the action's cell ("1.2 Improve
the website"), a "Status" column that holds sentences of progress, a "Recommendation" column that
holds the recommendation's text. Plain Python on a DataFrame: no database, no Flask.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is loaded only when a table is read: app start-up stays light
    import pandas as pd


FIELDS = {
    "ref": "Ref id", "title": "Title", "theme": "Theme (central issue)", "subtheme": "Sub-theme",
    "measure_number": "Measure number", "measure": "Measure text (detail)",
    "measured_output": "Measured output / progress", "status": "Status", "owner": "Owner",
    "business_unit": "Business unit", "target_date": "Target date", "recommendation": "Recommendation number",
    "comment": "Comment",
}
# Header words that name each field, most specific first. Matched on the heading with its case,
# spacing and closing punctuation ("Who?", "Progress:") taken off; exact matches before partial ones.
SYNONYMS = {
    "ref": ["ref-id", "ref id", "refid", "reference", "ref", "ref no", "action ref", "action id", "action no",
            "rec ref", "id", "no.", "no", "number", "#"],
    "title": ["title", "action title", "action", "actions", "heading", "short description", "action to be taken",
              "agreed action", "proposed action", "what will we do", "what did we say we'd do",
              "what we said we would do", "agreed management action", "management action", "agreed actions",
              "commitment", "our commitment", "pledge", "promise", "objective", "issue", "finding", "improvement",
              "task description"],
    "theme": ["central issue", "theme", "category", "area", "workstream", "service", "section"],
    "subtheme": ["sub-issue", "sub issue", "sub-theme", "subtheme", "sub theme"],
    "measure_number": ["measure number", "measure no", "measure no.", "point", "step"],
    "measure": ["detail", "measure", "measures", "action detail", "description", "what we will do", "task",
                "milestones"],
    "measured_output": ["measured output", "progress", "update", "outcome", "output", "position", "latest update",
                        "progress to date", "progress update", "commentary", "where are we now", "current position",
                        "how are we doing", "what has been done", "action taken", "actions taken", "action to date",
                        "progress made", "work undertaken", "latest position", "update on progress"],
    "status": ["status", "rag", "rag status", "rag rating", "state", "progress status", "rating", "% complete",
               "% completed", "percentage complete", "percent complete", "current status", "overall status"],
    "owner": ["owner", "lead officer", "responsible officer", "lead", "responsible", "officer", "who",
              "by whom", "action owner", "lead member", "portfolio holder", "cabinet member", "accountable officer",
              "responsible manager"],
    "business_unit": ["business unit", "directorate", "department", "team"],
    # A revised date replaces the original, so it is looked for first. A column headed only "Date"
    # is not a target: trackers use it for when a recommendation was made or agreed.
    "target_date": ["revised target date", "revised due date", "revised date", "revised deadline", "revised timescale",
                    "revised target", "revised completion date", "revised implementation date",
                    "target date", "due date", "deadline", "target", "by when", "date due", "completion date",
                    "when", "timescale", "timescales", "timeframe", "due", "due by", "target completion date",
                    "implementation date", "target completion", "timeline"],
    "recommendation": ["recommendation", "rec", "recommendation number", "rec no", "recommendations"],
    "comment": ["comment", "comments", "notes", "note", "remarks"],
    # Read only when the cells hold responses (guess_columns): "Cabinet response" is often prose.
    "response": ["agreed", "accepted", "agreed / not agreed", "accepted / rejected", "agreed / rejected",
                 "response", "cabinet response", "executive response", "council response", "accept / reject",
                 "decision"],
}
# Short words that would name too much inside a longer heading ("Date raised", "Whenever possible").
EXACT_ONLY = {"date", "when", "area", "note", "due", "agreed", "accepted", "decision"}
# What may stand for progress when no column is headed as progress: a tracker's only free-text column.
PROGRESS_STAND_INS = ("comment",)

# A ref id as councils write them: CC-01-ENV-01, SC18, R1, 1.1, 22 CTAX 01, Rec 4, 2.3a.
_REF = r"(?:[A-Za-z]{1,4}[-. ]?)?\d{1,3}(?:[.\-/]\d{1,3}|[.\-/ ][A-Za-z]{1,5}[.\-/ ]\d{1,3})*[a-z]?"
REF_ID = re.compile(rf"{_REF}[.:)]?")
# A ref id opening the action's cell, then the title: "1.2 Improve the website", "R3: Review charges".
REF_OPENING = re.compile(rf"\s*(?P<ref>{_REF})(?:\s*[:.)\-–—]\s*|\s+)(?P<rest>[^\W\d_].*)", re.S)
DATE_LIKE = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{4}")
NUMBERED_LIST = re.compile(r"(?:^|\s)\(?\d{1,2}[).]\s")


def plain(heading: str) -> str:
    """A heading as the synonyms are written: lower case, single spaces, no closing ? : . or *."""
    text = re.sub(r"\s+", " ", str(heading or "").strip().lower())
    return re.sub(r"[\s?:*]+$", "", text).replace("’", "'")


def looks_like_ref(text: str) -> bool:
    text = (text or "").strip()
    return bool(text) and len(text) <= 20 and REF_ID.fullmatch(text) is not None and not DATE_LIKE.fullmatch(text)


def ref_opening(text: str) -> tuple[str, str] | None:
    """(ref id, title) when a ref id opens the cell's text."""
    match = REF_OPENING.fullmatch(text or "")
    if not match or DATE_LIKE.fullmatch(match["ref"]):
        return None
    return match["ref"].rstrip(".-"), re.sub(r"\s+", " ", match["rest"]).strip()


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """field -> column, from header names; each column used once, exact names before partial ones."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    names = {h: plain(h) for h in headers}
    for exact in (True, False):
        for name, words in SYNONYMS.items():
            if name in mapping:
                continue
            for word in words:
                match = next((h for h in headers if h not in used and (
                    names[h] == word if exact else (len(word) > 3 and word not in EXACT_ONLY
                                                     and _contains(names[h], word)))), None)
                if match:
                    mapping[name] = match
                    used.add(match)
                    break
    return mapping


def _contains(heading: str, word: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(word)}s?(?![a-z])", heading) is not None


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    """The column's texts on rows of data: a heading row (one text, often merged across the row)
    says nothing about what a column holds."""
    data = [len({str(v).strip() for v in row if str(v).strip()}) >= 2 for row in frame.values]
    return [t for t, is_data in zip((str(v).strip() for v in frame[column].tolist()), data, strict=False) if t and is_data]


def _mostly(texts: list[str], test, share: float = 0.6) -> bool:
    return bool(texts) and sum(1 for t in texts if test(t)) >= share * len(texts)


def _average_length(texts: list[str]) -> float:
    return sum(len(t) for t in texts) / len(texts) if texts else 0.0


def guess_columns(frame: pd.DataFrame) -> tuple[dict[str, str], list[str]]:
    """The mapping for a frame: its headings' guess, settled by what the cells hold; and notes
    saying what the cells decided (for the person to check)."""
    headers = [str(c) for c in frame.columns]
    mapping = guess_mapping(headers)
    notes: list[str] = []
    texts = {h: _texts(frame, h) for h in headers}

    def free(column: str) -> bool:
        return column not in mapping.values()

    # A "Recommendation" column of sentences is the item itself, not the number of the one it delivers.
    rec = mapping.get("recommendation")
    if rec and _mostly(texts[rec], lambda t: not re.fullmatch(r"[\d,;/&\s]+(and\s*\d+)?", t)) \
            and _average_length(texts[rec]) > 25:
        del mapping["recommendation"]
        if "title" not in mapping:
            mapping["title"] = rec
    # A "Status" of sentences is progress written in the status column.
    status = mapping.get("status")
    if status and "measured_output" not in mapping and _average_length(texts[status]) > 30:
        mapping["measured_output"] = mapping.pop("status")
    if "ref" in mapping and not _mostly(texts[mapping["ref"]], looks_like_ref, 0.5):
        # "No." or "Number" over a column that holds no ref ids ("Number of staff trained").
        if not texts[mapping["ref"]] or _average_length(texts[mapping["ref"]]) > 20:
            del mapping["ref"]
    if "ref" not in mapping:
        ref = next((h for h in headers if free(h) and _mostly(texts[h], looks_like_ref, 0.7)
                    and len(set(texts[h])) >= 0.8 * len(texts[h])), None)
        if ref:
            mapping["ref"] = ref
            notes.append(f"The column {ref!r} holds ref ids, so it is read as the ref id.")
    if "title" not in mapping and mapping.get("measure") and not _numbered_lists(texts[mapping["measure"]]):
        mapping["title"] = mapping.pop("measure")  # one row per action: its description is its title
    if "title" not in mapping:
        # The first column of sentences: an action's text comes before what is said of its progress.
        title = next((h for h in headers if free(h) and _average_length(texts[h]) > 15
                      and not _mostly(texts[h], looks_like_ref)), None)
        if title:
            mapping["title"] = title
            notes.append(f"The column {title!r} is the first that holds sentences, so it is read as the "
                         "action's title.")
    if "ref" not in mapping and mapping.get("title") and _mostly(texts[mapping["title"]],
                                                                 lambda t: ref_opening(t) is not None, 0.7):
        mapping["ref"] = mapping["title"]
        notes.append(f"The cells of {mapping['title']!r} open with the ref id (\"{texts[mapping['title']][0][:40]}\"): "
                     "the ref id is taken from there and the rest is the title.")
    _latest_update(headers, mapping, texts, notes)
    _original_date(headers, mapping, notes)
    _response_column(headers, mapping, texts, notes)
    if "measured_output" not in mapping and "measure" not in mapping:
        for stand_in in PROGRESS_STAND_INS:
            if mapping.get(stand_in):
                mapping["measured_output"] = mapping.pop(stand_in)
                notes.append(f"No column is headed as progress, so {mapping['measured_output']!r} is read as the "
                             "progress.")
                break
    return mapping, notes


# A date in a heading: "Update (March 2026)", "Progress at 31/03/26", "Q3 2025/26 update".
_HEADING_DATE = re.compile(r"(?i)\b(?:q[1-4]\s*\d{4}(?:\s*[/-]\s*\d{2,4})?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
                           r"|(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[a-z]{3,9}\.?[\s,-]+(?:\d{4}|'\d{2}))")


def heading_date(heading: str):
    """The date a heading names ("Update (March 2026)" -> 31 March 2026), read as a period's end;
    None when it names none."""
    from ..domain.dates import DateProblem, read_period_end

    for match in _HEADING_DATE.finditer(heading or ""):
        try:
            return read_period_end(match.group(0))[0]
        except DateProblem:
            continue
    return None


def _latest_update(headers: list[str], mapping: dict[str, str], texts: dict[str, list[str]], notes: list[str]) -> None:
    """Trackers add a progress column at each report, headed with its date ("Update September
    2025", "Update March 2026"): of the columns that name progress and a date, the latest is the
    progress (the earlier ones are what was said before, already reported), and the notes say so."""
    dated = [(heading_date(h), h) for h in headers
             if h not in mapping.values() or h == mapping.get("measured_output")]
    dated = [(d, h) for d, h in dated if d is not None and guess_mapping([h]).get("measured_output") == h]
    if len(dated) < 2:
        return
    filled = [(d, h) for d, h in dated if texts[h]] or dated
    when, latest = max(filled, key=lambda pair: pair[0])
    mapping["measured_output"] = latest
    earlier = [h for _, h in dated if h != latest]
    notes.append(f"The columns {', '.join(repr(h) for h in earlier)} and {latest!r} are updates by date: "
                 f"{latest!r} is the latest, so it is read as the progress; the earlier ones are left out.")


def _original_date(headers: list[str], mapping: dict[str, str], notes: list[str]) -> None:
    """A revised target date replaces the original where one is given; where the revised cell is
    blank the original stands (``original_target_date``, read only then)."""
    target = mapping.get("target_date")
    if not target or not plain(target).startswith("revised"):
        return
    rest = [h for h in headers if h not in mapping.values()]
    original = guess_mapping(rest).get("target_date")
    if original:
        mapping["original_target_date"] = original
        notes.append(f"{target!r} is read as the target date; where it is blank, {original!r} stands.")


RESPONSE_WORDS = {
    "accepted": ("yes", "y", "agreed", "accepted", "accept", "agree", "approved", "supported", "endorsed"),
    "partly_accepted": ("partly", "partially", "in part", "partly agreed", "partially agreed", "agreed in part",
                        "partly accepted", "partially accepted", "accepted in part", "part", "partial"),
    "rejected": ("no", "n", "not agreed", "not accepted", "rejected", "declined", "disagreed", "not supported"),
}
_RESPONSE_OPENING = re.compile(r"(?i)^\s*(?P<word>[a-z][a-z ]{0,25}?)\s*(?:$|[.:;,–—-]\s)")


def response_of(text: str) -> str | None:
    """How a council answered a recommendation, from a response cell: the cell's words alone
    ("Yes", "Partly agreed", "Not accepted"), or those words opening a sentence ("Agreed. The
    council will …"); None when the cell says neither."""
    match = _RESPONSE_OPENING.match(text or "")
    if not match:
        return None
    word = re.sub(r"\s+", " ", match["word"].strip().lower())
    return next((code for code, words in RESPONSE_WORDS.items() if word in words), None)


def _response_column(headers: list[str], mapping: dict[str, str], texts: dict[str, list[str]],
                     notes: list[str]) -> None:
    """A column headed as a response ("Agreed?", "Cabinet response") is read as the response to
    each recommendation only when most of its cells say accepted, partly or rejected; a response
    written as prose is left for the person to choose."""
    candidates = [h for h in headers if guess_mapping([h]).get("response") == h
                  and (h not in mapping.values() or h == mapping.get("response"))]
    mapping.pop("response", None)
    for heading in candidates:
        if _mostly(texts[heading], lambda t: response_of(t) is not None, 0.7):
            mapping["response"] = heading
            notes.append(f"The column {heading!r} says whether each recommendation was accepted, so it is read as "
                         "the response to the recommendation (each row is a recommendation, numbered from its "
                         "ref id).")
            return


def _numbered_lists(texts: list[str]) -> bool:
    """Cells holding numbered or bulleted lists ("1) ... 2) ..."): measures, not one action's text."""
    return any(len(NUMBERED_LIST.findall(t)) >= 2 or len(re.findall(r"(?m)^\s*[•·▪◦*\-–]\s", t)) >= 2
               for t in texts)


def column_named(name: str, headers: list[str]) -> str | None:
    """The column a person named: its heading (any case), or as the file shows it ("Column C",
    "C", "Column 3", "3")."""
    wanted = (name or "").strip()
    if not wanted:
        return None
    if wanted in headers:
        return wanted
    by_plain = {plain(h): h for h in headers}
    if plain(wanted) in by_plain:
        return by_plain[plain(wanted)]
    bare = re.sub(r"(?i)^column\s+", "", wanted).strip()
    position = None
    if bare.isdigit():
        position = int(bare) - 1
    elif re.fullmatch(r"[A-Za-z]{1,3}", bare):
        position = 0
        for letter in bare.upper():
            position = position * 26 + ord(letter) - 64
        position -= 1
    if position is not None and 0 <= position < len(headers):
        return headers[position]
    return None


def apply_overrides(guessed: dict[str, str], overrides: dict[str, str | None], headers: list[str]
                    ) -> tuple[dict[str, str], list[str]]:
    """The guess with the person's choices laid over it, one field at a time: a field given a
    column takes it (from any field guessed onto it), a field given "" is left out, every other
    guess stays. Returns the mapping and the problems (unknown fields or columns)."""
    mapping = dict(guessed)
    problems = []
    for field, column in overrides.items():
        if field not in FIELDS:
            problems.append(f"There is no field {field!r}; the fields are {', '.join(FIELDS)}")
            continue
        if column is None:
            continue
        if field == "target_date":
            mapping.pop("original_target_date", None)  # the person's choice is the only date read
        if not column.strip():
            mapping.pop(field, None)
            continue
        found = column_named(column, headers)
        if found is None:
            problems.append(f"There is no column {column!r} in the file; its columns are "
                            + ", ".join(repr(h) for h in headers))
            continue
        for other, taken in list(mapping.items()):
            # A ref id opening the title's cell is the one column two fields may share.
            if taken == found and other != field and {other, field} != {"ref", "title"}:
                del mapping[other]
        mapping[field] = found
    return mapping, problems


def ignored_columns(headers: list[str], mapping: dict[str, str], frame: pd.DataFrame | None = None) -> list[str]:
    """Columns no field reads (empty columns left out: nothing is lost with them)."""
    used = set(mapping.values())
    return [h for h in headers if h not in used and (frame is None or _texts(frame, h))]

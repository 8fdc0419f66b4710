"""Reading the text of a committee paper's action plan (plain Python, no Flask).

``parse_committee_paper`` tells which of three layouts a text is in (``layout_of`` names it):
- "carlisle": the appendices below, actions with numbered measures and measured outputs;
- "table": a table pasted as text (pasted_table.py), handed on row by row to the sheet path;
- "numbered": a plain numbered plan (numbered_plan.py), items holding their own progress.
The Carlisle reading comes first and is kept whenever most actions it finds have measures.

A paper such as Carlisle's 2003 report holds "APPENDIX A" (key recommendations: "1)" then the
text, variations "i." ..., then "Status: ...") and "APPENDIX B" (the master list: central-issue
headings, sub-issue headings "ii) Silo Working", then for each action a line with its ref id, a
title line, numbered measures "1) ...", and numbered measured outputs restarting at "1)").
Word turns tables into exactly this flow of lines, so a .docx reads the same way.

Nothing here is tied to one council: ref ids are found by the review's own pattern, or by their
shape when the review is new, and the pattern is then inferred from what was found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..domain.refs import compile_pattern, infer_pattern


@dataclass
class ParsedMeasure:
    number: int
    text: str
    measured_output: str | None
    line: int


@dataclass
class ParsedAction:
    ref: str
    title: str
    theme_heading: str | None
    subtheme_heading: str | None
    line: int
    measures: list[ParsedMeasure] = field(default_factory=list)
    # An item of a plain plan holds its progress itself, with no numbered measures ("" when none is
    # written yet); None for an action of the Carlisle layout, whose progress is in its measures.
    progress: str | None = None
    status: str | None = None  # a category, when a "Status:" word says it beside the progress
    owner: str | None = None
    target_text: str | None = None  # as written ("March 2027")
    target_date: str | None = None  # ISO, when target_text reads as a date
    comment: str | None = None
    recommendation: int | None = None  # "Recommendation 3: …" is recommendation 3 and its action
    # A row of a table pasted as text (heading -> cell). Kept with the actions because only they
    # travel in the import's kept data (reading.py); the sheet path decides what the row holds.
    cells: dict[str, str] | None = None


@dataclass
class ParsedVariation:
    label: str
    text: str
    status_text: str | None = None


@dataclass
class ParsedRecommendation:
    number: int
    text: str
    line: int
    status_text: str | None = None
    variations: list[ParsedVariation] = field(default_factory=list)


@dataclass(frozen=True)
class ParseProblem:
    line: int | None
    message: str


@dataclass
class ParsedPaper:
    recommendations: list[ParsedRecommendation]
    actions: list[ParsedAction]
    problems: list[ParseProblem]


# A ref id by shape: letters/digits groups joined by - . or space, with at least one digit.
REF_SHAPE = re.compile(r"(?=.*\d)[A-Z]{0,6}\d{0,3}(?:[-. ][A-Z0-9]{1,6}){0,3}")
ROMAN = r"(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)"
# "1) ...", "1. ..." or "(1) ...": councils number lists every way; "1.5 million" is not a number label.
NUMBERED = re.compile(r"^\(?(\d{1,2})(?:\)|\.(?!\d))\s*(.*)$")
INLINE_LABEL = r"\(?(\d{1,2})(?:\)|\.(?!\d))"
REC_HEADING = re.compile(r"(?:key\s+)?recommendation\s+(\d{1,2})\s*[.:)]?", re.I)
STATUS_LABEL = re.compile(r"^(status|progress|update|current position|position|comment|comments)\s*:\s*", re.I)
SUB_HEADING = re.compile(rf"^(?:(?P<theme>[A-Za-z][A-Za-z &]+?)\s*-\s*)?(?P<label>{ROMAN})\)\s*(?P<name>\S.*)$")
HEADER_WORDS = {"central issue", "ref-id", "ref id", "detail", "measured output", "comment", "comments",
                "action plan - master list", "action plan – master list"}


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _find(lines: list[str], title: str) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip().upper() == title), None)


def parse_committee_paper(text: str, ref_pattern: str | None = None, *, cells: bool = False) -> ParsedPaper:
    """The text in whichever layout it is (see the module's docstring); ``cells`` as below."""
    from .numbered_plan import read_numbered_plan
    from .pasted_table import find_pasted_table

    carlisle = parse_carlisle_paper(text, ref_pattern, cells=cells)
    with_measures = sum(1 for action in carlisle.actions if action.measures)
    # Recommendations alone update a review's Appendix A (a review has a pattern); a new review
    # needs actions, so for one the text is tried as a plain plan too.
    if (with_measures and with_measures * 2 >= len(carlisle.actions)) or \
            (carlisle.recommendations and not carlisle.actions and ref_pattern):
        return carlisle
    table = None if cells else find_pasted_table(text)
    if table is not None:
        rows = [ParsedAction("", "", None, None, line, cells=dict(zip(table.headings, row, strict=True)))
                for line, row in table.rows]
        return ParsedPaper([], rows, [])
    plain = read_numbered_plan(text, ref_pattern)
    return plain if plain.actions else carlisle


def layout_of(paper: ParsedPaper) -> str:
    if paper.actions and all(action.cells is not None for action in paper.actions):
        return "table"
    if any(action.progress is not None for action in paper.actions):
        return "numbered"
    return "carlisle"


def parse_carlisle_paper(text: str, ref_pattern: str | None = None, *, cells: bool = False) -> ParsedPaper:
    """``cells``: the text comes from table cells (Word, PDF), one blank line after each cell, so
    a blank line ends a measure: the words after it are a heading or a footer, never more of it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    a, b = _find(lines, "APPENDIX A"), _find(lines, "APPENDIX B")
    problems: list[ParseProblem] = []
    recommendations = _recommendations(lines, a + 1, b if b is not None else len(lines)) if a is not None else []
    start = b + 1 if b is not None else 0
    actions = _actions(lines, start, ref_pattern, problems, cells)
    return ParsedPaper(recommendations, actions, problems)


def _recommendations(lines, start, end) -> list[ParsedRecommendation]:
    recs: list[ParsedRecommendation] = []
    mode, current, variation, pending = None, None, None, None
    for index in range(start, end):
        line = lines[index].strip()
        # "1)" alone on its line (a table cell), or "1. The council should ..." with its text.
        number = re.fullmatch(r"\(?(\d{1,2})[).]?", line) or NUMBERED.match(line)
        heading = REC_HEADING.fullmatch(line)
        if heading:
            # "Recommendation 4" above its text (this product's own Appendix A, many papers' too)
            # ends the commentary before it and numbers the one after.
            pending, mode = int(heading.group(1)), "heading"
            continue
        if mode == "heading" and line and not number:
            current = ParsedRecommendation(pending, "", index + 1)
            recs.append(current)
            mode = "text"
        if number and (current is None or mode in ("status", "heading")):
            current = ParsedRecommendation(int(number.group(1)), "", index + 1)
            recs.append(current)
            mode = "text"
            if number.re is NUMBERED:
                current.text = number.group(2)
            continue
        if current is None or not line:
            continue
        label = re.match(rf"^\(?({ROMAN})[.)](?:\s+(.*))?$", line)
        if label and mode in ("text", "variation"):
            variation = ParsedVariation(label.group(1), label.group(2) or "")
            current.variations.append(variation)
            mode = "variation"
            continue
        status = STATUS_LABEL.match(line)
        if status:
            mode = "status"
            current.status_text = line[status.end():]
            continue
        if mode == "text":
            current.text += " " + line
        elif mode == "variation":
            variation.text += " " + line
        elif mode == "status":
            current.status_text += " " + line
    for rec in recs:
        rec.text = _clean(rec.text)
        rec.status_text = _clean(rec.status_text or "") or None
        for v in rec.variations:
            v.text = _clean(v.text)
        _split_variation_status(rec)
    return recs


def _split_variation_status(rec: ParsedRecommendation) -> None:
    """'i-vii) ... viii) ... ix) ...': give each variation its part of the commentary."""
    if not rec.variations or not rec.status_text:
        return
    labels = [v.label for v in rec.variations]
    parts = re.split(rf"(?:^|\s)((?:{ROMAN})(?:\s*-\s*{ROMAN})?)\)\s*", rec.status_text)
    if len(parts) < 3:
        return
    for i in range(1, len(parts), 2):
        span, words = parts[i], _clean(parts[i + 1])
        first, _, last = (x.strip() for x in span.partition("-"))
        if first not in labels or (last and last not in labels):
            continue
        chosen = labels[labels.index(first): labels.index(last) + 1] if last else [first]
        for v in rec.variations:
            if v.label in chosen:
                v.status_text = words


def _is_ref(line: str, regex) -> bool:
    if regex is not None:
        return bool(regex.fullmatch(line))
    return bool(REF_SHAPE.fullmatch(line)) and bool(re.search(r"[A-Z]", line) or "." in line or " " in line)


def _ref_at(line: str, regex) -> tuple[str | None, str | None]:
    """(ref, title) for a ref id alone on its line (title None: it is on the next line), or at the
    start of one: "SC18 Improve signage", "22 CTAX 01 - Collection rate", "R1: Opening hours"."""
    if regex is not None and regex.fullmatch(line):
        return line, None
    tokens = line.split()
    for n in (3, 2, 1):
        if len(tokens) <= n:
            continue
        prefix = " ".join(tokens[:n]).rstrip(":")
        title = " ".join(tokens[n:]).lstrip("-–—: ")
        # A title starts with a capital: "1.5 million leaflets" is a sentence, not ref 1.5.
        if title[:1].isupper() and _is_ref(prefix, None) and (regex is None or regex.fullmatch(prefix)):
            return prefix, title
    return None, None


def _actions(lines, start, ref_pattern, problems, cells=False) -> list[ParsedAction]:
    regex = compile_pattern(ref_pattern) if ref_pattern else None
    candidates = [i for i in range(start, len(lines)) if _is_ref(lines[i].strip(), None)]
    refs = [lines[i].strip() for i in candidates]
    if regex is None and not candidates:
        # No ref id stands on a line of its own: take those that open a line, before their title.
        refs = [ref for ref, _ in (_ref_at(lines[i].strip(), None) for i in range(start, len(lines))) if ref]
        if refs:
            ref_pattern = infer_pattern(refs)
            regex = compile_pattern(ref_pattern)
    if regex is None and candidates:
        # Infer the pattern from the shape most ref-like lines share, then report the odd ones out.
        ref_pattern = infer_pattern(refs)
        regex = compile_pattern(ref_pattern)
        mismatched = [i for i in candidates if not regex.fullmatch(lines[i].strip())]
        if mismatched and len(mismatched) < len(candidates) / 2:
            good = [lines[i].strip() for i in candidates if i not in mismatched]
            ref_pattern = infer_pattern(good)
            regex = compile_pattern(ref_pattern)
    if regex is None:
        return []  # the caller says that no actions were found
    actions: list[ParsedAction] = []
    theme, subtheme = None, None
    current: ParsedAction | None = None
    numbered: list[tuple[int, str, int]] = []
    index = start
    while index < len(lines):
        line = lines[index].strip()
        if not line or line.lower() in HEADER_WORDS:
            index += 1
            continue
        ref, inline_title = _ref_at(line, regex)
        if ref:
            _finish(current, numbered, problems)
            numbered = []
            title_index = index + 1
            while title_index < len(lines) and not lines[title_index].strip():
                title_index += 1
            title = lines[title_index].strip() if title_index < len(lines) else ""
            if inline_title:
                title, title_index = inline_title, index
            elif not title or NUMBERED.match(title) or _ref_at(title, regex)[0]:
                # The line after a ref id is its title; a numbered line there means the title is missing.
                problems.append(ParseProblem(index + 1, f"{line}: no title on the line after the ref id; add one"))
                title, title_index = "", index
            current = ParsedAction(ref, _clean(title), theme, subtheme, index + 1)
            actions.append(current)
            index = title_index + 1
            continue
        if _is_ref(line, None) and current is not None and not NUMBERED.match(line) and len(line) <= 20:
            problems.append(ParseProblem(index + 1, f"{line!r} looks like a ref id but does not follow the "
                                                    f"review's pattern '{ref_pattern}'; correct it"))
            # Its title and measures belong to neither neighbour: skip to the next good ref id.
            _finish(current, numbered, problems)
            current, numbered = None, []
            index += 1
            while index < len(lines) and not regex.fullmatch(lines[index].strip()):
                index += 1
            continue
        heading = SUB_HEADING.match(line)
        if heading and not NUMBERED.match(line) and len(line) < 80:
            if heading.group("theme"):
                theme = heading.group("theme").strip()
            subtheme = f"{heading.group('label')}) {heading.group('name').strip()}"
            _finish(current, numbered, problems)
            current, numbered = None, []
            index += 1
            continue
        if NUMBERED.match(line) and current is not None:
            for piece in _split_inline(line):
                match = NUMBERED.match(piece)
                if match:
                    numbered.append((int(match.group(1)), match.group(2), index + 1))
                elif numbered:
                    n, text, at = numbered[-1]
                    numbered[-1] = (n, f"{text} {piece}", at)
            index += 1
            continue
        after_cell = cells and index > 0 and not lines[index - 1].strip()
        if current is not None and numbered and not after_cell and not _looks_like_heading(line, lines, index, regex):
            n, text, at = numbered[-1]
            numbered[-1] = (n, f"{text} {line}", at)  # a wrapped line
            index += 1
            continue
        # Anything else between actions is a central-issue heading.
        _finish(current, numbered, problems)
        current, numbered = None, []
        theme, subtheme = line, None
        index += 1
    _finish(current, numbered, problems)
    _check_duplicates(actions, problems)
    return actions


def _looks_like_heading(line, lines, index, regex) -> bool:
    """A short line followed (after blanks) by a ref id line is a heading, not wrapped text; a
    line that starts in lower case or ends a sentence is the end of a wrapped sentence."""
    if line[:1].islower() or line.endswith((".", ",", ";")):
        return False
    nxt = index + 1
    while nxt < len(lines) and (not lines[nxt].strip() or lines[nxt].strip().lower() in HEADER_WORDS):
        nxt += 1  # a table's column headings may stand between a heading and its first ref id
    return len(line) < 60 and nxt < len(lines) and _ref_at(lines[nxt].strip(), regex)[0] is not None


def _split_inline(line: str) -> list[str]:
    """'1)Customer care ... 2)Mandatory TNA ...' holds two numbered items on one line."""
    pieces, last = [], 0
    first = NUMBERED.match(line)
    expected = int(first.group(1)) + 1 if first else None
    for match in re.finditer(rf"(?<=\S)\s+{INLINE_LABEL}\s*(?=\S)", line):
        if expected is not None and int(match.group(1)) == expected:
            pieces.append(line[last:match.start()].strip())
            last = match.start()
            expected += 1
    pieces.append(line[last:].strip())
    return pieces


def _finish(action: ParsedAction | None, numbered, problems) -> None:
    if action is None:
        return
    if not numbered:
        problems.append(ParseProblem(action.line, f"{action.ref}: no numbered measures found under it"))
        return
    restarts = [i for i, (n, _, _) in enumerate(numbered) if n == 1]
    measures_part = numbered[:restarts[1]] if len(restarts) > 1 else numbered
    outputs_part = numbered[restarts[1]:] if len(restarts) > 1 else []
    outputs = {}
    for n, text, at in outputs_part:
        if n in outputs:
            problems.append(ParseProblem(at, f"{action.ref}: output {n} appears twice"))
        outputs[n] = _clean(text)
    numbers = set()
    for n, text, at in measures_part:
        if n in numbers:
            problems.append(ParseProblem(at, f"{action.ref}: measure {n} appears twice"))
            continue
        numbers.add(n)
        output = outputs.get(n)
        if output is None:
            problems.append(ParseProblem(at, f"{action.ref}: measure {n} has no measured output; add '{n}) ...' "
                                             "to the outputs"))
        action.measures.append(ParsedMeasure(n, _clean(text), output, at))
    for n in sorted(set(outputs) - numbers):
        problems.append(ParseProblem(action.line, f"{action.ref}: output {n} has no measure {n}"))


def _check_duplicates(actions, problems) -> None:
    seen: dict[str, int] = {}
    for action in actions:
        if action.ref in seen:
            problems.append(ParseProblem(action.line, f"{action.ref} appears twice (first at line {seen[action.ref]}); "
                                                      "ref ids must be unique"))
        seen.setdefault(action.ref, action.line)


def infer_ref_pattern(refs: list[str]) -> str:
    return infer_pattern(refs)

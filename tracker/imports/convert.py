"""A tracker's rows (a frame and its column mapping) -> plan data for apply_plan.

Two shapes. With a measure column: Carlisle's, numbered measures (one row per measure, or "1) ...
2) ..." in one cell) each with its measured output. Without one: most councils', one row per
action or recommendation with its progress held on the action (``"progress"`` in the plan data).
Rows holding only a heading ("Access to services", "2. Housing", or a section number and heading
with the rest of the row empty) name the theme of the rows under them. Every problem names the
row; nothing is guessed silently (an unknown status word is offered for mapping).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain import status as status_rules
from ..domain.refs import check_ref, infer_pattern, theme_in_ref
from .columns import FIELDS, looks_like_ref, ref_opening, response_of

if TYPE_CHECKING:  # pandas is loaded only when a table is read: app start-up stays light
    import pandas as pd

# "2. Housing", "2 Housing", "Section 2: Housing", "B) Housing", "iv. Housing".
NUMBERED_SECTION = re.compile(r"(?i)(?:(?:section|part|theme|priority|objective|area)\s+)?"
                              r"(?:\d{1,2}|[a-z]|[ivx]{1,5})[.):]?\s+(?P<name>[^\W\d_][^\n]*)")
# "Area for improvement 1: Early help", "Priority 2 – Housing": a label and a number before the name.
LABELLED_SECTION = re.compile(r"(?i)[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,4} (?:\d{1,2}|[a-z]|[ivx]{1,5})\s*[:.–—-]\s*"
                              r"(?P<name>[^\W\d_][^\n]*)")
SECTION_NUMBER = re.compile(r"(?i)(?:\d{1,2}|[a-z]|[ivx]{1,5})\.?")
NUMBERED = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\)\s*")
# Other ways people number a list in a cell: "(1) ..." anywhere, "1. ..." or a bullet at a line's start.
BRACKETED = re.compile(r"(?:(?<=\s)|^)\((\d{1,2})\)\s*")
DOTTED = re.compile(r"(?m)^[ \t]*(\d{1,2})\.(?!\d)[ \t]*")
BULLET = re.compile(r"(?m)^[ \t]*[•·▪◦*\-–][ \t]+")


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    message: str
    place: str | None = None  # where the row is, when "row N" is not what the file shows

    def __str__(self) -> str:
        if self.place:
            return f"{self.place}: {self.message}"
        return f"row {self.row}: {self.message}" if self.row else self.message


@dataclass
class Conversion:
    data: dict | None
    problems: list[RowProblem] = field(default_factory=list)
    unknown_statuses: dict[str, list[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def split_numbered(text: str) -> list[tuple[int, str]]:
    """'1) a 2) b' -> [(1, 'a'), (2, 'b')]; also '(1) a (2) b', '1. a' and bulleted lines; text with
    no numbers is one item numbered 1."""
    text = (text or "").strip()
    if not text:
        return []
    for pattern in (NUMBERED, BRACKETED, DOTTED):
        parts = pattern.split(text)
        if len(parts) >= 3 and not parts[0].strip():
            return [(int(parts[i]), re.sub(r"\s+", " ", parts[i + 1]).strip()) for i in range(1, len(parts), 2)]
    parts = BULLET.split(text)
    if len(parts) >= 3 and not parts[0].strip():
        return [(n, re.sub(r"\s+", " ", part).strip()) for n, part in enumerate(parts[1:], start=1)]
    return [(1, re.sub(r"\s+", " ", text))]


def own_progress(action: dict) -> dict | None:
    """An action's progress held on itself, from plan data in either layout: ``"progress"`` (the
    export's), or the unnumbered measure (number 0) listed with the measures."""
    if action.get("progress") is not None:
        return action["progress"]
    zero = next((m for m in action.get("measures") or [] if m.get("number") == 0), None)
    if zero is None:
        return None
    return {"text": zero.get("measured_output") or "", "status": zero.get("status"),
            "depends_on": zero.get("depends_on")}


def numbered_measures(action: dict) -> list[dict]:
    return [m for m in action.get("measures") or [] if m.get("number") != 0]


class _Rows:
    """The cells of one row by field, with the ref id taken out of the title's cell when it opens it."""

    def __init__(self, mapping: dict[str, str]):
        self.mapping = mapping
        self.ref_in_title = bool(mapping.get("ref")) and mapping.get("ref") == mapping.get("title")

    def cell(self, row: pd.Series, name: str) -> str:
        column = self.mapping.get(name)
        return str(row[column]).strip() if column else ""

    def ref_and_title(self, row: pd.Series) -> tuple[str, str]:
        title = self.cell(row, "title")
        opened = ref_opening(title)
        if self.ref_in_title:
            return (opened[0], opened[1]) if opened else ("", title)
        ref = self.cell(row, "ref")
        if opened and ref and opened[0] == ref.rstrip(".:"):
            return ref, opened[1]  # "1.2" beside "1.2 Improve the website": the title is the rest
        return ref, re.sub(r"[ \t]+", " ", title)


def _section_heading(row: pd.Series, rows: _Rows, ref: str, title: str, next_ref: str) -> str | None:
    """The theme a heading row names, or None when the row is not a heading.

    A heading is: one text alone on the row (often merged across the table) that is not a ref id
    opening an action's title; or a section number and a heading with the rest of the row empty,
    when the rows under it are numbered within the section ("2" + "Housing" above "2.1", "2.2")."""
    values = [str(v).strip() for v in row.values]
    filled = [v for v in values if v]
    distinct = set(filled)
    if len(distinct) == 1:
        text = filled[0]
        in_place = values[0] == text or text in (rows.cell(row, "title"), rows.cell(row, "ref"))
        if not in_place or looks_like_ref(text):
            return None
        numbered = NUMBERED_SECTION.fullmatch(text) or LABELLED_SECTION.fullmatch(text)
        opened = ref_opening(text)
        if opened and not SECTION_NUMBER.fullmatch(opened[0]):
            return None  # "1.2 Improve the website" or "R3: Review charges": an action with nothing else yet
        name = numbered["name"] if numbered else text
        return re.sub(r"\s+", " ", name).rstrip(":").strip() or None
    if len(filled) == 2 and ref and title and not rows.ref_in_title and set(filled) == {ref, title} \
            and SECTION_NUMBER.fullmatch(ref) and next_ref:
        number = ref.rstrip(".")
        if re.match(rf"{re.escape(number)}[.\-/ ]\S", next_ref):
            return title
    return None


def _theme_code(text, themes, by_name, new_themes, is_new_review):
    if not text:
        return None
    if text in themes:
        return text
    if text.lower() in by_name:
        return by_name[text.lower()]
    if not is_new_review:
        return None
    for existing_code, theme in new_themes.items():
        if theme["name"].lower() == text.lower():
            return existing_code
    code = re.sub(r"[^A-Z]", "", text.upper())[:4] or "GEN"
    base, n = code, 2
    while code in new_themes:
        code, n = f"{base}{n}", n + 1
    new_themes[code] = {"code": code, "name": text, "subthemes": []}
    return code


def _status(text, status_map, unknown, row_number):
    if not text:
        return None
    category = status_map.get(text.lower()) or status_rules.parse_category(text)
    if category is None:
        unknown.setdefault(text, []).append(row_number)
    return category


def convert(frame: pd.DataFrame, mapping: dict[str, str], *, existing: dict | None, review_code: str,
            authority: str, status_map: dict[str, str] | None = None) -> Conversion:
    """Rows -> plan data for apply_plan. ``existing`` is the review's current data (or None for a new review)."""
    status_map = {k.strip().lower(): v for k, v in (status_map or {}).items() if v}
    measured = bool(mapping.get("measure"))
    required = ("ref", "title", "measure") if measured else ("ref", "title")
    missing = [FIELDS[f] for f in required if not mapping.get(f)]
    if missing:
        return Conversion(None, [RowProblem(None, f"Choose the column for: {', '.join(missing)}")])
    for column in mapping.values():
        if column and column not in frame.columns:
            return Conversion(None, [RowProblem(None, f"There is no column {column!r} in the file")])
    rows = _Rows(mapping)
    problems: list[RowProblem] = []
    unknown: dict[str, list[int]] = {}
    notes: list[str] = []
    periods: list[str] = []
    responses: dict[int, dict] = {}
    themes = {t["code"]: t for t in (existing or {}).get("themes", [])}
    by_name = {t["name"].lower(): code for code, t in themes.items()}
    new_themes: dict[str, dict] = {}
    actions: dict[str, dict] = {}
    order: list[str] = []
    heading_theme = None
    held = {a["ref"]: a for a in (existing or {}).get("actions", [])}
    read = [(n, row, *rows.ref_and_title(row)) for n, row in frame.iterrows()
            if any(str(v).strip() for v in row.values)]
    for position, (row_number, row, ref, title) in enumerate(read):
        next_ref = next((r for _, _, r, _ in read[position + 1:] if r), "")
        heading = _section_heading(row, rows, ref, title, next_ref)
        if heading is not None:
            # A row holding only a heading ("Access to services", "2. Housing", often merged across
            # the table) names the theme of the rows under it that do not give their own.
            heading_theme = heading
            if _theme_code(heading, themes, by_name, new_themes, existing is None) is None:
                problems.append(RowProblem(row_number, f"Heading {heading!r} is not one of this review's themes "
                                                       f"({', '.join(t['name'] for t in themes.values())}); "
                                                       "correct it, or give each row its theme"))
                heading_theme = None
            continue
        if not ref:
            problems.append(RowProblem(row_number, "No ref id; every row needs the ref id of its action"
                                       + (" at the start of its title" if rows.ref_in_title else "")))
            continue
        theme_text = rows.cell(row, "theme") or heading_theme or ""
        theme_code = _theme_code(theme_text, themes, by_name, new_themes, existing is None)
        if theme_text and theme_code is None:
            problems.append(RowProblem(row_number, f"Theme {theme_text!r} is not one of this review's themes "
                                                   f"({', '.join(t['name'] for t in themes.values())}); "
                                                   "correct it or add the theme first"))
            continue
        action = actions.get(ref)
        if action is not None and not measured:
            first = (frame.attrs.get("places") or {}).get(str(action["_row"]), f"row {action['_row']}")
            problems.append(RowProblem(row_number, f"{ref} is on {first} too: give each action its own ref id, or "
                                                   "choose the Measure column if each row is a measure"))
            continue
        if action is None:
            action = actions[ref] = {"ref": ref, "title": title, "theme": theme_code,
                                     "subtheme": rows.cell(row, "subtheme") or None, "measures": [],
                                     "_row": row_number}
            order.append(ref)
            if not action["title"]:
                problems.append(RowProblem(row_number, f"{ref}: no title"))
        _action_fields(action, row, row_number, rows, problems, periods)
        if mapping.get("response") and action["_row"] == row_number:
            _respond(action, rows.cell(row, "response"), row_number, problems, responses)
        status_text = rows.cell(row, "status")
        if measured:
            _add_measures(action, row_number, rows.cell(row, "measure_number"), rows.cell(row, "measure"),
                          rows.cell(row, "measured_output"), status_text, status_map, unknown, problems,
                          bool(mapping.get("measured_output")), held.get(ref, {}))
        else:
            _set_progress(action, rows.cell(row, "measured_output"), _status(status_text, status_map, unknown,
                                                                             row_number),
                          bool(mapping.get("measured_output")), held.get(ref))
        if action["_row"] == row_number:
            _check_shape(action, held.get(ref), row_number, problems)
    places = frame.attrs.get("places") or {}
    for word, numbers in unknown.items():
        rows_text = "; ".join(places[str(n)] for n in numbers) if places else f"rows {', '.join(map(str, numbers))}"
        problems.append(RowProblem(numbers[0], f"Status {word!r} ({rows_text}) maps to no category; choose one "
                                               "for it"))
    if not measured and not mapping.get("measured_output") and order:
        notes.append("No column was read as progress, so every action is imported as Not started with no "
                     "progress text (an action already held keeps its progress). If a column holds progress, "
                     "choose it for “Measured output / progress”.")
    if periods:
        shown = list(dict.fromkeys(periods))
        notes.append(f"Target dates given as a period are read as its last day: {'; '.join(shown[:3])}"
                     + (f" (and {len(shown) - 3} more)" if len(shown) > 3 else "") + ".")
    data = _plan_data(actions, order, new_themes, existing, review_code, authority, problems, responses)
    return Conversion(data if not problems else None, problems, unknown, notes)


def _action_fields(action, row, row_number, rows, problems, periods):
    for name in ("owner", "comment"):
        if rows.cell(row, name):
            action[name] = rows.cell(row, name) if name == "comment" else {
                "name": rows.cell(row, "owner"), "business_unit": rows.cell(row, "business_unit")}
    written = rows.cell(row, "target_date") or rows.cell(row, "original_target_date")
    if written:
        try:
            target, how = read_target(written)
            if target is not None:
                action["target_date"] = target.isoformat()
            if how:
                periods.append(how)
        except ValueError:
            problems.append(RowProblem(row_number, f"{written!r} is not a date; "
                                                   "write it as YYYY-MM-DD or DD/MM/YYYY"))
    if rows.cell(row, "recommendation"):
        numbers = re.findall(r"\d+", rows.cell(row, "recommendation"))
        action.setdefault("recommendations", [])
        action["recommendations"] += [int(n) for n in numbers if int(n) not in action["recommendations"]]


# Target dates that say there is none: left empty rather than refused.
NO_DATE = {"ongoing", "on-going", "on going", "tbc", "tba", "tbd", "n/a", "na", "-", "–", "none", "various",
           "not applicable", "continuous", "as required", "annually", "quarterly", "monthly"}


def read_target(value: str):
    """A target date as trackers write it, and how it was read when it was a period: (date, how).
    A day as people type it (domain/dates.py); a month, quarter (of the financial year when the
    year is written "2026/27"), season or year read as the period's last day; None for words that
    say there is no date. ValueError when it is no date at all."""
    from ..domain.dates import DateProblem, read_period_end

    value = (value or "").strip()
    if not value or value.lower().rstrip(".") in NO_DATE:
        return None, None
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", value):
        value = value[:10]  # a date cell read from a workbook, with its midnight
    try:
        return read_period_end(value, "target date")
    except DateProblem:
        raise ValueError(value) from None


def _respond(action, text, row_number, problems, responses) -> None:
    """The row is a recommendation, answered in the response column: the recommendation its number
    names (the Recommendation number column, else the last number of its ref id: "Rec 3", "R3",
    "SC/18/03"), with the row's title as its text, delivered by the row's action."""
    numbers = action.get("recommendations") or [int(n) for n in re.findall(r"\d+", action["ref"])[-1:]]
    if not numbers:
        problems.append(RowProblem(row_number, f"{action['ref']}: its ref id holds no number to name the "
                                               "recommendation it answers; give a Recommendation number column"))
        return
    number = numbers[0]
    if number in responses:
        problems.append(RowProblem(row_number, f"{action['ref']}: recommendation {number} is answered on "
                                               f"{responses[number]['_ref']}'s row too; give each its own number"))
        return
    rec = {"number": number, "text": action["title"], "_ref": action["ref"]}
    if text.strip():
        code = response_of(text)
        if code is None:
            problems.append(RowProblem(row_number, f"{action['ref']}: response {text!r} is neither accepted, partly "
                                                   "accepted nor rejected"))
            return
        rec["response"] = code
    responses[number] = rec
    action["recommendations"] = [number]


def _with_responses(held: list[dict], responses: dict[int, dict]) -> list[dict]:
    """The review's recommendations with the file's responses laid over them; a recommendation the
    review does not hold yet is added with the row's text."""
    by_number = {r["number"]: dict(r) for r in held}
    for number, rec in responses.items():
        current = by_number.get(number) or {"number": number, "text": rec["text"], "status_text": None,
                                            "variations": []}
        if "response" in rec:
            current["response"] = rec["response"]
        by_number[number] = current
    return [by_number[n] for n in sorted(by_number)]


def _set_progress(action, text, category, column_given, held_action):
    """The action's own progress: the row's progress text verbatim, its status word's category. A
    blank (or absent) progress cell says nothing new: an action already held keeps its text."""
    held = own_progress(held_action) if held_action else None
    if not text.strip() and held is not None:
        text = held["text"]
    action["progress"] = {"text": text, "status": category, "depends_on": None}


def _check_shape(action, held_action, row_number, problems):
    """An action holds its progress itself or in numbered measures, never both: a file that gives
    the other shape for an action already held is refused for that action."""
    if held_action is None:
        return
    holds_own = own_progress(held_action) is not None
    if "progress" in action and not holds_own and numbered_measures(held_action):
        problems.append(RowProblem(row_number, f"{action['ref']}: the review holds numbered measures for this "
                                               "action and the file gives one progress for it; choose the "
                                               "Measure column, or change the action in the review first"))
    elif "progress" not in action and holds_own:
        problems.append(RowProblem(row_number, f"{action['ref']}: the review holds this action's progress on the "
                                               "action itself and the file gives numbered measures; change the "
                                               "action in the review first"))


def _plan_data(actions, order, new_themes, existing, review_code, authority, problems, responses=None) -> dict:
    pattern = (existing or {}).get("review", {}).get("ref_pattern") or infer_pattern(order)
    if existing is None:
        pattern = _align_theme_codes(pattern, order, actions, new_themes)
    all_themes = list((existing or {}).get("themes", [])) + list(new_themes.values())
    if not all_themes:
        all_themes = [{"code": "GEN", "name": "General", "subthemes": []}]
    for ref in order:
        action = actions[ref]
        if action["theme"] is None:
            # Without a theme the action is put under the only theme there is, never a guessed one.
            from_ref = theme_in_ref(ref, pattern)
            if from_ref and from_ref in {t["code"] for t in all_themes}:
                action["theme"] = from_ref
            elif len(all_themes) == 1:
                action["theme"] = all_themes[0]["code"]
            else:
                problems.append(RowProblem(action["_row"], f"{ref}: no theme; give the central issue "
                                                           f"({', '.join(t['name'] for t in all_themes)})"))
                continue
        subthemes = {str(st["code"]) for t in all_themes if t["code"] == action["theme"]
                     for st in t.get("subthemes", [])}
        if action["subtheme"] and action["subtheme"] not in subthemes:
            names = {st["name"].lower(): str(st["code"]) for t in all_themes if t["code"] == action["theme"]
                     for st in t.get("subthemes", [])}
            if action["subtheme"].lower() in names:
                action["subtheme"] = names[action["subtheme"].lower()]
            else:
                problems.append(RowProblem(action["_row"], f"{ref}: sub-theme {action['subtheme']!r} is not one "
                                                           f"of theme {action['theme']}'s sub-themes"))
        check = check_ref(ref, pattern, action["theme"])
        if not check.ok:
            problems.append(RowProblem(action["_row"], f"{check.message}; correct the ref id"))
    data = dict(existing) if existing else {
        "authority": authority, "review": {"code": review_code, "title": f"Review {review_code}",
                                           "ref_pattern": pattern}, "projects": [], "recommendations": []}
    data["themes"] = all_themes
    if responses:
        data["recommendations"] = _with_responses(data.get("recommendations") or [], responses)
    recs = {r["number"] for r in data.get("recommendations", [])}
    for ref in order:
        wanted = actions[ref].get("recommendations", [])
        unknown_recs = [n for n in wanted if n not in recs]
        if unknown_recs:
            problems.append(RowProblem(actions[ref]["_row"], f"{ref}: recommendation "
                                                             f"{', '.join(map(str, unknown_recs))} is not in this review"))
    for ref in order:
        actions[ref].pop("_row", None)
    data["actions"] = [actions[ref] for ref in order]
    return data


def _align_theme_codes(pattern: str, order: list[str], actions: dict, new_themes: dict) -> str:
    """A new review whose ref ids carry a letter code ("A1", "ACC01") that varies with the theme
    column: the codes in the ref ids become the themes' codes ("Access" is A), so the ids check
    against their themes. Codes that do not line up one to one with the themes are only letters."""
    if "{theme}" not in pattern:
        return pattern
    pairs = {(theme_in_ref(ref, pattern), actions[ref]["theme"]) for ref in order if actions[ref]["theme"]}
    in_ref = {}
    for ref_code, theme in pairs:
        in_ref.setdefault(theme, set()).add(ref_code)
    one_to_one = all(len(codes) == 1 for codes in in_ref.values()) and \
        len({c for codes in in_ref.values() for c in codes}) == len(in_ref)
    if not pairs or not one_to_one:
        return pattern.replace("{theme}", "[A-Za-z]+")
    renamed = {theme: codes.pop() for theme, codes in in_ref.items()}
    for theme, code in renamed.items():
        new_themes[theme]["code"] = code
    rebuilt = {t["code"]: t for t in new_themes.values()}
    new_themes.clear()
    new_themes.update(rebuilt)
    for ref in order:
        actions[ref]["theme"] = renamed.get(actions[ref]["theme"], actions[ref]["theme"])
    return pattern


def _add_measures(action, row_number, number_text, measure_text, output_text, status_text, status_map,
                  unknown, problems, output_mapped, held_action):
    held = {m["number"]: m["measured_output"] for m in held_action.get("measures", []) if m.get("number")}
    measures = split_numbered(measure_text)
    outputs = dict(split_numbered(output_text))
    if number_text:
        if not number_text.isdigit() or int(number_text) < 1:
            problems.append(RowProblem(row_number, f"Measure number {number_text!r} is not a whole number from 1"))
            return
        measures = [(int(number_text), re.sub(r"\s+", " ", measure_text))] if measure_text else []
        outputs = {int(number_text): re.sub(r"\s+", " ", output_text)} if output_text else {}
    elif len(measures) == 1 and len(outputs) <= 1:
        # One measure on the row: its own number on the action's first row, else the next one in
        # file order (one row per measure without a number column); its output is the row's.
        n = action["measures"][-1]["number"] + 1 if action["measures"] else measures[0][0]
        measures, outputs = [(n, measures[0][1])], ({n: list(outputs.values())[-1]} if outputs else {})
    if output_mapped and not output_text.strip():
        # A blank progress cell says nothing has been written yet: the measure has not started, or
        # (for a measure already held) keeps the output it has. Without a progress column at all,
        # each measure is asked for one below, so a missed column is never read as "no progress".
        outputs = {n: None for n, _ in measures}
        blank = True
    else:
        blank = False
    if not measures:
        problems.append(RowProblem(row_number, f"{action['ref']}: no measure text"))
        return
    for number in set(outputs) - {n for n, _ in measures}:
        problems.append(RowProblem(row_number, f"{action['ref']}: output {number} has no measure {number}"))
    category = _status(status_text, status_map, unknown, row_number)
    for number, text in measures:
        if any(m["number"] == number for m in action["measures"]):
            problems.append(RowProblem(row_number, f"{action['ref']}: measure {number} appears twice"))
            continue
        output = outputs.get(number)
        if blank:
            output = held.get(number, "")
        elif output is None:
            problems.append(RowProblem(row_number, f"{action['ref']}: measure {number} has no measured output; "
                                                   "give one (it may be 'To start')"))
            continue
        measure = {"number": number, "text": text, "measured_output": output}
        if category:
            measure["status"] = category
        action["measures"].append(measure)

"""Plain numbered plans as text (plain Python, no Flask): section headings become themes, the
items under them actions that hold their own progress (no numbered measures).

What councils write, in every variant of numbering:

    1. Customer access
    1.1 Improve the website so that the top 20 services can be done online. Progress: pilot live.
    1.2 Publish service standards
    2. Housing
    2.1 Review the allocations policy – Owner: Head of Housing – Target: March 2027

Items are numbered ("1.", "1.1", "(2)"), named ("Recommendation 1:", "Action 2.1"), given ref ids
("R1", "SC18"), lettered ("a)", "(b)"), in roman numerals ("(i)", "iv.") or bulleted. A section
heading is a number and a few words (no sentence) with items of its own under it ("1." over
"1.1", or over lettered items), a line in capitals, or a short line standing right above an
item. "Progress:", "Update:", "Status:", "Owner:", "Target:" and "Comment:" open fields, on the
item's line or on lines of their own; lines indented under an item are its progress. An item
without any is not started: its progress is empty.

A ref id is the item's own label ("1.1", "R1"); a letter, numeral or bullet has no ref of its own,
so it takes its section's number before it ("2a", "2.iv", "2.3"). Lists numbered afresh in each
section ("1.", "2." under each) are told apart the same way ("2.1").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..domain.dates import DateProblem, read_period_end
from ..domain.refs import compile_pattern
from ..domain.status import parse_category
from .paper_text import ParsedAction, ParsedPaper, ParseProblem, _is_ref, _ref_at

ROMANS = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"}
NAMED = re.compile(r"^(?:key\s+)?(?P<word>recommendation|rec\.?|action)\s*(?P<key>\d{1,3}(?:\.\d{1,3})*)"
                   r"(?:\s*[.:)\-–—]\s*(?P<rest>.*)|\s*$)", re.I)
# "1.1 Improve …", "1.1. …", "(1.1) …"; "1.5 million leaflets" is a sentence, so an unpunctuated
# label needs a capital (or nothing) after it.
DOTTED = re.compile(r"^\(?(?P<key>\d{1,3}(?:\.\d{1,3})+)(?P<mark>\.?\)|\.)?(?:\s+(?P<rest>.*)|$)")
SINGLE = re.compile(r"^(?:\((?P<a>\d{1,3})\)|(?P<b>\d{1,3})[.):](?!\d))\s*(?P<rest>.*)$")
LETTERED = re.compile(r"^(?:\((?P<a>[A-Za-z]{1,4})\)|(?P<b>[A-Za-z]{1,4})\))\s*(?P<rest>.*)$|"
                      r"^(?P<c>[A-Za-z]{1,4})\.\s+(?P<rest2>.*)$")
BULLET = re.compile(r"^[•·▪◦●○■□➢►✓*\-–—]\s+(?P<rest>.*)$")
APPENDIX = re.compile(r"^appendix\s+[a-z0-9]{1,3}\b", re.I)
THEME_WORD = re.compile(r"^(?:theme|section|priority|objective|workstream)\s*(?:\d{1,2}\s*)?[:.\-–—]\s*", re.I)

FIELD_WORDS = {
    "progress": "progress", "progress to date": "progress", "progress update": "progress", "update": "progress",
    "latest update": "progress", "current position": "progress", "position": "progress",
    "outcome": "progress", "status": "status", "current status": "status", "rag": "status",
    "rag status": "status", "owner": "owner", "action owner": "owner", "lead": "owner",
    "lead officer": "owner", "responsible officer": "owner", "responsible": "owner", "officer": "owner",
    "target": "target", "target date": "target", "due": "target", "due date": "target", "deadline": "target",
    "by when": "target", "timescale": "target", "completion date": "target",
    "comment": "comment", "comments": "comment", "note": "comment", "notes": "comment",
}
_FIELD = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in FIELD_WORDS), key=len, reverse=True))
FIELD_LINE = re.compile(rf"^(?:[•·▪◦●*\-–—]\s*)?(?P<word>{_FIELD})\s*:\s*(?P<rest>.*)$", re.I)
INLINE_FIELD = re.compile(rf"(?P<sep>^|[\s(\[;|,.–—\-]+)(?P<word>{_FIELD})\s*:\s*", re.I)
SEPARATORS = " \t–—-;|,(["


@dataclass
class Label:
    kind: str  # "number", "named", "ref", "letter", "roman" or "bullet"
    key: str  # "1.1", "R1", "b", "iv"; "" for a bullet
    text: str  # the rest of the line
    depth: int = 1  # of a number: 1 for "2.", 2 for "2.1"


@dataclass
class Line:
    number: int  # counted from 1, as the person sees the text
    indent: int
    text: str
    label: Label | None
    fields: list[tuple[str, str]] | None  # [("owner", "Head of Housing"), …] for a line opening with a field


@dataclass
class _Heading:
    level: int
    key: str | None
    name: str


@dataclass
class _Item:
    line: Line
    ref: str
    kind: str
    parent: str | None
    recommendation: int | None
    theme: str | None = None
    subtheme: str | None = None  # "1.2) Online services": its code, then its name
    title: list[str] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)
    open: str = "title"
    blank: bool = False


def field_name(word: str) -> str:
    return FIELD_WORDS[re.sub(r"\s+", " ", word.lower())]


def split_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """'Review the policy – Owner: Head of Housing – Target: March 2027' -> the title and its fields.
    A field word counts after a separator ("– owner:", "(Owner:") or with a capital ("Progress:"):
    "monitor progress: monthly" is part of a title."""
    cuts = [m for m in INLINE_FIELD.finditer(text)
            if m.start() == 0 or m.group("sep").strip() or m.group("word")[:1].isupper()]
    if not cuts:
        return text.strip(), []
    title = text[:cuts[0].start("word")].rstrip(SEPARATORS)
    fields = []
    for i, cut in enumerate(cuts):
        end = cuts[i + 1].start("word") if i + 1 < len(cuts) else len(text)
        value = text[cut.end():end].rstrip(SEPARATORS).strip()
        if value.endswith(")") and value.count("(") < value.count(")"):
            value = value[:-1].rstrip()
        fields.append((field_name(cut.group("word")), value))
    return title.strip(), fields


def label_of(text: str, regex=None) -> Label | None:
    named = NAMED.match(text)
    if named:
        word = named.group("word").lower()
        key = named.group("key")
        if word.startswith("rec"):
            return Label("named", key, (named.group("rest") or "").strip()) if key.isdigit() else None
        return Label("number", key, (named.group("rest") or "").strip(), key.count(".") + 1)
    dotted = DOTTED.match(text)
    if dotted:
        rest = (dotted.group("rest") or "").strip()
        if dotted.group("mark") or not rest[:1].islower():
            return Label("number", dotted.group("key"), rest, dotted.group("key").count(".") + 1)
    single = SINGLE.match(text)
    if single:
        return Label("number", single.group("a") or single.group("b"), single.group("rest").strip())
    # By the review's pattern, else by shape: a ref id of another shape is still the item's, and the
    # preview says it does not follow the review's pattern.
    ref, title = _ref_at(text, regex) if regex is not None else (None, None)
    if ref is None:
        ref, title = _ref_at(text, None)
    if ref is None and len(text) <= 20 and (_is_ref(text, None) or (regex is not None and _is_ref(text, regex))):
        ref, title = text, ""
    if ref is not None:
        return Label("ref", ref, (title or "").strip())
    lettered = LETTERED.match(text)
    if lettered:
        key = lettered.group("a") or lettered.group("b") or lettered.group("c")
        rest = (lettered.group("rest") if lettered.group("rest") is not None else lettered.group("rest2")) or ""
        if key.lower() in ROMANS:
            return Label("roman", key.lower(), rest.strip())
        if len(key) == 1 and (lettered.group("c") is None or rest[:1].isupper()):
            return Label("letter", key.lower(), rest.strip())
        return None
    bullet = BULLET.match(text)
    if bullet:
        return Label("bullet", "", bullet.group("rest").strip())
    return None


def read_lines(text: str, regex=None) -> list[Line | None]:
    """Each line read once: its indent, its label or its field; None for a blank line."""
    lines: list[Line | None] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        expanded = raw.replace("\xa0", " ").expandtabs(4).rstrip()
        stripped = expanded.strip()
        if not stripped:
            lines.append(None)
            continue
        found = FIELD_LINE.match(stripped)
        fields = split_fields(stripped[found.start("word"):])[1] if found else None
        label = None if fields else label_of(stripped, regex)
        lines.append(Line(number, len(expanded) - len(expanded.lstrip()), stripped, label, fields))
    return lines


def read_numbered_plan(text: str, ref_pattern: str | None = None) -> ParsedPaper:
    regex = compile_pattern(ref_pattern) if ref_pattern else None
    lines = read_lines(text, regex)
    # A committee report with its plan as an appendix: the report's own numbered paragraphs
    # (Background 1. 2. 3. …) come before it and are not actions.
    first_appendix = next((i for i, line in enumerate(lines) if line and APPENDIX.match(line.text)), None)
    if first_appendix is not None:
        lines = [None] * (first_appendix + 1) + lines[first_appendix + 1:]
    reader = _Reader(lines)
    reader.run()
    return ParsedPaper([], reader.actions, reader.problems)


def _sentence(text: str) -> bool:
    return text.endswith((".", "!", "?", ";", ","))


def _heading_words(text: str) -> bool:
    """A few words with no sentence and no field: "Customer access", "Housing:"."""
    return (0 < len(text) <= 70 and len(text.split()) <= 9 and not _sentence(text)
            and not text[:1].islower() and not split_fields(text)[1])


def _capitals(text: str) -> bool:
    if not text.isupper():
        return False
    letters = [c for c in text if c.isalpha()]
    return (len(letters) >= 4 and len(text) <= 80
            and (len(text.split()) >= 2 or len(letters) >= 5)
            and not APPENDIX.match(text) and parse_category(text) is None)


class _Reader:
    def __init__(self, lines: list[Line | None]):
        self.lines = lines
        self.actions: list[ParsedAction] = []
        self.problems: list[ParseProblem] = []
        self.theme: _Heading | None = None
        self.subtheme: _Heading | None = None
        self.theme_level: int | None = None
        self.themes_seen = 0
        self.subthemes_seen = 0
        self.bullets: dict[str | None, int] = {}
        self.items: list[_Item] = []
        self.current: _Item | None = None
        self.headings: dict[int, _Heading | None] = {}  # by position: each line is asked more than once
        self.capital_lines = sum(1 for line in lines if line and not line.label and not line.fields
                                 and _capitals(line.text))

    # -- reading ---------------------------------------------------------------------------
    def run(self) -> None:
        for position, line in enumerate(self.lines):
            if line is None:
                if self.current is not None:
                    self.current.blank = True
                continue
            if self.current is not None and self._belongs(position, line):
                self._add(line)
                continue
            self.current = None
            heading = self._heading(position)
            if heading is not None:
                self._enter(heading)
            elif line.label is not None:
                self._start(line)
            # Anything else outside an item (a title, an introduction) is not part of the plan.
        self._finish()

    def _next(self, position: int) -> int | None:
        return next((i for i in range(position + 1, len(self.lines)) if self.lines[i] is not None), None)

    def _belongs(self, position: int, line: Line) -> bool:
        item = self.current
        if line.fields is not None or (not item.title and line.label is None):
            return True
        if line.indent > item.line.indent:
            return True
        if line.label is not None:
            return False
        return self._heading(position) is None

    def _heading(self, position: int) -> _Heading | None:
        if position not in self.headings:
            self.headings[position] = self._read_heading(position)
        return self.headings[position]

    def _read_heading(self, position: int) -> _Heading | None:
        line = self.lines[position]
        if line.fields is not None:
            return None
        if line.label is not None:
            return self._numbered_heading(position)
        # "Housing (lead: Tom Jones)": the section's lead is said beside its name, and left there.
        text = THEME_WORD.sub("", split_fields(line.text)[0]).rstrip(":").strip()
        following = self._next(position)
        nxt = self.lines[following] if following is not None else None
        item_next = nxt is not None and nxt.label is not None and self._numbered_heading(following) is None
        if _capitals(text) and (self.capital_lines > 1 or item_next):
            return _Heading(0, None, text)
        # Right above its first item: after a blank line, a short line is the document's title.
        if _heading_words(text) and item_next and following == position + 1 and nxt.indent <= line.indent + 4:
            return _Heading(1, None, text)
        return None

    def _numbered_heading(self, position: int) -> _Heading | None:
        """'1. Customer access' with items of its own under it ('1.1 …', 'a) …')."""
        line = self.lines[position]
        label = line.label
        if label.kind not in ("number", "letter", "roman") or not label.text:
            return None
        if not (_heading_words(label.text) or _capitals(label.text)):
            return None
        for following in range(position + 1, len(self.lines)):
            nxt = self.lines[following]
            if nxt is None:
                continue
            if nxt.label is None and nxt.fields is None:
                if self._heading(following) is not None:
                    return None  # another section starts before any item: this line is an item
                continue  # an introduction under the heading
            if nxt.fields is not None:
                return None  # a field: the line is an item with its progress
            if not self._under(line, nxt):
                return None
            depth = label.depth if label.kind == "number" else {"letter": 2, "roman": 3}[label.kind]
            return _Heading(depth, label.key, label.text.rstrip(":").strip())
        return None

    @staticmethod
    def _under(heading: Line, item: Line) -> bool:
        a, b = heading.label, item.label
        if a.kind == "number" and b.kind == "number":
            return b.key.startswith(a.key + ".")
        lower = {"number": ("named", "ref", "letter", "roman", "bullet"), "letter": ("roman", "bullet"),
                 "roman": ("bullet",)}[a.kind]
        # Indented under it, the lines are the item's own points of progress, not items.
        return b.kind in lower and item.indent <= heading.indent

    def _enter(self, heading: _Heading) -> None:
        if self.theme_level is None or heading.level <= self.theme_level or self.theme is None:
            self.theme_level = heading.level if self.theme_level is None else min(self.theme_level, heading.level)
            self.themes_seen += 1
            self.subthemes_seen = 0
            self.theme = _Heading(heading.level, heading.key or str(self.themes_seen), heading.name)
            self.subtheme = None
        else:
            self.subthemes_seen += 1
            self.subtheme = _Heading(heading.level, heading.key or str(self.subthemes_seen), heading.name)

    def _parent(self) -> str | None:
        heading = self.subtheme or self.theme
        return heading.key if heading else None

    def _start(self, line: Line) -> None:
        label = line.label
        parent = self._parent()
        recommendation = None
        if label.kind == "named":
            ref, recommendation = f"R{label.key}", int(label.key)
        elif label.kind in ("number", "ref"):
            ref = label.key
        elif label.kind == "bullet":
            self.bullets[parent] = self.bullets.get(parent, 0) + 1
            ref = f"{parent}.{self.bullets[parent]}" if parent else str(self.bullets[parent])
        else:
            key = self._letter_or_roman(label)
            ref = (f"{parent}{key}" if label.kind == "letter" else f"{parent}.{key}") if parent else key
        item = _Item(line, ref, label.kind, parent, recommendation, self.theme.name if self.theme else None,
                     f"{self.subtheme.key}) {self.subtheme.name}" if self.subtheme else None)
        if label.text:
            item.title.append(label.text)
        self.items.append(item)
        self.current = item

    def _letter_or_roman(self, label: Label) -> str:
        """'i', 'v' and 'x' are letters after 'h', 'u' and 'w', else numerals."""
        previous = self.items[-1].line.label if self.items else None
        if label.kind == "roman" and len(label.key) == 1 and previous is not None and previous.kind == "letter" \
                and ord(previous.key) == ord(label.key) - 1:
            label.kind = "letter"
        return label.key

    def _add(self, line: Line) -> None:
        item = self.current
        if line.fields is not None:
            for name, value in line.fields:
                item.fields.setdefault(name, []).append(value)
                item.open = name
            item.blank = False
            return
        if not item.title:
            item.title.append(line.text)  # a label alone on its line: the title is on the next
            item.blank = False
            return
        indented = line.indent > item.line.indent
        wrapped_title = (item.open == "title" and not item.blank and not _sentence(item.title[-1])
                         and line.text[:1].islower())
        if wrapped_title or (item.open == "title" and not indented and not item.blank):
            item.title.append(line.text)
        elif item.open in ("progress", "status", "comment") and not item.blank and line.label is None:
            item.fields[item.open][-1] += " " + line.text
        else:
            # Indented lines, and a paragraph after a blank line, are what has been done.
            item.fields.setdefault("progress", []).append(line.text)
            item.open = "progress"
        item.blank = False

    # -- finishing -------------------------------------------------------------------------
    def _finish(self) -> None:
        self._tell_apart()
        seen: dict[str, int] = {}
        for item in self.items:
            action = self._action(item)
            if action.ref in seen:
                self.problems.append(ParseProblem(action.line, f"{action.ref} appears twice (first at line "
                                                               f"{seen[action.ref]}); number each item once"))
            seen.setdefault(action.ref, action.line)
            self.actions.append(action)

    def _tell_apart(self) -> None:
        """Lists numbered afresh in each section ('1.', '2.' under each heading) take the section's number."""
        refs = [item.ref for item in self.items]
        if len(set(refs)) == len(refs):
            return
        for item in self.items:
            if item.kind == "number" and "." not in item.ref and item.parent:
                item.ref = f"{item.parent}.{item.ref}"

    def _action(self, item: _Item) -> ParsedAction:
        title, inline = split_fields(" ".join(item.title))
        fields: dict[str, list[str]] = {}
        for name, value in inline:
            fields.setdefault(name, []).append(value)
        for name, values in item.fields.items():
            fields.setdefault(name, []).extend(values)
        progress = "\n".join(v.strip() for v in fields.get("progress", []) if v.strip())
        status_text = _words(fields.get("status"))
        status = None
        if status_text and progress:
            status = parse_category(status_text)
            if status is None:
                progress = f"{progress}\nStatus: {status_text}"
        elif status_text:
            progress = status_text  # the words are the progress; the status rules read them
        target_text = _words(fields.get("target")).strip(" .") or None
        if not title:
            self.problems.append(ParseProblem(item.line.number, f"{item.ref}: no title; write the item's words "
                                                                "after its number"))
        return ParsedAction(
            ref=item.ref, title=title, theme_heading=item.theme, subtheme_heading=item.subtheme,
            line=item.line.number, measures=[],
            progress=progress, status=status, owner=_words(fields.get("owner")).strip(" .") or None,
            target_text=target_text, target_date=target_date(target_text),
            comment=_words(fields.get("comment")) or None, recommendation=item.recommendation)


def _words(values: list[str] | None) -> str:
    return re.sub(r"\s+", " ", " ".join(values or [])).strip()


def target_date(text: str | None) -> str | None:
    """The target as an ISO date, read as trackers write targets (tracker/domain/dates.py
    ``read_period_end``: "March 2027" is its last day, "Q3 2026/27" the quarter's); None when unreadable."""
    try:
        found, _how = read_period_end(text, "Target")
    except DateProblem:
        return None
    return found.isoformat() if found else None

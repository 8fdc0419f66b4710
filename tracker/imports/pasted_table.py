"""A table pasted as text (plain Python, no Flask): rows and cells, for the same path as a sheet.

People copy a tracker out of Word or Excel (cells separated by tabs, a cell with line breaks in
quotes), out of a wiki or an email (``| Ref | Action | Progress |``), or out of a report printed
as plain text, where columns are aligned with runs of spaces. Each is found here by its
separators and a first row that reads as column headings (short words, no list number, no ref
id: "1.<tab>Customer access", which Word writes for a numbered list, is not a table).

The rows keep the number of the line they start on, so a problem in the preview points at the
line of the text. A line alone between the rows (a theme heading merged across a Word table)
becomes a row with only its first cell, which the sheet path reads as a heading.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

# "1.", "1.1", "(a)", "iv)": the start of a numbered list, never a column heading.
LIST_LABEL = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,4})[.):]?$", re.I)
HAS_REF = re.compile(r"^\(?[A-Z]{0,6}[-. ]?\d")
RULE_LINE = re.compile(r"^[\s|+:=\-–—]*$")  # "|---|:--|" or "+----+----+": no cells
FIRST_ROWS = 5  # an aligned table shows its columns within this many rows


@dataclass
class PastedTable:
    separator: str  # "tabs", "bars" or "spaces": how the columns were told apart
    headings: list[str]  # as the text gives them, unique ("Column 3" for an empty one)
    rows: list[tuple[int, list[str]]]  # (the line it starts on, counted from 1; its cells)


def find_pasted_table(text: str) -> PastedTable | None:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for reader in (_tabbed, _barred, _aligned):
        table = reader(lines)
        if table is not None:
            return table
    return None


def _headings_like(cells: list[str]) -> bool:
    """Column headings: at least two, short, none a list number, ref id or sentence."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < 2 or len(filled) * 2 < len(cells):
        return False
    return all(len(c) <= 60 and not LIST_LABEL.match(c) and not HAS_REF.match(c) and not c.endswith((".", ";"))
               for c in filled)


def _names(headings: list[str], width: int) -> list[str]:
    """Unique names, as a sheet's columns are named (tracker/imports/spreadsheet.py)."""
    names: list[str] = []
    for i, heading in enumerate(headings + [""] * (width - len(headings))):
        name = re.sub(r"\s+", " ", heading).strip() or f"Column {i + 1}"
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return names


def _finish(separator: str, headings: list[str], rows: list[tuple[int, list[str]]],
            heading_above: tuple[int, str] | None) -> PastedTable | None:
    plain = [h.strip() for h in headings]
    # A table pasted theme by theme repeats its headings; the line above each is the theme's name.
    repeated = sum(1 for _, cells in rows if [c.strip() for c in cells] == plain)
    rows = [(line, cells) for line, cells in rows if [c.strip() for c in cells] != plain]
    while rows and sum(1 for c in rows[-1][1] if c.strip()) < 2:
        rows.pop()  # a line of text after the table: a footer, a signature, not a heading
    if not any(sum(1 for c in cells if c.strip()) >= 2 for _, cells in rows):
        return None
    if repeated and heading_above is not None:
        rows.insert(0, (heading_above[0], [heading_above[1]]))
    width = max([len(headings)] + [len(cells) for _, cells in rows])
    names = _names(headings, width)
    rows = [(line, [re.sub(r"[ \t]+", " ", c).strip() for c in cells] + [""] * (width - len(cells)))
            for line, cells in rows]
    return PastedTable(separator, names, rows)


def _line_above(lines: list[str], index: int) -> tuple[int, str] | None:
    above = index - 1
    if above >= 0 and lines[above].strip() and len(lines[above].strip()) <= 80:
        return above + 1, lines[above].strip()
    return None


def _tabbed(lines: list[str]) -> PastedTable | None:
    """Cells separated by tabs, as Word and Excel copy them; Excel puts a cell holding a line
    break or a tab in double quotes, which the csv module reads."""
    start = next((i for i, line in enumerate(lines) if "\t" in line and _headings_like(line.split("\t"))), None)
    if start is None:
        return None
    last = max(i for i, line in enumerate(lines) if "\t" in line)
    if last <= start:
        return None
    reader = csv.reader(io.StringIO("\n".join(lines[start:last + 1])), delimiter="\t")
    headings, rows, at = None, [], start + 1
    for cells in reader:
        if headings is None:
            headings = cells
        elif any(c.strip() for c in cells):
            _add_tabbed_row(rows, at, cells, len(headings))
        at = start + reader.line_num + 1
    return _finish("tabs", headings or [], rows, _line_above(lines, start))


def _add_tabbed_row(rows: list[tuple[int, list[str]]], line: int, cells: list[str], width: int) -> None:
    """Word copies a cell of two paragraphs as two lines: a row cut short goes on in the next line
    ("R1<tab>Improve the" then "website<tab>Pilot live"), and a line alone after a whole row is more
    of its last cell, unless it reads as a heading (a theme merged across the table)."""
    previous = rows[-1][1] if rows else None
    if previous is not None and len(previous) < width and len(previous) + len(cells) - 1 <= width \
            and not HAS_REF.match(cells[0].strip()):
        previous[-1] = f"{previous[-1]}\n{cells[0]}".strip()
        previous.extend(cells[1:])
        return
    if previous is not None and len(cells) == 1 and not _heading_line(cells[0]):
        filled = max((i for i, c in enumerate(previous) if c.strip()), default=0)
        previous[filled] = f"{previous[filled]}\n{cells[0]}".strip()
        return
    rows.append((line, list(cells)))


def _heading_line(text: str) -> bool:
    text = text.strip()
    return 0 < len(text) <= 60 and text[:1].isupper() and not text.endswith((".", ";", ",", ":")) \
        and len(text.split()) <= 8


def _bar_cells(line: str) -> list[str] | None:
    text = line.strip()
    if "|" not in text or RULE_LINE.match(text):
        return None
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    cells = text.split("|")
    return cells if len(cells) >= 2 else None


def _barred(lines: list[str]) -> PastedTable | None:
    """``| Ref | Action | Progress |`` rows (a wiki, an email, Markdown), with or without the
    rule lines; a row whose first cell is empty carries on the row above (text wrapped in its cell)."""
    start = next((i for i, line in enumerate(lines) if (cells := _bar_cells(line)) and _headings_like(cells)), None)
    if start is None:
        return None
    headings = _bar_cells(lines[start])
    last = max(i for i, line in enumerate(lines) if _bar_cells(line) or (RULE_LINE.match(line) and "|" in line))
    rows: list[tuple[int, list[str]]] = []
    for index in range(start + 1, last + 1):
        line = lines[index]
        if not line.strip() or RULE_LINE.match(line.strip()):
            continue
        cells = _bar_cells(line)
        if cells is None:
            rows.append((index + 1, [line.strip()]))  # a heading line between the rows
        else:
            _add_or_carry_on(rows, index + 1, cells)
    return _finish("bars", headings, rows, _line_above(lines, start))


def _add_or_carry_on(rows: list[tuple[int, list[str]]], line: int, cells: list[str]) -> None:
    previous = rows[-1][1] if rows else None
    if previous is not None and not cells[0].strip() and any(c.strip() for c in cells) \
            and sum(1 for c in previous if c.strip()) >= 2:
        width = max(len(previous), len(cells))
        previous += [""] * (width - len(previous))
        for i, cell in enumerate(cells):
            if cell.strip():
                previous[i] = f"{previous[i].strip()} {cell.strip()}".strip()
        return
    rows.append((line, list(cells)))


def _aligned(lines: list[str]) -> PastedTable | None:
    """Columns lined up with spaces (a report saved as plain text): the headings say where each
    column starts, and every row's cells start there. A row starting in a later column carries on
    the row above (text wrapped in its cell)."""
    for start, line in enumerate(lines):
        if "  " not in line.strip():
            continue
        heads = _split_spaced(line)
        if len(heads) < 2 or not _headings_like([t for _, t in heads]):
            continue
        table = _aligned_from(lines, start, heads)
        if table is not None:
            # Spaces are a weak sign (a plan typed with two spaces after its numbers): the table
            # must be most of the text.
            covered = sum(1 for line in lines[start:table.rows[-1][0]] if line.strip())
            return table if covered * 2 >= sum(1 for line in lines if line.strip()) else None
    return None


def _split_spaced(line: str) -> list[tuple[int, str]]:
    expanded = line.expandtabs(8).rstrip()
    return [(m.start(), m.group(0)) for m in re.finditer(r"\S+(?: \S+)*", expanded)]


def _aligned_from(lines: list[str], start: int, heads: list[tuple[int, str]]) -> PastedTable | None:
    starts = [at for at, _ in heads]
    rows: list[tuple[int, list[str]]] = []
    aligned, after_blank = 0, False
    for index in range(start + 1, len(lines)):
        chunks = _split_spaced(lines[index])
        if not chunks:
            after_blank = True
            continue
        in_line = len(chunks) >= 2 and all(any(abs(at - s) <= 1 for s in starts) for at, _ in chunks)
        if after_blank and not in_line:
            break  # a paragraph after the table
        if not aligned and len(rows) >= FIRST_ROWS:
            return None  # a table's first rows keep to its columns
        after_blank = False
        cells = [""] * len(starts)
        fits = True
        for at, text in chunks:
            column = _column_at(starts, at)
            if column is None:
                fits = False
                break
            cells[column] = f"{cells[column]} {text}".strip()
        if not fits:
            break  # the table has ended: prose does not keep to the columns
        aligned += in_line
        _add_or_carry_on(rows, index + 1, cells)
    if aligned < 2:
        return None
    return _finish("spaces", [t for _, t in heads], rows, _line_above(lines, start))


def _column_at(starts: list[int], at: int) -> int | None:
    """The column a cell starting at ``at`` belongs to: the last one starting at or before it
    (one space of slack); None when it starts inside a column's gutter far from any heading."""
    column = None
    for i, start in enumerate(starts):
        if at >= start - 1:
            column = i
    return column

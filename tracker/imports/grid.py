"""The cells of a tracker as read from any file (a sheet, a CSV, a Word or PDF table), before its
heading row is chosen: the one shape every reader hands on, kept as JSON between the upload and the
preview, and turned into a frame (headings + rows) at the heading row the person chose or we guessed.

Every row keeps where it is in the file in the file's own terms ("row 12" of a sheet; "table 2,
row 5" of a Word document; "page 3, table row 5" of a PDF), so every message names a place the
person can find.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from ..refused import Refused
from .columns import DATE_LIKE, SYNONYMS, guess_mapping, looks_like_ref, plain

if TYPE_CHECKING:  # pandas is loaded only when a table is read: app start-up stays light
    import pandas as pd

HEADER_SEARCH_ROWS = 20
HEADER_CHOICES = 10


class GridRefused(Refused):
    """The cells cannot be read as a tracker (nothing in them)."""


@dataclass
class Grid:
    rows: list[list[str]]
    # Where each row is, as the person finds it: None for a sheet (its row number says it).
    places: list[str] | None = None
    # The number the file shows for each row (a sheet's row; a table's row), for --header-row.
    numbers: list[int | None] = field(default_factory=list)
    header: int = 0                 # the guessed heading row (an index into rows)
    letters: bool = True            # unheaded columns named as a sheet shows them ("Column C")
    sheet: str | None = None        # the sheet read, when the workbook has several
    source: str = "sheet"           # sheet, word or pdf: for the notes

    def __post_init__(self):
        if not self.numbers:
            self.numbers = list(range(1, len(self.rows) + 1))

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Grid:
        return cls(**data)

    def place(self, index: int) -> str:
        return self.places[index] if self.places else f"row {index + 1}"

    def index_of(self, number: int) -> int | None:
        """The row the file shows as ``number`` (the first such, across a document's tables)."""
        return next((i for i, n in enumerate(self.numbers) if n == number), None)

    def header_choices(self) -> list[tuple[int, str, list[str]]]:
        """(number, where, cells) of the early rows that could hold the headings, as they are."""
        indexes = [i for i, row in enumerate(self.rows[:HEADER_SEARCH_ROWS * 2])
                   if any(c.strip() for c in row) and self.numbers[i] is not None][:HEADER_CHOICES]
        if self.header not in indexes and self.header < len(self.rows) and self.numbers[self.header] is not None:
            indexes.append(self.header)
        return [(self.numbers[i], self.place(i), self.rows[i]) for i in indexes]


def _distinct(row: list[str]) -> list[str]:
    return list(dict.fromkeys(c.strip() for c in row if c and c.strip()))


def _named_score(cells: list[str]) -> int:
    """Two points for each field a cell names exactly, one for a heading that only contains a name."""
    mapping = guess_mapping([c for c in cells if len(c) <= 60])
    return sum(2 if plain(column) in SYNONYMS[name] else 1 for name, column in mapping.items())


def header_score(rows: list[list[str]], index: int, width: int) -> float | None:
    """How much row ``index`` looks like a heading row; None when it cannot be one. A heading row
    has mostly non-empty short texts, none a ref id, a date or a number, and rows of data below it."""
    cells = _distinct(rows[index])
    if len(cells) < 2 or looks_like_ref(cells[0]):
        return None
    filled = len(cells) / max(width, 1)
    short = sum(1 for c in cells if len(c) <= 40) / len(cells)
    values = sum(1 for c in cells if DATE_LIKE.search(c) or re.fullmatch(r"[\d.,%£\s]+", c)) / len(cells)
    below = [r for r in rows[index + 1:index + 6] if len(_distinct(r)) >= 2][:3]
    data = sum(1 for r in below if len(_distinct(r)) >= max(2, len(cells) // 2)) / 3
    # Heading names are usually shorter than what is written under them.
    longer_below = any(max((len(c) for c in _distinct(r)), default=0) > max(len(c) for c in cells) for r in below)
    return 3 * _named_score(cells) + 4 * filled + 2 * short + 3 * data + longer_below - 5 * values


def locate_header(rows: list[list[str]]) -> tuple[int, float]:
    """(index, score) of the heading row. Council trackers often open with a title, a date, a RAG key
    or blank rows above the table: the headings are the early row that looks most like headings."""
    width = max((len(_distinct(r)) for r in rows[:HEADER_SEARCH_ROWS]), default=0)
    best, best_score = None, 0.0
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        score = header_score(rows, index, width)
        if score is not None and score > best_score:
            best, best_score = index, score
    if best is None:
        best = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), 0)
    return best, best_score


def column_name(position: int, letters: bool) -> str:
    if not letters:
        return f"Column {position + 1}"
    name, n = "", position + 1
    while n:
        n, remainder = divmod(n - 1, 26)
        name = chr(65 + remainder) + name
    return f"Column {name}"


def frame_at(grid: Grid, header_index: int | None = None) -> pd.DataFrame:
    """The grid as a frame: headings from ``header_index`` (the guess when None), its rows below.
    The index is the row's position in the grid from 1 (a sheet's row number); ``attrs["places"]``
    says where each row is when that number is not what the file shows."""
    import pandas as pd

    index = grid.header if header_index is None else header_index
    rows = grid.rows
    if not rows or index >= len(rows) or not any(c.strip() for c in rows[index]):
        raise GridRefused("The sheet is empty: it needs a row of column headings and a row per action "
                          "or measure")
    width = max(len(r) for r in rows)
    header: list[str] = []
    for i, h in enumerate(rows[index] + [""] * (width - len(rows[index]))):
        name = re.sub(r"\s+", " ", h or "").strip() or column_name(i, grid.letters)
        # Two columns with one heading (often a heading merged across both) stay apart.
        base, n = name, 2
        while name in header:
            name, n = f"{base} ({n})", n + 1
        header.append(name)
    body = [r + [""] * (width - len(r)) for r in rows[index + 1:]]
    frame = pd.DataFrame(body, columns=header, dtype=str).fillna("")
    frame.index = range(index + 2, index + 2 + len(body))
    frame.attrs["header_row"] = index + 1
    frame.attrs["header_place"] = grid.place(index)
    if grid.places:
        frame.attrs["places"] = {str(i + 1): grid.places[i] for i in range(index + 1, len(rows))}
    if grid.sheet:
        frame.attrs["sheet"] = grid.sheet
    frame.attrs["source"] = grid.source
    return frame


def frame_from_rows(rows: list[list[str]], header_index: int = 0) -> pd.DataFrame:
    """Sheet rows as a frame with their headings at ``header_index``."""
    return frame_at(Grid(rows=rows, header=header_index), header_index)

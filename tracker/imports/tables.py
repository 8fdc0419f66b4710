"""Tables in a Word document or a PDF, read as a tracker's cells (grid.py), as a sheet would be.

A document may hold several tables: a cover table, a RAG key, the tracker itself split by theme
(each part under its theme's heading, repeating the column headings) or cut by pages. Tables with
the same headings are read as one, the heading before each becoming a heading row; a PDF table
that carries on at the top of the next page without its headings joins the one before it (and a
row the page cut in two is joined again). Of what is left, the table that looks most like a
tracker is chosen (most rows opening with a ref id, then most columns) and the notes say which.
A document whose tables look like no tracker (a committee paper laid out as text in cells, with
"1) ..." measures under each action's title) is left to the paper reader (paper_text.py).

Every row keeps its place: "table 2, row 5" in Word, "page 3, table row 5" in a PDF.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .columns import guess_columns, guess_mapping, looks_like_ref, plain, ref_opening
from .grid import Grid, frame_at, header_score, locate_header

NUMBERED_ITEM = re.compile(r"(?:^|\s)\(?1[).]\s")


@dataclass
class FoundTable:
    rows: list[list[str]]
    places: list[str]
    heading: str = ""          # the text just before the table: its theme, often
    heading_place: str = ""
    continues: bool = False    # a PDF table at the top of a page, straight after one on the page before
    label: str = ""            # "table 2", "the table on page 3"


@dataclass
class _Run:
    """Tables read as one: the first's headings, the rest's rows."""
    header: tuple[str, ...]
    width: int
    tables: list[FoundTable] = field(default_factory=list)
    header_index: int = 0
    body: list[tuple[list[str], str, int | None]] = field(default_factory=list)  # row, place, number


def docx_tables(content: bytes) -> list[FoundTable]:
    """The Word document's tables in order, each with the paragraph before it."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(content))
    tables: list[FoundTable] = []
    before = ""
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(block, document).text.strip()
            before = text or before
        elif tag == "tbl":
            number = len(tables) + 1
            # python-docx repeats a merged cell under every grid position it covers, as a merged
            # spreadsheet cell is read: the ref id of an action spanning its measure rows, a theme
            # heading merged across the table.
            rows = [[cell.text.strip() for cell in row.cells] for row in Table(block, document).rows]
            tables.append(FoundTable(rows, [f"table {number}, row {r}" for r in range(1, len(rows) + 1)],
                                     heading=before, heading_place=f"the heading above table {number}",
                                     label=f"table {number}"))
            before = ""
    return tables


def pdf_tables(flow) -> list[FoundTable]:
    """The PDF's tables in reading order (from pdf.read_pdf's flow), each with the line before it."""
    from .pdf import cell_text

    tables: list[FoundTable] = []
    heading, heading_page, lines_between, last_page = "", None, 0, None
    on_page: dict[int, int] = {}
    for kind, payload, page in flow:
        if kind == "text":
            heading, heading_page = payload, page
            lines_between += 1
            continue
        on_page[page] = on_page.get(page, 0) + 1
        which = f"page {page}, table {on_page[page]} row" if on_page[page] > 1 else f"page {page}, table row"
        rows = [[cell_text(c) for c in row] for row in payload]
        tables.append(FoundTable(
            rows, [f"{which} {r}" for r in range(1, len(rows) + 1)], heading=heading,
            heading_place=f"page {heading_page}, the heading above the table",
            # At most a stray line between (a footer not repeated enough to be dropped, the cut
            # half of a row's ref id): the table on the page before carries on here.
            continues=last_page is not None and page == last_page + 1 and lines_between <= 1,
            label=f"the table on page {page}"))
        heading, lines_between, last_page = "", 0, page
    return tables


def _signature(row: list[str]) -> tuple[str, ...]:
    return tuple(plain(c) for c in row)


def _runs(tables: list[FoundTable], pdf: bool) -> list[_Run]:
    runs: list[_Run] = []
    previous: _Run | None = None
    for table in tables:
        if not table.rows or not any(any(c for c in r) for r in table.rows):
            continue
        index, _ = locate_header(table.rows)
        signature = _signature(table.rows[index])
        width = len(table.rows[0])
        run = next((r for r in runs if r.header == signature and r.width == width), None)
        if run is None and pdf and table.continues and previous is not None and previous.width == width:
            run, index = previous, -1  # carried on from the page before, without its headings
        if run is None:
            run = _Run(signature, width, header_index=index)
            runs.append(run)
            index_in_first = index
        else:
            index_in_first = None
        _add(run, table, index, first=index_in_first is not None, pdf=pdf)
        previous = run
    return runs


def _add(run: _Run, table: FoundTable, index: int, *, first: bool, pdf: bool) -> None:
    run.tables.append(table)
    if first:
        run.body += [(row, table.places[i], i + 1) for i, row in enumerate(table.rows[:index + 1])]
    if table.heading and len(table.heading) < 80 and index >= 0:
        run.body.append(([table.heading] + [""] * (run.width - 1), table.heading_place, None))
    new = [(row, table.places[i], i + 1) for i, row in enumerate(table.rows)
           if i > index and _signature(row) != run.header]
    if pdf and new and not first and len(run.body) > run.header_index + 1:
        last_row, last_place, last_number = run.body[-1]
        first_row = new[0][0]
        if not first_row[0].strip() and any(c.strip() for c in first_row) and last_row[0].strip() \
                and len(last_row) == len(first_row):
            # The page cut a row in two: its second half has no ref id (and its ref id may have been
            # read as a line of text above the next page's table, so as a heading row).
            joined = [" ".join(p for p in (a.strip(), b.strip()) if p) for a, b in zip(last_row, first_row, strict=False)]
            run.body[-1] = (joined, last_place, last_number)
            new = new[1:]
    run.body += new


def _grid(run: _Run, source: str) -> Grid:
    headed = [i for i, (_, _, number) in enumerate(run.body) if number is None]
    body = list(run.body)
    if len(headed) == 1 and len(run.tables) == 1:
        del body[headed[0]]  # one table: the line above it is the paper's title, not a theme
    return Grid(rows=[row for row, _, _ in body], places=[place for _, place, _ in body],
                numbers=[number for _, _, number in body], header=run.header_index, letters=False,
                source=source)


def _ref_rows(grid: Grid) -> int:
    count = 0
    for row in grid.rows[grid.header + 1:]:
        first = next((c for c in row[:2] if c.strip()), "")
        if looks_like_ref(first) or ref_opening(first):
            count += 1
    return count


def _title_then_numbers(text: str) -> bool:
    """A Carlisle committee paper's Detail cell: the action's title, then its numbered measures."""
    match = NUMBERED_ITEM.search(text)
    return match is not None and match.start() > 0 and bool(text[:match.start()].strip())


def looks_like_tracker(grid: Grid) -> bool:
    """Headings over rows of data, a ref id and a title for each row; and not a committee paper
    laid out in cells (a Detail column of titles followed by numbered measures, and no title column)."""
    if header_score(grid.rows, grid.header, len(grid.rows[grid.header])) is None:
        return False
    frame = frame_at(grid)
    if len(frame.columns) < 2 or not any(sum(1 for v in row if str(v).strip()) >= 2 for row in frame.values):
        return False
    named = guess_mapping(list(frame.columns))
    if named.get("measure") and not named.get("title"):
        cells = [str(v).strip() for v in frame[named["measure"]] if str(v).strip()]
        if cells and sum(1 for c in cells if _title_then_numbers(c)) >= len(cells) / 2:
            return False
    mapping, _ = guess_columns(frame)
    return bool(mapping.get("ref") and mapping.get("title"))


def choose_table(tables: list[FoundTable], source: str) -> tuple[Grid, str] | None:
    """The tracker among a document's tables, and a note saying which was read; None when no table
    looks like a tracker."""
    pdf = source == "pdf"
    candidates = []
    for run in _runs(tables, pdf):
        grid = _grid(run, source)
        if looks_like_tracker(grid):
            candidates.append((_ref_rows(grid), run.width, len(grid.rows), -len(candidates), run, grid))
    if not candidates:
        return None
    *_, run, grid = max(candidates, key=lambda c: c[:4])
    document = "Word document" if source == "word" else "PDF"
    headings = ", ".join(h for h in grid.rows[grid.header] if h.strip())
    what = f"{run.tables[0].label} of the {document}"
    if len(run.tables) > 1:
        more = len(run.tables) - 1
        what += f", and the {more} table{'s' if more > 1 else ''} after it with the same columns" \
                + (" (a table carried over pages)" if pdf else "") + ","
    others = len(tables) - len(run.tables)
    note = (f"Read {what} as the tracker (headings: {headings})"
            + (f"; {others} other table{'s' if others != 1 else ''} did not look like the tracker and "
               f"{'were' if others != 1 else 'was'} left out" if others else "")
            + ". Problems name the table row as the document shows it.")
    return grid, note

"""Limits on an uploaded file, checked before anything in it is expanded or parsed.

A small upload can unpack to gigabytes (a .docx or .xlsx is a zip of XML), hold a million rows,
claim 30,000 pages or carry XML entity tricks. Each check here reads only what it needs: the zip's
table of contents (sizes as declared; Python's zipfile never hands out more than the declared
size), the start of each XML part, and a streamed count of a sheet's rows and cells. Each refusal
says, in words an officer understands, which limit was hit. The settings are in config.py.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, fields

from ..refused import Refused

MB = 1024 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
# The prolog (declaration, comments, DOCTYPE) comes before the first element; this much of a part
# is enough to see it in any file Word or Excel writes.
PROLOG_BYTES = 64 * 1024
DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref=\"\$?([A-Z]{1,3})\$?(\d{1,9})"
                       rb"(?::\$?([A-Z]{1,3})\$?(\d{1,9}))?\"")
ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")
CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c[\s>/]")
HEADER_ALLOWANCE = 20  # rows above the headings (titles, a RAG key) that do not count as data


class UploadRefused(Refused):
    """The file as a whole is refused; nothing was changed. ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 413):
        super().__init__(message, "file")
        self.status = status


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * MB
    max_unpacked_bytes: int = 64 * MB
    max_parts: int = 1000
    max_ratio: int = 200
    max_rows: int = 20000
    max_columns: int = 200
    max_cells: int = 1_000_000
    max_pdf_pages: int = 300
    parse_seconds: float = 30
    parse_memory_mb: int = 1024

    # Names of the settings in config.py, one for each field.
    SETTINGS = {"max_bytes": "IMPORT_MAX_BYTES", "max_unpacked_bytes": "IMPORT_MAX_UNPACKED_BYTES",
                "max_parts": "IMPORT_MAX_PARTS", "max_ratio": "IMPORT_MAX_RATIO", "max_rows": "IMPORT_MAX_ROWS",
                "max_columns": "IMPORT_MAX_COLUMNS", "max_cells": "IMPORT_MAX_CELLS",
                "max_pdf_pages": "IMPORT_MAX_PDF_PAGES", "parse_seconds": "IMPORT_PARSE_SECONDS",
                "parse_memory_mb": "IMPORT_PARSE_MEMORY_MB"}

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(**{f.name: config[cls.SETTINGS[f.name]] for f in fields(cls)
                      if cls.SETTINGS[f.name] in config})

    @classmethod
    def current(cls) -> Limits:
        from flask import current_app, has_app_context
        return cls.from_config(current_app.config) if has_app_context() else cls()


def _n(value: int) -> str:
    return f"{value:,}"


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size / 1024:,.0f} KB"


def check_size(content: bytes, limits: Limits) -> None:
    if len(content) > limits.max_bytes:
        raise UploadRefused(f"The file is {_mb(len(content))}; the most we can import at once is "
                            f"{_mb(limits.max_bytes)}. Split it into smaller files.")


def check_zip(content: bytes, limits: Limits, *, sheets: bool = False) -> None:
    """A .xlsx or .docx (``sheets``: a workbook): its parts, their unpacked sizes and the XML in
    them, before any part is expanded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UploadRefused("The file is damaged or is not really a Word or Excel file (it cannot be opened "
                            "as one). Save it again from Word or Excel and upload that.", 400) from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_parts:
            raise UploadRefused(f"The file is made of {_n(len(members))} parts; a Word or Excel file we can "
                                f"import has at most {_n(limits.max_parts)}. It may be damaged or built to "
                                "harm the server; save it again from Word or Excel.")
        total = sum(m.file_size for m in members)
        if total > limits.max_unpacked_bytes:
            raise UploadRefused(f"The file is {_mb(len(content))} but unpacks to {_mb(total)}; the most we can "
                                f"read is {_mb(limits.max_unpacked_bytes)}. Split it into smaller files, or "
                                "save it again from Word or Excel if it should be small.")
        for member in members:
            if member.filename.lower().endswith(XML_SUFFIXES):
                _check_prolog(archive, member)
        if sheets:
            # Before the ratio: a sheet of a million rows squeezes well, and its row count is the
            # clearer message. The total above bounds this streaming.
            _check_sheets(archive, limits)
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > MB and ratio > limits.max_ratio:
                raise UploadRefused(f"Part {member.filename!r} of the file unpacks to {ratio:,.0f} times its "
                                    f"stored size; real Word and Excel files shrink far less (at most "
                                    f"{_n(limits.max_ratio)} times), so the file is refused as unsafe.")


def _check_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Word and Excel never write a DOCTYPE; one in an upload is there for entity tricks (a
    "billion laughs" expansion, or reading files off the server). openpyxl also refuses them
    through defusedxml, but with a message no officer could act on."""
    try:
        with archive.open(member) as part:
            head = part.read(PROLOG_BYTES)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise UploadRefused(f"Part {member.filename!r} of the file is damaged or encrypted; save the file again "
                            "from Word or Excel and upload that.", 400) from exc
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if DOCTYPE.search(head):
        raise UploadRefused(f"Part {member.filename!r} of the file holds a document type declaration "
                            "(DOCTYPE), which Word and Excel never write and which can be used to attack the "
                            "server. Save the file again from Word or Excel and upload that.", 400)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number


def _check_sheets(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Each worksheet's size: first as it declares itself (its <dimension>), then counted while
    streaming its XML, stopping as soon as a limit is passed, because a dimension can lie."""
    row_limit = limits.max_rows + HEADER_ALLOWANCE
    for member in archive.infolist():
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        with archive.open(member) as part:
            head = part.read(PROLOG_BYTES)
            dimension = DIMENSION.search(head)
            if dimension:
                first_col, first_row, last_col, last_row = dimension.groups()
                rows = int(last_row or first_row) - int(first_row) + 1
                columns = _column_number(last_col or first_col) - _column_number(first_col) + 1
                _check_counts(rows, columns, rows * columns, limits, exact=True)
            _count_while_streaming(part, head, row_limit, limits)


def _count_while_streaming(part, head: bytes, row_limit: int, limits: Limits) -> None:
    rows = cells = 0
    buffer = head
    while True:
        # Count up to the last "<" only: a tag cut by the chunk's end is counted with the next one.
        cut = buffer.rfind(b"<")
        if cut < 0:
            ready, buffer = buffer, b""
        else:
            ready, buffer = buffer[:cut], buffer[cut:]
        rows += len(ROW_TAG.findall(ready))
        cells += len(CELL_TAG.findall(ready))
        if rows > row_limit or cells > limits.max_cells:
            _check_counts(rows, 0, cells, limits, exact=False)
        chunk = part.read(MB)
        if not chunk:
            rows += len(ROW_TAG.findall(buffer))
            cells += len(CELL_TAG.findall(buffer))
            _check_counts(rows, 0, cells, limits, exact=True)
            return
        buffer += chunk


def _check_counts(rows: int, columns: int, cells: int, limits: Limits, *, exact: bool) -> None:
    """``exact``: the counts are the sheet's; else counting stopped once past a limit, and the
    message says "more than" the limit."""
    if rows > limits.max_rows + HEADER_ALLOWANCE:
        counted = f"has {_n(rows)}" if exact else f"has more than {_n(limits.max_rows)}"
        raise UploadRefused(f"The spreadsheet {counted} rows; the most we can import at once is "
                            f"{_n(limits.max_rows)}. Split it into smaller files. (Excel counts formatted "
                            "empty rows too: if most are empty, delete the rows below the plan and save again.)")
    if columns > limits.max_columns:
        raise UploadRefused(f"The spreadsheet has {_n(columns)} columns; the most we can read is "
                            f"{_n(limits.max_columns)}. Delete the unused columns, or copy the action plan "
                            "into a new sheet.")
    if cells > limits.max_cells:
        counted = f"has {_n(cells)}" if exact else f"has more than {_n(limits.max_cells)}"
        raise UploadRefused(f"The spreadsheet {counted} cells; the most we can read at once is "
                            f"{_n(limits.max_cells)}. Split it into smaller files.")


def check_extent(rows: int, columns: int, limits: Limits) -> None:
    """A loaded sheet's rows and columns (openpyxl's max_row, max_column)."""
    _check_counts(rows, columns, 0, limits, exact=True)


def check_pdf_pages(content: bytes, limits: Limits) -> None:
    """The page count from the PDF's page tree (pdfium, without reading any page). The reader also
    stops at the limit, for a page tree that lies about its count."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(content)
    except Exception:  # noqa: BLE001 (damaged or encrypted: the PDF reader says so in its own words)
        return
    try:
        pages = len(document)
    finally:
        document.close()
    if pages > limits.max_pdf_pages:
        raise_too_many_pages(pages, limits)


def raise_too_many_pages(pages: int, limits: Limits, *, exact: bool = True) -> None:
    raise UploadRefused(f"The PDF {'has' if exact else 'has more than'} {_n(pages)} pages; the most we can read "
                        f"is {_n(limits.max_pdf_pages)}. Upload only the appendices with the action plan.")


def check_pattern(pattern) -> None:
    """A ref pattern taken from a file: refused when it is long or could backtrack for hours."""
    from ..domain.refs import BadPattern, compile_pattern

    if not pattern:
        return
    try:
        compile_pattern(str(pattern))
    except BadPattern as exc:
        raise UploadRefused(f"The file's reference pattern cannot be used: {exc}.", 400) from exc

"""Hostile uploads, as an attacker sends them: each is refused within seconds with a message an
officer understands, through the upload page and the CLI, and nothing is changed or kept.

The files are built here and are small on disk: deflate streams are made by repeating one
flushed block, so a 1.5 GB part costs about a megabyte and no time to build.
"""
from __future__ import annotations

import functools
import io
import os
import struct
import time
import zipfile
import zlib

import pytest
from sqlalchemy import func, select

from tests.web.files import ONE_ROW_PER_MEASURE, xlsx
from tests.web.plans import refs
from tracker.extensions import db
from tracker.imports.plan_data import PlanError
from tracker.models import Action, Change, Review

MB = 1024 * 1024


# --- building hostile files -------------------------------------------------------------------

def _deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def _repeated(prefix: bytes, chunk: bytes, times: int, suffix: bytes) -> tuple[bytes, int, int]:
    """A raw deflate stream of prefix + chunk * times + suffix, built from one compressed copy of
    the chunk: after a full flush the compressor starts afresh, so each copy deflates alike."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.compress(suffix) + packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    return head + block * times + tail, crc, len(prefix) + len(chunk) * times + len(suffix)


def raw_zip(members: list[tuple[str, tuple[bytes, int, int]]]) -> bytes:
    """A zip of already-deflated members (name, (stream, crc, size)), written by hand because
    zipfile cannot store a stream it did not compress itself."""
    out, central = io.BytesIO(), []
    for name, (stream, crc, size) in members:
        offset, encoded = out.tell(), name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(stream), size, len(encoded), 0))
        out.write(encoded + stream)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(stream), size,
                                   len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), out.tell() - start, start, 0))
    return out.getvalue()


def _parts(content: bytes, skip: str = "") -> list[tuple[str, tuple[bytes, int, int]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [(name, _deflated(archive.read(name))) for name in archive.namelist() if name != skip]


DOCX_PARTS = [
    ("[Content_Types].xml", _deflated(
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')),
    ("_rels/.rels", _deflated(
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')),
]
W = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'


@functools.cache
def docx_expanding_to(size: int) -> bytes:
    chunk = b"a" * MB
    return raw_zip(DOCX_PARTS + [("word/document.xml", _repeated(W, chunk, size // MB, b"</w:t></w:r></w:p>"
                                                                                      b"</w:body></w:document>"))])


def workbook_with_sheet(prefix: bytes, chunk: bytes, times: int, suffix: bytes) -> bytes:
    """A real openpyxl workbook whose first sheet is replaced by the given (repeated) XML."""
    return raw_zip(_parts(xlsx([["Ref", "Title"]]), skip="xl/worksheets/sheet1.xml")
                   + [("xl/worksheets/sheet1.xml", _repeated(prefix, chunk, times, suffix))])


SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def million_rows(dimension: str) -> bytes:
    row = b'<row><c t="inlineStr"><is><t>R1</t></is></c></row>'
    rows_per_chunk = 1000
    return workbook_with_sheet(SHEET + f'<dimension ref="{dimension}"/><sheetData>'.encode(),
                               row * rows_per_chunk, 1_000_000 // rows_per_chunk, b"</sheetData></worksheet>")


def xlsx_with_doctype() -> bytes:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(8)) + b"]>")
    sheet = laughs + SHEET + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row>' \
                             b'</sheetData></worksheet>'
    return raw_zip(_parts(xlsx([["Ref", "Title"]]), skip="xl/worksheets/sheet1.xml")
                   + [("xl/worksheets/sheet1.xml", _deflated(sheet))])


def zip_of_members(count: int) -> bytes:
    """``count`` directory entries that all point at one tiny part: 47 bytes each. More than
    65,535 entries need the zip64 end records, as any big zip has."""
    stream, crc, size = _deflated(b"x")
    out = io.BytesIO()
    out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(stream), size, 1, 0) + b"a" + stream)
    start = out.tell()
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0, crc, len(stream), size, 1,
                        0, 0, 0, 0, 0, 0) + b"a"
    out.write(entry * count)
    end64 = out.tell()
    out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(entry) * count, start))
    out.write(struct.pack("<IIQI", 0x07064B50, 0, end64, 1))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
    return out.getvalue()


def pdf_of_pages(count: int) -> bytes:
    """A PDF whose page tree lists one shared page object ``count`` times."""
    stream = b"BT /F1 12 Tf 72 720 Td (Action plan) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b"3 0 R " * count + b"] /Count %d >>" % count,
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def export_with_pattern(app, pattern: str, ref: str) -> bytes:
    from tracker.exports.plan_json import export_all
    from tracker.exports.plan_xlsx import review_workbook

    with app.app_context():
        data = export_all(["CC"])["reviews"][0]
    data["review"]["ref_pattern"] = pattern
    data["actions"][0]["ref"] = ref
    return review_workbook(data)


# --- the attacks ------------------------------------------------------------------------------

def state(app):
    """What an import could change: the plan, its history, and the uploads kept on disk."""
    with app.app_context():
        counts = (db.session.scalar(select(func.count()).select_from(Review)),
                  db.session.scalar(select(func.count()).select_from(Action)),
                  db.session.scalar(select(func.count()).select_from(Change)))
    folder = os.path.join(app.instance_path, "imports")
    kept = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    return counts, kept


def upload(client, content: bytes, filename: str, review: str = "CC"):
    started = time.monotonic()
    response = client.post("/imports", token_from="/imports", data={
        "review": review, "file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")
    return response, time.monotonic() - started


HOSTILE = {
    "docx unpacking to 1.5 GB": (lambda app: docx_expanding_to(1536 * MB), "paper.docx", 413,
                                 "unpacks to 1,536 MB; the most we can read is 64 MB"),
    "docx part shrunk a thousand times": (lambda app: docx_expanding_to(20 * MB), "paper.docx", 413,
                                          "times its stored size"),
    "xlsx of a million rows": (lambda app: million_rows("A1:A1000000"), "tracker.xlsx", 413,
                               "The spreadsheet has 1,000,000 rows; the most we can import at once is 20,000"),
    "xlsx of a million rows whose dimension lies": (lambda app: million_rows("A1:A1"), "tracker.xlsx", 413,
                                                    "The spreadsheet has more than 20,000 rows; the most we can "
                                                    "import at once is 20,000"),
    "xlsx unpacking to over 1 GB": (lambda app: workbook_with_sheet(SHEET + b"<sheetData>", b" " * MB, 1100,
                                                                    b"</sheetData></worksheet>"),
                                    "tracker.xlsx", 413, "unpacks to 1,100 MB"),
    "xlsx with a DOCTYPE and entity expansion": (lambda app: xlsx_with_doctype(), "tracker.xlsx", 400,
                                                 "document type declaration (DOCTYPE)"),
    "zip of 100,000 members": (lambda app: zip_of_members(100_000), "paper.docx", 413,
                               "The file is made of 100,000 parts; a Word or Excel file we can import has at "
                               "most 1,000"),
    "PDF of 30,000 pages": (lambda app: pdf_of_pages(30_000), "paper.pdf", 413,
                            "The PDF has 30,000 pages; the most we can read is 300"),
    "exported workbook with a catastrophic ref_pattern": (
        lambda app: export_with_pattern(app, "(a+)+$", "a" * 40 + "!"), "export.xlsx", 400,
        "repeats a part that itself repeats"),
}


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_hostile_upload_is_refused_quickly_and_changes_nothing(app, client_for, attack):
    build, filename, status, message = HOSTILE[attack]
    content = build(app)
    assert len(content) < 5 * MB  # small on the wire: only the limits can catch it
    manager = client_for("manager")
    before = state(app)
    response, elapsed = upload(manager, content, filename)
    page = response.get_data(as_text=True)
    assert response.status_code == status, page[:2000]
    assert message in page.replace("&#39;", "'").replace("&#34;", '"')
    assert elapsed < 5, f"{attack} took {elapsed:.1f} s"
    assert state(app) == before


def test_the_cli_prints_the_same_refusal_and_exits_non_zero(app, tmp_path):
    bomb = tmp_path / "paper.docx"
    bomb.write_bytes(docx_expanding_to(1536 * MB))
    before = state(app)
    started = time.monotonic()
    result = app.test_cli_runner().invoke(args=["import", str(bomb), "--review", "CC"])
    assert time.monotonic() - started < 5
    assert result.exit_code == 1 and "Nothing was imported" in result.output
    assert "unpacks to 1,536 MB; the most we can read is 64 MB" in result.output
    assert state(app) == before


def test_a_seed_with_a_catastrophic_ref_pattern_is_refused_quickly(app, tmp_path):
    from tracker.imports.seed import load_seeds

    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "evil.yaml").write_text(
        "authority: Evil\nreview: {code: EV, title: Evil, ref_pattern: '(a+)+$'}\n"
        "themes: [{code: T, name: Theme}]\n"
        f"actions: [{{ref: '{'a' * 40}!', title: A, theme: T, measures: [{{number: 1, text: x, measured_output: y}}]}}]\n")
    before = state(app)
    started = time.monotonic()
    with app.app_context(), pytest.raises(PlanError, match="repeats a part that itself repeats"):
        load_seeds(tmp_path)
    assert time.monotonic() - started < 5
    assert state(app) == before


def test_parsing_that_runs_too_long_is_stopped(app, client_for, monkeypatch):
    import tracker.imports.reading as reading

    def endless(*args):
        while True:
            pass

    monkeypatch.setattr(reading, "read_upload", endless)
    app.config["IMPORT_PARSE_SECONDS"] = 1
    manager = client_for("manager")
    before = state(app)
    response, elapsed = upload(manager, xlsx(ONE_ROW_PER_MEASURE), "tracker.xlsx", review="SC")
    assert response.status_code == 413 and "took longer than 1 seconds, so it was stopped" in response.get_data(
        as_text=True)
    assert elapsed < 5, elapsed
    assert state(app) == before


def test_parsing_that_eats_memory_is_stopped(app, client_for, monkeypatch):
    import tracker.imports.reading as reading

    def greedy(*args):
        hoard = []
        while True:
            hoard.append(bytearray(64 * MB))

    monkeypatch.setattr(reading, "read_upload", greedy)
    app.config["IMPORT_PARSE_MEMORY_MB"] = 200
    manager = client_for("manager")
    before = state(app)
    response, elapsed = upload(manager, xlsx(ONE_ROW_PER_MEASURE), "tracker.xlsx", review="SC")
    assert response.status_code == 413 and "needed more than 200 MB of memory" in response.get_data(as_text=True)
    assert elapsed < 5, elapsed
    assert state(app) == before


# --- parsed once, kept briefly ----------------------------------------------------------------

def _no_more_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the upload was parsed again")

    import openpyxl

    import tracker.imports.paper_text as paper_text
    import tracker.imports.reading as reading
    import tracker.imports.spreadsheet as spreadsheet
    for module, name in ((reading, "read_upload"), (reading, "read_upload_bounded"), (spreadsheet, "read_table"),
                         (openpyxl, "load_workbook"), (paper_text, "parse_committee_paper")):
        monkeypatch.setattr(module, name, refuse)


def test_preview_and_confirm_read_the_kept_result_and_never_parse_again(app, client_for, monkeypatch):
    manager = client_for("manager")
    rows = [r[:] for r in ONE_ROW_PER_MEASURE]
    rows[0][5] = "Where we are"  # a heading the guess does not know: the preview asks for it
    response, _ = upload(manager, xlsx(rows), "tracker.xlsx", review="SC")
    assert response.status_code == 303
    page_url = response.headers["Location"]
    token = page_url.rsplit("/", 1)[-1]
    kept = os.path.join(app.instance_path, "imports", f"{token}.json")
    assert os.path.exists(kept) and os.stat(kept).st_mode & 0o077 == 0
    assert not [n for n in os.listdir(os.path.dirname(kept)) if n.startswith(token) and not n.endswith(".json")]

    _no_more_parsing(monkeypatch)
    page = manager.get(page_url)
    assert page.status_code == 200 and "measure 1 has no measured output" in page.get_data(as_text=True)
    form = {"map-ref": "Ref", "map-title": "Action title", "map-theme": "Service", "map-measure_number": "Measure no",
            "map-measure": "Measure", "map-measured_output": "Where we are", "map-status": "Status",
            "map-owner": "Lead officer", "map-target_date": "Due date"}
    csrf = manager.token(page_url)
    checked = manager.post(page_url, data={**form, "action": "check", "csrf_token": csrf})
    assert checked.status_code == 200 and "2 actions to create" in checked.get_data(as_text=True)
    done = manager.post(page_url, data={**form, "action": "confirm", "csrf_token": csrf})
    assert done.status_code == 303 and refs(app, "SC") == ["SC1", "SC2"]
    assert not os.path.exists(kept)  # deleted once applied
    assert manager.get(page_url).status_code == 404


def test_a_pasted_paper_is_parsed_once_too(app, client_for, monkeypatch):
    manager = client_for("manager")
    body = "APPENDIX B\nAccess\nR1\nOpening hours\n1) Survey users\n1) Complete\n"
    response = manager.post("/imports", token_from="/imports", data={"review": "NEWP", "pasted": body})
    assert response.status_code == 303
    _no_more_parsing(monkeypatch)
    page = manager.get(response.headers["Location"])
    assert page.status_code == 200 and "R1" in page.get_data(as_text=True)


def test_a_kept_upload_expires_and_tokens_never_name_other_files(app, client_for):
    manager = client_for("manager")
    response, _ = upload(manager, xlsx(ONE_ROW_PER_MEASURE), "tracker.xlsx", review="SC")
    page_url = response.headers["Location"]
    kept = os.path.join(app.instance_path, "imports", page_url.rsplit("/", 1)[-1] + ".json")
    assert manager.get(page_url).status_code == 200
    old = time.time() - app.config["IMPORT_KEEP_MINUTES"] * 60 - 60
    os.utime(kept, (old, old))
    assert manager.get(page_url).status_code == 404 and not os.path.exists(kept)
    for token in ("..%2F..%2Fsecret_key", "..%2Fsecret_key", "%2E%2E", "A" * 32, "0" * 31, "g" * 32):
        assert manager.get(f"/imports/{token}").status_code == 404, token
    # A NUL byte is refused before any view, as malformed.
    assert manager.get("/imports/" + "0" * 32 + "%00").status_code == 400


def test_normal_uploads_are_not_noticeably_slower(app, client_for):
    """A tracker sheet through the bounded child: the fork adds a fraction of a second, not seconds.
    The fastest of three runs each, so a busy machine does not decide the result."""
    from tracker.imports.limits import Limits
    from tracker.imports.reading import read_upload, read_upload_bounded

    content = xlsx(ONE_ROW_PER_MEASURE * 200)
    in_process, in_child = [], []
    with app.test_request_context():
        for _ in range(3):
            started = time.monotonic()
            direct = read_upload(content, "tracker.xlsx", "SC", None, Limits())
            in_process.append(time.monotonic() - started)
            started = time.monotonic()
            bounded = read_upload_bounded(content, "tracker.xlsx", "SC")
            in_child.append(time.monotonic() - started)
    assert bounded == direct
    assert min(in_child) < min(in_process) + 1.0, (in_process, in_child)


@pytest.mark.parametrize("pattern", [r"CC-\d{2}-{theme}-\d{2}", r"SC\d+", r"R\d+", r"\d+\.\d+", r"\d{2} {theme} \d{2}",
                                     r"\S+", r"(CC|SC)\d+", r"(\d{2}-)+\d+"])
def test_the_ref_patterns_councils_use_are_accepted(pattern):
    from tracker.domain.refs import compile_pattern

    assert compile_pattern(pattern)


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|aa)+$", r"(\w+\s?)*$", r"(a*)*b", r"(\d+)\1", r"(?:x+y?)+",
                                     "R" + r"\d" * 150])
def test_ref_patterns_that_could_backtrack_for_hours_are_refused_before_use(pattern):
    from tracker.domain.refs import BadPattern, check_ref

    started = time.monotonic()
    with pytest.raises(BadPattern):
        check_ref("a" * 5000 + "!", pattern)
    assert time.monotonic() - started < 5

"""The committee pack: the covering report with Appendix A and Appendix B (and, when chosen, the
owner and target date version of Appendix B as Appendix C) as one report, for one PDF or one Word
document whose pages are numbered through. Each appendix starts on a new page, headed "Appendix A
to report REF" as agenda packs cite them. Built from the parts' report data, so the pack says
exactly what the parts say (and, once published, what was frozen)."""
from __future__ import annotations

APPENDICES = (("appendix-a", "A", None), ("appendix-b", "B", None),
              ("appendix-b+owners", "C", "Action Plan - Master List, with owners and target dates"))


def _reference(covering: dict) -> str:
    if covering.get("reference"):
        return covering["reference"]
    meeting = covering.get("meeting") or {}
    return f"to {meeting['label']}" if meeting.get("label") else "(draft)"


def appendix_heading(letter: str, covering: dict) -> str:
    reference = _reference(covering)
    return f"Appendix {letter} to report {reference}" if not reference.startswith(("to ", "(")) else \
        f"Appendix {letter} to the report {reference}"


def pack_data(parts: dict, *, owners: bool = False) -> dict:
    """One report of every part; ``parts`` maps part names ("covering", "appendix-a", "appendix-b",
    "appendix-b+owners") to their report data."""
    covering = parts["covering"]
    pack = {key: covering[key] for key in ("review", "meeting", "generated")}
    reference = covering.get("reference") or ""
    pack.update({"part": "pack", "reference": reference, "sheets": [],
                 "title": f"Report {reference}" if reference else "Committee report"})
    blocks = list(covering["blocks"])
    for key, letter, subtitle in APPENDICES:
        if key.endswith("+owners") and not owners:
            continue
        part = parts[key]
        blocks.append({"type": "page_break"})
        first = True
        for block in part["blocks"]:
            if first and block["type"] == "heading" and block["level"] == 1:
                # "APPENDIX A" becomes "Appendix A to report CS 01/03": the clerk's cross-reference.
                block = {**block, "text": appendix_heading(letter, covering)}
                first = False
            elif subtitle and block["type"] == "heading" and block["level"] == 2 and block["text"].startswith(
                    "Action Plan"):
                block, subtitle = {**block, "text": subtitle}, None
            blocks.append(block)
    pack["blocks"] = blocks
    pack["contents"] = [covering["blocks"][0]["text"] if covering["blocks"] else "Covering report"] + [
        appendix_heading(letter, covering) for key, letter, _ in APPENDICES if owners or not key.endswith("+owners")]
    return pack


PART_STEPS = {"covering": "Writing the covering report", "appendix-a": "Writing Appendix A",
              "appendix-b": "Writing Appendix B", "appendix-b+owners": "Writing the owners' version of Appendix B"}


def part_names(owners: bool) -> list[str]:
    return ["covering", "appendix-a", "appendix-b"] + (["appendix-b+owners"] if owners else [])


def live_parts(review, meeting: dict | None, *, since: dict | None, since_label: str | None,
               owners: bool, progress=None) -> dict:
    """Every part built from the plan as it is now; ``progress(name)`` is told before each part (a
    background job shows it)."""
    from . import builders
    parts = {}
    for name in part_names(owners):
        if progress is not None:
            progress(name)
        parts[name] = builders.build(name.removesuffix("+owners"), review, meeting, since=since,
                                     since_label=since_label, owners=name.endswith("+owners"))
    return parts


def report_parts(found, owners: bool, progress=None) -> dict:
    """The parts of a saved report as the pack needs them: frozen once published, live while a draft."""
    from .operations import _baseline, meeting_of, part_data
    if found.published:
        parts = dict(part_data(found, None))
        if "covering" not in parts:  # published before covering reports were kept
            review = found.review
            parts["covering"] = {"review": parts["appendix-a"]["review"], "meeting": parts["appendix-a"]["meeting"],
                                 "generated": parts["appendix-a"]["generated"], "reference": "", "blocks": [
                                     {"type": "heading", "level": 1, "text": f"{review.title}: progress report"},
                                     {"type": "paragraph", "text": "This report was published before covering "
                                                                   "reports were kept: its appendices follow."}]}
        return parts
    from . import builders
    review = builders.load_review(found.review.code)
    since, since_label = _baseline(review.id, found)
    return live_parts(review, meeting_of(found), since=since, since_label=since_label, owners=owners,
                      progress=progress)


def render_pack(pack: dict, fmt: str, *, template: bytes | None = None, parts: dict | None = None) -> bytes:
    """The pack as a document (pdf, docx, html) or, for the spreadsheet formats, as data: every
    part's sheets in one workbook or one CSV (``parts`` needed)."""
    if fmt == "pdf":
        from .renderers.pdf import render_pdf
        return render_pdf(pack)
    if fmt == "docx":
        from .renderers.docx import render_docx
        return render_docx(pack, template=template)
    if fmt == "html":
        from .renderers.html import render_html
        return render_html(pack).encode("utf-8")
    from .builders import sheets_of
    ordered = [parts[key] for key in ("covering", "appendix-a", "appendix-b", "appendix-b+owners") if key in parts]
    if fmt == "xlsx":
        from .renderers.xlsx import render_workbook
        return render_workbook(ordered)
    if fmt == "csv":
        from .renderers.csv import render_csv
        return render_csv({"sheets": [sheet for part in ordered for sheet in sheets_of(part)]})
    raise ValueError(f"unknown format {fmt!r}")

"""Downloading the committee pack: one PDF or one Word document of the covering report and its
appendices (in the council's own Word template when it has uploaded one)."""
from __future__ import annotations

from flask import request

from ..models import CommitteeReport
from .covering_operations import settings_for
from .operations import part_data
from .pack import live_parts, pack_data, render_pack
from .views import _attachment, _get, bp, cached_render


def report_parts(found: CommitteeReport, owners: bool) -> dict:
    """The parts of a report as the pack needs them: frozen once published, live while a draft."""
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
    from .operations import _baseline, meeting_of
    review = builders.load_review(found.review.code)
    since, since_label = _baseline(review.id, found)
    return live_parts(review, meeting_of(found), since=since, since_label=since_label, owners=owners)


def _pack_file(report_id: int, fmt: str):
    found = _get(report_id)
    owners = request.args.get("owners") == "1"
    settings = settings_for(found.review.authority_id) if fmt == "docx" else None
    template = settings.word_template if settings is not None else None
    stamp = settings.word_template_uploaded_at.isoformat() if template and settings.word_template_uploaded_at else ""
    content = cached_render(found, ("pack", owners, fmt, stamp), lambda: render_pack(
        pack_data(report_parts(found, owners), owners=owners), fmt, template=template))
    return _attachment(found, "pack" + ("-owners" if owners else ""), fmt, content)


# A route per format (not <fmt>): the pack for the agenda is a PDF or a Word file.
@bp.route("/reports/<int:report_id>/pack.pdf")
def pack_pdf(report_id: int):
    return _pack_file(report_id, "pdf")


@bp.route("/reports/<int:report_id>/pack.docx")
def pack_docx(report_id: int):
    return _pack_file(report_id, "docx")

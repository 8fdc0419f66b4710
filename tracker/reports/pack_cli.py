"""`flask report pack`: the committee pack from the command line, for the plan as it is now or for a
saved report (a published one exactly as frozen), in the council's Word template when it has one.
As pdf, docx or html it is the one document for the agenda; as xlsx or csv, every part's tables."""
from __future__ import annotations

from pathlib import Path

import click

from ..extensions import db
from ..models import CommitteeReport, Review
from .covering_operations import settings_for
from .operations import last_published
from .pack import live_parts, pack_data, render_pack, report_parts


def write_pack(review: Review, *, fmt: str, output: Path, report_id: int | None, owners: bool) -> str:
    if report_id is not None:
        found = db.session.get(CommitteeReport, report_id)
        if found is None or found.review_id != review.id:
            raise click.UsageError(f"report {report_id} is not a report of review {review.code}")
        parts = report_parts(found, owners)
    else:
        baseline = last_published(review.id)
        parts = live_parts(review, None, since=baseline.snapshot["state"] if baseline else None,
                           since_label=f"the report to {baseline.label}" if baseline else None, owners=owners)
    settings = settings_for(review.authority_id) if fmt == "docx" else None
    output.write_bytes(render_pack(pack_data(parts, owners=owners), fmt, parts=parts,
                                   template=settings.word_template if settings else None))
    return f"Wrote {output}"

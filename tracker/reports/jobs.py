"""Report parts made by a background job (tracker/jobs) when they take too long for a request:
Appendix B as PDF of a large review (WeasyPrint lays out about four pages a second)."""
from __future__ import annotations

from ..extensions import db
from ..jobs import JobFile, report_progress
from ..models import CommitteeReport
from ..refused import Refused
from .operations import part_data
from .renderers import FORMATS, render

PART_NAMES = {"summary": "Covering report", "appendix-a": "Appendix A", "appendix-b": "Appendix B"}


def download_name(found: CommitteeReport, stem: str, fmt: str) -> str:
    extension = FORMATS[fmt][1]
    return (f"{found.review.code}-{stem}-{found.meeting_on.isoformat()}{'' if found.published else '-draft'}"
            f".{extension}")


def job_kind(part: str, fmt: str) -> str:
    return f"{PART_NAMES.get(part, part)} as {fmt.upper()}"


def render_part(report_id: int, part: str, fmt: str, owners: bool = False) -> JobFile:
    """The job: one part of a report as a file, with its progress in three steps."""
    found = db.session.get(CommitteeReport, report_id)
    if found is None:
        raise Refused("The report no longer exists, so its file could not be made.")
    report_progress(0, 3, "Reading the plan")
    data = part_data(found, part, owners=owners)
    report_progress(1, 3, "Laying out the pages" if fmt == "pdf" else "Writing the file")
    content = render(data, fmt)
    report_progress(2, 3, "Saving the file")
    return JobFile(content, download_name(found, part + ("-owners" if owners else ""), fmt), FORMATS[fmt][0])

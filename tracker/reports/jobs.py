"""Report parts made by a background job (tracker/jobs) when they take too long for a request:
Appendix B as PDF of a large review (WeasyPrint lays out about four pages a second), and the
committee pack (covering report and appendices in one PDF or Word file)."""
from __future__ import annotations

from ..extensions import db
from ..jobs import JobFile, report_progress
from ..models import CommitteeReport
from ..refused import Refused
from .covering_operations import settings_for
from .operations import part_data
from .pack import PART_STEPS, pack_data, part_names, render_pack, report_parts
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


def pack_file(report_id: int, fmt: str, owners: bool = False) -> JobFile:
    """The committee pack as one PDF or Word file, with its progress part by part: the job a large
    review's pack runs as, and what a smaller one's request calls directly (report_progress then does
    nothing)."""
    found = db.session.get(CommitteeReport, report_id)
    if found is None:
        raise Refused("The report no longer exists, so its pack could not be made.")
    names = part_names(owners)
    total = len(names) + 2
    if found.published:
        report_progress(0, total, "Reading the report as it was published")

    def progress(name: str) -> None:
        report_progress(names.index(name), total, PART_STEPS[name])

    parts = report_parts(found, owners, progress=progress)
    report_progress(len(names), total, "Laying out the pages" if fmt == "pdf" else "Writing the Word document")
    settings = settings_for(found.review.authority_id) if fmt == "docx" else None
    content = render_pack(pack_data(parts, owners=owners), fmt,
                          template=settings.word_template if settings is not None else None)
    report_progress(total - 1, total, "Saving the file")
    return JobFile(content, download_name(found, "pack" + ("-owners" if owners else ""), fmt), FORMATS[fmt][0])

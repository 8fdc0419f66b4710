"""`flask report appendix-a|appendix-b|summary|covering --review CC --format pdf --output FILE [--since ID]`;
`flask report pack --review CC --format pdf|docx --output FILE [--report ID] [--owners]`: the whole
committee pack (covering report, Appendix A, Appendix B) in one document."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..models import CommitteeReport
from . import builders
from .renderers import FORMATS, render


@click.command("report")
@with_appcontext
@click.argument("part", type=click.Choice(list(builders.PARTS) + ["pack"]))
@click.option("--review", "review_code", required=True, help="Review code, e.g. CC")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--since", "since_id", type=int, default=None,
              help="Id of a published report to compare with (summary); default: the latest published")
@click.option("--owners", is_flag=True, help="Appendix B: add owner and target date columns (pack: add them as "
                                           "Appendix C)")
@click.option("--report", "report_id", type=int, default=None,
              help="pack: a saved report's id (a published one as frozen); default: the plan as it is now")
def report_command(part, review_code, fmt, output, since_id, owners, report_id):
    """Write one part of the committee report for the plan as it is now."""
    from .operations import last_published

    review = builders.load_review(review_code)
    if review is None:
        raise click.UsageError(f"no review with code {review_code}")
    if part == "pack":
        from .pack_cli import write_pack
        click.echo(write_pack(review, fmt=fmt, output=output, report_id=report_id, owners=owners))
        return
    baseline = None
    if since_id is not None:
        baseline = db.session.get(CommitteeReport, since_id)
        if baseline is None or baseline.review_id != review.id or not baseline.published:
            raise click.UsageError(f"report {since_id} is not a published report of review {review_code}")
    elif part in ("summary", "covering"):
        baseline = last_published(review.id)
    data = builders.build(part, review, None, owners=owners,
                          since=baseline.snapshot["state"] if baseline else None,
                          since_label=f"the report to {baseline.label}" if baseline else None)
    output.write_bytes(render(data, fmt))
    click.echo(f"Wrote {output}")


# `report readiness` and `report gap-analysis` (accreditation readiness, CSE gap analysis) live with the
# standards and add themselves to this command.
from ..standards.cli import register as _register_standards_reports  # noqa: E402

_register_standards_reports(report_command)

"""`flask report readiness|gap-analysis ...`: the standards' reports on the command line.

    flask --app wsgi report readiness --review CC --format csv --output readiness.csv [--site NAME]
    flask --app wsgi report gap-analysis --format csv --output gap.csv [--standard CSE]

``register(report)`` adds the two parts to the `report` command of tracker/reports/cli.py (or, if
that becomes a click group, adds them as subcommands), so the committee appendices and these
reports share one command, one set of formats and one set of renderers.
"""
from __future__ import annotations

import functools
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, Review

PARTS = {"readiness": "Accreditation readiness: one row per element (rating, RAG, mapped actions)",
         "gap-analysis": "Gap analysis: sites x sub-criteria, each cell Red/Amber/Green"}


def _choose_assessment(standard, review: Review | None, site: str | None) -> Assessment | None:
    query = select(Assessment).where(Assessment.standard_id == standard.id)
    if site:
        query = query.where(Assessment.site == site)
    elif review is not None:
        query = query.where(Assessment.review_id == review.id)
    # The most recent; on the same date, the one recorded first.
    return db.session.scalar(query.order_by(Assessment.assessed_on.desc(), Assessment.id).limit(1))


def write_report(part: str, *, fmt: str, output: Path, review_code: str | None = None,
                 standard_code: str = "CSE", site: str | None = None) -> str:
    """Write ``part`` to ``output``; returns what was written, in words. Raises click.UsageError."""
    from . import queries, reports

    standard = queries.load_standard(standard_code)
    if standard is None:
        raise click.UsageError(f"no standard with code {standard_code}")
    if part == "gap-analysis":
        pictures = queries.gap_pictures(standard)
        output.write_bytes(reports.render_report(reports.gap_report(standard, pictures), fmt))
        return f"Wrote {output}: {len(pictures)} site{'s' if len(pictures) != 1 else ''} x " \
               f"{sum(len(c.subcriteria) for c in standard.criteria)} sub-criteria"
    review = None
    if review_code:
        review = db.session.scalar(select(Review).where(Review.code == review_code))
        if review is None:
            raise click.UsageError(f"no review with code {review_code}")
    elif not site:
        raise click.UsageError("readiness needs --review CODE (its latest assessment) or --site NAME")
    assessment = _choose_assessment(standard, review, site)
    if site and assessment is None:
        raise click.UsageError(f"no assessment of {site!r} against {standard.code}")
    pic = queries.picture(standard, assessment, review=review)
    output.write_bytes(reports.render_report(reports.readiness_report(pic, review=review), fmt))
    source = f"the assessment of {assessment.label}" if assessment else \
        "no assessment (every element counted as not assessed)"
    return f"Wrote {output}: {len(pic.elements)} elements from {source}; {pic.readiness.sentence}"


def register(report: click.Command) -> None:
    """Add `readiness` and `gap-analysis` to the `report` command (a single command or a group)."""
    standard_option = click.Option(["--standard", "standard_code"], default="CSE", show_default=True,
                                   help="readiness, gap-analysis: the standard's code")
    site_option = click.Option(["--site"], default=None,
                               help="readiness: the assessed site or service (default: the review's latest)")
    if isinstance(report, click.Group):
        for part, text in PARTS.items():
            def run(fmt, output, review_code, standard_code, site, _part=part):
                click.echo(write_report(_part, fmt=fmt, output=output, review_code=review_code,
                                        standard_code=standard_code, site=site))
            fmt_param = next((p for p in report.params if p.name == "fmt"), None)
            command = click.Command(part, callback=with_appcontext(run), help=text, params=[
                click.Option(["--format", "fmt"], required=True,
                             type=fmt_param.type if fmt_param else click.Choice(["html", "pdf", "docx", "xlsx", "csv"])),
                click.Option(["--output"], required=True, type=click.Path(dir_okay=False, path_type=Path)),
                click.Option(["--review", "review_code"], default=None), standard_option, site_option])
            report.add_command(command)
        return
    part_param = next(p for p in report.params if p.name == "part")
    part_param.type = click.Choice(list(part_param.type.choices) + [p for p in PARTS if p not in part_param.type.choices])
    review_param = next(p for p in report.params if p.name == "review_code")
    review_param.required = False  # still required for the committee parts: checked below
    review_param.help = (review_param.help or "") + " (required except for gap-analysis)"
    report.params += [standard_option, site_option]
    report.help = (report.help or "") + "\n\nAlso: " + "; ".join(f"{k} – {v}" for k, v in PARTS.items()) + "."
    original = report.callback

    @functools.wraps(original)
    def callback(part, review_code, fmt, output, standard_code, site, **rest):
        if part in PARTS:
            click.echo(write_report(part, fmt=fmt, output=output, review_code=review_code,
                                    standard_code=standard_code, site=site))
            return None
        if not review_code:
            raise click.UsageError(f"Missing option '--review' (needed for {part})")
        if site or standard_code != "CSE":
            raise click.UsageError("--site and --standard apply to readiness and gap-analysis only")
        return original(part=part, review_code=review_code, fmt=fmt, output=output, **rest)

    report.callback = with_appcontext(callback)

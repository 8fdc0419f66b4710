"""The gap analysis: sites x sub-criteria, each cell Red/Amber/Green (HMRC's estate view).

Each row is a site's latest assessment; a cell is the sub-criterion's roll-up (worst element
wins). A cell is a link to its elements: with htmx it opens below the grid, without it the same
page is served with that cell open.
"""
from __future__ import annotations

from flask import Response, abort, render_template

from ..domain import readiness as rules
from ..downloads import attachment_headers
from ..htmx import htmx
from ..reports.renderers import FORMATS
from . import queries, reports
from .views import bp


def _subcriteria(standard):
    return [s for c in standard.criteria for s in c.subcriteria]


def _render(standard, selected=None, status: int = 200):
    pictures = queries.gap_pictures(standard)
    return render_template("standards/gap.html", standard=standard, pictures=pictures,
                           subcriteria=_subcriteria(standard), selected=selected, formats=FORMATS,
                           rule=rules.RAG_RULE, rollup_rule=rules.ROLLUP_RULE), status


@bp.route("/standards/<code>/gap-analysis")
def gap_analysis(code: str):
    return _render(queries.get_standard(code))


@bp.route("/standards/<code>/gap-analysis/<int:assessment_id>/<number>")
def gap_cell(code: str, assessment_id: int, number: str):
    standard = queries.get_standard(code)
    found = queries.get_assessment(standard, assessment_id)
    sub = next((s for s in _subcriteria(standard) if s.number == number), None) or abort(404)
    pic = queries.picture(standard, found)
    selected = {"picture": pic, "sub": sub, "rag": pic.subcriteria[sub.number], "views": pic.of(sub)}
    if htmx and htmx.target == "gap-cell":
        return render_template("standards/_gap_cell.html", standard=standard, selected=selected)
    return _render(standard, selected)


@bp.route("/standards/<code>/gap-analysis.<fmt>")
def gap_download(code: str, fmt: str):
    standard = queries.get_standard(code)
    if fmt not in FORMATS:
        abort(404)
    data = reports.gap_report(standard, queries.gap_pictures(standard))
    mimetype, extension = FORMATS[fmt]
    return Response(reports.render_report(data, fmt), content_type=mimetype,
                    headers=attachment_headers(f"{standard.code}-gap-analysis.{extension}"))

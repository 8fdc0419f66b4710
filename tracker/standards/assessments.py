"""Self-assessments: list and create, one assessment with its ratings and readiness, downloads.

A rating is saved per element with a plain form (redirecting back) or, with htmx, returns the
re-rendered element and the readiness summary (swapped out of band), so readiness moves as you
rate. A stale version gets a 409 with the person's text kept in the form.
"""
from __future__ import annotations

import datetime as dt

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..domain import readiness as rules
from ..extensions import db
from ..htmx import htmx
from ..transactions import discard_changes
from ..locking import form_version
from ..models import Review
from ..plan import queries as plan_queries
from ..reports.renderers import FORMATS
from . import queries, reports
from .operations import Refused, Conflict, create_assessment, rate_element
from .views import bp
from ..downloads import attachment_headers


def _date_from(form) -> tuple[dt.date | None, dict]:
    typed = {k: form.get(f"assessed_on-{k}", "").strip() for k in ("day", "month", "year")}
    try:
        return dt.date(int(typed["year"]), int(typed["month"]), int(typed["day"])), typed
    except ValueError:
        return None, typed


@bp.route("/standards/<code>/assessments", methods=["GET", "POST"])
def assessments(code: str):
    standard = queries.get_standard(code)
    typed, error, status = {}, None, 200
    if request.method == "POST":
        form = request.form
        assessed_on, date_typed = _date_from(form)
        typed = {"site": form.get("site", ""), "review": form.get("review", ""), **date_typed}
        review = db.session.scalar(select(Review).where(Review.code == typed["review"])) if typed["review"] else None
        try:
            if typed["review"] and review is None:
                raise Refused("Choose a review from the list", "review")
            if assessed_on is None and any(date_typed.values()):
                raise Refused("The date of the assessment must be a real date, like 1 12 2003",
                                      "assessed_on")
            assessment = create_assessment(standard, site=typed["site"], assessed_on=assessed_on, review=review)
        except Refused as exc:
            discard_changes()
            error, status = exc, 400
        else:
            flash(f"Assessment of {assessment.label} created: every element starts as not assessed.", "success")
            return redirect(url_for("standards.assessment", code=standard.code.lower(),
                                    assessment_id=assessment.id), 303)
    found = queries.assessments(standard)
    counts = queries.compliant_counts([a.id for a in found])
    total = len(queries.elements_of(standard))
    rows = [(a, rules.Readiness(compliant=counts.get(a.id, 0), total=total)) for a in found]
    return render_template("standards/assessments.html", standard=standard, rows=rows, typed=typed, error=error,
                           reviews=plan_queries.all_reviews(), sites=sorted({a.site for a in found})), status


def render_assessment(standard, assessment, status: int = 200, **extra):
    pic = queries.picture(standard, assessment)
    return render_template("standards/assessment.html", standard=standard, assessment=assessment, pic=pic,
                           formats=FORMATS, rule=rules.RAG_RULE, rollup_rule=rules.ROLLUP_RULE,
                           ratings=rules.RATING_LABELS, history=queries.history_of_assessment(assessment),
                           **extra), status


@bp.route("/standards/<code>/assessments/<int:assessment_id>")
def assessment(code: str, assessment_id: int):
    standard = queries.get_standard(code)
    return render_assessment(standard, queries.get_assessment(standard, assessment_id))


@bp.route("/standards/<code>/assessments/<int:assessment_id>/elements/<element_code>", methods=["POST"])
def rate(code: str, assessment_id: int, element_code: str):
    standard = queries.get_standard(code)
    found = queries.get_assessment(standard, assessment_id)
    element = queries.find_element(standard, element_code)
    form = request.form
    version = form_version(form)
    submitted = {"rating": form.get("rating", ""), "evidence": form.get("evidence", ""), "note": form.get("note", "")}
    error = conflict = None
    try:
        changed = rate_element(found, element, rating=submitted["rating"], evidence=submitted["evidence"],
                               note=submitted["note"] or None, expected_version=version)
    except Conflict as exc:
        discard_changes()
        conflict = exc
    except Refused as exc:
        discard_changes()
        error = exc
    if conflict or error:
        status = 409 if conflict else 400
        # Whatever was typed comes back in the form: nothing a user typed is lost.
        edit = dict(code=element.code, conflict=conflict, error=error, submitted=submitted)
        if htmx:
            pic = queries.picture(standard, found)
            return render_template("standards/_element_rating.html", standard=standard, assessment=found, pic=pic,
                                   view=pic.by_code[element.code], ratings=rules.RATING_LABELS, edit=edit), status
        return render_assessment(standard, found, status, edit=edit)
    message = f"{element.code} rated {rules.RATING_LABELS[submitted['rating']]}" if changed else \
        f"{element.code}: nothing changed"
    if htmx:
        pic = queries.picture(standard, found)
        return render_template("standards/_rated.html", standard=standard, assessment=found, pic=pic,
                               view=pic.by_code[element.code], ratings=rules.RATING_LABELS, saved=message,
                               rule=rules.RAG_RULE, rollup_rule=rules.ROLLUP_RULE)
    flash(message, "success")
    return redirect(url_for("standards.assessment", code=standard.code.lower(), assessment_id=found.id)
                    + f"#element-{element.code.replace('.', '-')}", 303)


@bp.route("/standards/<code>/assessments/<int:assessment_id>/readiness.<fmt>")
def readiness_download(code: str, assessment_id: int, fmt: str):
    standard = queries.get_standard(code)
    found = queries.get_assessment(standard, assessment_id)
    if fmt not in FORMATS:
        abort(404)
    data = reports.readiness_report(queries.picture(standard, found))
    mimetype, extension = FORMATS[fmt]
    name = f"{standard.code}-readiness-{reports.slug(found.site)}-{found.assessed_on.isoformat()}.{extension}"
    return Response(reports.render_report(data, fmt), mimetype=mimetype,
                    headers=attachment_headers(name))

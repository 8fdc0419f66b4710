"""Self-assessments: list and create, one assessment with its ratings and readiness, downloads.

A rating is saved per element with a plain form (redirecting back) or, with htmx, returns the
re-rendered element and the readiness summary (swapped out of band), so readiness moves as you
rate. A stale version gets a 409 with the person's text kept in the form.
"""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for

from ..domain import readiness as rules
from ..downloads import attachment_headers
from ..forms import show_refusal
from ..htmx import htmx
from ..locking import form_version
from ..plan import queries as plan_queries
from ..refused import Refused
from ..reports.renderers import FORMATS
from ..transactions import discard_changes
from . import queries, reports
from .forms import NewAssessmentForm, RatingForm
from .operations import Conflict, create_assessment, rate_element
from .views import bp


@bp.route("/standards/<code>/assessments", methods=["GET", "POST"])
def assessments(code: str):
    standard = queries.get_standard(code)
    reviews = plan_queries.all_reviews()
    form = NewAssessmentForm().with_reviews(reviews)
    if not form.is_submitted():
        # Evidence from the first review unless another is chosen.
        form.review.data = reviews[0].code if reviews else ""
    elif form.validate():
        chosen = form.review.data or ""
        review = next((r for r in reviews if r.code == chosen), None)
        try:
            if chosen and review is None:
                raise Refused("Choose a review from the list", "review")
            assessment = create_assessment(standard, site=form.site.data or "", assessed_on=form.assessed_on.data,
                                           review=review)
        except Refused as refusal:
            discard_changes()
            show_refusal(form, refusal)
        else:
            flash(f"Assessment of {assessment.label} created: every element starts as not assessed.", "success")
            return redirect(url_for("standards.assessment", code=standard.code.lower(),
                                    assessment_id=assessment.id), 303)
    found = queries.assessments(standard)
    counts = queries.compliant_counts([a.id for a in found])
    total = len(queries.elements_of(standard))
    rows = [(a, rules.Readiness(compliant=counts.get(a.id, 0), total=total)) for a in found]
    return render_template("standards/assessments.html", standard=standard, rows=rows, form=form,
                           sites=sorted({a.site for a in found})), (400 if form.errors else 200)


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


def anchor_of(element) -> str:
    return "element-" + element.code.replace(".", "-")


@bp.app_template_global("rating_form")
def rating_form(view) -> RatingForm:
    """The rating form of one element as the assessment page shows it (the stored rating and version)."""
    form = RatingForm(formdata=None, rating=view.rating, evidence=view.evidence, version=view.version)
    return form.for_element(anchor_of(view.element))


CONFLICT = "Someone else rated {code} while you were editing: their rating is shown, yours is kept in the form"


@bp.route("/standards/<code>/assessments/<int:assessment_id>/elements/<element_code>", methods=["POST"])
def rate(code: str, assessment_id: int, element_code: str):
    standard = queries.get_standard(code)
    found = queries.get_assessment(standard, assessment_id)
    element = queries.find_element(standard, element_code)
    form = RatingForm().for_element(anchor_of(element))
    version = form_version(form.data)  # 400 before anything is read or changed when it is missing
    conflict = None
    if form.validate():
        try:
            changed = rate_element(found, element, rating=form.rating.data or "", evidence=form.evidence.data,
                                   note=form.note.data or None, expected_version=version)
        except Conflict as exc:
            discard_changes()
            conflict = exc
            form.rating.errors = [CONFLICT.format(code=element.code)]
            form.version.data = str(exc.current_version)  # saving again means "mine, over theirs", knowingly
        except Refused as refusal:
            discard_changes()
            show_refusal(form, refusal)
    if form.errors:
        status = 409 if conflict else 400
        # Whatever was typed comes back in the form: nothing a user typed is lost.
        edit = dict(code=element.code, conflict=conflict, form=form)
        if htmx:
            pic = queries.picture(standard, found)
            return render_template("standards/_element_rating.html", standard=standard, assessment=found, pic=pic,
                                   view=pic.by_code[element.code], ratings=rules.RATING_LABELS, edit=edit), status
        return render_assessment(standard, found, status, edit=edit)
    message = f"{element.code} rated {rules.RATING_LABELS[form.rating.data]}" if changed else \
        f"{element.code}: nothing changed"
    if htmx:
        pic = queries.picture(standard, found)
        return render_template("standards/_rated.html", standard=standard, assessment=found, pic=pic,
                               view=pic.by_code[element.code], ratings=rules.RATING_LABELS, saved=message,
                               rule=rules.RAG_RULE, rollup_rule=rules.ROLLUP_RULE)
    flash(message, "success")
    return redirect(url_for("standards.assessment", code=standard.code.lower(), assessment_id=found.id)
                    + f"#{anchor_of(element)}", 303)


@bp.route("/standards/<code>/assessments/<int:assessment_id>/readiness.<fmt>")
def readiness_download(code: str, assessment_id: int, fmt: str):
    standard = queries.get_standard(code)
    found = queries.get_assessment(standard, assessment_id)
    if fmt not in FORMATS:
        abort(404)
    data = reports.readiness_report(queries.picture(standard, found))
    mimetype, extension = FORMATS[fmt]
    name = f"{standard.code}-readiness-{reports.slug(found.site)}-{found.assessed_on.isoformat()}.{extension}"
    return Response(reports.render_report(data, fmt), content_type=mimetype,
                    headers=attachment_headers(name))

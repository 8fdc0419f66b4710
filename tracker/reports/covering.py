"""The covering report's pages: a draft's texts written and carried forward, and the council's own
list of report sections (admins). The report itself is built by covering_builder."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..forms import show_refusal
from ..plan.review_context import review_or_404
from ..refused import Refused
from ..transactions import discard_changes
from . import covering_operations as ops
from .covering_forms import SectionsForm, covering_form
from .covering_sections import DEFAULT_SECTIONS, GENERATED_KINDS, KINDS, sections_text, text_keys
from .views import _get, bp

CONFLICT = ("Someone else saved the covering report while you were editing. Nothing was saved; what you "
            "typed is kept below. Saving again replaces their texts with yours.")


def _theirs(form, saved: dict, sections: list[dict]) -> list[tuple[str, str]]:
    """(label, saved text) of each field where what is saved now differs from what was typed: the
    person sees both before saving again."""
    pairs = [(form.reference.label.text, saved["reference"], form.reference.data),
             (form.contact_officer.label.text, saved["contact_officer"], form.contact_officer.data),
             (form.extension.label.text, saved["extension"], form.extension.data)]
    pairs += [(title, saved["texts"].get(key, ""), form.text_fields[key].data)
              for key, title in text_keys(sections) if key in form.text_fields]
    return [(label, now or "") for label, now, typed in pairs
            if (now or "").strip() != (typed or "").strip().replace("\r\n", "\n")]


@bp.route("/reports/<int:report_id>/covering", methods=["GET", "POST"])
def covering(report_id: int):
    found = _get(report_id)
    if found.published:
        flash("This report is published: its covering report is frozen as the committee was sent it.", "error")
        return redirect(url_for("reports.report", report_id=found.id, part="covering"), 303)
    review = found.review
    sections = ops.sections_for(review.authority_id)
    values = ops.covering_values(found, review)
    keys = text_keys(sections)
    if request.method == "POST":
        form = covering_form(keys)
    else:
        form = covering_form(keys, data={"reference": values["reference"], "contact_officer": values["contact_officer"],
                                         "extension": values["extension"], "version": values["version"] or 0})
        for key, field in form.text_fields.items():
            field.data = values["texts"].get(key, "")
    status, conflict, theirs = 200, False, []
    if form.is_submitted():
        status = 400
        expected = form.posted_version()
        if form.validate():
            try:
                ops.save_covering(found, review, reference=form.reference.data, contact_officer=form.contact_officer.data,
                                  extension=form.extension.data,
                                  texts={key: field.data for key, field in form.text_fields.items()},
                                  expected_version=expected if values["saved"] else None)
                flash("Covering report saved.", "success")
                return redirect(url_for("reports.report", report_id=found.id, part="covering"), 303)
            except ops.Conflict:
                discard_changes()
                conflict, status = True, 409
                saved = ops.covering_values(found, review)
                form.version.data = str(saved["version"] or 0)
                theirs = _theirs(form, saved, sections)
            except Refused as exc:
                discard_changes()
                name = form.text_fields[exc.field].name if exc.field in form.text_fields else exc.field
                show_refusal(form, Refused(exc.message, name))
    return render_template("reports/covering.html", form=form, report=found, review=review, sections=sections,
                           generated=GENERATED_KINDS, conflict=conflict and CONFLICT, theirs=theirs), status


@bp.route("/reports/sections", methods=["GET", "POST"])
def covering_sections():
    review = review_or_404()
    authority_id = review.authority_id
    settings = ops.settings_for(authority_id)
    form = SectionsForm()
    if not form.is_submitted():
        form.sections.data = sections_text(ops.sections_for(authority_id))
        form.version.data = str(settings.version if settings else 0)
    status = 200
    if form.is_submitted():
        status = 400
        expected = form.posted_version()
        if form.validate():
            try:
                ops.save_sections(authority_id, form.sections.data, by=current_user,
                                  expected_version=expected if settings else None)
                flash("The covering report's sections are saved; every draft report now follows them.", "success")
                return redirect(url_for("reports.covering_sections"), 303)
            except ops.Conflict:
                discard_changes()
                form.sections.errors = [*form.sections.errors, CONFLICT]
                form.version.data = str(ops.settings_for(authority_id).version)
                status = 409
            except Refused as exc:
                discard_changes()
                show_refusal(form, exc)
    return render_template("reports/sections.html", form=form, review=review, kinds=KINDS,
                           default=sections_text(DEFAULT_SECTIONS)), status


"""Projects that measures wait on: their status and date, and what can start when one finishes."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..forms import show_refusal
from ..http_cache import stored_page
from ..locking import form_version
from ..models import Project
from ..plan import queries as plan_queries
from ..plan.operations import Conflict, release_measures, update_project
from ..plan.review_context import review_or_404
from ..refused import Refused
from ..transactions import discard_changes
from . import queries
from .forms import ProjectForm, ReleaseForm

bp = Blueprint("projects", __name__)

CONFLICT = ("Someone else changed this project while you were editing; their values are shown, "
            "yours are kept in the form")


def _get(code: str) -> Project:
    return queries.project_of(review_or_404(), code) or abort(404)


@bp.route("/projects")
@stored_page
def projects():
    review = review_or_404()
    waiting = dict((p.id, n) for p, n in plan_queries.waiting_on_projects(review))
    return render_template("projects/projects.html", review=review, projects=plan_queries.projects(review),
                           waiting=waiting)


def _page(project: Project, status: int = 200, *, form: ProjectForm | None = None,
          release: ReleaseForm | None = None):
    if form is None:
        form = ProjectForm(formdata=None, status=project.status, expected_on=project.expected_on,
                           version=project.version)
    release = release or ReleaseForm(formdata=None)
    measures = queries.waiting_measures(project)
    if measures:
        # The checkboxes are the rows of the table: the error summary links to the first one.
        release.measure.id = f"measure-{measures[0].id}"
    return render_template("projects/project.html", project=project, measures=measures, form=form,
                           release=release, review=review_or_404()), status


@bp.route("/projects/<code>", methods=["GET", "POST"])
def project(code: str):
    found = _get(code)
    if request.method == "GET":
        return _page(found)
    form = ProjectForm()
    version = form_version(form.data)  # 400 before anything is read or changed when it is missing
    if not form.validate():
        return _page(found, 400, form=form)
    was_complete = found.status == "complete"
    try:
        update_project(found, status=form.status.data or "", expected_on=form.expected_on.data,
                       note=form.note.data or None, expected_version=version)
    except Conflict:
        discard_changes()
        form.form_errors.append(CONFLICT)
        form.version.data = str(found.version)  # saving again means "mine, over theirs", knowingly
        return _page(found, 409, form=form)
    except Refused as refusal:
        discard_changes()
        show_refusal(form, refusal)
        return _page(found, 400, form=form)
    if found.status == "complete" and not was_complete:
        flash(f"{found.name} is complete. The measures below waited on it: choose which can now start.", "success")
    else:
        flash(f"{found.name} saved", "success")
    return redirect(url_for("projects.project", code=found.code), 303)


@bp.route("/projects/<code>/release", methods=["POST"])
def release(code: str):
    found = _get(code)
    form = ReleaseForm()
    ids = form.measure_ids()
    measures = [m for m in queries.waiting_measures(found) if m.id in ids]
    try:
        if not form.validate():
            raise Refused("Nothing was moved: check the form and try again")
        if not ids:
            raise Refused("Select at least one measure", "measure")
        if len(measures) < len(ids):
            # Released (or changed) by someone else since the page was loaded; a race past this
            # read is caught by the measures' version counter (409).
            raise Refused(f"Some of the selected measures no longer wait on {found.name}: someone else "
                          "has moved them. Nothing was changed; check the list and try again", "measure")
        moved = release_measures(measures, form.category.data or "",
                                 note=f"{found.name} is {found.status.replace('_', ' ')}")
    except Refused as refusal:
        discard_changes()
        show_refusal(form, refusal)
        return _page(found, 400, release=form)
    flash(f"{moved} measure{'s' if moved != 1 else ''} moved to "
          f"{(form.category.data or '').replace('_', ' ')}", "success")
    return redirect(url_for("projects.project", code=found.code), 303)

"""Projects that measures wait on: their status and date, and what can start when one finishes."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.status import CATEGORIES, CLOSED
from ..extensions import db
from ..transactions import discard_changes
from ..locking import form_version
from ..models import Action, Measure, Project
from ..plan import queries
from ..plan.review_context import review_or_404
from ..plan.operations import Conflict, Refused, release_measures, update_project

bp = Blueprint("projects", __name__)


def _waiting(project: Project) -> list[Measure]:
    return db.session.scalars(
        select(Measure).where(Measure.depends_on_id == project.id, Measure.status.notin_(tuple(CLOSED)))
        .join(Action).order_by(Action.review_id, Action.position, Measure.number)
        .options(selectinload(Measure.action).selectinload(Action.review))).all()


def _get(code: str) -> Project:
    review = review_or_404()
    project = db.session.scalar(select(Project).where(Project.authority_id == review.authority_id,
                                                      Project.code == code))
    return project or abort(404)


@bp.route("/projects")
def projects():
    review = review_or_404()
    waiting = dict((p.id, n) for p, n in queries.waiting_on_projects(review))
    return render_template("projects/projects.html", review=review, projects=queries.projects(review),
                           waiting=waiting)


def _page(project, status=200, **extra):
    return render_template("projects/project.html", project=project, measures=_waiting(project),
                           categories=CATEGORIES, review=review_or_404(), **extra), status


@bp.route("/projects/<code>", methods=["GET", "POST"])
def project(code: str):
    found = _get(code)
    if request.method == "GET":
        return _page(found)
    version = form_version(request.form)
    typed = {k: request.form.get(k, "") for k in ("status", "expected_on", "note")}
    try:
        expected = None
        if typed["expected_on"].strip():
            try:
                expected = dt.date.fromisoformat(typed["expected_on"].strip())
            except ValueError:
                raise Refused("Enter the expected date as YYYY-MM-DD, for example 2027-03-31", "expected_on")
        was_complete = found.status == "complete"
        update_project(found, status=typed["status"], expected_on=expected, note=typed["note"] or None,
                       expected_version=version)
    except Conflict:
        discard_changes()
        return _page(found, 409, error="Someone else changed this project while you were editing; "
                                       "their values are shown, yours are kept in the form", typed=typed)
    except Refused as error:
        discard_changes()
        return _page(found, 400, error=str(error), typed=typed)
    if found.status == "complete" and not was_complete:
        flash(f"{found.name} is complete. The measures below waited on it: choose which can now start.", "success")
    else:
        flash(f"{found.name} saved", "success")
    return redirect(url_for("projects.project", code=found.code), 303)


@bp.route("/projects/<code>/release", methods=["POST"])
def release(code: str):
    found = _get(code)
    ids = {int(i) for i in request.form.getlist("measure") if i.isdigit()}
    measures = [m for m in _waiting(found) if m.id in ids]
    try:
        if not ids:
            raise Refused("Select at least one measure", "measure")
        if len(measures) < len(ids):
            # Released (or changed) by someone else since the page was loaded; a race past this
            # read is caught by the measures' version counter (409).
            raise Refused(f"Some of the selected measures no longer wait on {found.name}: someone else "
                                  "has moved them. Nothing was changed; check the list and try again", "measure")
        moved = release_measures(measures, request.form.get("category", ""),
                                 note=f"{found.name} is {found.status.replace('_', ' ')}")
    except Refused as error:
        discard_changes()
        return _page(found, 400, release_error=str(error), selected=set(ids))
    flash(f"{moved} measure{'s' if moved != 1 else ''} moved to "
          f"{request.form.get('category', '').replace('_', ' ')}", "success")
    return redirect(url_for("projects.project", code=found.code), 303)

"""Pages where a manager reshapes the plan: actions and measures added, edited, reordered, retired
and reinstated; the review and its themes edited; what a measure waits on set by hand.

Every page is a plain form (no JavaScript needed). Edits carry the row's version: a form without
it is refused with 400 (tracker/locking.py); a stale one gets 409 with what is saved now shown
and what was typed kept in the form. Bad input gets 400 with a GOV.UK error summary and nothing
changed. Only roles with ``edit_plan`` reach these views (permissions.ACCESS).
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..forms import show_refusal
from ..models import Theme
from ..transactions import discard_changes
from . import queries
from . import structure_ops as ops
from .forms import HIDDEN
from .operations import Conflict, Refused, find_or_create_owner
from .review_context import review_or_404
from .structure_forms import (
    EditActionForm,
    EditMeasureForm,
    NewActionForm,
    NewMeasureForm,
    NewThemeForm,
    RetireForm,
    ReviewForm,
    StructureButtonForm,
    ThemeForm,
    WaitsOnForm,
)
from .views import action_or_404, bp

STALE = "Someone else changed this while you were editing"


def _submit(form, operation, *, versioned: bool = True):
    """Validate the form and run ``operation(version)``; commit on success.

    Returns (result, None) or (None, status) with the form's errors set: 400 for bad input,
    409 (and ``form.conflict``) when the row changed since the form was built.
    """
    version = form.posted_version() if versioned else None
    form.conflict = None
    if not form.validate():
        return None, 400
    try:
        result = operation(version)
        return result, None
    except Conflict as conflict:
        discard_changes()
        form.conflict = conflict
        return None, 409
    except Refused as error:
        discard_changes()
        if error.field not in form or form[error.field].type in HIDDEN:
            # Shown on the first field rather than lost: the error summary links to a field.
            error = Refused(error.message, next(f.name for f in form if f.type not in HIDDEN))
        show_refusal(form, error)
        return None, 400


def _page(form, status: int = 200, *, heading: str, caption: str, back: str, back_text: str,
          submit: str | None = None, intro: str | None = None, fresh_version: int | None = None):
    if submit:
        form.submit.label.text = submit
    conflict = getattr(form, "conflict", None)
    if conflict is not None and fresh_version is not None:
        # Saving again applies the typed text over what is saved now: the person has seen both.
        form.version.data = str(fresh_version)
    return render_template("plan/structure/form.html", form=form, conflict=conflict, heading=heading,
                           caption=caption, back=back, back_text=back_text, intro=intro), status


def _action_url(review, action, anchor: str = "") -> str:
    return url_for("plan.action", ref=action.ref, review=review.code) + anchor


def _done(message: str, to: str):
    flash(message, "success")
    return redirect(to, 303)


def _theme_choices(review):
    return [(t.code, t.name) for t in review.themes]


def _theme_of(review, code: str | None) -> Theme | None:
    return next((t for t in review.themes if t.code == code), None)


def _measure(action, number: int):
    return next((m for m in action.measures if m.number == number), None) or abort(404)


def _version_or_409(form: StructureButtonForm, obj) -> int:
    """Buttons (move, reinstate) carry the version too; a stale click changes nothing."""
    version = form.posted_version()
    if version != obj.version:
        abort(409, description=f"{STALE}: nothing was changed. Reload the page to see the current plan and "
                               "try again.")
    return version


# --- actions ---

@bp.route("/actions/new", methods=["GET", "POST"])
def new_action():
    review = review_or_404()
    form = NewActionForm()
    form.theme.choices = _theme_choices(review)
    if request.method == "GET":
        theme = _theme_of(review, request.args.get("theme")) or (review.themes[0] if review.themes else None)
        if theme is None:
            abort(404)
        form.theme.data = theme.code
        form.ref.data = ops.suggest_ref(review, theme)
        status = 200
    else:
        def add(_):
            theme = _theme_of(review, form.theme.data)
            if theme is None:
                raise Refused("Choose a theme of this review", "theme")
            owner = None
            if (form.owner_name.data or "").strip():
                owner = find_or_create_owner(review.authority_id, form.owner_name.data,
                                             form.business_unit.data or "")
            elif (form.business_unit.data or "").strip():
                raise Refused("Enter the owner's name, or leave the business unit empty", "owner_name")
            own = form.shape.data == "progress"
            return ops.add_action(review, theme, ref=form.ref.data or "", title=form.title.data or "",
                                  detail=form.detail.data, target_date=form.target_date.data, owner=owner,
                                  progress=(form.progress.data or "") if own else None)
        action, status = _submit(form, add, versioned=False)
        if action is not None and action.own_progress is not None:
            return _done(f"{action.ref} added, with its progress on the action.", _action_url(review, action))
        if action is not None:
            return _done(f"{action.ref} added. Now add its measures.",
                         url_for("plan.new_measure", ref=action.ref, review=review.code))
    return _page(form, status, heading="Add an action", caption=f"{review.code} – {review.title}",
                 back=url_for("plan.actions", review=review.code), back_text="Action plan",
                 intro="The ref id is suggested from this review's pattern and the theme's last action. "
                       "Ref ids are never reused, even when an action is retired.")


@bp.route("/actions/<path:ref>/edit", methods=["GET", "POST"])
def edit_action(ref: str):
    review = review_or_404()
    action = action_or_404(review, ref)
    form = EditActionForm(obj=action if request.method == "GET" else None)
    form.theme.choices = _theme_choices(review)
    status = 200
    if request.method == "GET":
        form.theme.data, form.version.data = action.theme.code, str(action.version)
    else:
        changed, status = _submit(form, lambda version: ops.edit_action(
            action, title=form.title.data or "", detail=form.detail.data, theme=_theme_of(review, form.theme.data),
            # A form posted without the comment box (an older page) leaves the comment as it is.
            comment=(form.comment.data or "") if form.comment.raw_data else None,
            note=form.note.data or None, expected_version=version))
        if status is None:
            return _done(f"{action.ref} saved" if changed else "Nothing changed", _action_url(review, action))
    return _page(form, status, heading=f"Edit {action.ref}", caption=action.title,
                 back=_action_url(review, action), back_text=action.ref, fresh_version=action.version)


@bp.route("/actions/<path:ref>/move", methods=["POST"])
def move_action(ref: str):
    review = review_or_404()
    action = action_or_404(review, ref)
    form = StructureButtonForm()
    version = _version_or_409(form, action)
    direction = form.direction.data or ""
    try:
        moved = ops.move_action(action, direction, expected_version=version)
    except Refused as error:
        discard_changes()
        abort(400, description=str(error))
    return _done(f"{action.ref} moved {direction}" if moved else f"{action.ref} is already at the "
                 f"{'top' if direction == 'up' else 'bottom'} of {action.theme.name}", _action_url(review, action))


@bp.route("/actions/<path:ref>/retire", methods=["GET", "POST"])
def retire_action(ref: str):
    review = review_or_404()
    action = action_or_404(review, ref)
    form = RetireForm()
    status = 200
    if request.method == "GET":
        form.version.data = str(action.version)
    else:
        _, status = _submit(form, lambda version: ops.retire_action(action, reason=form.reason.data or "",
                                                                    expected_version=version))
        if status is None:
            return _done(f"{action.ref} retired. It stays in the history and can be reinstated.",
                         _action_url(review, action))
    return _page(form, status, heading=f"Retire {action.ref}", caption=action.title, submit=f"Retire {action.ref}",
                 back=_action_url(review, action), back_text=action.ref, fresh_version=action.version,
                 intro="A retired action leaves the working lists and status roll-ups.")


@bp.route("/actions/<path:ref>/reinstate", methods=["POST"])
def reinstate_action(ref: str):
    review = review_or_404()
    action = action_or_404(review, ref)
    version = _version_or_409(StructureButtonForm(), action)
    changed = ops.reinstate_action(action, expected_version=version)
    return _done(f"{action.ref} reinstated" if changed else f"{action.ref} was not retired", _action_url(review, action))


# --- measures ---

@bp.route("/actions/<path:ref>/measures/new", methods=["GET", "POST"])
def new_measure(ref: str):
    review = review_or_404()
    action = action_or_404(review, ref)
    form = NewMeasureForm()
    status = 200
    if request.method == "POST":
        measure, status = _submit(form, lambda _: ops.add_measure(
            action, text=form.text.data or "", measured_output=form.measured_output.data or "",
            category=form.status.data or None), versioned=False)
        if status is None:
            return _done(f"Measure {measure.number} added to {action.ref}",
                         _action_url(review, action, f"#measure-{measure.number}"))
    intro = (f"{action.ref} holds its progress on the action itself. The measure you add becomes measure 1 and "
             "takes over that progress text and status as its measured output, unless you enter others."
             if action.own_progress else None)
    return _page(form, status, heading=f"Add a measure to {action.ref}", caption=action.title,
                 back=_action_url(review, action), back_text=action.ref, intro=intro)


@bp.route("/actions/<path:ref>/measures/<int:number>/edit", methods=["GET", "POST"])
def edit_measure(ref: str, number: int):
    review = review_or_404()
    action = action_or_404(review, ref)
    measure = _measure(action, number)
    form = EditMeasureForm()
    status = 200
    if request.method == "GET":
        form.text.data, form.version.data = measure.text, str(measure.version)
    else:
        changed, status = _submit(form, lambda version: ops.edit_measure_text(
            measure, text=form.text.data or "", note=form.note.data or None, expected_version=version))
        if status is None:
            return _done(f"Measure {number} of {action.ref} saved" if changed else "Nothing changed",
                         _action_url(review, action, f"#measure-{number}"))
    return _page(form, status, heading=f"Edit measure {number} of {action.ref}", caption=action.title,
                 back=_action_url(review, action, f"#measure-{number}"), back_text=action.ref,
                 fresh_version=measure.version)


@bp.route("/actions/<path:ref>/measures/<int:number>/move", methods=["POST"])
def move_measure(ref: str, number: int):
    review = review_or_404()
    action = action_or_404(review, ref)
    measure = _measure(action, number)
    form = StructureButtonForm()
    version = _version_or_409(form, measure)
    direction = form.direction.data or ""
    try:
        moved = ops.move_measure(measure, direction, expected_version=version)
    except Refused as error:
        discard_changes()
        abort(400, description=str(error))
    return _done(f"Measure {number} moved {direction}" if moved else f"Measure {number} is already at the "
                 f"{'top' if direction == 'up' else 'bottom'}", _action_url(review, action, f"#measure-{number}"))


@bp.route("/actions/<path:ref>/measures/<int:number>/retire", methods=["GET", "POST"])
def retire_measure(ref: str, number: int):
    review = review_or_404()
    action = action_or_404(review, ref)
    measure = _measure(action, number)
    form = RetireForm()
    status = 200
    if request.method == "GET":
        form.version.data = str(measure.version)
    else:
        _, status = _submit(form, lambda version: ops.retire_measure(measure, reason=form.reason.data or "",
                                                                     expected_version=version))
        if status is None:
            return _done(f"Measure {number} of {action.ref} retired", _action_url(review, action, "#retired-measures"))
    return _page(form, status, heading=f"Retire measure {number} of {action.ref}", caption=measure.text,
                 submit=f"Retire measure {number}", back=_action_url(review, action, f"#measure-{number}"),
                 back_text=action.ref, fresh_version=measure.version,
                 intro="A retired measure leaves the action's status roll-up.")


@bp.route("/actions/<path:ref>/measures/<int:number>/reinstate", methods=["POST"])
def reinstate_measure(ref: str, number: int):
    review = review_or_404()
    action = action_or_404(review, ref)
    measure = _measure(action, number)
    version = _version_or_409(StructureButtonForm(), measure)
    changed = ops.reinstate_measure(measure, expected_version=version)
    return _done(f"Measure {number} reinstated" if changed else f"Measure {number} was not retired",
                 _action_url(review, action, f"#measure-{number}"))


@bp.route("/actions/<path:ref>/measures/<int:number>/waits-on", methods=["GET", "POST"])
def measure_waits_on(ref: str, number: int):
    review = review_or_404()
    action = action_or_404(review, ref)
    measure = _measure(action, number)
    projects = queries.projects(review)
    form = WaitsOnForm()
    form.project.choices = [("", "Nothing")] + [(p.code, p.name) for p in projects]
    status = 200
    if request.method == "GET":
        form.project.data = measure.depends_on.code if measure.depends_on else ""
        form.version.data = str(measure.version)
    else:
        def save(version):
            project = next((p for p in projects if p.code == form.project.data), None) if form.project.data else None
            return ops.set_waits_on(measure, project, note=form.note.data or None, expected_version=version)
        changed, status = _submit(form, save)
        if status is None:
            return _done(f"Measure {number} of {action.ref} saved" if changed else "Nothing changed",
                         _action_url(review, action, f"#measure-{number}"))
    return _page(form, status, heading=f"What measure {number} of {action.ref} waits on", caption=measure.text,
                 back=_action_url(review, action, f"#measure-{number}"), back_text=action.ref,
                 fresh_version=measure.version)


# --- review and themes ---

@bp.route("/review/edit", methods=["GET", "POST"])
def edit_review():
    review = review_or_404()
    form = ReviewForm(obj=review if request.method == "GET" else None)
    status = 200
    if request.method == "GET":
        form.version.data = str(review.version)
    else:
        changed, status = _submit(form, lambda version: ops.edit_review(
            review, title=form.title.data or "", description=form.description.data, expected_version=version))
        if status is None:
            return _done("Review saved" if changed else "Nothing changed", url_for("plan.actions", review=review.code))
    return _page(form, status, heading=f"Edit review {review.code}", caption=review.title,
                 back=url_for("plan.actions", review=review.code), back_text="Action plan",
                 fresh_version=review.version)


@bp.route("/themes/<code>/edit", methods=["GET", "POST"])
def edit_theme(code: str):
    review = review_or_404()
    theme = _theme_of(review, code) or abort(404)
    form = ThemeForm()
    status = 200
    if request.method == "GET":
        form.name.data, form.version.data = theme.name, str(theme.version)
    else:
        changed, status = _submit(form, lambda version: ops.rename_theme(theme, name=form.name.data or "",
                                                                          expected_version=version))
        if status is None:
            return _done(f"Theme {theme.code} renamed" if changed else "Nothing changed",
                         url_for("plan.actions", review=review.code))
    return _page(form, status, heading=f"Rename theme {theme.code}", caption=f"{review.code} – {review.title}",
                 back=url_for("plan.actions", review=review.code), back_text="Action plan",
                 fresh_version=theme.version)


@bp.route("/themes/new", methods=["GET", "POST"])
def new_theme():
    review = review_or_404()
    form = NewThemeForm()
    status = 200
    if request.method == "POST":
        theme, status = _submit(form, lambda _: ops.add_theme(review, code=form.code.data or "",
                                                               name=form.name.data or ""), versioned=False)
        if status is None:
            return _done(f"Theme {theme.code} added", url_for("plan.new_action", theme=theme.code, review=review.code))
    return _page(form, status, heading="Add a theme", caption=f"{review.code} – {review.title}",
                 back=url_for("plan.actions", review=review.code), back_text="Action plan")


@bp.app_template_global()
def structure_button_form(row, direction: str = "") -> StructureButtonForm:
    """The hidden fields of a move or reinstate button: the row's version as the page shows it."""
    form = StructureButtonForm(formdata=None)
    form.version.data, form.direction.data = str(row.version), direction
    return form

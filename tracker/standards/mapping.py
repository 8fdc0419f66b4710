"""Linking actions to the standard elements they provide evidence for, from either side.

From an element page: search the plan's actions and map one. From an action page: search the
elements of every standard and map one. Plain forms and links first (a search is a GET, a link or
unlink a POST that redirects back); with htmx the results update as you type and a POST returns
the re-rendered section it came from.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..forms import show_refusal
from ..htmx import htmx
from ..models import Action
from ..plan.review_context import review_or_404
from ..refused import Refused
from ..transactions import discard_changes
from . import queries
from .forms import MappingForm
from .operations import element_label, link_action, link_whys, unlink_action
from .views import bp, element_context

BACKS = ("element", "action", "picker")


@bp.app_template_global("mapping_whys")
def mapping_whys(action) -> dict[int, str | None]:
    """Element id -> why the action is mapped to it; a global because the action page (plan views)
    includes the mapping section too."""
    return link_whys(action)


def action_picker_context(review, action, q: str | None = None, **extra) -> dict:
    q = (q if q is not None else request.args.get("q", "")).strip()
    return dict(review=review, action=action, element_q=q,
                element_results=queries.search_elements(q) if q else None, **extra)


def _get_action(review, ref: str) -> Action:
    return queries.find_action(review, ref) or abort(404)


@bp.route("/standards-mapping/<path:ref>")
def action_elements(ref: str):
    """The elements an action is mapped to, and a search to map more (the action page's no-JS path)."""
    review = review_or_404()
    action = _get_action(review, ref)
    context = action_picker_context(review, action)
    if htmx and htmx.target == "element-picker-results":
        return render_template("standards/_element_picker_results.html", **context)
    return render_template("standards/action_elements.html", **context)


def _refused(form: MappingForm, standard, element, review, action, back: str, q: str):
    """The page (or, with htmx, the section) the form came from, with what was wrong."""
    on_element = back == "element" or action is None
    # The search box is where a person chooses what to map: the error summary links there.
    for field in form:
        field.id = "action-q" if on_element else "element-q"
    if on_element:
        context = element_context(standard, element, q=q, mapping_form=form)
        if htmx:
            return render_template("standards/_element_actions.html", **context), 400
        return render_template("standards/element.html", assessed=[], **context), 400
    context = action_picker_context(review, action, q, mapping_form=form)
    if htmx:
        return render_template("standards/_action_elements.html", picker_page=back == "picker", **context), 400
    return render_template("standards/action_elements.html", **context), 400


def _change_link(code: str, element_code: str, operation):
    standard = queries.get_standard(code)
    element = queries.find_element(standard, element_code)
    review = review_or_404()
    form = MappingForm()
    ref, q = (form.ref.data or "").strip(), (form.q.data or "").strip()
    back = form.back.data if form.back.data in BACKS else "element"
    action = None
    try:
        if not form.validate():
            raise Refused("Nothing was changed: check the form and try again")
        if not ref:
            raise Refused("Choose an action to map", "ref")
        action = queries.find_action(review, ref)
        if action is None:
            raise Refused(f"There is no action {ref} in review {review.code}", "ref")
        was_linked = element in action.elements
        if operation is link_action:
            changed = link_action(action, element, why=form.why.data, note=form.note.data or None)
        else:
            changed = operation(action, element, note=form.note.data or None)
    except Refused as refusal:
        discard_changes()
        show_refusal(form, refusal)
        return _refused(form, standard, element, review, action, back, q)
    verb = ("reason saved for" if was_linked else "mapped to") if operation is link_action else "no longer mapped to"
    message = f"{action.ref} {verb} {element_label(element)}" if changed else "Nothing changed"
    if htmx:
        if back == "element":
            return render_template("standards/_element_actions.html", saved=message,
                                   **element_context(standard, element, q=q))
        return render_template("standards/_action_elements.html", saved=message, picker_page=back == "picker",
                               **action_picker_context(review, action, q))
    flash(message, "success")
    if back == "action":
        return redirect(url_for("plan.action", ref=action.ref, review=review.code) + "#standard-elements", 303)
    if back == "picker":
        return redirect(url_for("standards.action_elements", ref=action.ref, review=review.code, q=q or None), 303)
    return redirect(url_for("standards.element", code=standard.code.lower(), element_code=element.code,
                            review=review.code, q=q or None) + "#element-actions", 303)


@bp.route("/standards/<code>/elements/<element_code>/actions", methods=["POST"])
def link_element(code: str, element_code: str):
    return _change_link(code, element_code, link_action)


@bp.route("/standards/<code>/elements/<element_code>/actions/remove", methods=["POST"])
def unlink_element(code: str, element_code: str):
    return _change_link(code, element_code, unlink_action)

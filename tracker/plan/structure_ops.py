"""Reshaping the plan in the pages: add, edit, reorder, retire and reinstate actions and measures;
edit a review and its themes; set what a measure waits on by hand.

Same rules as tracker/plan/operations.py: each function checks the version the form was built
from (Conflict when stale), flushes, and records every change in the words the pages show
("theme: Environment → Ownership", not ids). Nothing is ever deleted: a retired item keeps its
ref or number, its history, and can be reinstated.
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from .. import history
from ..domain import status as status_rules
from ..domain.refs import BadPattern, check_ref, compile_pattern
from ..extensions import db
from ..models import Action, Measure, Owner, Project, Review, Theme, utcnow
from ..models.plan import OWN_PROGRESS
from .operations import Conflict, Refused, check_version, measure_label, rule_projects, update_measure

TITLE_MAX = 2000
COMMENT_MAX = 10000
NAME_MAX = 200
CODE_RE = re.compile(r"[A-Za-z]{1,20}")


def _required(value: str | None, message: str, field: str, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise Refused(message, field)
    if limit and len(value) > limit:
        raise Refused(f"{message.replace('Enter', 'Shorten')} to {limit:,} characters or fewer", field)
    return value


def _checked(obj, expected_version, current: dict, submitted: dict) -> None:
    """check_version, with both sides in the Conflict so the page can show theirs and keep ours."""
    try:
        check_version(obj, expected_version)
    except Conflict as conflict:
        conflict.current, conflict.submitted = current, submitted
        raise


def _record(obj, entity_type: str, field: str, before, after, *, label: str, review_id: int, note=None, by=None):
    history.record(entity_type=entity_type, entity_id=obj.id, field=field, before=before, after=after, by=by,
                   note=note, review_id=review_id, label=label)


# --- ref ids ---

def _theme_pattern(review: Review, theme: Theme) -> re.Pattern:
    return re.compile(review.ref_pattern.replace("{theme}", re.escape(theme.code)))


def suggest_ref(review: Review, theme: Theme) -> str:
    """The next free ref id in this theme, or "" when none can be worked out (the person types one).

    Each number of the theme's last ref is counted on: from the review's highest value when that
    number is a running count across the review (no value repeats, like CC-88 in CC-88-ENV-29),
    else from the theme's highest (ENV-29). A theme with no action yet starts its own count at 1."""
    refs = db.session.scalars(select(Action.ref).where(Action.review_id == review.id)).all()
    of_theme = db.session.scalars(select(Action.ref).where(Action.theme_id == theme.id)
                                  .order_by(Action.position)).all()
    numbers = lambda ref: [m for m in re.finditer(r"\d+", ref)]  # noqa: E731
    last = of_theme[-1] if of_theme else None
    if last is None and refs:  # a new theme: the review's last ref, with this theme's code in it
        template = db.session.scalar(select(Action.ref).where(Action.review_id == review.id)
                                     .order_by(Action.position.desc()).limit(1))
        try:
            match = compile_pattern(review.ref_pattern).fullmatch(template) if template else None
        except BadPattern:
            match = None
        if match and "theme" in match.groupdict():
            last = template[:match.start("theme")] + theme.code + template[match.end("theme"):]
    if last is not None:
        groups = numbers(last)
        candidate, cut = "", 0
        for k, group in enumerate(groups):
            everywhere = [int(ms[k].group()) for ms in map(numbers, refs) if len(ms) == len(groups)]
            in_theme = [int(ms[k].group()) for ms in map(numbers, of_theme) if len(ms) == len(groups)]
            running = len(everywhere) == len(set(everywhere))
            nxt = max((everywhere if running else in_theme) or [0]) + 1
            candidate += last[cut:group.start()] + str(nxt).zfill(len(group.group()))
            cut = group.end()
        candidate += last[cut:]
    else:
        candidate = review.ref_pattern.replace("{theme}", theme.code)
        candidate = re.sub(r"\\d\{(\d+)\}", lambda g: "1".zfill(int(g.group(1))), candidate)
        candidate = re.sub(r"\\d\+?", "1", candidate).replace("\\", "")
    try:
        if not _theme_pattern(review, theme).fullmatch(candidate) or candidate in set(refs):
            return ""
    except (re.error, BadPattern):
        return ""
    return candidate


def _check_new_ref(review: Review, theme: Theme, ref: str) -> str:
    ref = _required(ref, "Enter a ref id", "ref", 40)
    try:
        compile_pattern(review.ref_pattern)
    except BadPattern as exc:  # an imported pattern that cannot be checked: refuse rather than guess
        raise Refused(f"Ref ids cannot be checked: {exc}", "ref") from None
    result = check_ref(ref, review.ref_pattern, theme.code)
    if not result.ok:
        example = suggest_ref(review, theme)
        like = f", like {example}" if example else ""
        if "names theme" in result.message:
            raise Refused(f"Enter a ref id for theme {theme.code}{like}: {result.message}", "ref")
        raise Refused(f"Enter a ref id in this review's form{like}: {ref} does not follow this review's "
                              f"pattern", "ref")
    if db.session.scalar(select(Action.id).where(Action.review_id == review.id, Action.ref == ref)):
        raise Refused(f"{ref} is already used in this review (ref ids are never reused, even when "
                              "retired); choose another", "ref")
    return ref


# --- actions ---

def add_action(review: Review, theme: Theme, *, ref: str, title: str, detail: str | None = None,
               target_date: dt.date | None = None, owner: Owner | None = None, progress: str | None = None,
               by=None) -> Action:
    """A new action at the end of its theme. ``progress`` None: it will have numbered measures
    (added next); a text, even empty: it holds its progress itself (``record_progress_on_action``)."""
    if theme.review_id != review.id:
        raise Refused("Choose a theme of this review", "theme")
    ref = _check_new_ref(review, theme, ref)
    title = _required(title, "Enter the action's title", "title", TITLE_MAX)
    # Placed after the theme's last action, so the plan's order (and Appendix B's) keeps themes together.
    last = db.session.scalar(select(func.max(Action.position)).where(Action.theme_id == theme.id))
    if last is None:
        last = db.session.scalar(select(func.max(Action.position)).where(Action.review_id == review.id)) or 0
    for later in db.session.scalars(select(Action).where(Action.review_id == review.id, Action.position > last)):
        later.position += 1
    action = Action(review_id=review.id, ref=ref, title=title, detail=(detail or "").strip() or None,
                    theme_id=theme.id, position=last + 1, owner_id=owner.id if owner else None,
                    target_date=target_date, original_target_date=target_date, updated_at=utcnow())
    db.session.add(action)
    db.session.flush()
    _record(action, "action", "created", None, f"{ref} {title} (under {theme.name})", label=ref,
            review_id=review.id, by=by)
    if progress is not None:
        record_progress_on_action(action, text=progress, by=by)
    return action


def record_progress_on_action(action: Action, *, text: str = "", category: str | None = None, by=None) -> Measure:
    """Make the action hold its progress itself, with no numbered measures: its one unnumbered
    measure (number 0, no text), whose progress text and status are then set by ``update_measure``,
    the operation every measure's progress goes through (status words, status to check, history).

    Refused when the action already holds its progress, or has numbered measures (retired ones
    included: they are still printed and can be reinstated), since an action has one shape."""
    if action.own_progress is not None:
        raise Refused(f"{action.ref} already holds its progress on the action", "progress")
    if action.numbered_measures:
        raise Refused(f"{action.ref} has numbered measures: its progress is recorded on each of them", "progress")
    if category not in (None, "") and category not in status_rules.CATEGORIES:
        raise Refused(f"Choose a status from the list ({category!r} is not one)", "status")
    measure = Measure(action_id=action.id, number=OWN_PROGRESS, position=0, text="", measured_output="",
                      status="not_started", updated_at=utcnow())
    db.session.add(measure)
    db.session.flush()
    db.session.refresh(action, ["measures"])
    _record(measure, "measure", "created", None, "Progress held on the action (no numbered measures)",
            label=measure_label(measure), review_id=action.review_id, by=by)
    if (text or "").strip() or category:
        update_measure(measure, category=category or None, text=text, by=by)
    return measure


def edit_action(action: Action, *, title: str, detail: str | None, theme: Theme, comment: str | None = None,
                note: str | None = None, by=None, expected_version=None) -> bool:
    """``comment`` is Appendix B's Comment column; None leaves it as it is (callers that do not offer it)."""
    title_in, detail_in = (title or "").strip(), (detail or "").strip()
    comment_in = None if comment is None else comment.strip().replace("\r\n", "\n")
    current = {"title": action.title, "detail": action.detail or "", "theme": action.theme.code}
    submitted = {"title": title_in, "detail": detail_in, "theme": theme.code if theme else ""}
    if comment_in is not None:
        current["comment"], submitted["comment"] = action.comment or "", comment_in
    _checked(action, expected_version, current, submitted)
    title = _required(title, "Enter the action's title", "title", TITLE_MAX)
    if theme is None or theme.review_id != action.review_id:
        raise Refused("Choose a theme of this review", "theme")
    if comment_in is not None and len(comment_in) > COMMENT_MAX:
        raise Refused(f"Shorten the comment to {COMMENT_MAX:,} characters or fewer", "comment")
    fields = [("title", action.title, title), ("detail", action.detail, detail_in or None)]
    if comment_in is not None:
        fields.append(("comment", action.comment, comment_in or None))
    changed = False
    for field, before, after in fields:
        if before != after:
            _record(action, "action", field, before, after, label=action.ref, review_id=action.review_id,
                    note=note, by=by)
            setattr(action, field, after)
            changed = True
    if theme.id != action.theme_id:
        _record(action, "action", "theme", action.theme.name, theme.name, label=action.ref,
                review_id=action.review_id, note=note, by=by)
        action.theme = theme
        action.subtheme = None  # sub-issues belong to the old theme
        changed = True
    if changed:
        action.updated_at = utcnow()
        db.session.flush()
    return changed


def move_action(action: Action, direction: str, *, by=None, expected_version=None) -> bool:
    """Swap with the neighbouring live action of the same theme; False at either end."""
    check_version(action, expected_version)
    neighbours = [a for a in db.session.scalars(
        select(Action).where(Action.theme_id == action.theme_id, Action.archived.is_(False))
        .order_by(Action.position, Action.id))]
    return _swap(action, neighbours, direction, entity_type="action", label=action.ref,
                 review_id=action.review_id, name=lambda a: a.ref, by=by)


def _swap(item, ordered: list, direction: str, *, entity_type: str, label: str, review_id: int, name, by) -> bool:
    if direction not in ("up", "down"):
        raise Refused("Choose up or down", "direction")
    if item not in ordered:
        raise Refused("A retired item has no place in the order; reinstate it first", "direction")
    i = ordered.index(item)
    j = i - 1 if direction == "up" else i + 1
    if j < 0 or j >= len(ordered):
        return False
    other = ordered[j]
    if item.position == other.position:  # imported rows may share a position: give each its own first
        base = min(x.position for x in ordered)
        for k, x in enumerate(ordered):
            if x.position != base + k:
                x.position = base + k
    item.position, other.position = other.position, item.position
    _record(item, entity_type, "order", f"{i + 1} of {len(ordered)}", f"{j + 1} of {len(ordered)}", label=label,
            review_id=review_id, note=f"moved {direction}, {'before' if direction == 'up' else 'after'} {name(other)}",
            by=by)
    db.session.flush()
    return True


def retire_action(action: Action, *, reason: str, on: dt.date | None = None, by=None, expected_version=None) -> bool:
    reason_in = (reason or "").strip()
    _checked(action, expected_version, {"retired": action.archived}, {"reason": reason_in})
    if action.archived:
        raise Refused(f"{action.ref} is already retired", "reason")
    reason = _required(reason, "Say why the action is retired: the committee reads the reason", "reason", TITLE_MAX)
    on = on or dt.date.today()
    _record(action, "action", "retired", None, f"Retired ({on.strftime('%-d %B %Y')}): {reason}",
            label=action.ref, review_id=action.review_id, by=by)
    action.archived, action.retired_on, action.retired_reason = True, on, reason
    action.updated_at = utcnow()
    db.session.flush()
    return True


def reinstate_action(action: Action, *, by=None, expected_version=None) -> bool:
    check_version(action, expected_version)
    if not action.archived:
        return False
    _record(action, "action", "retired",
            f"Retired ({action.retired_on.strftime('%-d %B %Y')}): {action.retired_reason}"
            if action.retired_on else "Retired", "Reinstated", label=action.ref, review_id=action.review_id, by=by)
    action.archived, action.retired_on, action.retired_reason = False, None, None
    action.updated_at = utcnow()
    db.session.flush()
    return True


# --- measures ---

_label = measure_label


def _numbered_only(measure: Measure, what: str) -> None:
    """Reshaping that only numbered measures have (text, order, retiring)."""
    if measure.number == OWN_PROGRESS:
        raise Refused(f"{measure.action.ref} holds its progress on the action itself, which has {what}; "
                      "edit or retire the action instead", "text")


def add_measure(action: Action, *, text: str, measured_output: str = "", category: str | None = None,
                by=None) -> Measure:
    """A new numbered point at the end of the action; ``category`` None: derive it from the output.

    An action that holds its progress itself changes shape: its progress becomes measure 1 (the
    same row, so its history stays with it), with this text and, unless another output or status
    is given, the progress text and status it had. The history says so."""
    text = _required(text, "Enter the measure's text", "text", TITLE_MAX)
    output = (measured_output or "").strip()
    if category not in (None, "") and category not in status_rules.CATEGORIES:
        raise Refused(f"Choose a status from the list ({category!r} is not one)", "status")
    own = action.own_progress
    if own is not None:
        return _progress_becomes_measure_1(own, text=text, output=output, category=category or None, by=by)
    depends_on_id = None
    if category:
        status, overridden = category, True
    else:
        derived = status_rules.classify(output, rule_projects(action.review.authority_id)) if output else None
        status, overridden = (derived.category if derived and derived.category else "not_started"), False
        if derived and derived.depends_on:
            depends_on_id = db.session.scalar(select(Project.id).where(
                Project.authority_id == action.review.authority_id, Project.code == derived.depends_on))
    number = (db.session.scalar(select(func.max(Measure.number)).where(Measure.action_id == action.id)) or 0) + 1
    position = (db.session.scalar(select(func.max(Measure.position)).where(Measure.action_id == action.id)) or 0)
    measure = Measure(action_id=action.id, number=number, position=max(position, number), text=text,
                      measured_output=output, status=status, status_overridden=overridden,
                      depends_on_id=depends_on_id, updated_at=utcnow())
    db.session.add(measure)
    db.session.flush()
    db.session.refresh(action, ["measures"])
    label = f"{action.ref} measure {number}"
    _record(measure, "measure", "created", None,
            f"{text} ({status_rules.CATEGORY_LABELS.get(status, status)})", label=label,
            review_id=action.review_id, by=by)
    return measure


def _progress_becomes_measure_1(measure: Measure, *, text: str, output: str, category: str | None, by) -> Measure:
    action = measure.action
    _record(measure, "measure", "number", "progress on the action", "measure 1", label=f"{action.ref} measure 1",
            review_id=action.review_id, by=by,
            note="The action's first numbered measure: its progress text became measure 1's measured output")
    _record(measure, "measure", "text", None, text, label=f"{action.ref} measure 1", review_id=action.review_id,
            by=by)
    measure.number, measure.position, measure.text = 1, 1, text
    measure.updated_at = utcnow()
    db.session.flush()
    if output or category:
        update_measure(measure, category=category, text=output or measure.measured_output, by=by)
    db.session.refresh(action, ["measures"])
    return measure


def edit_measure_text(measure: Measure, *, text: str, note: str | None = None, by=None,
                      expected_version=None) -> bool:
    _numbered_only(measure, "no text of its own")
    text_in = (text or "").strip()
    _checked(measure, expected_version, {"text": measure.text}, {"text": text_in, "note": note or ""})
    text = _required(text, "Enter the measure's text", "text", TITLE_MAX)
    if text == measure.text:
        return False
    _record(measure, "measure", "text", measure.text, text, label=_label(measure),
            review_id=measure.action.review_id, note=note, by=by)
    measure.text = text
    measure.updated_at = utcnow()
    db.session.flush()
    return True


def move_measure(measure: Measure, direction: str, *, by=None, expected_version=None) -> bool:
    _numbered_only(measure, "no order to change")
    check_version(measure, expected_version)
    action = measure.action
    ordered = [m for m in db.session.scalars(
        select(Measure).where(Measure.action_id == action.id, Measure.retired_on.is_(None))
        .order_by(Measure.position, Measure.number))]
    moved = _swap(measure, ordered, direction, entity_type="measure", label=_label(measure),
                  review_id=action.review_id, name=lambda m: f"measure {m.number}", by=by)
    if moved:
        db.session.expire(action, ["measures"])
    return moved


def retire_measure(measure: Measure, *, reason: str, on: dt.date | None = None, by=None,
                   expected_version=None) -> bool:
    if measure.number == OWN_PROGRESS:
        raise Refused(f"{measure.action.ref} holds its progress on the action itself: retire the action instead",
                      "reason")
    reason_in = (reason or "").strip()
    _checked(measure, expected_version, {"retired": measure.retired_on is not None}, {"reason": reason_in})
    if measure.retired_on is not None:
        raise Refused(f"Measure {measure.number} is already retired", "reason")
    reason = _required(reason, "Say why the measure is retired: the committee reads the reason", "reason",
                       TITLE_MAX)
    on = on or dt.date.today()
    _record(measure, "measure", "retired", None, f"Retired ({on.strftime('%-d %B %Y')}): {reason}",
            label=_label(measure), review_id=measure.action.review_id, by=by)
    measure.retired_on, measure.retired_reason = on, reason
    measure.updated_at = utcnow()
    db.session.flush()
    return True


def reinstate_measure(measure: Measure, *, by=None, expected_version=None) -> bool:
    check_version(measure, expected_version)
    if measure.retired_on is None:
        return False
    _record(measure, "measure", "retired",
            f"Retired ({measure.retired_on.strftime('%-d %B %Y')}): {measure.retired_reason}", "Reinstated",
            label=_label(measure), review_id=measure.action.review_id, by=by)
    measure.retired_on, measure.retired_reason = None, None
    measure.updated_at = utcnow()
    db.session.flush()
    return True


def set_waits_on(measure: Measure, project: Project | None, *, note: str | None = None, by=None,
                 expected_version=None) -> bool:
    """Say by hand which project of the review's authority the measure waits on (None: nothing)."""
    authority_id = measure.action.review.authority_id
    _checked(measure, expected_version,
             {"waits_on": measure.depends_on.name if measure.depends_on else "Nothing"},
             {"project": project.code if project else "", "note": note or ""})
    if project is not None and project.authority_id != authority_id:
        raise Refused("Choose a project of this council", "project")
    if measure.depends_on_id == (project.id if project else None):
        return False
    _record(measure, "measure", "depends_on", measure.depends_on.code if measure.depends_on else None,
            project.code if project else None, label=_label(measure), review_id=measure.action.review_id,
            note=note, by=by)
    measure.depends_on = project
    measure.updated_at = utcnow()
    db.session.flush()
    return True


# --- review and themes ---

def edit_review(review: Review, *, title: str, description: str | None, by=None, expected_version=None) -> bool:
    title_in, description_in = (title or "").strip(), (description or "").strip()
    _checked(review, expected_version, {"title": review.title, "description": review.description or ""},
             {"title": title_in, "description": description_in})
    title = _required(title, "Enter the review's title", "title", 300)
    changed = False
    for field, before, after in (("title", review.title, title),
                                 ("description", review.description, description_in or None)):
        if before != after:
            _record(review, "review", field, before, after, label=f"Review {review.code}", review_id=review.id,
                    by=by)
            setattr(review, field, after)
            changed = True
    if changed:
        db.session.flush()
    return changed


def rename_theme(theme: Theme, *, name: str, by=None, expected_version=None) -> bool:
    name_in = (name or "").strip()
    _checked(theme, expected_version, {"name": theme.name}, {"name": name_in})
    name = _required(name, "Enter the theme's name", "name", NAME_MAX)
    if name == theme.name:
        return False
    _record(theme, "theme", "name", theme.name, name, label=f"Theme {theme.code}", review_id=theme.review_id, by=by)
    theme.name = name
    db.session.flush()
    return True


def add_theme(review: Review, *, code: str, name: str, by=None) -> Theme:
    code = _required(code, "Enter the theme's code", "code", 20).upper()
    if not CODE_RE.fullmatch(code):
        raise Refused("Enter a code of letters only, like ENV (it appears in ref ids)", "code")
    name = _required(name, "Enter the theme's name", "name", NAME_MAX)
    if db.session.scalar(select(Theme.id).where(Theme.review_id == review.id, Theme.code == code)):
        raise Refused(f"This review already has a theme {code}; choose another code", "code")
    position = (db.session.scalar(select(func.max(Theme.position)).where(Theme.review_id == review.id)) or 0) + 1
    theme = Theme(review_id=review.id, code=code, name=name, position=position)
    db.session.add(theme)
    db.session.flush()
    db.session.expire(review, ["themes"])
    _record(theme, "theme", "created", None, f"{code} {name}", label=f"Theme {code}", review_id=review.id, by=by)
    return theme

"""A whole plan as plain data (the shape of seeds/reviews/*.yaml and of the JSON export).

``validate_plan`` finds every problem before anything is written; ``apply_plan`` then creates or
updates by natural key (review code, ref id, measure number) in the caller's transaction, records
each change, and never deletes: an import or re-seed that repeats what is there changes nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import history
from ..domain import status as status_rules
from ..domain.dates import DateProblem, read_date
from ..domain.refs import BadPattern, check_ref, compile_pattern
from ..domain.responses import RESPONSES
from ..domain.review_codes import review_code_problem
from ..extensions import db
from ..models import Action, Authority, Measure, Owner, Project, Recommendation, Review, SubTheme, Theme, Variation
from ..plan.operations import link_recommendation, set_fields
from .convert import numbered_measures, own_progress


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class PlanError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:10]))


@dataclass
class ApplySummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)  # loaded anyway, but worth a look

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _date(value, where: str, problems: list[Problem]):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return read_date(str(value), "the date")
    except DateProblem:
        problems.append(Problem(where, f"{value!r} is not a date; write it as YYYY-MM-DD"))
        return None


def validate_plan(data) -> list[Problem]:
    """Every problem in the data, each saying where it is and what to fix."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return [Problem("file", "expected a mapping with authority, review, themes and actions")]
    review = data.get("review")
    if not isinstance(review, dict) or not review.get("code"):
        return [Problem("review", "a review with a code is required")]
    if review_code_problem(review["code"]):
        return [Problem("review.code", review_code_problem(review["code"]))]
    for key in ("title", "ref_pattern"):
        if not review.get(key):
            problems.append(Problem("review", f"'{key}' is required"))
    if not data.get("authority"):
        problems.append(Problem("authority", "the authority's name is required"))
    pattern = review.get("ref_pattern") or ""
    try:
        compile_pattern(pattern)
    except BadPattern as exc:
        problems.append(Problem("review.ref_pattern", str(exc)))
        pattern = ""
    _date(review.get("approved_on"), "review.approved_on", problems)

    project_codes = set()
    for i, project in enumerate(data.get("projects") or []):
        where = f"projects[{i + 1}]"
        if not project.get("code") or not project.get("name"):
            problems.append(Problem(where, "a project needs a code and a name"))
            continue
        if project["code"] in project_codes:
            problems.append(Problem(where, f"project code {project['code']!r} is used twice"))
        project_codes.add(project["code"])
        if project.get("status", "not_started") not in status_rules.CATEGORIES:
            problems.append(Problem(where, f"status {project.get('status')!r} is not one of "
                                           f"{', '.join(status_rules.CATEGORIES)}"))
        _date(project.get("expected_on"), where, problems)

    themes: dict[str, set[str]] = {}
    for i, theme in enumerate(data.get("themes") or []):
        where = f"themes[{i + 1}]"
        if not theme.get("code") or not theme.get("name"):
            problems.append(Problem(where, "a theme needs a code and a name"))
            continue
        if theme["code"] in themes:
            problems.append(Problem(where, f"theme code {theme['code']!r} is used twice"))
        themes[theme["code"]] = {str(s.get("code")) for s in theme.get("subthemes") or []}

    numbers = set()
    for i, rec in enumerate(data.get("recommendations") or []):
        where = f"recommendations[{i + 1}]"
        number = rec.get("number")
        if not isinstance(number, int) or number < 1:
            problems.append(Problem(where, f"number {number!r} must be a whole number from 1"))
        elif number in numbers:
            problems.append(Problem(where, f"recommendation {number} appears twice"))
        numbers.add(number)
        if not (rec.get("text") or "").strip():
            problems.append(Problem(where, "the recommendation's text is empty"))
        if rec.get("response") not in (None, "") and rec["response"] not in RESPONSES:
            problems.append(Problem(where, f"response {rec['response']!r} must be one of: {', '.join(RESPONSES)}"))
        _date(rec.get("response_on"), f"{where}.response_on", problems)
        if rec.get("status_override") not in (None, "") and rec["status_override"] not in status_rules.CATEGORIES:
            problems.append(Problem(where, f"status_override {rec['status_override']!r} is not a status category"))
        elif rec.get("status_override") and not (rec.get("status_override_reason") or "").strip():
            problems.append(Problem(where, "status_override needs a status_override_reason"))
        if rec.get("response_on") and not rec.get("response"):
            problems.append(Problem(where, "response_on is given without a response"))
        labels = [str(v.get("label")) for v in rec.get("variations") or []]
        if len(labels) != len(set(labels)):
            problems.append(Problem(where, "a variation label is used twice"))

    refs: set[str] = set()
    for i, action in enumerate(data.get("actions") or []):
        ref = str(action.get("ref") or "").strip()
        where = f"actions[{i + 1}] {ref}".rstrip()
        if not ref:
            problems.append(Problem(where, "the action has no ref id"))
            continue
        if ref in refs:
            problems.append(Problem(where, f"ref id {ref!r} is used twice; ref ids must be unique in a review"))
        refs.add(ref)
        theme = action.get("theme")
        if theme not in themes:
            problems.append(Problem(where, f"unknown theme {theme!r}; known themes: {', '.join(themes) or 'none'}"))
        elif action.get("subtheme") not in (None, "") and str(action["subtheme"]) not in themes[theme]:
            problems.append(Problem(where, f"unknown sub-theme {action['subtheme']!r} of theme {theme!r}"))
        if pattern:
            check = check_ref(ref, pattern, theme if theme in themes else None)
            if not check.ok:
                problems.append(Problem(where, check.message))
        if not (action.get("title") or "").strip():
            problems.append(Problem(where, "the action has no title"))
        _date(action.get("target_date"), where, problems)
        for number in action.get("recommendations") or []:
            if number not in numbers:
                problems.append(Problem(where, f"links to recommendation {number}, which is not in the file"))
        _validate_progress(action, where, project_codes, problems)
        seen = set()
        for measure in numbered_measures(action):
            number = measure.get("number")
            mwhere = f"{where} measure {number}"
            if not isinstance(number, int) or number < 1:
                problems.append(Problem(mwhere, "a measure number must be a whole number from 1"))
                continue
            if number in seen:
                problems.append(Problem(mwhere, "measure number used twice in this action"))
            seen.add(number)
            if not (measure.get("text") or "").strip():
                problems.append(Problem(mwhere, "the measure has no text"))
            if measure.get("measured_output") is None:
                problems.append(Problem(mwhere, "the measure has no measured output; give one at the same number"))
            _check_status(measure, mwhere, project_codes, problems)
    return problems


def _check_status(item: dict, where: str, project_codes: set, problems: list[Problem]) -> None:
    """A measure's or an action's own progress: a known status (or none) and a known project."""
    if item.get("status") is not None and item["status"] not in status_rules.CATEGORIES:
        problems.append(Problem(where, f"status {item['status']!r} is not one of "
                                       f"{', '.join(status_rules.CATEGORIES)}"))
    if item.get("depends_on") not in (None, "") and item["depends_on"] not in project_codes:
        problems.append(Problem(where, f"depends on unknown project {item['depends_on']!r}"))


def _validate_progress(action: dict, where: str, project_codes: set, problems: list[Problem]) -> None:
    progress = action.get("progress")
    if progress is not None and not isinstance(progress, dict):
        problems.append(Problem(where, "progress must be a mapping with text, status and depends_on"))
        return
    progress = own_progress(action)
    if progress is None:
        return
    pwhere = f"{where} progress"
    if not isinstance(progress.get("text"), str):
        problems.append(Problem(pwhere, "the progress text must be text (it may be empty)"))
    _check_status(progress, pwhere, project_codes, problems)
    if numbered_measures(action):
        problems.append(Problem(where, "an action holds its progress either itself or in numbered measures, "
                                       "not both"))


class _Writer:
    """Creates rows, and sets fields through the plan's one field setter (tracker/plan/operations.py),
    so an import or the seed leaves the same history rows (in display terms), version bumps and
    ``updated_at`` as the same change made in a page. Counts what it created, updated or left alone."""

    def __init__(self, summary: ApplySummary, by, note, review_id=None):
        self.summary, self.by, self.note, self.review_id = summary, by, note, review_id

    def created(self, obj, entity_type: str, label: str):
        db.session.add(obj)
        db.session.flush()
        history.record(entity_type=entity_type, entity_id=obj.id, field="created", after=label,
                       by=self.by, note=self.note, review_id=self.review_id, label=label)
        self.summary.created.append(label)

    def update(self, obj, entity_type: str, label: str, values: dict) -> bool:
        changed = set_fields(obj, values, entity_type=entity_type, label=label, review_id=self.review_id,
                             note=self.note, by=self.by)
        if changed:
            self.summary.updated.append(label)
        else:
            self.summary.unchanged += 1
        return changed

    def found(self, label: str) -> None:
        """An existing row the data names and leaves as it is (an authority, an owner)."""
        self.summary.unchanged += 1


def apply_plan(data: dict, *, by=None, note: str | None = None) -> ApplySummary:
    """Write a validated plan. Raises PlanError (and writes nothing) when the data has problems."""
    problems = validate_plan(data)
    if problems:
        raise PlanError(problems)
    summary = ApplySummary()
    w = _Writer(summary, by, note)

    authority = db.session.scalar(select(Authority).where(Authority.name == data["authority"]))
    if authority is None:
        authority = Authority(name=data["authority"])
        w.created(authority, "authority", authority.name)
    else:
        w.found(authority.name)

    r = data["review"]
    review = db.session.scalar(select(Review).where(Review.code == r["code"]))
    review_values = dict(title=r["title"], approved_on=_date(r.get("approved_on"), "", []),
                         approved_by=r.get("approved_by"), description=r.get("description"),
                         ref_pattern=r["ref_pattern"])
    if review is None:
        review = Review(code=r["code"], authority=authority, **review_values)
        w.created(review, "review", f"Review {r['code']}")
    else:
        w.update(review, "review", f"Review {r['code']}", review_values)
    w.review_id = review.id

    projects = {p.code: p for p in db.session.scalars(select(Project).where(Project.authority_id == authority.id))}
    for p in data.get("projects") or []:
        values = dict(name=p["name"], description=p.get("description"), status=p.get("status", "not_started"),
                      expected_on=_date(p.get("expected_on"), "", []), aliases=list(p.get("aliases") or []))
        if p["code"] in projects:
            w.update(projects[p["code"]], "project", p["code"], values)
        else:
            projects[p["code"]] = Project(code=p["code"], authority_id=authority.id, **values)
            w.created(projects[p["code"]], "project", p["code"])
    rule_projects = [status_rules.Project(code=p.code, aliases=tuple(p.aliases or [p.code]))
                     for p in projects.values()]

    themes = {t.code: t for t in db.session.scalars(
        select(Theme).where(Theme.review_id == review.id).options(selectinload(Theme.subthemes)))}
    for position, t in enumerate(data.get("themes") or []):
        theme = themes.get(t["code"])
        if theme is None:
            theme = themes[t["code"]] = Theme(review_id=review.id, code=t["code"], name=t["name"], position=position)
            w.created(theme, "theme", t["code"])
        else:
            w.update(theme, "theme", t["code"], dict(name=t["name"], position=position))
        existing = {s.code: s for s in theme.subthemes}
        for sub_position, s in enumerate(t.get("subthemes") or []):
            code = str(s["code"])
            if code in existing:
                w.update(existing[code], "subtheme", f"{t['code']} {code}", dict(name=s["name"], position=sub_position))
            else:
                sub = SubTheme(theme=theme, code=code, name=s["name"], position=sub_position)
                w.created(sub, "subtheme", f"{t['code']} {code}")

    recommendations = {x.number: x for x in db.session.scalars(
        select(Recommendation).where(Recommendation.review_id == review.id)
        .options(selectinload(Recommendation.variations)))}
    for rec in data.get("recommendations") or []:
        label = f"Recommendation {rec['number']}"
        values = dict(text=rec["text"], status_text=rec.get("status_text"))
        if "response" in rec:  # a paper or sheet that says nothing of the response leaves it alone
            values.update(response=rec["response"] or None, response_on=_date(rec.get("response_on"), "", []))
        if "status_override" in rec:
            values.update(status_override=rec["status_override"] or None,
                          status_override_reason=rec.get("status_override_reason") or None)
        current = recommendations.get(rec["number"])
        if current is None:
            current = recommendations[rec["number"]] = Recommendation(review_id=review.id, number=rec["number"], **values)
            w.created(current, "recommendation", label)
        else:
            w.update(current, "recommendation", label, values)
        variations = {v.label: v for v in current.variations}
        for position, v in enumerate(rec.get("variations") or []):
            vlabel = f"{label} ({v['label']})"
            values = dict(text=v["text"], status_text=v.get("status_text"), position=position)
            if str(v["label"]) in variations:
                w.update(variations[str(v["label"])], "variation", vlabel, values)
            else:
                w.created(Variation(recommendation=current, label=str(v["label"]), **values), "variation", vlabel)

    owners = {(o.name, o.business_unit): o for o in db.session.scalars(
        select(Owner).where(Owner.authority_id == authority.id))}
    seen_owners: set = set()
    actions = {a.ref: a for a in db.session.scalars(
        select(Action).where(Action.review_id == review.id)
        .options(selectinload(Action.measures), selectinload(Action.recommendations)))}
    position_base = max((a.position for a in actions.values()), default=0)
    for position, a in enumerate(data.get("actions") or [], start=1):
        ref = str(a["ref"]).strip()
        theme = themes[a["theme"]]
        subtheme = next((s for s in theme.subthemes if s.code == str(a.get("subtheme"))), None)
        owner = _owner(a.get("owner"), authority, owners, w, seen_owners)
        values = dict(title=a["title"], theme_id=theme.id, subtheme_id=subtheme.id if subtheme else None,
                      comment=a.get("comment") or None)
        if owner is not None:
            values["owner_id"] = owner.id
        target = _date(a.get("target_date"), "", [])
        if target is not None:
            values["target_date"] = target
        action = actions.get(ref)
        if action is None:
            # New refs keep the file's order after whatever the review already holds.
            action = actions[ref] = Action(review_id=review.id, ref=ref, position=position_base + position,
                                           original_target_date=target, **values)
            w.created(action, "action", ref)
        else:
            w.update(action, "action", ref, values)
        for number in a.get("recommendations") or []:
            link_recommendation(recommendations[number], action, by=by, note=note)
        measures = {m.number: m for m in action.measures}
        progress = own_progress(a)
        if progress is not None:
            if any(number != 0 for number in measures):
                raise PlanError([Problem(f"action {ref}", "the review holds numbered measures for this action; "
                                                          "its progress cannot also be held on the action")])
            # The action's own progress is its unnumbered measure (number 0, no text of its own), so
            # status rules, history, versions and updated_at are a measure's.
            _apply_measure(w, action, measures.get(0), {"number": 0, "text": "", "measured_output": progress["text"],
                                                        "status": progress.get("status"),
                                                        "depends_on": progress.get("depends_on")},
                           projects, rule_projects)
        elif 0 in measures and numbered_measures(a):
            raise PlanError([Problem(f"action {ref}", "the review holds this action's progress on the action "
                                                      "itself; it cannot also have numbered measures")])
        for m in numbered_measures(a):
            _apply_measure(w, action, measures.get(m["number"]), m, projects, rule_projects)
    db.session.flush()
    return summary


def _owner(value, authority, owners, w, seen: set):
    if not value:
        return None
    if isinstance(value, dict):
        key = (value.get("name") or "", value.get("business_unit") or "")
    else:
        key = (str(value), "")
    if key not in owners:
        owners[key] = Owner(authority_id=authority.id, name=key[0], business_unit=key[1])
        w.created(owners[key], "owner", owners[key].label)
    elif key not in seen:
        w.found(owners[key].label)  # counted once, as it is created once
    seen.add(key)
    return owners[key]


def _apply_measure(w, action, measure, m, projects, rule_projects):
    label = f"{action.ref} measure {m['number']}" if m["number"] else f"{action.ref} progress"
    output = m["measured_output"]
    derived = status_rules.classify(output, rule_projects)
    overridden = m.get("status") is not None
    # The same rule as an edit in the app: a text no rule recognises keeps the measure's status
    # (a new measure: "not_started") and is flagged "status to check", never silently Not started.
    settled = status_rules.settle(derived, chosen=m.get("status"),
                                  previous=measure.status if measure is not None else None)
    depends_code = m.get("depends_on") if m.get("depends_on") not in (None, "") else derived.depends_on
    depends_on_id = projects[depends_code].id if depends_code else None
    if settled.to_check and depends_code is None and measure is not None:
        depends_on_id = measure.depends_on_id  # the status is kept, so is what it waits on
    values = dict(text=m["text"], measured_output=output, status=settled.category, status_overridden=overridden,
                  status_to_check=settled.to_check, depends_on_id=depends_on_id)
    if measure is not None and not overridden and m.get("depends_on") in (None, "") \
            and output == measure.measured_output:
        # Same words as before and no status given: keep what people set in the app.
        values = dict(text=m["text"])
    if measure is None:
        measure = Measure(action_id=action.id, number=m["number"], **values)
        w.created(measure, "measure", label)
    else:
        # Whether the status was given or read from the text is not a change people see: set, as the
        # measure page sets it, without a history row of its own.
        overridden_now = values.pop("status_overridden", measure.status_overridden)
        w.update(measure, "measure", label, values)
        measure.status_overridden = overridden_now
    return measure

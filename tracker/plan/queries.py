"""Reading the plan in a fixed number of queries, whatever its size (no N+1)."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.rollup import OWN_PROGRESS, Rollup, roll_up_counts, roll_up_measures
from ..domain.status import CATEGORIES
from ..extensions import db
from ..models import (
    Action,
    Criterion,
    Element,
    Measure,
    Owner,
    Project,
    Recommendation,
    Review,
    SubCriterion,
    Theme,
    action_recommendation,
    utcnow,
)


def all_reviews() -> list[Review]:
    return db.session.scalars(select(Review).order_by(Review.code)).all()


def review_choices() -> list:
    """The review switcher's choices: code, title and whether it is the main one (rows, not whole reviews)."""
    return db.session.execute(select(Review.code, Review.title, Review.is_main).order_by(Review.code)).all()


def with_themes(review: Review) -> Review:
    """``review`` with its themes loaded in one statement, for pages that list them (no lazy load in a
    template, and none at all when they are loaded already)."""
    if "themes" not in review.__dict__:
        themes = db.session.scalars(select(Theme).where(Theme.review_id == review.id).order_by(Theme.position)).all()
        set_committed_value(review, "themes", themes)
    return review


# What a row of the master list shows: many-to-one joined into the same statement (so a page whose
# actions have no owner issues the same statements as one whose actions do), measures in one more.
ACTION_ROW_LOAD = (selectinload(Action.measures).joinedload(Measure.depends_on),
                   joinedload(Action.theme), joinedload(Action.subtheme), joinedload(Action.owner))


@dataclass
class ActionFilters:
    """The master list's filters; they live in the URL so a filtered list can be shared."""
    theme: str = ""
    status: str = ""
    q: str = ""
    owner: str = ""
    project: str = ""
    overdue: bool = False
    stale: int | None = None  # months without an update
    element: str = ""  # a standard's element code, e.g. CSE 1.3.1
    check: bool = False  # only actions with a measure whose status is to check
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_args(cls, args, review: Review) -> ActionFilters:
        f = cls(theme=args.get("theme", "").strip(), status=args.get("status", "").strip(),
                q=args.get("q", "").strip()[:200], owner=args.get("owner", "").strip(),
                project=args.get("project", "").strip(), overdue=args.get("overdue") in ("1", "on", "true"),
                element=args.get("element", "").strip()[:20], check=args.get("check") in ("1", "on", "true"))
        if f.theme and f.theme not in {t.code for t in review.themes}:
            f.errors["theme"] = f"There is no theme {f.theme!r} in this review"
        if f.status and f.status not in CATEGORIES:
            f.errors["status"] = f"{f.status!r} is not a status"
        if f.owner and not f.owner.isdigit():
            f.errors["owner"] = "Choose an owner from the list"
        stale = args.get("stale", "").strip()
        if stale:
            if stale.isdigit() and 0 < int(stale) <= 120:
                f.stale = int(stale)
            else:
                f.errors["stale"] = "Enter the number of months as a whole number from 1 to 120"
        return f

    @property
    def active(self) -> bool:
        return bool(self.theme or self.status or self.q or self.owner or self.project or self.overdue or self.stale
                    or self.element or self.check)

    def args(self) -> dict:
        values = dict(theme=self.theme, status=self.status, q=self.q, owner=self.owner, project=self.project,
                      overdue="1" if self.overdue else "", stale=str(self.stale or ""), element=self.element,
                      check="1" if self.check else "")
        return {k: v for k, v in values.items() if v}


@dataclass
class Page:
    items: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


CLOSED_STATES = ("complete", "cancelled", "not_applicable")


def filtered_actions(review: Review, f: ActionFilters, page: int = 1, size: int = 50) -> Page:
    query = _filtered(review, f)
    total = db.session.scalar(select(func.count()).select_from(query.with_only_columns(Action.id).subquery()))
    items = db.session.scalars(
        query.order_by(Action.position).offset((page - 1) * size).limit(size).options(*ACTION_ROW_LOAD)).all()
    return Page(items=items, number=page, size=size, total=total)


@dataclass(frozen=True)
class Selection:
    """Every action a filtered list matches (all its pages), as the list was shown: how many, and a
    fingerprint of which and at what version. "Select all that match" posts both back, so what is
    assigned is exactly what the person saw counted, or nothing when the set has changed since."""
    count: int
    fingerprint: str


def _fingerprint(rows) -> str:
    text = ",".join(f"{action_id}:{version}" for action_id, version in sorted(rows))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def selection_of(review: Review, f: ActionFilters) -> Selection:
    """The whole filtered list's count and fingerprint, in one query."""
    rows = db.session.execute(_filtered(review, f).with_only_columns(Action.id, Action.version)).all()
    return Selection(len(rows), _fingerprint(rows))


def matching_actions(review: Review, f: ActionFilters) -> tuple[list[Action], Selection]:
    """Every action of the filtered list, in plan order, owners loaded, and its selection as now."""
    actions = db.session.scalars(_filtered(review, f).order_by(Action.position)
                                 .options(selectinload(Action.owner))).all()
    return actions, Selection(len(actions), _fingerprint((a.id, a.version) for a in actions))


def _filtered(review: Review, f: ActionFilters):
    """The master list's query with its filters, unordered and unpaged: the list, its count and
    "select all that match" all read this one."""
    query = select(Action).where(Action.review_id == review.id, Action.archived.is_(False))
    if f.theme and "theme" not in f.errors:
        query = query.join(Theme, Action.theme_id == Theme.id).where(Theme.code == f.theme)
    if f.status and "status" not in f.errors:
        query = query.where(Action.measures.any(Measure.status == f.status))
    if f.owner and "owner" not in f.errors:
        query = query.where(Action.owner_id == int(f.owner))
    if f.project:
        query = query.where(Action.measures.any(
            Measure.depends_on.has(Project.code == f.project) & Measure.status.notin_(CLOSED_STATES)))
    if f.element:
        query = query.where(Action.elements.any(Element.code == f.element))
    if f.overdue:
        query = query.where(Action.target_date < dt.date.today(),
                            Action.measures.any(Measure.status.notin_(CLOSED_STATES)))
    if f.stale:
        cutoff = utcnow() - dt.timedelta(days=30 * f.stale)
        query = query.where(Action.updated_at < cutoff, Action.measures.any(Measure.status.notin_(CLOSED_STATES)))
    if f.check:
        query = query.where(Action.measures.any(Measure.status_to_check.is_(True)))
    if f.q:
        from .search import action_matches  # the full-text index; literal "contains" for refs and odd text
        query = query.where(action_matches(f.q))
    return query


def owners(review: Review) -> list[Owner]:
    """The owners of this review's actions (owners are the authority's, shared by its reviews)."""
    owns = select(Action.owner_id).where(Action.review_id == review.id, Action.archived.is_(False))
    return db.session.scalars(select(Owner).where(Owner.id.in_(owns))
                              .order_by(Owner.name, Owner.business_unit)).all()


def projects(review: Review) -> list[Project]:
    """Every project of the review's authority (the projects page)."""
    return db.session.scalars(select(Project).where(Project.authority_id == review.authority_id)
                              .order_by(Project.name)).all()


def projects_waited_on(review: Review) -> list[Project]:
    """The projects some measure of this review waits on: the master list's Waiting-on filter."""
    waited = select(Measure.depends_on_id).join(Action, Measure.action_id == Action.id).where(
        Action.review_id == review.id, Action.archived.is_(False), Measure.depends_on_id.is_not(None))
    return db.session.scalars(select(Project).where(Project.id.in_(waited)).order_by(Project.name)).all()


def group_by_theme(actions: list[Action]) -> list[dict]:
    """Appendix B's grouping: central issue, then sub-issue, in ref-id (position) order."""
    groups: list[dict] = []
    for action in actions:
        if not groups or groups[-1]["theme"] is not action.theme:
            groups.append({"theme": action.theme, "subgroups": []})
        subgroups = groups[-1]["subgroups"]
        if not subgroups or subgroups[-1]["subtheme"] is not action.subtheme:
            subgroups.append({"subtheme": action.subtheme, "actions": []})
        subgroups[-1]["actions"].append(action)
    return groups


@dataclass(frozen=True)
class RecommendationStatus:
    category: str | None        # None: no action linked and nothing set by hand
    reason: str
    overridden: bool
    derived: Rollup | None      # what the roll-up says, shown beside a status set by hand


def recommendation_status(rec: Recommendation) -> RecommendationStatus:
    """Rolled up from the measures of the actions that deliver it, unless set by hand with a reason."""
    derived = None
    if rec.actions:
        live = [a for a in rec.actions if not a.archived]
        rolled = roll_up_measures(m for a in live for m in a.live_measures)
        derived = _delivered_by(len(rec.actions), any(a.own_progress is not None for a in live), rolled)
    return _with_override(rec, derived)


def _delivered_by(n: int, own_progress: bool, rolled: Rollup) -> Rollup:
    # Actions that hold their progress themselves count as one item each (domain/rollup.py).
    whose = "progress" if own_progress else "measures"
    return Rollup(rolled.category, f"From the {whose} of the {n} action{'s' if n != 1 else ''} "
                                   f"that deliver it: {rolled.reason}")


def _with_override(rec: Recommendation, derived: Rollup | None) -> RecommendationStatus:
    if rec.status_override:
        return RecommendationStatus(rec.status_override, f"Set by hand: {rec.status_override_reason}", True, derived)
    if derived is None:
        return RecommendationStatus(None, "No actions are linked to it, so its status cannot be rolled up", False,
                                    None)
    return RecommendationStatus(derived.category, derived.reason, False, derived)


@dataclass(frozen=True)
class RecommendationRow:
    """What the list of recommendations shows of one: its status, and the refs of the actions that
    deliver it (retired ones too, as the recommendation's own page lists them)."""
    status: RecommendationStatus
    refs: list[str]


def recommendation_rows(review: Review, recs: list[Recommendation]) -> dict[int, RecommendationRow]:
    """Every recommendation's status rolled up by the database, in two statements whatever the size
    of the review: measures counted by recommendation, status and project (with the position of the
    first of each, so equal counts are listed in plan order as ``recommendation_status`` lists them),
    and the delivering actions' refs. The same rules and words as ``recommendation_status``."""
    linked = action_recommendation.c
    live = (select(linked.recommendation_id.label("rec"), Measure.status, Project.code,
                   Measure.number,
                   func.row_number().over(partition_by=linked.recommendation_id,
                                          order_by=(Action.position, Action.id, Measure.position, Measure.number))
                   .label("seq"))
            .select_from(action_recommendation).join(Action, Action.id == linked.action_id)
            .join(Measure, Measure.action_id == Action.id).outerjoin(Project, Project.id == Measure.depends_on_id)
            .join(Recommendation, Recommendation.id == linked.recommendation_id)
            .where(Recommendation.review_id == review.id, Action.archived.is_(False), Measure.retired_on.is_(None))
            .subquery())
    grouped = db.session.execute(
        select(live.c.rec, live.c.status, live.c.code, func.count(), func.min(live.c.seq),
               func.sum(case((live.c.number == OWN_PROGRESS, 1), else_=0)))
        .group_by(live.c.rec, live.c.status, live.c.code).order_by(live.c.rec, func.min(live.c.seq))).all()
    counts: dict[int, dict[str, int]] = {}
    waits: dict[int, dict[str, int]] = {}
    own: dict[int, int] = {}
    for rec_id, status, code, n, _first, own_n in grouped:  # in order of each group's first measure
        by_status = counts.setdefault(rec_id, {})
        by_status[status] = by_status.get(status, 0) + n
        if status == "dependent" and code:
            waits.setdefault(rec_id, {})[code] = n
        own[rec_id] = own.get(rec_id, 0) + (own_n or 0)
    # An outer join on (action, number), the unique key, not EXISTS: PostgreSQL would answer an
    # EXISTS here by reading every action's own-progress row in the database.
    own_measure = aliased(Measure)
    refs: dict[int, list[str]] = {}
    own_progress: dict[int, bool] = {}
    for rec_id, ref, archived, own_action in db.session.execute(
            select(linked.recommendation_id, Action.ref, Action.archived, own_measure.id.is_not(None))
            .select_from(action_recommendation).join(Action, Action.id == linked.action_id)
            .outerjoin(own_measure, (own_measure.action_id == Action.id) & (own_measure.number == OWN_PROGRESS))
            # Links never cross reviews (tracker/plan/operations.py): naming the review lets the
            # planner read this review's actions, not scan the whole table.
            .where(linked.recommendation_id.in_([r.id for r in recs]), Action.review_id == review.id)
            .order_by(linked.recommendation_id, Action.position, Action.id)):
        refs.setdefault(rec_id, []).append(ref)
        own_progress[rec_id] = own_progress.get(rec_id, False) or (bool(own_action) and not archived)
    rows = {}
    for rec in recs:
        derived = None
        if rec.id in refs:
            rolled = roll_up_counts(counts.get(rec.id, {}), waits.get(rec.id), own.get(rec.id, 0))
            derived = _delivered_by(len(refs[rec.id]), own_progress[rec.id], rolled)
        rows[rec.id] = RecommendationRow(_with_override(rec, derived), refs.get(rec.id, []))
    return rows


# Enough to roll a recommendation's status up without a query per action.
RECOMMENDATION_LOAD = (selectinload(Recommendation.variations),
                       selectinload(Recommendation.actions).selectinload(Action.measures)
                       .selectinload(Measure.depends_on))


def get_recommendation(review: Review, number: int) -> Recommendation | None:
    """The recommendation with what its page needs (None when the review has no such number)."""
    return db.session.scalar(
        select(Recommendation).where(Recommendation.review_id == review.id, Recommendation.number == number)
        .options(*RECOMMENDATION_LOAD))


def action_rollup(action: Action):
    return roll_up_measures(action.live_measures)  # retired measures leave the roll-up


def get_action(review: Review, ref: str) -> Action | None:
    return db.session.scalar(
        select(Action).where(Action.review_id == review.id, Action.ref == ref)
        .options(*ACTION_ROW_LOAD, selectinload(Action.recommendations),
                 selectinload(Action.elements).joinedload(Element.subcriterion).joinedload(SubCriterion.criterion)
                 .joinedload(Criterion.standard)))


def review_sizes(review: Review) -> dict:
    return {
        "recommendations": db.session.scalar(select(func.count(Recommendation.id))
                                             .where(Recommendation.review_id == review.id)),
        "actions": db.session.scalar(select(func.count(Action.id)).where(Action.review_id == review.id,
                                                                        Action.archived.is_(False))),
    }


def status_counts(review: Review) -> dict:
    """Measures by theme and status category: {theme_code: {category: n}}, plus totals."""
    rows = db.session.execute(
        select(Theme.code, Measure.status, func.count(Measure.id))
        .join(Action, Action.theme_id == Theme.id).join(Measure, Measure.action_id == Action.id)
        .where(Theme.review_id == review.id, Action.archived.is_(False), Measure.retired_on.is_(None))
        .group_by(Theme.code, Measure.status)).all()
    table: dict[str, dict[str, int]] = {}
    totals = {c: 0 for c in CATEGORIES}
    for theme, category, n in rows:
        table.setdefault(theme, {c: 0 for c in CATEGORIES})[category] = n
        totals[category] += n
    # How many of those items are actions' own progress (no numbered measures), so pages can say
    # what they count.
    own = db.session.scalar(
        select(func.count(Measure.id)).join(Action, Measure.action_id == Action.id)
        .where(Action.review_id == review.id, Action.archived.is_(False), Measure.retired_on.is_(None),
               Measure.number == 0))
    return {"by_theme": table, "totals": totals, "total": sum(totals.values()), "own_progress": own}


def statuses_to_check(review: Review) -> int:
    """How many measures of the review's current actions have a progress text no rule recognised."""
    return db.session.scalar(select(func.count(Measure.id)).join(Action, Measure.action_id == Action.id)
                             .where(Action.review_id == review.id, Action.archived.is_(False),
                                    Measure.status_to_check.is_(True)))


def waiting_on_projects(review: Review) -> list[tuple[Project, int]]:
    rows = db.session.execute(
        select(Project, func.count(Measure.id))
        .join(Measure, Measure.depends_on_id == Project.id).join(Action, Measure.action_id == Action.id)
        .where(Action.review_id == review.id, Action.archived.is_(False), Measure.retired_on.is_(None),
               Measure.status.notin_(("complete", "cancelled", "not_applicable")))
        .group_by(Project.id).order_by(func.count(Measure.id).desc())).all()
    return [(p, n) for p, n in rows]


def recommendations_fingerprint(review: Review) -> tuple[tuple, dt.datetime | None]:
    """What changes when the list of recommendations may change, in one cheap statement: the review's
    newest history row (every operation records one; index ix_change_review_at), its actions' newest
    update (index ix_action_review_updated) and its recommendations' count, versions and newest update.
    Returns (the fingerprint, the newest time known), for an ETag and a Last-Modified."""
    from ..models import Change

    newest_change = (select(Change.id, Change.at).where(Change.review_id == review.id)
                     .order_by(Change.at.desc(), Change.id.desc()).limit(1).subquery())
    recs = select(Recommendation).where(Recommendation.review_id == review.id).subquery()
    row = db.session.execute(select(
        select(newest_change.c.id).scalar_subquery(), select(newest_change.c.at).scalar_subquery(),
        select(func.max(Action.updated_at)).where(Action.review_id == review.id).scalar_subquery(),
        select(func.count()).select_from(recs).scalar_subquery(), select(func.sum(recs.c.version)).scalar_subquery(),
        select(func.max(recs.c.updated_at)).scalar_subquery())).one()
    times = [t for t in (row[1], row[2], row[5]) if t is not None]
    return tuple(row), (max(times) if times else None)


def recommendations(review: Review) -> list[Recommendation]:
    """The review's recommendations with their variations; their statuses come from ``recommendation_rows``."""
    return db.session.scalars(
        select(Recommendation).where(Recommendation.review_id == review.id).order_by(Recommendation.number)
        .options(selectinload(Recommendation.variations))).all()


def history_of(entity_type: str, obj, limit: int = 200) -> list:
    """The timeline of one action (with its measures) or recommendation, newest first."""
    from ..models import Change

    if entity_type == "action":
        ids = [m.id for m in obj.measures]
        condition = or_((Change.entity_type == "action") & (Change.entity_id == obj.id),
                        (Change.entity_type == "measure") & Change.entity_id.in_(ids or [-1]))
    else:
        condition = (Change.entity_type == entity_type) & (Change.entity_id == obj.id)
    return db.session.scalars(select(Change).where(condition).order_by(Change.at.desc(), Change.id.desc())
                              .limit(limit)).all()


def recent_changes(review: Review, limit: int = 10):
    from ..models import Change

    return db.session.scalars(select(Change).where(Change.review_id == review.id, Change.field != "created")
                              .order_by(Change.at.desc(), Change.id.desc()).limit(limit)).all()


def attention(review: Review, stale_days: int, limit: int = 20) -> dict:
    """Overdue and stale open actions, for the dashboard (bounded lists, fixed queries)."""
    open_measure = Action.measures.any(Measure.status.notin_(CLOSED_STATES))
    base = select(Action).where(Action.review_id == review.id, Action.archived.is_(False), open_measure)
    overdue = db.session.scalars(base.where(Action.target_date < dt.date.today())
                                 .order_by(Action.target_date).limit(limit)).all()
    cutoff = utcnow() - dt.timedelta(days=stale_days)
    stale_query = base.where(Action.updated_at < cutoff)
    stale_count = db.session.scalar(select(func.count()).select_from(stale_query.subquery()))
    stale = db.session.scalars(stale_query.order_by(Action.updated_at).limit(limit)).all()
    # Committees ask who has not sent updates: stale open actions counted by owner.
    by_owner = db.session.execute(
        select(Owner, func.count(Action.id)).select_from(Action).outerjoin(Owner, Owner.id == Action.owner_id)
        .where(Action.review_id == review.id, Action.archived.is_(False), open_measure, Action.updated_at < cutoff)
        .group_by(Owner.id).order_by(func.count(Action.id).desc()).limit(limit)).all()  # asked even when none: fixed statements
    return {"overdue": overdue, "stale": stale, "stale_count": stale_count, "stale_by_owner": by_owner}


def element_codes() -> list[str]:
    return db.session.scalars(select(Element.code).distinct().order_by(Element.code)).all()


# --- lookups for the plan's forms (tracker/plan/assignment.py, main_review.py) ---

def actions_by_refs(review: Review, refs: list[str]) -> list[Action]:
    """The review's actions with these ref ids (refs it does not have are left out), owners loaded."""
    if not refs:
        return []
    return db.session.scalars(select(Action).where(Action.review_id == review.id, Action.ref.in_(refs))
                              .options(selectinload(Action.owner))).all()


def review_by_code(code: str) -> Review | None:
    return db.session.scalar(select(Review).where(Review.code == code))

"""Reading standards, mappings and assessments in a fixed number of queries, and the readiness picture.

``picture(...)`` joins an assessment's ratings with the live status of the actions mapped to each
element and applies the rules of ``domain/readiness.py``: the assessment page, the gap analysis,
the reports and the command line all read from it, so they never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..domain import readiness as rules
from ..domain.rollup import roll_up_measures
from ..extensions import db
from ..models import (
    Action,
    Assessment,
    Criterion,
    Element,
    ElementRating,
    Measure,
    Review,
    Standard,
    SubCriterion,
    action_element,
)
from ..search_text import contains


def load_standard(code: str) -> Standard | None:
    """The standard with its whole tree (criteria -> sub-criteria -> elements): 4 queries."""
    return db.session.scalar(
        select(Standard).where(func.lower(Standard.code) == code.lower())
        .options(selectinload(Standard.criteria).selectinload(Criterion.subcriteria)
                 .selectinload(SubCriterion.elements)))


def get_standard(code: str) -> Standard:
    return load_standard(code) or abort(404)


def elements_of(standard: Standard) -> list[Element]:
    return [e for c in standard.criteria for s in c.subcriteria for e in s.elements]


def find_element(standard: Standard, element_code: str) -> Element:
    return next((e for e in elements_of(standard) if e.code == element_code), None) or abort(404)


def get_assessment(standard: Standard, assessment_id: int) -> Assessment:
    found = db.session.get(Assessment, assessment_id)
    if found is None or found.standard_id != standard.id:
        abort(404)
    return found


def action_status(action: Action) -> str:
    """An action's rolled-up status category (the same rule the plan pages show)."""
    return roll_up_measures(action.measures).category


def mapped_actions(standard: Standard, *, element_ids: list[int] | None = None,
                   review_ids: set[int] | None = None) -> dict[int, list[Action]]:
    """element id -> the (unarchived) actions mapped to it, in plan order, measures loaded: 3 queries.

    ``element_ids`` and ``review_ids`` narrow what is loaded (None: every element, every review).
    """
    query = select(action_element.c.element_id, action_element.c.action_id)
    if element_ids is not None:
        query = query.where(action_element.c.element_id.in_(element_ids or [-1]))
    else:
        query = query.join(Element, Element.id == action_element.c.element_id) \
            .join(SubCriterion, SubCriterion.id == Element.subcriterion_id) \
            .join(Criterion, Criterion.id == SubCriterion.criterion_id).where(Criterion.standard_id == standard.id)
    if review_ids is not None:
        query = query.join(Action, Action.id == action_element.c.action_id) \
            .where(Action.review_id.in_(review_ids or [-1]))
    links = db.session.execute(query).all()
    ids = {action_id for _, action_id in links}
    actions = {a.id: a for a in db.session.scalars(
        select(Action).where(Action.id.in_(ids), Action.archived.is_(False))
        .options(selectinload(Action.measures).selectinload(Measure.depends_on)))} if ids else {}
    result: dict[int, list[Action]] = {}
    for element_id, action_id in links:
        if action_id in actions:
            result.setdefault(element_id, []).append(actions[action_id])
    for found in result.values():
        found.sort(key=lambda a: (a.review_id, a.position))
    return result


@dataclass
class ElementView:
    element: Element
    rating: str
    evidence: str
    version: int
    updated_at: object
    rag: rules.Rag
    actions: list[tuple[Action, str]]  # (action, rolled-up status)

    @property
    def rating_label(self) -> str:
        return rules.RATING_LABELS[self.rating]


@dataclass
class Picture:
    standard: Standard
    assessment: Assessment | None
    elements: list[ElementView]
    by_code: dict[str, ElementView]
    subcriteria: dict[str, rules.Rag]  # sub-criterion number -> roll-up
    criteria: dict[str, rules.Rag]
    readiness: rules.Readiness
    next_actions: list[tuple[Action, str, list[Element]]] = field(default_factory=list)

    def of(self, sub: SubCriterion) -> list[ElementView]:
        return [self.by_code[e.code] for e in sub.elements]


def ratings_of(assessment_ids: list[int]) -> dict[int, dict[int, ElementRating]]:
    """assessment id -> element id -> rating row: one query."""
    result: dict[int, dict[int, ElementRating]] = {i: {} for i in assessment_ids}
    if assessment_ids:
        for row in db.session.scalars(select(ElementRating).where(ElementRating.assessment_id.in_(assessment_ids))):
            result[row.assessment_id][row.element_id] = row
    return result


def picture(standard: Standard, assessment: Assessment | None, *, review: Review | None = None,
            ratings: dict[int, ElementRating] | None = None, mapped: dict[int, list[Action]] | None = None,
            next_limit: int = 10) -> Picture:
    """The readiness picture of one assessment (or, with none, of the plan alone: all "not assessed").

    Mapped actions count when they belong to the assessment's review (or ``review``); an
    assessment with no review counts actions from every review.
    """
    if ratings is None:
        ratings = ratings_of([assessment.id])[assessment.id] if assessment else {}
    review_id = (assessment.review_id if assessment else None) or (review.id if review else None)
    if mapped is None:
        mapped = mapped_actions(standard, review_ids={review_id} if review_id else None)
    statuses: dict[int, str] = {}
    views: list[ElementView] = []
    for element in elements_of(standard):
        actions = [a for a in mapped.get(element.id, []) if review_id is None or a.review_id == review_id]
        pairs = []
        for a in actions:
            if a.id not in statuses:
                statuses[a.id] = action_status(a)
            pairs.append((a, statuses[a.id]))
        row = ratings.get(element.id)
        rating = row.rating if row else "not_assessed"
        views.append(ElementView(element=element, rating=rating, evidence=(row.evidence or "") if row else "",
                                 version=row.version if row else 0, updated_at=row.updated_at if row else None,
                                 rag=rules.element_rag(rating, [s for _, s in pairs]), actions=pairs))
    by_code = {v.element.code: v for v in views}
    subs, crits = {}, {}
    for c in standard.criteria:
        for s in c.subcriteria:
            subs[s.number] = rules.roll_up_rag(by_code[e.code].rag.rag for e in s.elements)
        crits[c.number] = rules.roll_up_rag(by_code[e.code].rag.rag for s in c.subcriteria for e in s.elements)
    result = Picture(standard=standard, assessment=assessment, elements=views, by_code=by_code, subcriteria=subs,
                     criteria=crits, readiness=rules.readiness(v.rating for v in views))
    # What to do next: open actions by the number of non-green elements they map to.
    actions: dict[int, Action] = {}
    codes: dict[int, list[str]] = {}
    for v in views:
        for a, _ in v.actions:
            actions[a.id] = a
            codes.setdefault(a.id, []).append(v.element.code)
    ordered = sorted(actions.values(), key=lambda a: (a.review_id, a.position))
    by_ref = {a.ref: a for a in ordered}
    ranked = rules.next_actions({c: v.rag.rag for c, v in by_code.items()},
                                [(a.ref, statuses[a.id], codes[a.id]) for a in ordered], limit=next_limit)
    result.next_actions = [(by_ref[n.ref], n.status, [by_code[c].element for c in n.elements]) for n in ranked]
    return result


def history_of_assessment(assessment: Assessment, limit: int = 50) -> list:
    """The assessment's own record and every change to its ratings, newest first: one query."""
    from ..models import Change

    rating_ids = select(ElementRating.id).where(ElementRating.assessment_id == assessment.id)
    condition = ((Change.entity_type == "element_rating") & Change.entity_id.in_(rating_ids)) | \
        ((Change.entity_type == "assessment") & (Change.entity_id == assessment.id))
    return db.session.scalars(select(Change).where(condition).order_by(Change.at.desc(), Change.id.desc())
                              .limit(limit)).all()


def assessments(standard: Standard) -> list[Assessment]:
    return db.session.scalars(select(Assessment).where(Assessment.standard_id == standard.id)
                              .options(selectinload(Assessment.review))
                              .order_by(Assessment.assessed_on.desc(), Assessment.site)).all()


def compliant_counts(assessment_ids: list[int]) -> dict[int, int]:
    """assessment id -> number of elements rated Compliance or better: one query."""
    if not assessment_ids:
        return {}
    rows = db.session.execute(
        select(ElementRating.assessment_id, func.count(ElementRating.id))
        .where(ElementRating.assessment_id.in_(assessment_ids), ElementRating.rating.in_(sorted(rules.COMPLIANT)))
        .group_by(ElementRating.assessment_id)).all()
    return {i: n for i, n in rows}


def latest_per_site(standard: Standard) -> list[Assessment]:
    """The gap analysis's rows: each site's most recent assessment, sites in name order."""
    latest: dict[str, Assessment] = {}
    for a in db.session.scalars(select(Assessment).where(Assessment.standard_id == standard.id)
                                .order_by(Assessment.assessed_on, Assessment.id)):
        latest[a.site] = a
    return [latest[site] for site in sorted(latest, key=str.lower)]


def gap_pictures(standard: Standard) -> list[Picture]:
    """One picture per site (latest assessment), sharing the mapped actions and ratings queries."""
    rows = latest_per_site(standard)
    reviews = {a.review_id for a in rows}
    mapped = mapped_actions(standard, review_ids=None if None in reviews else reviews)
    ratings = ratings_of([a.id for a in rows])
    return [picture(standard, a, ratings=ratings[a.id], mapped=mapped) for a in rows]


def search_actions(review: Review, q: str, limit: int = 20) -> list[Action]:
    """Actions of a review whose ref, title or measures contain ``q`` (the mapping picker)."""
    query = select(Action).where(Action.review_id == review.id, Action.archived.is_(False))
    q = (q or "").strip()[:200]
    if q:
        query = query.where(contains(Action.ref, q) | contains(Action.title, q)
                            | Action.measures.any(contains(Measure.text, q)))
    return db.session.scalars(query.order_by(Action.position).limit(limit)
                              .options(selectinload(Action.measures).selectinload(Measure.depends_on))).all()


def search_elements(q: str, limit: int = 20) -> list[Element]:
    """Elements of every standard whose code or text contains ``q``, e.g. "1.3" or "satisfaction"."""
    q = (q or "").strip()[:200]
    query = select(Element).join(SubCriterion, SubCriterion.id == Element.subcriterion_id) \
        .join(Criterion, Criterion.id == SubCriterion.criterion_id).join(Standard, Standard.id == Criterion.standard_id)
    if q:
        query = query.where(contains(Element.code, q) | contains(Element.text, q)
                            | contains(Standard.code + " " + Element.code, q))
    return db.session.scalars(query.order_by(Standard.code, Criterion.position, SubCriterion.position,
                                             Element.position).limit(limit)
                              .options(selectinload(Element.subcriterion).selectinload(SubCriterion.criterion)
                                       .selectinload(Criterion.standard))).all()


def mapped_counts(element_ids: list[int]) -> dict[int, int]:
    """element id -> how many actions are mapped to it: one query."""
    return dict(db.session.execute(
        select(action_element.c.element_id, func.count()).where(action_element.c.element_id.in_(element_ids or [-1]))
        .group_by(action_element.c.element_id)).all())


def ratings_of_element(element: Element) -> dict[int, ElementRating]:
    """assessment id -> the element's rating in it: one query."""
    return {r.assessment_id: r for r in db.session.scalars(
        select(ElementRating).where(ElementRating.element_id == element.id))}


def find_action(review: Review, ref: str) -> Action | None:
    """An action of the review by its ref id, with the elements it is mapped to."""
    return db.session.scalar(select(Action).where(Action.review_id == review.id, Action.ref == ref)
                             .options(selectinload(Action.elements)))

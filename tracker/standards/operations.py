"""Every change to mappings and assessments goes through one function here, which writes the history.

A rating carries the version the person saw: if someone else saved the same element of the same
assessment in between, the update is refused with a Conflict holding both texts (as measures do).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from .. import history
from ..domain.readiness import RATING_LABELS
from ..extensions import db
from ..models import Action, Assessment, Criterion, Element, ElementRating, Review, Standard, SubCriterion, utcnow
from ..models.standards import action_element
from ..plan.operations import Conflict
from ..refused import Refused

__all__ = ["Refused", "Conflict", "element_label", "link_action", "link_whys", "unlink_action", "create_assessment",
           "rate_element"]


def element_label(element: Element) -> str:
    return f"{element.subcriterion.criterion.standard.code} {element.code}"


# --- mapping actions to elements ---

WHY_MAX = 2000


def clean_why(why: str | None) -> str | None:
    why = " ".join((why or "").split())
    if len(why) > WHY_MAX:
        raise Refused(f"Say why in {WHY_MAX} characters or fewer", "why")
    return why or None


def link_whys(action: Action) -> dict[int, str | None]:
    """Element id -> the reason it is mapped, for one action."""
    return dict(db.session.execute(select(action_element.c.element_id, action_element.c.why)
                                   .where(action_element.c.action_id == action.id)).all())


def link_action(action: Action, element: Element, *, why: str | None = None, note: str | None = None,
                by=None) -> bool:
    """Record that ``action`` provides evidence for ``element`` (and why); False when nothing changed.

    Mapping an element that is already mapped with a new reason changes the reason; an empty reason
    never erases one already given."""
    why = clean_why(why)
    link = action_element.c
    if element in action.elements:
        held = db.session.scalar(select(link.why).where(link.action_id == action.id, link.element_id == element.id))
        if why is None or why == held:
            return False
        db.session.execute(update(action_element).where(link.action_id == action.id, link.element_id == element.id)
                           .values(why=why))
        label = element_label(element)
        history.record(entity_type="action", entity_id=action.id, field="standard_element_why",
                       before=f"{label}: {held}" if held else None, after=f"{label}: {why}", by=by, note=note,
                       review_id=action.review_id, label=action.ref)
        return True
    action.elements.append(element)
    db.session.flush()
    if why is not None:
        db.session.execute(update(action_element).where(link.action_id == action.id, link.element_id == element.id)
                           .values(why=why))
    history.record(entity_type="action", entity_id=action.id, field="standard_element", before=None,
                   after=element_label(element), by=by, note=note,
                   review_id=action.review_id, label=action.ref)
    return True


def unlink_action(action: Action, element: Element, *, note: str | None = None, by=None) -> bool:
    if element not in action.elements:
        return False
    action.elements.remove(element)
    history.record(entity_type="action", entity_id=action.id, field="standard_element",
                   before=element_label(element), after=None, by=by, note=note, review_id=action.review_id,
                   label=action.ref)
    return True


# --- assessments and ratings ---

def create_assessment(standard: Standard, *, site: str, assessed_on: dt.date | None, review: Review | None = None,
                      by=None, note: str | None = None) -> Assessment:
    """A new self-assessment: every element of the standard starts "not assessed" (version 1)."""
    site = " ".join((site or "").split())
    if not site:
        raise Refused("Enter the service or site being assessed", "site")
    if len(site) > 200:
        raise Refused("The service or site name must be 200 characters or fewer", "site")
    if assessed_on is None:
        raise Refused("Enter the date of the assessment as a real date", "assessed_on")
    clash = db.session.scalar(select(Assessment).where(
        Assessment.standard_id == standard.id, Assessment.site == site, Assessment.assessed_on == assessed_on))
    if clash is not None:
        raise Refused(f"{site} already has an assessment against {standard.code} on "
                              f"{assessed_on.strftime('%-d %B %Y')}", "site")
    assessment = Assessment(standard_id=standard.id, site=site, assessed_on=assessed_on,
                            review_id=review.id if review else None)
    db.session.add(assessment)
    db.session.flush()
    elements = db.session.scalars(select(Element.id).join(SubCriterion, Element.subcriterion_id == SubCriterion.id)
                                  .join(Criterion, SubCriterion.criterion_id == Criterion.id)
                                  .where(Criterion.standard_id == standard.id)).all()
    for element_id in elements:
        db.session.add(ElementRating(assessment_id=assessment.id, element_id=element_id, rating="not_assessed"))
    history.record(entity_type="assessment", entity_id=assessment.id, field="created",
                   after=f"{standard.code}: {assessment.label}", by=by, note=note,
                   review_id=assessment.review_id, label=assessment.label)
    db.session.flush()
    return assessment


def rate_element(assessment: Assessment, element: Element, *, rating: str, evidence: str | None,
                 note: str | None = None, by=None, expected_version=None) -> bool:
    """Set an element's rating and evidence notes in one assessment. Returns whether anything changed.

    ``expected_version`` is the version the person's form was built from; when someone saved in
    between, Conflict is raised with their values and the person's, and nothing is written.
    """
    evidence = (evidence or "").strip()
    if rating not in RATING_LABELS:
        raise Refused("Choose a rating from the list", "rating")
    row = db.session.scalar(select(ElementRating).where(ElementRating.assessment_id == assessment.id,
                                                        ElementRating.element_id == element.id))
    current_version = row.version if row else 0
    if expected_version is not None:
        try:
            expected = int(expected_version)
        except (TypeError, ValueError):
            raise Refused("The form was incomplete (no version); reload the page and try again") from None
        if expected != current_version:
            raise Conflict(current_version,
                           {"rating": row.rating if row else "not_assessed", "evidence": (row.evidence or "") if row else ""},
                           {"rating": rating, "evidence": evidence, "note": note or ""})
    if row is None:  # an element added to the standard after the assessment was created
        row = ElementRating(assessment_id=assessment.id, element_id=element.id, rating="not_assessed")
        db.session.add(row)
        db.session.flush()
    label = f"{assessment.site} {element_label(element)}"
    changed = False
    for field, value in (("rating", rating), ("evidence", evidence or None)):
        before = getattr(row, field)
        if (before or None) != (value or None):
            shown = (lambda v: RATING_LABELS.get(v, v)) if field == "rating" else (lambda v: v)
            history.record(entity_type="element_rating", entity_id=row.id, field=field, before=shown(before),
                           after=shown(value), by=by, note=note, review_id=assessment.review_id, label=label)
            setattr(row, field, value)
            changed = True
    # The version counter (``version_id_col``) bumps the row on every UPDATE and makes it say
    # "WHERE version = :seen"; a row made just now was inserted at version 1.
    if changed:
        row.updated_at = utcnow()
    return changed

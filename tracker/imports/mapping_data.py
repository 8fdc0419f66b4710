"""Seeds that link the plan to a standard: action -> element mappings, and example assessments.

``seeds/mappings/*.yaml``::

    review: CC
    standard: CSE
    mappings:
      CC-44-PERF-05:
        elements: [1.3.1, 1.3.2]
        why: Regular customer satisfaction surveys ...
        why_by_element:             # optional: a different reason for some of the elements
          1.3.2: ...

A missing `why` is loaded with a warning (a link made on a page need not give one, and an export
must load back); the reason is stored on each link and shown on the action's elements page.

``seeds/assessments/*.yaml`` (one assessment each)::

    standard: CSE
    review: CC                      # optional: whose actions provide the evidence
    site: Customer Contact Centre
    assessed_on: 2003-12-01
    ratings:                        # elements not listed stay "not assessed"
      1.1.1: {rating: partial, evidence: ...}

Validated before anything is written (unknown refs and element codes are refused by name), then
applied without deleting: a link is added when missing, an assessment created when missing, and a
rating set only where nobody has rated the element yet. Seeding twice changes nothing.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.readiness import RATING_LABELS, RATINGS
from ..extensions import db
from ..models import Action, Assessment, ElementRating, Review, Standard
from .plan_data import ApplySummary, PlanError, Problem, _date


def _close_matches(value: str, known: set[str]) -> str:
    import difflib
    near = difflib.get_close_matches(value, sorted(known), n=3)
    return f" (did you mean {', '.join(near)}?)" if near else ""


def validate_mapping(data, known_refs: dict[str, set[str]], known_elements: dict[str, set[str]]) -> list[Problem]:
    """``known_refs``: review code -> ref ids; ``known_elements``: standard code -> element codes."""
    if not isinstance(data, dict) or not data.get("review") or not data.get("standard"):
        return [Problem("mapping", "a mapping file needs a review code, a standard code and mappings")]
    review, standard = str(data["review"]), str(data["standard"])
    problems = []
    if review not in known_refs:
        problems.append(Problem("review", f"unknown review {review!r}; known: {', '.join(sorted(known_refs)) or 'none'}"))
    if standard not in known_elements:
        problems.append(Problem("standard", f"unknown standard {standard!r}; known: "
                                            f"{', '.join(sorted(known_elements)) or 'none'}"))
    if problems:
        return problems
    mappings = data.get("mappings")
    if not isinstance(mappings, dict) or not mappings:
        return [Problem("mappings", "expected 'action ref: {elements: [codes], why: text}' entries")]
    refs, codes = known_refs[review], known_elements[standard]
    for ref, entry in mappings.items():
        ref = str(ref).strip()
        where = f"mappings {ref}"
        if ref not in refs:
            problems.append(Problem(where, f"unknown action ref {ref!r} in review {review}{_close_matches(ref, refs)}"))
        if not isinstance(entry, dict) or not isinstance(entry.get("elements"), list) or not entry["elements"]:
            problems.append(Problem(where, "give 'elements: [codes]' with at least one element code"))
            continue
        for code in entry["elements"]:
            if str(code) not in codes:
                problems.append(Problem(where, f"unknown element {code!r} of standard {standard}"
                                               f"{_close_matches(str(code), codes)}"))
        by_element = entry.get("why_by_element")
        if by_element is not None:
            if not isinstance(by_element, dict):
                problems.append(Problem(where, "'why_by_element' must map element codes to reasons"))
            else:
                listed = {str(code) for code in entry["elements"]}
                for code in by_element:
                    if str(code) not in listed:
                        problems.append(Problem(where, f"'why_by_element' names {code}, which is not in its elements"))
    return problems


def missing_whys(data) -> list[str]:
    """Mapped elements given no reason: loaded (a link made on a page may have none), but named."""
    if not isinstance(data, dict) or not isinstance(data.get("mappings"), dict):
        return []
    warnings = []
    for ref, entry in data["mappings"].items():
        if not isinstance(entry, dict):
            continue
        by_element = entry.get("why_by_element") if isinstance(entry.get("why_by_element"), dict) else {}
        by_element = {str(k): v for k, v in by_element.items()}
        bare = [str(code) for code in entry.get("elements") or []
                if not str(by_element.get(str(code), entry.get("why")) or "").strip()]
        if bare:
            warnings.append(f"{str(ref).strip()}: no 'why' for {', '.join(bare)}")
    return warnings


def validate_assessment(data, known_refs: dict[str, set[str]], known_elements: dict[str, set[str]]) -> list[Problem]:
    if not isinstance(data, dict) or not data.get("standard") or not data.get("site"):
        return [Problem("assessment", "an assessment needs a standard code, a site and a date")]
    problems: list[Problem] = []
    standard = str(data["standard"])
    if standard not in known_elements:
        return [Problem("standard", f"unknown standard {standard!r}")]
    if data.get("review") not in (None, "") and str(data["review"]) not in known_refs:
        problems.append(Problem("review", f"unknown review {data['review']!r}"))
    date_problems: list[Problem] = []
    if _date(data.get("assessed_on"), "assessed_on", date_problems) is None and not date_problems:
        date_problems.append(Problem("assessed_on", "the date of the assessment is required (YYYY-MM-DD)"))
    problems += date_problems
    for code, entry in (data.get("ratings") or {}).items():
        where = f"ratings {code}"
        if str(code) not in known_elements[standard]:
            problems.append(Problem(where, f"unknown element {code!r} of standard {standard}"))
        rating = entry.get("rating") if isinstance(entry, dict) else entry
        if rating not in RATING_LABELS:
            problems.append(Problem(where, f"rating {rating!r} is not one of {', '.join(RATINGS)}"))
    return problems


def _elements_by_code(standard: Standard) -> dict:
    return {e.code: e for c in standard.criteria for s in c.subcriteria for e in s.elements}


def _standard(code: str) -> Standard:
    from ..standards.queries import load_standard
    return load_standard(code)


def apply_mapping(data: dict, *, by=None, note: str | None = None) -> ApplySummary:
    from ..standards.operations import link_action

    summary = ApplySummary(warnings=missing_whys(data))
    review = db.session.scalar(select(Review).where(Review.code == str(data["review"])))
    elements = _elements_by_code(_standard(str(data["standard"])))
    actions = {a.ref: a for a in db.session.scalars(
        select(Action).where(Action.review_id == review.id).options(selectinload(Action.elements)))}
    for ref, entry in data["mappings"].items():
        action = actions[str(ref).strip()]
        by_element = {str(k): v for k, v in (entry.get("why_by_element") or {}).items()}
        for code in entry["elements"]:
            element = elements[str(code)]
            new = element not in action.elements
            if link_action(action, element, why=_why_to_fill(action, element, by_element.get(str(code),
                                                                                    entry.get("why"))),
                           by=by, note=note):
                (summary.created if new else summary.updated).append(f"{action.ref} -> {data['standard']} {code}")
            else:
                summary.unchanged += 1
    db.session.flush()
    return summary


def _why_to_fill(action, element, why) -> str | None:
    """A seed gives a reason to a new link, or to one that has none yet; a reason someone has since
    written on the page is theirs and stays."""
    from ..standards.operations import link_whys

    if element in action.elements and link_whys(action).get(element.id):
        return None
    return str(why) if why not in (None, "") else None


def apply_assessment(data: dict, *, by=None, note: str | None = None) -> ApplySummary:
    from ..standards.operations import create_assessment, rate_element

    summary = ApplySummary()
    standard = _standard(str(data["standard"]))
    assessed_on = _date(data["assessed_on"], "", [])
    site = " ".join(str(data["site"]).split())
    review = db.session.scalar(select(Review).where(Review.code == str(data["review"]))) \
        if data.get("review") else None
    assessment = db.session.scalar(select(Assessment).where(
        Assessment.standard_id == standard.id, Assessment.site == site, Assessment.assessed_on == assessed_on))
    new = assessment is None
    if new:
        assessment = create_assessment(standard, site=site, assessed_on=assessed_on, review=review, by=by, note=note)
        summary.created.append(assessment.label)
    else:
        summary.unchanged += 1
    # A rating given to a just-created assessment is part of creating it; the same rating given
    # later to an element nobody had rated yet is an update. Either way, counted once per element.
    rated = summary.created if new else summary.updated
    rows = {r.element_id: r for r in db.session.scalars(
        select(ElementRating).where(ElementRating.assessment_id == assessment.id))}
    elements = _elements_by_code(standard)
    for code, entry in (data.get("ratings") or {}).items():
        entry = entry if isinstance(entry, dict) else {"rating": entry}
        element = elements[str(code)]
        row = rows.get(element.id)
        untouched = row is None or (row.rating == "not_assessed" and not row.evidence and row.version <= 1)
        if untouched and (entry["rating"] != "not_assessed" or entry.get("evidence")):
            rate_element(assessment, element, rating=entry["rating"], evidence=entry.get("evidence"), by=by, note=note)
            rated.append(f"{assessment.site} {code}")
        elif new:  # "not assessed", as the new assessment already holds it
            summary.created.append(f"{assessment.site} {code}")
        else:
            summary.unchanged += 1
    db.session.flush()
    return summary


def known_codes(standards: list[dict], reviews: list[dict]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Ref ids and element codes from the seed files being loaded and from the database."""
    refs: dict[str, set[str]] = {}
    for code, ref in db.session.execute(select(Review.code, Action.ref).join(Action, Action.review_id == Review.id)):
        refs.setdefault(code, set()).add(ref)
    for data in reviews:
        if isinstance(data, dict) and isinstance(data.get("review"), dict) and data["review"].get("code"):
            refs.setdefault(str(data["review"]["code"]), set()).update(
                str(a.get("ref") or "").strip() for a in data.get("actions") or [] if isinstance(a, dict))
    elements: dict[str, set[str]] = {}
    for standard in db.session.scalars(select(Standard)):
        elements[standard.code] = set(_elements_by_code(_standard(standard.code)))
    for data in standards:
        if isinstance(data, dict) and data.get("code"):
            elements.setdefault(str(data["code"]), set()).update(
                str(e.get("code")) for c in data.get("criteria") or [] for s in c.get("subcriteria") or []
                for e in s.get("elements") or [])
    return refs, elements


__all__ = ["validate_mapping", "missing_whys", "validate_assessment", "apply_mapping", "apply_assessment", "known_codes",
           "PlanError", "Problem"]

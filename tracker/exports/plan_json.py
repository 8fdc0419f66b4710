"""The whole plan as plain data: what `flask export --format json` writes.

Each review, standard, mapping and assessment is written in the same shape as its seed file, so
`split_for_seed` lays an export out as a seeds folder that `flask seed --dir` loads into an empty
database, and exporting that database gives the same file.

A plan can hold tens of thousands of actions, so the actions are read from the database a batch at
a time (``review_actions``) and ``export_chunks`` writes the JSON text as they come: the export's
memory stays the same whatever the plan's size. ``export_all`` is the same data as one dict.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Action,
    Assessment,
    Criterion,
    Element,
    ElementRating,
    Measure,
    Project,
    Recommendation,
    Review,
    Standard,
    SubCriterion,
    Theme,
)
from ..models.standards import action_element

SCHEMA_VERSION = 1


def _date(value):
    return value.isoformat() if value else None


def review_data(review: Review, projects: list[Project]) -> dict:
    return {
        "authority": review.authority.name,
        "review": {
            "code": review.code, "title": review.title, "approved_on": _date(review.approved_on),
            "approved_by": review.approved_by, "description": review.description,
            "ref_pattern": review.ref_pattern,
        },
        "projects": [
            {"code": p.code, "name": p.name, "description": p.description, "status": p.status,
             "expected_on": _date(p.expected_on), "aliases": list(p.aliases or [])}
            for p in projects
        ],
        "themes": [
            {"code": t.code, "name": t.name,
             "subthemes": [{"code": s.code, "name": s.name} for s in t.subthemes]}
            for t in review.themes
        ],
        "recommendations": [
            {"number": r.number, "text": r.text, "status_text": r.status_text,
             "response": r.response, "response_on": _date(r.response_on),
             "status_override": r.status_override, "status_override_reason": r.status_override_reason,
             "variations": [{"label": v.label, "text": v.text, "status_text": v.status_text}
                            for v in r.variations]}
            for r in review.recommendations
        ],
        "actions": LazyList(review_actions(review.id)),
    }


# Actions read per batch: enough to keep the number of statements low, few enough that a batch
# (with its measures, owners and links) is a few megabytes.
BATCH = 500


def review_actions(review_id: int, batch: int = BATCH) -> Iterator[dict]:
    """Each action of a review as ``action_data``, in the plan's order, read ``batch`` at a time.

    Nothing keeps a batch once it is written: the session holds its objects weakly and nothing
    here refers to them after their dict is made."""
    query = (select(Action).where(Action.review_id == review_id).order_by(Action.position, Action.id)
             .options(selectinload(Action.theme), selectinload(Action.subtheme), selectinload(Action.owner),
                      selectinload(Action.recommendations),
                      selectinload(Action.measures).selectinload(Measure.depends_on))
             .execution_options(yield_per=batch))
    for action in db.session.scalars(query):
        yield action_data(action)


def action_data(a: Action) -> dict:
    """One action as the seed/export layout writes it. An action that holds its progress itself
    (its unnumbered measure) has ``"progress": {"text", "status", "depends_on"}`` and no measures;
    one with numbered measures has ``"measures"`` and no "progress" key."""
    data = {"ref": a.ref, "title": a.title, "theme": a.theme.code,
            "subtheme": a.subtheme.code if a.subtheme else None,
            "owner": ({"name": a.owner.name, "business_unit": a.owner.business_unit} if a.owner else None),
            "target_date": _date(a.target_date), "comment": a.comment,
            "recommendations": [r.number for r in a.recommendations],
            "measures": [
                {"number": m.number, "text": m.text, "measured_output": m.measured_output,
                 "status": m.status, "depends_on": m.depends_on.code if m.depends_on else None}
                for m in a.numbered_measures
            ]}
    own = a.own_progress
    if own is not None:
        data["progress"] = {"text": own.measured_output, "status": own.status,
                            "depends_on": own.depends_on.code if own.depends_on else None}
    return data


def standard_data(standard: Standard) -> dict:
    return {
        "code": standard.code, "name": standard.name, "source": standard.source,
        "criteria": [
            {"number": c.number, "title": c.title, "description": c.description,
             "subcriteria": [
                 {"number": s.number, "title": s.title,
                  "elements": [{"code": e.code, "text": e.text, "guidance": e.guidance} for e in s.elements]}
                 for s in c.subcriteria]}
            for c in standard.criteria
        ],
    }


def has_review(code: str) -> bool:
    return db.session.scalar(select(Review.id).where(Review.code == code)) is not None


def export_data(review_codes: list[str] | None = None) -> dict:
    """The export with each review's actions as a ``LazyList``, read only as it is written."""
    query = (select(Review).order_by(Review.code).options(
        selectinload(Review.authority),
        selectinload(Review.themes).selectinload(Theme.subthemes),
        selectinload(Review.recommendations).selectinload(Recommendation.variations)))
    if review_codes:
        query = query.where(Review.code.in_(review_codes))
    reviews = db.session.scalars(query).all()
    projects_by_authority: dict[int, list[Project]] = {}
    for project in db.session.scalars(select(Project).order_by(Project.id)):
        projects_by_authority.setdefault(project.authority_id, []).append(project)
    standards = db.session.scalars(select(Standard).order_by(Standard.code).options(
        selectinload(Standard.criteria).selectinload(Criterion.subcriteria).selectinload(SubCriterion.elements)))
    return {
        "schema_version": SCHEMA_VERSION,
        "reviews": [review_data(r, projects_by_authority.get(r.authority_id, [])) for r in reviews],
        "standards": [standard_data(s) for s in standards],
        "mappings": mapping_data([r.id for r in reviews]),
        "assessments": assessment_data([r.id for r in reviews], whole=not review_codes),
    }


def export_all(review_codes: list[str] | None = None) -> dict:
    """The whole export in memory (seed folders, tests, a single small review)."""
    return materialised(export_data(review_codes))


def export_chunks(review_codes: list[str] | None = None) -> Iterator[str]:
    """The text of ``json.dumps(export_all(review_codes), ensure_ascii=False, indent=2)``, in pieces,
    with each review's actions read from the database as they are written."""
    return json_chunks(export_data(review_codes))


class LazyList:
    """A list in the export that is only read once, item by item, as it is written."""

    def __init__(self, items: Iterable):
        self.items = items

    def __iter__(self):
        return iter(self.items)


def materialised(value):
    if isinstance(value, LazyList):
        return [materialised(item) for item in value]
    if isinstance(value, dict):
        return {key: materialised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [materialised(item) for item in value]
    return value


def _holds_lazy(value) -> bool:
    if isinstance(value, LazyList):
        return True
    if isinstance(value, dict):
        return any(_holds_lazy(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_lazy(item) for item in value)
    return False


def json_chunks(value, level: int = 0) -> Iterator[str]:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` in pieces, character for character: a part
    without a LazyList is dumped whole and indented to its depth (a JSON string never holds a raw
    line break, so every line break in the dump is layout); a LazyList is written item by item."""
    if not _holds_lazy(value):
        text = json.dumps(value, ensure_ascii=False, indent=2)
        yield text.replace("\n", "\n" + "  " * level) if level else text
        return
    inner, outer = "\n" + "  " * (level + 1), "\n" + "  " * level
    if isinstance(value, dict):
        if not value:
            yield "{}"
            return
        for index, (key, item) in enumerate(value.items()):
            yield ("{" if index == 0 else ",") + inner + json.dumps(key, ensure_ascii=False) + ": "
            yield from json_chunks(item, level + 1)
        yield outer + "}"
        return
    first = True
    for item in value:
        yield ("[" if first else ",") + inner
        yield from json_chunks(item, level + 1)
        first = False
    yield "[]" if first else outer + "]"


def mapping_data(review_ids: list[int]) -> list[dict]:
    """Action -> element links, one entry per review and standard, in the shape of seeds/mappings/*.yaml."""
    rows = db.session.execute(
        select(Review.code, Standard.code, Action.ref, Element.code, action_element.c.why)
        .select_from(action_element)
        .join(Action, Action.id == action_element.c.action_id).join(Review, Review.id == Action.review_id)
        .join(Element, Element.id == action_element.c.element_id)
        .join(SubCriterion, SubCriterion.id == Element.subcriterion_id)
        .join(Criterion, Criterion.id == SubCriterion.criterion_id).join(Standard, Standard.id == Criterion.standard_id)
        .where(Action.review_id.in_(review_ids))
        .order_by(Review.code, Standard.code, Action.position, Criterion.position, SubCriterion.position,
                  Element.position)).all()
    grouped: dict[tuple[str, str], dict] = {}
    for review, standard, ref, element, why in rows:
        entry = grouped.setdefault((review, standard), {"review": review, "standard": standard, "mappings": {}})
        entry["mappings"].setdefault(ref, {"elements": [], "whys": []})
        entry["mappings"][ref]["elements"].append(element)
        entry["mappings"][ref]["whys"].append(why)
    for entry in grouped.values():
        for ref, link in entry["mappings"].items():
            entry["mappings"][ref] = _with_why(link["elements"], link["whys"])
    return list(grouped.values())


def _with_why(elements: list[str], whys: list[str | None]) -> dict:
    """One `why` for the action (the reason most of its links give, as the seeds write it), and
    `why_by_element` for the links whose reason differs (null: none given)."""
    given = [w for w in whys if w]
    common = max(given, key=given.count) if given else None  # max keeps the first of equals
    result = {"elements": elements, "why": common}
    different = {code: why for code, why in zip(elements, whys, strict=False) if why != common}
    if different:
        result["why_by_element"] = different
    return result


def assessment_data(review_ids: list[int], *, whole: bool) -> list[dict]:
    """Assessments of the reviews exported (and, for a whole export, those tied to no review), in the
    shape of seeds/assessments/*.yaml; elements never rated are left out, as there."""
    query = select(Assessment).options(selectinload(Assessment.standard), selectinload(Assessment.review),
                                       selectinload(Assessment.ratings).selectinload(ElementRating.element))
    condition = Assessment.review_id.in_(review_ids)
    query = query.where(condition | Assessment.review_id.is_(None) if whole else condition)
    result = []
    for a in db.session.scalars(query.order_by(Assessment.site, Assessment.assessed_on)):
        ratings = sorted((r for r in a.ratings if r.rating != "not_assessed" or r.evidence),
                         key=lambda r: [part.zfill(6) for part in r.element.code.split(".")])
        result.append({"standard": a.standard.code, "review": a.review.code if a.review else None, "site": a.site,
                       "assessed_on": _date(a.assessed_on),
                       "ratings": {r.element.code: {"rating": r.rating, "evidence": r.evidence} for r in ratings}})
    return result


SEED_FOLDERS = ("reviews", "standards", "mappings", "assessments")


def split_for_seed(data: dict) -> dict[str, object]:
    """An export as seed files: relative path (e.g. "reviews/CC.yaml") -> the file's data.

    Names come from codes, which are checked as review codes and standard codes when they are
    made (letters, digits, hyphens), so they are safe as file names; assessments are numbered in
    export order, which is the order the seed loads them in."""
    files: dict[str, object] = {}
    for review in data.get("reviews", []):
        files[f"reviews/{_safe(review['review']['code'])}.yaml"] = review
    for standard in data.get("standards", []):
        files[f"standards/{_safe(standard['code'])}.yaml"] = standard
    for mapping in data.get("mappings", []):
        files[f"mappings/{_safe(mapping['review'])}_{_safe(mapping['standard'])}.yaml"] = mapping
    for number, assessment in enumerate(data.get("assessments", []), start=1):
        files[f"assessments/{number:04d}.yaml"] = assessment
    return files


def _safe(code: str) -> str:
    import re
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(code))

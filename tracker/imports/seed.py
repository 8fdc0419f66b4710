"""Loading seeds/ (standards, reviews, then mappings and assessments, as YAML) in one transaction:
all of it or nothing. The caller's transaction: `flask seed` commits once at its end."""
from __future__ import annotations

from pathlib import Path

import yaml

from . import mapping_data
from .plan_data import ApplySummary, PlanError, Problem, apply_plan, validate_plan
from .standard_data import apply_standard, validate_standard

# libyaml's loader is about ten times faster than the pure-Python one, when present.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, problems: list[Problem]):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except (OSError, yaml.YAMLError) as exc:
        problems.append(Problem(path.name, f"cannot be read as YAML: {exc}"))
        return None


def load_seeds(seeds_dir: Path, *, by=None) -> dict[str, ApplySummary]:
    """Validate every seed file, then apply them all; on any problem nothing is written."""
    seeds_dir = Path(seeds_dir)
    problems: list[Problem] = []
    standards, reviews = [], []
    for path in sorted((seeds_dir / "standards").glob("*.yaml")):
        data = read_yaml(path, problems)
        if data is not None:
            problems += [Problem(f"{path.name}: {p.where}", p.message) for p in validate_standard(data)]
            standards.append((path, data))
    for path in sorted((seeds_dir / "reviews").glob("*.yaml")):
        data = read_yaml(path, problems)
        if data is not None:
            problems += [Problem(f"{path.name}: {p.where}", p.message) for p in validate_plan(data)]
            reviews.append((path, data))
    # Links to standards and example assessments, checked against what is loaded above and stored.
    linked = []
    if any((seeds_dir / folder).is_dir() for folder in ("mappings", "assessments")):
        refs, elements = mapping_data.known_codes([d for _, d in standards], [d for _, d in reviews])
        for folder, validate, apply in (("mappings", mapping_data.validate_mapping, mapping_data.apply_mapping),
                                        ("assessments", mapping_data.validate_assessment,
                                         mapping_data.apply_assessment)):
            for path in sorted((seeds_dir / folder).glob("*.yaml")):
                data = read_yaml(path, problems)
                if data is not None:
                    problems += [Problem(f"{folder}/{path.name}: {p.where}", p.message)
                                 for p in validate(data, refs, elements)]
                    linked.append((path, data, apply))
    if not standards and not reviews and not problems:
        problems.append(Problem(str(seeds_dir), "no seed files found under reviews/ or standards/"))
    if problems:
        raise PlanError(problems)
    summaries = {}
    for path, data in standards:
        summaries[path.name] = apply_standard(data, by=by, note=f"seed {path.name}")
    for path, data in reviews:
        summaries[path.name] = apply_plan(data, by=by, note=f"seed {path.name}")
    _make_first_seeded_review_main([data["review"]["code"] for _, data in reviews])
    for path, data, apply in linked:
        summaries[f"{path.parent.name}/{path.name}"] = apply(data, by=by, note=f"seed {path.name}")
    return summaries


def _make_first_seeded_review_main(codes: list[str]) -> None:
    """The seeded review is what everyone lands on, unless its authority already has a main review."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Review

    for code in codes[:1]:
        review = db.session.scalar(select(Review).where(Review.code == code))
        db.session.flush()
        if review is not None and not db.session.scalar(select(Review.id).where(
                Review.authority_id == review.authority_id, Review.is_main.is_(True))):
            review.is_main = True

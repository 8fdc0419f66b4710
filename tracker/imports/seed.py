"""Loading seeds/ (reviews and standards as YAML) in one transaction: all of it or nothing."""
from __future__ import annotations

from pathlib import Path

import yaml

from ..extensions import db
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
    if not standards and not reviews and not problems:
        problems.append(Problem(str(seeds_dir), "no seed files found under reviews/ or standards/"))
    if problems:
        raise PlanError(problems)
    summaries = {}
    try:
        for path, data in standards:
            summaries[path.name] = apply_standard(data, by=by, note=f"seed {path.name}")
        for path, data in reviews:
            summaries[path.name] = apply_plan(data, by=by, note=f"seed {path.name}")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return summaries

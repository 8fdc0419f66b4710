"""A standard (criteria -> sub-criteria -> elements) as plain data: validate, then create or update."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Criterion, Element, Standard, SubCriterion
from .plan_data import ApplySummary, PlanError, Problem, _Writer


def validate_standard(data) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(data, dict) or not data.get("code") or not data.get("name"):
        return [Problem("standard", "a standard needs a code and a name")]
    codes = set()
    for c in data.get("criteria") or []:
        if not c.get("number") or not c.get("title"):
            problems.append(Problem(f"criterion {c.get('number')}", "a criterion needs a number and a title"))
        for s in c.get("subcriteria") or []:
            where = f"sub-criterion {s.get('number')}"
            if not str(s.get("number") or "").startswith(f"{c.get('number')}."):
                problems.append(Problem(where, f"its number should start with its criterion's ({c.get('number')}.)"))
            for e in s.get("elements") or []:
                code = str(e.get("code") or "")
                if code in codes:
                    problems.append(Problem(f"element {code}", "element code used twice"))
                codes.add(code)
                if not code.startswith(f"{s.get('number')}."):
                    problems.append(Problem(f"element {code}", f"its code should start with {s.get('number')}."))
                if not (e.get("text") or "").strip():
                    problems.append(Problem(f"element {code}", "the element has no text"))
    return problems


def apply_standard(data: dict, *, by=None, note: str | None = None) -> ApplySummary:
    problems = validate_standard(data)
    if problems:
        raise PlanError(problems)
    summary = ApplySummary()
    w = _Writer(summary, by, note)
    standard = db.session.scalar(select(Standard).where(Standard.code == data["code"]))
    if standard is None:
        standard = Standard(code=data["code"], name=data["name"], source=data.get("source"))
        w.created(standard, "standard", data["code"])
    else:
        w.update(standard, "standard", data["code"], dict(name=data["name"], source=data.get("source")))
    criteria = {c.number: c for c in standard.criteria}
    for cpos, c in enumerate(data.get("criteria") or []):
        number = str(c["number"])
        values = dict(title=c["title"], description=c.get("description"), position=cpos)
        criterion = criteria.get(number)
        if criterion is None:
            criterion = Criterion(standard=standard, number=number, **values)
            w.created(criterion, "criterion", f"{data['code']} {number}")
        else:
            w.update(criterion, "criterion", f"{data['code']} {number}", values)
        subs = {s.number: s for s in criterion.subcriteria}
        for spos, s in enumerate(c.get("subcriteria") or []):
            snumber = str(s["number"])
            values = dict(title=s["title"], position=spos)
            sub = subs.get(snumber)
            if sub is None:
                sub = SubCriterion(criterion=criterion, number=snumber, **values)
                w.created(sub, "subcriterion", f"{data['code']} {snumber}")
            else:
                w.update(sub, "subcriterion", f"{data['code']} {snumber}", values)
            elements = {e.code: e for e in sub.elements}
            for epos, e in enumerate(s.get("elements") or []):
                code = str(e["code"])
                values = dict(text=e["text"], guidance=e.get("guidance"), position=epos)
                if code in elements:
                    w.update(elements[code], "element", f"{data['code']} {code}", values)
                else:
                    w.created(Element(subcriterion=sub, code=code, **values), "element", f"{data['code']} {code}")
    db.session.flush()
    return summary

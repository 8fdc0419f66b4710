"""A plain numbered plan, as read by numbered_plan.py, into plan data (plan_data.py's shape).

Each item is an action that holds its progress itself: ``"measures": []`` and
``"progress": {"text", "status", "depends_on"}``. Section headings are themes (matched by name
to the review's own when it has them); an item numbered "Recommendation 3" is also
recommendation 3, which its action delivers.
"""
from __future__ import annotations

import re

from .operations import default_authority
from .spreadsheet import RowProblem

GENERAL = {"code": "GEN", "name": "General", "subthemes": []}
SMALL_WORDS = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "with", "by"}


def theme_code(name: str, taken) -> str:
    """'Customer access' -> CA, 'Housing' -> HOUS; a number after it when taken (CA2)."""
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in SMALL_WORDS] or ["GEN"]
    base = "".join(w[0] for w in words[:4]).upper() if len(words) > 1 else words[0][:4].upper()
    code, n = base, 2
    while code in taken:
        code, n = f"{base}{n}", n + 1
    return code


def plain_plan_data(paper, existing: dict | None, review_code: str, pattern: str,
                    problems: list[RowProblem]) -> tuple[dict, list[str]]:
    themes = {t["code"]: dict(t, subthemes=list(t.get("subthemes", []))) for t in (existing or {}).get("themes", [])}
    by_name = {t["name"].lower(): code for code, t in themes.items()}
    recs = {r["number"]: r for r in (existing or {}).get("recommendations", [])}
    actions, unread_targets, headings_used = [], [], []
    for item in paper.actions:
        code = _theme_for(item, themes, by_name, existing, problems)
        if code is None:
            continue
        if code not in headings_used:
            headings_used.append(code)
        subtheme = _subtheme_for(item, themes[code])
        comment = item.comment
        if item.target_text and not item.target_date:
            # "Summer 2027" or "95% of calls answered": kept in words, never guessed into a date.
            unread_targets.append(item.target_text)
            comment = "; ".join(p for p in (comment, f"Target: {item.target_text}") if p)
        action = {"ref": item.ref, "title": item.title, "theme": code, "subtheme": subtheme,
                  "owner": {"name": item.owner, "business_unit": ""} if item.owner else None,
                  "target_date": item.target_date, "recommendations": [], "measures": [],
                  "progress": {"text": item.progress or "", "status": item.status, "depends_on": None}}
        if comment:
            action["comment"] = comment
        if item.recommendation is not None:
            held = recs.get(item.recommendation, {})
            recs[item.recommendation] = {**held, "number": item.recommendation, "text": item.title,
                                         "status_text": item.progress or held.get("status_text"),
                                         "variations": held.get("variations", [])}
            action["recommendations"] = [item.recommendation]
        actions.append(action)
    if existing:
        data = dict(existing)
    else:
        data = {"authority": default_authority(),
                "review": {"code": review_code, "title": f"Review {review_code}", "ref_pattern": pattern},
                "projects": []}
    data["themes"] = list(themes.values())
    data["recommendations"] = [recs[n] for n in sorted(recs)]
    data["actions"] = actions
    return data, _notes(paper, actions, [themes[c]["name"] for c in headings_used], unread_targets, existing)


def _theme_for(item, themes: dict, by_name: dict, existing, problems) -> str | None:
    heading = (item.theme_heading or "").strip()
    if heading:
        code = by_name.get(heading.lower()) or (heading if heading in themes else None)
        if code is not None:
            return code
        if existing:
            problems.append(RowProblem(item.line, f"{item.ref}: section {heading!r} is not one of this review's themes "
                                                  f"({', '.join(t['name'] for t in themes.values())}); add it first "
                                                  "or use one of their names"))
            return None
        code = theme_code(heading, themes)
        themes[code] = {"code": code, "name": heading[:1] + heading[1:].lower() if heading.isupper() else heading,
                        "subthemes": []}
        by_name[heading.lower()] = code
        return code
    if len(themes) == 1:
        return next(iter(themes))
    if not existing:
        themes.setdefault(GENERAL["code"], dict(GENERAL, subthemes=[]))
        by_name.setdefault(GENERAL["name"].lower(), GENERAL["code"])
        return GENERAL["code"]
    problems.append(RowProblem(item.line, f"{item.ref}: no section heading above it, and the review has several "
                                          f"themes ({', '.join(t['name'] for t in themes.values())}); put the "
                                          "theme's name on a line above its items"))
    return None


def _subtheme_for(item, theme: dict) -> str | None:
    if not item.subtheme_heading:
        return None
    code, _, name = item.subtheme_heading.partition(") ")
    known = {s["name"].lower(): str(s["code"]) for s in theme["subthemes"]}
    if name.lower() in known:
        return known[name.lower()]
    if not any(str(s["code"]) == code for s in theme["subthemes"]):
        theme["subthemes"].append({"code": code, "name": name})
    return code


def _notes(paper, actions, theme_names, unread_targets, existing) -> list[str]:
    count = len(actions)
    waiting = sum(1 for a in actions if not a["progress"]["text"])
    notes = [f"Read as a numbered plan: {count} item{'s' if count != 1 else ''} became action"
             f"{'s' if count != 1 else ''} holding {'their' if count != 1 else 'its'} own progress (no numbered "
             f"measures), under {', '.join(theme_names) or 'no theme'}."
             + (f" {waiting} {'have' if waiting != 1 else 'has'} no progress written yet, so "
                f"{'they are' if waiting != 1 else 'it is'} Not started." if waiting else "")]
    if not existing and any(not a.theme_heading for a in paper.actions):
        notes.append("Items with no section heading above them are under the theme General.")
    months = [a.target_text for a in paper.actions if a.target_date and a.target_text
              and re.fullmatch(r"[A-Za-z]+\.?\s+\d{2,4}", a.target_text)]
    if months:
        notes.append(f"Targets given as a month ({', '.join(months[:3])}) are read as the last day of that month.")
    if unread_targets:
        notes.append(f"{len(unread_targets)} target{'s' if len(unread_targets) != 1 else ''} could not be read as a "
                     f"date ({', '.join(unread_targets[:3])}): kept in the action's comment; set the target date "
                     "on the action.")
    return notes

"""The sections of a covering report, as a council lists them.

Councils' report templates differ, so the list is data, kept per authority and written by an admin
as lines of text (``parse_sections`` / ``sections_text``):

    Summary
    Contact Officer = contact
    Background = numbered
    Implications
    - Financial

A plain line is a section whose text is written in the product and carried forward from the last
report; ``= numbered`` numbers its paragraphs (1., 2. ...) as committee papers do; the generated
kinds are filled from the plan: ``contact`` (contact officer and extension), ``plan`` (where the
plan stands, what waits on which project, what is overdue), ``changes`` (since the last report)
and ``amendments`` (what the committee is asked to endorse). A line starting "- " is an item of
the section above it, with a text of its own (the Implications).
"""
from __future__ import annotations

import re

from ..refused import Refused

TEXT_KINDS = ("text", "numbered")
GENERATED_KINDS = ("contact", "plan", "changes", "amendments")
KINDS = TEXT_KINDS + GENERATED_KINDS
MAX_SECTIONS = 40

# The seed paper's sections, in its order (../shared/seeds/004_*.txt), with the generated facts
# after Background, where the paper's own paragraphs 6-9 speak of the appendices and amendments.
DEFAULT_TEXT = """Summary
Recommendations
Contact Officer = contact
Background = numbered
Where the plan stands = plan
Changes since the last report = changes
Amendments for the committee to endorse = amendments
Next Steps
Consultation
Recommendations
Reasons for Recommendations
Implications
- Staffing/Resources
- Financial
- Legal
- Corporate
- Risk Management
- Equality Issues
- Environmental
- Crime and Disorder"""


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


def _unique(key: str, used: set[str]) -> str:
    candidate, n = key, 2
    while candidate in used:
        candidate = f"{key}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def parse_sections(text: str) -> list[dict]:
    """Sections from the lines an admin wrote; Refused (field "sections") for what cannot be read."""
    sections: list[dict] = []
    used: set[str] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- "):
            if not sections or sections[-1]["kind"] not in TEXT_KINDS:
                raise Refused(f"Line {number}: an item (\u201c- \u2026\u201d) must follow a written section, "
                              "such as Implications", "sections")
            title = line[2:].strip()[:200]
            parent = sections[-1]
            item_keys = {i["key"] for i in parent["items"]}
            parent["items"].append({"key": _unique(_slug(title), item_keys), "title": title})
            continue
        title, _, kind = (part.strip() for part in line.partition("="))
        kind = kind.lower() or "text"
        if kind not in KINDS:
            raise Refused(f"Line {number}: \u201c{kind}\u201d is not a kind of section; use one of "
                          f"{', '.join(KINDS)}", "sections")
        if not title:
            raise Refused(f"Line {number}: give the section a title", "sections")
        sections.append({"key": _unique(_slug(title), used), "title": title[:200], "kind": kind, "items": []})
    if not sections:
        raise Refused("List at least one section", "sections")
    if len(sections) > MAX_SECTIONS:
        raise Refused(f"A report has at most {MAX_SECTIONS} sections", "sections")
    return sections


def sections_text(sections: list[dict]) -> str:
    lines = []
    for section in sections:
        kind = section["kind"]
        lines.append(section["title"] + ("" if kind == "text" else f" = {kind}"))
        lines += [f"- {item['title']}" for item in section.get("items", [])]
    return "\n".join(lines)


DEFAULT_SECTIONS = parse_sections(DEFAULT_TEXT)


def text_keys(sections: list[dict]) -> list[tuple[str, str]]:
    """(key, title) of every text a person writes, in reading order."""
    keys = []
    for section in sections:
        if section["kind"] in TEXT_KINDS:
            keys.append((section["key"], section["title"]))
            keys += [(f"{section['key']}.{item['key']}", f"{section['title']}: {item['title']}")
                     for item in section.get("items", [])]
    return keys

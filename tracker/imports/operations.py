"""An import from start to finish: read, convert, preview what would change, apply all or nothing."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import status as status_rules
from ..domain.review_codes import review_code_problem
from ..exports.plan_json import export_all
from ..extensions import db
from ..models import Authority, Review
from ..transactions import discard_changes
from .columns import apply_overrides, guess_columns, ignored_columns
from .convert import numbered_measures, own_progress
from .grid import Grid, GridRefused, frame_at
from .limits import UploadRefused
from .plan_data import ApplySummary, PlanError, apply_plan, validate_plan
from .spreadsheet import Conversion, RowProblem, SpreadsheetRefused, convert, read_grid
from .status_words import StatusWords, read_status_words, remember_chosen


@dataclass
class Preview:
    create: list[str] = field(default_factory=list)
    update: list[tuple[str, list[str]]] = field(default_factory=list)  # ref, what changes
    unchanged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the review, not in the file: left alone
    new_review: bool = False


@dataclass
class ImportPlan:
    headers: list[str]
    mapping: dict[str, str]
    conversion: Conversion | None
    preview: Preview | None
    problems: list[RowProblem]
    notes: list[str] = field(default_factory=list)  # how the file was read, for the person to check
    ignored: list[str] = field(default_factory=list)  # columns with something in them that no field reads
    # The rows that could hold the headings, (number, where, cells), and the number of the one read.
    header_choices: list[tuple[int, str, list[str]]] = field(default_factory=list)
    header_row: int | None = None
    places: dict[str, str] = field(default_factory=dict)  # row -> where it is, when not "row N"
    status_words: StatusWords = field(default_factory=StatusWords)  # the Status column's words, how read

    @property
    def ok(self) -> bool:
        return not self.problems and self.conversion is not None and self.conversion.data is not None

    @property
    def header_place(self) -> str:
        return next((where for number, where, _ in self.header_choices if number == self.header_row),
                    f"row {self.header_row}")

    def where(self, row: int) -> str:
        return self.places.get(str(row), f"row {row}")


def existing_review_data(code: str) -> dict | None:
    exported = export_all([code])["reviews"]
    return exported[0] if exported else None


def default_authority() -> str:
    authority = db.session.scalar(select(Authority).order_by(Authority.id))
    return authority.name if authority else "Council"


def _describe(old: dict, new: dict) -> list[str]:
    changes = []
    for key in ("title", "theme", "subtheme", "comment", "target_date"):
        if key in new and (new.get(key) or None) != (old.get(key) or None):
            changes.append(f"{key}: {old.get(key) or '–'} → {new.get(key) or '–'}")
    if new.get("owner") and new["owner"] != old.get("owner"):
        changes.append(f"owner → {new['owner']['name']}")
    progress, before = new.get("progress"), own_progress(old)
    if progress is not None:
        if before is None:
            changes.append("progress recorded on the action")
        else:
            if progress["text"] != before["text"]:
                changes.append(f"progress: {before['text'] or '–'} → {progress['text'] or '–'}")
            if progress.get("status") and progress["status"] != before.get("status"):
                changes.append(f"status: {before.get('status')} → {progress['status']}")
    old_measures = {m["number"]: m for m in numbered_measures(old)}
    for m in new.get("measures", []):
        before = old_measures.get(m["number"])
        if before is None:
            changes.append(f"new measure {m['number']}")
            continue
        if m["text"] != before["text"]:
            changes.append(f"measure {m['number']} text")
        if m["measured_output"] != before["measured_output"]:
            changes.append(f"measure {m['number']} output: {before['measured_output']} → {m['measured_output']}")
        if m.get("status") and m["status"] != before["status"]:
            changes.append(f"measure {m['number']} status: {before['status']} → {m['status']}")
    return changes


def preview(data: dict, existing: dict | None) -> Preview:
    result = Preview(new_review=existing is None)
    old = {a["ref"]: a for a in (existing or {}).get("actions", [])}
    refs = set()
    for action in data["actions"]:
        refs.add(action["ref"])
        if action["ref"] not in old:
            result.create.append(action["ref"])
            continue
        changes = _describe(old[action["ref"]], action)
        if changes:
            result.update.append((action["ref"], changes))
        else:
            result.unchanged.append(action["ref"])
    result.missing = [ref for ref in old if ref not in refs]
    return result


def plan_spreadsheet(content: bytes, filename: str, review_code: str, mapping: dict[str, str] | None = None,
                     status_map: dict[str, str] | None = None, header_row: int | None = None,
                     overrides: dict[str, str] | None = None) -> ImportPlan:
    review_code = (review_code or "").strip()
    if not review_code:
        return ImportPlan([], {}, None, None, [RowProblem(None, "Enter the code of the review to import into")])
    try:
        grid = read_grid(content, filename)
    except (SpreadsheetRefused, UploadRefused) as exc:
        return ImportPlan([], {}, None, None, [RowProblem(None, str(exc))])
    return plan_grid(grid, review_code, mapping, status_map, header_row=header_row, overrides=overrides)


def plan_grid(grid: Grid, review_code: str, mapping=None, status_map=None, notes: list[str] | None = None,
              header_row: int | None = None, overrides=None) -> ImportPlan:
    """A tracker's cells, with the headings on ``header_row`` (as the file numbers its rows; the
    guess when None), into the preview."""
    index = grid.header
    if header_row is not None:
        index = grid.index_of(header_row)
        if index is None:
            return ImportPlan([], {}, None, None, [RowProblem(None, f"There is no row {header_row} to take the "
                                                                    "headings from")], list(notes or []))
    try:
        frame = frame_at(grid, index)
    except GridRefused as exc:
        return ImportPlan([], {}, None, None, [RowProblem(None, str(exc))], list(notes or []))
    plan = plan_frame(frame, review_code, mapping, status_map, notes, overrides=overrides)
    plan.header_choices, plan.header_row = grid.header_choices(), grid.numbers[index]
    return plan


def plan_frame(frame, review_code: str, mapping=None, status_map=None, notes: list[str] | None = None, *,
               overrides=None) -> ImportPlan:
    """``mapping``: the whole mapping (field -> column; fields left out are not read), or None to
    guess it; ``overrides``: the person's choices (field -> column, "" for none) laid over the guess
    one field at a time, every other guess kept."""
    headers = list(frame.columns)
    notes = list(notes or [])
    places = dict(frame.attrs.get("places") or {})
    if frame.attrs.get("sheet"):
        notes.append(f"Read the sheet {frame.attrs['sheet']!r}: its headings look most like an action plan.")
    if frame.attrs.get("header_row", 1) > 1:
        where = frame.attrs.get("header_place") if places else f"row {frame.attrs['header_row']}"
        notes.append(f"The column headings are on {where}; the rows above them were left out.")
    guessed, guess_notes = guess_columns(frame) if mapping is None else ({}, [])
    mapping, wrong = apply_overrides(guessed, dict(mapping or {}, **(overrides or {})), headers)
    notes += [n for n in guess_notes if all(mapping.get(f) == guessed.get(f) for f in guessed)]
    ignored = ignored_columns(headers, mapping, frame)

    def plan(conversion, result_preview, problems):
        problems = [RowProblem(p.row, p.message, places.get(str(p.row)) if p.row else None) for p in problems]
        return ImportPlan(headers, mapping, conversion, result_preview, problems, notes, ignored, places=places,
                          status_words=words)

    words = StatusWords()

    if wrong:
        return plan(None, None, [RowProblem(None, w) for w in wrong])
    existing = existing_review_data(review_code)
    authority = existing["authority"] if existing else default_authority()
    # The council's remembered words and the person's choices, read before the conversion.
    words = read_status_words(frame, mapping, authority, status_map)
    conversion = convert(frame, mapping, existing=existing, review_code=review_code,
                         authority=authority, status_map=words.status_map())
    notes += conversion.notes
    problems = list(conversion.problems)
    if conversion.data is not None:
        problems += [RowProblem(None, str(p)) for p in validate_plan(conversion.data)]
    result_preview = preview(conversion.data, existing) if conversion.data is not None and not problems else None
    if result_preview is not None and existing is None:
        notes.append("The new review's themes: " + ", ".join(t["name"] for t in conversion.data["themes"]) + ".")
    if result_preview is not None:
        unread = unread_outputs(conversion.data, existing)
        if unread:
            noun = "measure" if all(" measure " in u for u in unread) else "item"
            notes.append(f"{len(unread)} {noun}{'s' if len(unread) != 1 else ''} ({', '.join(unread[:5])}"
                         f"{', …' if len(unread) > 5 else ''}) have progress text that no status rule "
                         "recognises: they keep the status they have (a new one: Not started) and are flagged "
                         "\"Status to check\" until someone confirms or sets it. "
                         "Choose a Status column above if the file has one.")
    return plan(conversion, result_preview, problems)


def unread_outputs(data: dict, existing: dict | None) -> list[str]:
    """New or changed progress texts, without a status, whose wording no rule reads (with the
    projects of the plan's authority, as applying it will read them)."""
    from ..plan.operations import rule_projects

    authority_id = db.session.scalar(select(Authority.id).where(Authority.name == data["authority"]))
    projects = rule_projects(authority_id) if authority_id is not None else []
    held = {(a["ref"], m["number"]): m["measured_output"] for a in (existing or {}).get("actions", [])
            for m in numbered_measures(a)}
    held.update({(a["ref"], 0): own_progress(a)["text"] for a in (existing or {}).get("actions", [])
                 if own_progress(a) is not None})
    items = [(a["ref"], m["number"], m["measured_output"], m.get("status")) for a in data["actions"]
             for m in numbered_measures(a)]
    items += [(a["ref"], 0, own_progress(a)["text"], own_progress(a).get("status")) for a in data["actions"]
              if own_progress(a) is not None]
    return [f"{ref} measure {number}" if number else f"{ref} progress" for ref, number, text, status in items
            if status is None and text.strip() and held.get((ref, number)) != text
            and status_rules.classify(text, projects).category is None]


class ReviewCreatedMeanwhile(PlanError):
    """The import was to create a review that someone else created first (tracker/web.py: 409)."""

    def __init__(self, code: str):
        self.code = code
        super().__init__([])
        self.args = (f"A review with code {code} was created by someone else while you were importing; "
                     "nothing was changed. Start the import again to see what it would change in their review.",)

    def __str__(self) -> str:
        return self.args[0]


def apply_import(plan: ImportPlan, *, by=None, note: str | None = None, previewed_new: bool = False) -> ApplySummary:
    """All or nothing in the caller's transaction (the request's, or the command's), every change
    recorded with the importing user.

    ``previewed_new``: the preview the person confirmed said a new review would be created.
    """
    if not plan.ok:
        raise PlanError([])
    code = plan.conversion.data["review"]["code"]
    expect_new = previewed_new or (plan.preview is not None and plan.preview.new_review)
    try:
        if expect_new and db.session.scalar(select(Review.id).where(Review.code == code)) is not None:
            # Previewed as a new review: applying it now would merge into someone else's.
            raise ReviewCreatedMeanwhile(code)
        summary = apply_plan(plan.conversion.data, by=by, note=note)  # flushed: constraints checked here
        remember_chosen(plan.status_words, by=by, note=note)
    except IntegrityError:
        # Two imports creating one review at once: the review code's unique constraint lets one win.
        # The failed flush must be dropped before the database can be asked who won.
        discard_changes()
        if expect_new and db.session.scalar(select(Review.id).where(Review.code == code)) is not None:
            raise ReviewCreatedMeanwhile(code) from None
        raise
    return summary


def plan_file(content: bytes, filename: str, review_code: str, mapping=None, status_map=None,
              header_row: int | None = None, overrides=None) -> ImportPlan:
    """Any upload: read once within the limits (limits.py, in a bounded child), then previewed.
    A refused file is the plan's one problem, in the words the upload page shows."""
    from .reading import plan_read, read_upload_bounded
    if (review_code or "").strip() and review_code_problem(review_code.strip()):
        return ImportPlan([], {}, None, None, [RowProblem(None, review_code_problem(review_code.strip()))])

    try:
        parsed = read_upload_bounded(content, filename, review_code)
    except UploadRefused as exc:
        return ImportPlan([], {}, None, None, [RowProblem(None, str(exc))])
    return plan_read(parsed, review_code, mapping, status_map, header_row, overrides)


def plan_data_import(data: dict, review_code: str) -> ImportPlan:
    """Whole-plan data (an exported workbook, a parsed committee paper) into a review."""
    review_code = (review_code or "").strip() or data["review"]["code"]
    data["review"]["code"] = review_code
    existing = existing_review_data(review_code)
    problems = [RowProblem(None, str(p)) for p in validate_plan(data)]
    conversion = Conversion(data if not problems else None, problems)
    return ImportPlan([], {}, conversion, preview(data, existing) if not problems else None, problems)

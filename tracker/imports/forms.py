"""The import pages' forms: the upload, and the check page's choices (heading row, a column for each
field, a category for each unknown status word). The check page's choices depend on what was read,
so its fields' choices are filled in by the view once the file's kept data is known; the field
names are the pages' own (``map-ref``, ``status-Amber``) so a bookmarked or scripted post still works."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSelect, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..domain.status import CATEGORIES, CATEGORY_LABELS
from .columns import FIELDS

NOT_IN_FILE = "(not in the file)"


class UploadForm(FlaskForm):
    review = StringField("Review code", widget=GovTextInput(),
                         filters=[lambda value: (value or "").strip()])
    file = FileField("File", widget=GovFileInput())
    pasted = TextAreaField("Or paste the text of a committee paper", widget=GovTextArea())


class _CheckForm(FlaskForm):
    # Which row holds the headings, as the file numbers it; and the one the column choices below
    # were made under (choices made under other headings are dropped when the row changes).
    header_row = RadioField("Which row holds the column headings?", widget=GovRadioInput(), choices=[],
                            validate_choice=False)
    shown_header_row = HiddenField()
    new_review = HiddenField()
    action = HiddenField()  # the button pressed: "check" or "confirm"


def check_form(status_words: list[str] = ()) -> FlaskForm:
    """The check page's form, with a select for each field and for each status word given."""
    fields = {f"map_{name}": SelectField(label, name=f"map-{name}", widget=GovSelect(), choices=[],
                                         validate_choice=False) for name, label in FIELDS.items()}
    fields.update({f"status_{i}": SelectField(f"“{word}”", name=f"status-{word}", widget=GovSelect(),
                                              choices=[], validate_choice=False)
                   for i, word in enumerate(status_words)})
    form_class = type("CheckForm", (_CheckForm,), fields)
    form = form_class()
    form.status_words = list(status_words)
    return form


def posted(field) -> str | None:
    """What the person sent for a field; None when the page did not send it."""
    return field.raw_data[0] if field.raw_data else None


def header_row(form) -> int | None:
    value = posted(form.header_row)
    return int(value) if value and value.isdigit() else None


def chosen_mapping(form) -> dict[str, str] | None:
    """field -> column as posted (a column, or "" for none); None when nothing was posted, or when the
    heading row was changed (the columns are not the ones the choices were made from)."""
    if posted(form.shown_header_row) is not None and posted(form.header_row) != posted(form.shown_header_row):
        return None
    mapping = {name: posted(form[f"map_{name}"]) for name in FIELDS}
    mapping = {name: value for name, value in mapping.items() if value is not None}
    return mapping or None


def chosen_statuses(form) -> dict[str, str]:
    return {word: form[f"status_{i}"].data for i, word in enumerate(form.status_words)
            if form[f"status_{i}"].data in CATEGORIES}


def fill_choices(form, plan, status_map: dict[str, str]) -> None:
    """The choices the page offers, from what was read: the early rows for the headings, the columns
    for each field (the current choice selected), the categories for each status word."""
    form.header_row.choices = [SelectChoice(str(number), f"{where}: {_row_text(cells)}")
                               for number, where, cells in plan.header_choices]
    if plan.header_row is not None:
        form.header_row.data = form.shown_header_row.data = str(plan.header_row)
    for name in FIELDS:
        field = form[f"map_{name}"]
        field.choices = [SelectChoice("", NOT_IN_FILE)] + [SelectChoice(h, h) for h in plan.headers]
        field.data = plan.mapping.get(name, "")
    for i, word in enumerate(form.status_words):
        field = form[f"status_{i}"]
        field.choices = [SelectChoice("", "Choose a status")] + [SelectChoice(c, CATEGORY_LABELS[c]) for c in CATEGORIES]
        field.data = status_map.get(word, "")


def _row_text(cells: list[str], limit: int = 140) -> str:
    """A row as the file shows it: a cell merged across several shown once."""
    shown = [c.strip().replace("\n", " ") for c in cells if c and c.strip()]
    text = " | ".join(c for i, c in enumerate(shown) if i == 0 or c != shown[i - 1])
    return text if len(text) <= limit else text[:limit - 1] + "…"

"""WTForms classes for the plan pages (govuk-frontend-wtf widgets, like tracker/people/forms.py).

Choices and rules are checked by the operations (tracker/plan/operations.py), so imports, the CLI
and the pages give the same messages: a select here does not refuse an unknown value itself, it
passes it on. The forms check what only a page has: a typed date, a required box, lengths, and
the version the form was built from.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import Length, Optional, StopValidation

from ..domain.responses import RESPONSES
from ..domain.status import CATEGORY_LABELS
from ..forms import GovDateField
from ..forms.versioned import Versioned  # noqa: F401  (the plan's edit forms; imported from here too)
from ..locking import form_version

HIDDEN = ("CSRFTokenField", "HiddenField", "SubmitField")


def entered(message: str):
    """Required, with the GOV.UK message; blank or spaces only count as nothing entered. (Unlike
    DataRequired it adds no ``required`` attribute: the pages validate on the server, novalidate.)"""
    def check(form, field):
        if not (field.data or "").strip():
            raise StopValidation(message)
    return check


def at_most(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"Keep the {what} to {limit:,} characters or fewer")


def note_field(label: str = "Note for the history (optional)", **kwargs) -> StringField:
    return StringField(label, widget=GovTextInput(), validators=[at_most(2000, "note")], **kwargs)


def status_choices(empty: str) -> list[SelectChoice]:
    return [SelectChoice("", empty)] + [SelectChoice(code, label) for code, label in CATEGORY_LABELS.items()]


def ids_for(form, number: int, prefix: str = "") -> FlaskForm:
    """Give each visible field an id of its own (``measured_output-2``): a page that shows one form
    per measure would otherwise repeat ids, and the error summary links to these ids."""
    for field in form:
        if field.type not in ("CSRFTokenField", "HiddenField", "RowVersions"):
            field.id = f"{prefix}{field.name}-{number}"
    return form


# --- a measure's progress (tracker/plan/editing.py, status_check.py) ---

class MeasureUpdateForm(Versioned):
    measured_output = TextAreaField(
        "Progress text (measured output)", widget=GovTextArea(), description="Committees read this word for word.",
        validators=[entered("Enter the progress text (measured output)"),
                    at_most(10000, "progress text")])
    status = SelectField("Status", choices=status_choices("Work it out from the text"), validate_choice=False,
                         widget=GovSelect(), description='Leave as "Work it out from the text" unless the text misleads.')
    note = note_field()
    submit = SubmitField("Save measure", widget=GovSubmitInput())


class ConfirmStatusForm(Versioned):
    """Confirm the category of a measure whose progress text no rule recognised."""
    # The measure's version the page showed: confirming a status nobody has seen, because someone
    # saved the measure meanwhile, is refused with a 409.
    note = StringField("Note for the history (optional)", widget=GovTextInput(),
                       validators=[Optional(), Length(max=500, message="Keep the note to 500 characters or fewer")])
    submit = SubmitField("Confirm status", widget=GovSubmitInput())


# --- owners and target dates (tracker/plan/assignment.py) ---

class AssignForm(Versioned):
    owner_name = StringField("Owner (officer)", widget=GovTextInput(), validators=[at_most(200, "owner's name")])
    business_unit = StringField("Business unit", widget=GovTextInput(), validators=[at_most(200, "business unit")])
    target_date = GovDateField("Target date", description="For example, 31 3 2027")
    reason = StringField("Reason for a changed date (and who agreed it)", widget=GovTextInput(),
                         validators=[at_most(2000, "reason")])
    submit = SubmitField("Save owner and date", widget=GovSubmitInput(), id="save-owner")


class RowVersions(Field):
    """The version of every row a list showed, posted as ``version-REF`` (one hidden input per row):
    an owner changed since the list was loaded is not overwritten. ``data`` maps ref to version."""

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors, self.raw_data, self.data = [], [], {}
        prefix = f"{self.name}-"
        if formdata is not None:
            self.data = {key[len(prefix):]: formdata.get(key) for key in formdata if key.startswith(prefix)}

    def posted_version(self, ref: str) -> int:
        return form_version(self.data, ref)


# The master list's filters, sent back with the bulk form so the list it returns to is the same one.
LIST_ARGS = ("theme", "status", "q", "owner", "project", "overdue", "stale", "element", "check", "page")


class BulkAssignForm(FlaskForm):
    """The Liaison Group's step: the ticked rows, or every action the filtered list matches (all its
    pages), given an owner and/or a target date at once."""
    # The ticked rows' checkboxes sit in the list's table (form="bulk-assign"); a problem with the
    # selection links to the list.
    refs = SelectMultipleField("Actions", validate_choice=False, id="action-results")
    version = RowVersions()
    # "Select all N that match these filters": the filters below say which; ``seen`` and ``selection``
    # are the count and fingerprint the page showed (queries.Selection), so a set changed since is refused.
    all_matching = BooleanField("Select all the actions that match these filters", id="all-matching")
    seen = HiddenField()
    selection = HiddenField()
    confirmed = HiddenField()  # set by the confirmation page for more actions than the list page shows
    owner_name = StringField("Owner (officer)", widget=GovTextInput(), validators=[at_most(200, "owner's name")],
                             description="Leave empty to keep each action's owner and set only the date.")
    business_unit = StringField("Business unit", widget=GovTextInput(), validators=[at_most(200, "business unit")])
    target_date = GovDateField("Target date (optional)",
                               description="For every selected action. For example, 31 3 2027")
    reason = StringField("Reason for a changed target date (and who agreed it)", widget=GovTextInput(),
                         id="bulk-reason", validators=[at_most(2000, "reason")],
                         description="Needed when an action already has another target date.")
    note = note_field(id="bulk-note")
    submit = SubmitField("Assign owner and target date", widget=GovSubmitInput(), id="assign-owner")
    theme, status, q, owner, project, overdue, stale, element, check, page = (HiddenField() for _ in LIST_ARGS)

    def list_args(self) -> dict:
        return {name: self[name].data for name in LIST_ARGS if self[name].data}

    def list_fields(self) -> list:
        return [self[name] for name in LIST_ARGS if self[name].data]

    def typed_fields(self) -> list:
        """What the person chose, carried by the confirmation page's hidden inputs."""
        return [self[name] for name in ("owner_name", "business_unit", "reason", "note")]


# --- recommendations (tracker/plan/editing.py) ---

class CommentaryForm(Versioned):
    status_text = TextAreaField("Status commentary", widget=GovTextArea(),
                                validators=[at_most(20000, "status commentary")])
    note = note_field(id="rec-note")
    submit = SubmitField("Save commentary", widget=GovSubmitInput(), id="save-commentary")


class ResponseForm(Versioned):
    response = SelectField("Response", widget=GovSelect(), validate_choice=False, choices=(
        [SelectChoice("", "No response recorded")] + [SelectChoice(c, label) for c, label in RESPONSES.items()]))
    response_on = GovDateField("Date decided", description="For example, 27 11 2002")
    note = note_field(id="response-note")
    submit = SubmitField("Save response", widget=GovSubmitInput(), id="save-response")


class StatusOverrideForm(Versioned):
    status_override = SelectField("Status", widget=GovSelect(), validate_choice=False,
                                  choices=status_choices("Roll up from its actions"))
    status_override_reason = TextAreaField("Why it is set by hand", widget=GovTextArea(),
                                           description="Shown beside the status, with what the roll-up would say",
                                           validators=[at_most(2000, "reason")])
    submit = SubmitField("Save status", widget=GovSubmitInput(), id="save-status")


class LinkActionForm(FlaskForm):
    """Link an action to a recommendation by its ref id; the "Remove link" buttons send ``remove``."""
    ref = StringField("Link an action (ref id)", widget=GovTextInput(), id="link-ref",
                      validators=[at_most(200, "ref id")])
    remove = HiddenField()
    submit = SubmitField("Link action", widget=GovSubmitInput(), id="link-action")


# --- the main review (tracker/plan/main_review.py) ---

class MainReviewForm(FlaskForm):
    code = HiddenField()

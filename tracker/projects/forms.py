"""The project page's forms: update the project, and move the measures that waited on it."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..domain.status import CATEGORIES, CATEGORY_LABELS
from ..forms import GovDateField


class ProjectForm(FlaskForm):
    # The project's version the page showed (tracker/locking.py): a save built on an older read is a 409.
    version = HiddenField()
    # The operation refuses a status that is not on the list, with its own message.
    status = SelectField("Status", choices=[SelectChoice(c, CATEGORY_LABELS[c]) for c in CATEGORIES],
                         widget=GovSelect(), validate_choice=False)
    expected_on = GovDateField("Expected date (optional)",
                               description="For example, 31 3 2027. Leave it empty if there is no date yet.")
    note = StringField("Note for the history (optional)", widget=GovTextInput(),
                       validators=[Optional(), Length(max=500, message="Keep the note to 500 characters or fewer")])
    submit = SubmitField("Save project", widget=GovSubmitInput())


RELEASE_TO = [SelectChoice("not_started", "Not started"), SelectChoice("in_progress", "In progress")]


class ReleaseForm(FlaskForm):
    # Ticked in the table of waiting measures (one checkbox per row); ids that are not numbers are ignored.
    measure = SelectMultipleField("Measures", choices=[], validate_choice=False)
    category = SelectField("Move the selected measures to", choices=RELEASE_TO, widget=GovSelect(),
                           validate_choice=False)
    submit = SubmitField("Move selected measures", widget=GovSubmitInput())

    def measure_ids(self) -> set[int]:
        return {int(i) for i in self.measure.data or [] if i.isdigit()}

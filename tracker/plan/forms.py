"""WTForms classes for plan pages (govuk-frontend-wtf widgets, like tracker/people/forms.py)."""
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import Length, Optional


class ConfirmStatusForm(FlaskForm):
    """Confirm the category of a measure whose progress text no rule recognised."""
    # The measure's version the page showed (tracker/locking.py): confirming a status nobody has
    # seen, because someone saved the measure meanwhile, is refused with a 409.
    version = HiddenField()
    note = StringField("Note for the history (optional)", widget=GovTextInput(),
                       validators=[Optional(), Length(max=500, message="Keep the note to 500 characters or fewer")])
    submit = SubmitField("Confirm status", widget=GovSubmitInput())

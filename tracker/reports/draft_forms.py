"""Forms for a draft report: its meeting, and the confirmations before deleting or publishing it."""
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import AnyOf, Length

from ..forms import GovDateField


class DraftMeetingForm(FlaskForm):
    committee = StringField("Committee", widget=GovTextInput(), validators=[Length(max=200)])
    meeting_on = GovDateField("Meeting date", description="For example, 3 12 2026")
    submit = SubmitField("Save the meeting", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that says what it does. The page's hidden "confirm" field must come back with it: a
    post from anywhere but the confirmation page changes nothing."""
    confirm = HiddenField(validators=[AnyOf(["yes"], message="Confirm on the confirmation page")])
    submit = SubmitField("Confirm", widget=GovSubmitInput())

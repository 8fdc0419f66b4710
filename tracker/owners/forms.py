"""WTForms classes for the owners' pages, rendered with govuk-frontend-wtf widgets."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..domain.status import CATEGORY_LABELS
from ..forms import GovDateField

STATUS_CHOICES = [SelectChoice("", "Work it out from the text")] + [
    SelectChoice(code, label) for code, label in CATEGORY_LABELS.items()]
TEXT_LIMIT = Length(max=5000, message="Keep the text to 5,000 characters or fewer")


class SendRequestsForm(FlaskForm):
    reply_by = GovDateField("Reply by")
    submit = SubmitField("Send the requests", widget=GovSubmitInput())


class ReplyForm(FlaskForm):
    """An owner's answer about one measure: "No change" in one click, or new text and a status.
    One per measure on the page, told apart by ``prefix``."""
    # The measure's version the page showed: a reply to a measure changed since is refused (409).
    version = HiddenField()
    text = TextAreaField("What has happened", widget=GovTextArea(), validators=[Optional(), TEXT_LIMIT])
    status = SelectField("Status", choices=STATUS_CHOICES, widget=GovSelect(), validate_choice=True)
    no_change = SubmitField("No change", widget=GovSubmitInput())
    send = SubmitField("Send update", widget=GovSubmitInput())


class ReviewForm(FlaskForm):
    """The manager's decision on one reply: accept (perhaps edited), or return it with a note."""
    version = HiddenField()          # the reply's
    measure_version = HiddenField()  # the measure's, as this page showed it
    text = TextAreaField("Progress text to accept", widget=GovTextArea(), validators=[Optional(), TEXT_LIMIT])
    status = SelectField("Status", choices=STATUS_CHOICES, widget=GovSelect(), validate_choice=True)
    note = TextAreaField("Note to the owner (when returning it)", widget=GovTextArea(),
                         validators=[Optional(), Length(max=2000, message="Keep the note to 2,000 characters or fewer")])
    accept = SubmitField("Accept", widget=GovSubmitInput())
    send_back = SubmitField("Return to owner", widget=GovSubmitInput())


class OwnerLinkForm(FlaskForm):
    """On a user's page: which owner record the account answers for."""
    owner = SelectField("Owner record", coerce=str, widget=GovSelect(), validate_choice=True)
    submit = SubmitField("Save owner record", widget=GovSubmitInput())

    def fill_choices(self, owners: list[tuple[int, str]]) -> OwnerLinkForm:
        self.owner.choices = [SelectChoice("", "Not an owner")] + [SelectChoice(str(i), label) for i, label in owners]
        return self


class OwnerForm(FlaskForm):
    """An owner record as the manager keeps it: who, which business unit, and where messages go."""
    version = HiddenField()
    name = StringField("Name", widget=GovTextInput(),
                       validators=[Length(max=200, message="Keep the name to 200 characters or fewer")])
    business_unit = StringField("Business unit", widget=GovTextInput(), validators=[
        Length(max=200, message="Keep the business unit to 200 characters or fewer")])
    email = StringField("Email address (optional)", widget=GovTextInput(), validators=[
        Length(max=320, message="Keep the email address to 320 characters or fewer")],
        description="Update requests and reminders go here when no account linked to this owner has an address. "
                    "Leave it empty and their messages are written to the outbox for you to forward.")
    submit = SubmitField("Save owner", widget=GovSubmitInput())

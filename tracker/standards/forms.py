"""The standards pages' forms: start a self-assessment, rate an element, map an action to an element."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..domain.readiness import RATING_LABELS
from ..forms import GovDateField

NOTE = [Optional(), Length(max=500, message="Keep the note to 500 characters or fewer")]


class NewAssessmentForm(FlaskForm):
    site = StringField("Service or site", widget=GovTextInput(),
                       description="For example, Customer Contact Centre or Revenues and Benefits.")
    assessed_on = GovDateField("Date of the assessment", description="For example, 1 12 2003")
    review = SelectField("Actions that provide the evidence", widget=GovSelect(),
                         description="The review whose action plan is mapped to the standard.",
                         validate_choice=False)
    submit = SubmitField("Start assessment", widget=GovSubmitInput())

    def with_reviews(self, reviews) -> NewAssessmentForm:
        self.review.choices = [SelectChoice("", "Every review")] + [
            SelectChoice(r.code, f"{r.code} – {r.title}") for r in reviews]
        return self


class RatingForm(FlaskForm):
    """One element's rating in one assessment. An assessment page holds one per element, so each
    field's id carries the element (``for_element``); the names stay plain."""
    # The rating's version the page showed (tracker/locking.py): a save built on an older read is a 409.
    version = HiddenField()
    # The operation refuses a rating that is not on the list, with its own message.
    rating = SelectField("Rating", choices=[SelectChoice(k, v) for k, v in RATING_LABELS.items()],
                         widget=GovSelect(), validate_choice=False)
    evidence = TextAreaField("Evidence notes", widget=GovTextArea(),
                             description="What an assessor would be shown for this element.")
    note = StringField("Note for the history (optional)", widget=GovTextInput(), validators=NOTE)
    submit = SubmitField("Save rating", widget=GovSubmitInput())

    def for_element(self, anchor: str) -> RatingForm:
        for field in self:
            field.id = f"{field.name}-{anchor}"
        return self


class MappingForm(FlaskForm):
    """Map (or unmap) one action to one element, from the element page, the action page or the picker."""
    ref = HiddenField()
    back = HiddenField()  # which page the form was on: element, action or picker
    q = HiddenField()  # the search the page showed, kept when it is drawn again
    why = StringField("Why (optional)")
    note = StringField("Note for the history (optional)", validators=NOTE)

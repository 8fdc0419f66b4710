"""Forms for reshaping the plan (tracker/plan/structure.py). Required fields and ref ids are
checked by the operations (tracker/plan/structure_ops.py), so imports, the CLI and the pages
give the same messages; here only lengths, typed dates and the version the form was built from."""
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..forms import GovDateField
from .forms import Versioned as _Versioned
from .forms import status_choices


class NewActionForm(FlaskForm):
    theme = SelectField("Theme (central issue)", widget=GovSelect())
    ref = StringField("Ref id", widget=GovTextInput(), validators=[Length(max=40)])
    title = StringField("Title", widget=GovTextInput(), validators=[Length(max=2000)])
    detail = TextAreaField("Detail (optional)", widget=GovTextArea(), validators=[Length(max=10000)],
                           description="An introductory paragraph; add the numbered measures next.")
    # Two shapes of action (tracker/models/plan.py, Action.own_progress); not chosen: numbered measures.
    shape = RadioField("How is its progress recorded?", widget=GovRadioInput(), validators=[Optional()],
                       default="measures",
                       choices=[SelectChoice("measures", "In numbered measures, each with its measured output (added next)"),
                                SelectChoice("progress", "On the action itself (no numbered measures)")])
    progress = TextAreaField("Progress so far (optional)", widget=GovTextArea(), validators=[Length(max=10000)],
                             description="Only for progress on the action itself. Committees read it word for word.")
    target_date = GovDateField("Target date (optional)", description="For example, 31 3 2027")
    owner_name = StringField("Owner (optional)", widget=GovTextInput(), validators=[Length(max=200)],
                             description="The officer's name; leave empty to assign later.")
    business_unit = StringField("Owner's business unit (optional)", widget=GovTextInput(),
                                validators=[Length(max=200)])
    submit = SubmitField("Add action", widget=GovSubmitInput())


class EditActionForm(_Versioned):
    title = StringField("Title", widget=GovTextInput(), validators=[Length(max=2000)])
    detail = TextAreaField("Detail (optional)", widget=GovTextArea(), validators=[Length(max=10000)])
    theme = SelectField("Theme (central issue)", widget=GovSelect())
    comment = TextAreaField("Comment (optional)", widget=GovTextArea(), validators=[Length(max=10000)],
                            description="Printed in the Comment column of Appendix B, word for word.")
    note = StringField("Note for the history (optional)", widget=GovTextInput(), validators=[Length(max=2000)])
    submit = SubmitField("Save action", widget=GovSubmitInput())


STATUS_CHOICES = status_choices("Work it out from the measured output")


class NewMeasureForm(FlaskForm):
    text = TextAreaField("Measure text", widget=GovTextArea(), validators=[Length(max=2000)])
    measured_output = TextAreaField("Measured output (optional)", widget=GovTextArea(),
                                    validators=[Length(max=10000)], description="Committees read this word for word.")
    status = SelectField("Status", choices=STATUS_CHOICES, widget=GovSelect())
    submit = SubmitField("Add measure", widget=GovSubmitInput())


class EditMeasureForm(_Versioned):
    text = TextAreaField("Measure text", widget=GovTextArea(), validators=[Length(max=2000)])
    note = StringField("Note for the history (optional)", widget=GovTextInput(), validators=[Length(max=2000)])
    submit = SubmitField("Save measure text", widget=GovSubmitInput())


class RetireForm(_Versioned):
    reason = TextAreaField("Why is it retired?", widget=GovTextArea(), validators=[Length(max=2000)],
                           description="Printed in the next Appendix B as \u201cRetired (date): reason\u201d. "
                                       "Nothing is deleted: it can be reinstated.")
    submit = SubmitField("Retire", widget=GovSubmitInput())


class WaitsOnForm(_Versioned):
    project = SelectField("Waits on", widget=GovSelect())
    note = StringField("Note for the history (optional)", widget=GovTextInput(), validators=[Length(max=2000)])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ReviewForm(_Versioned):
    title = StringField("Title", widget=GovTextInput(), validators=[Length(max=300)])
    description = TextAreaField("Description (optional)", widget=GovTextArea(), validators=[Length(max=10000)])
    submit = SubmitField("Save review", widget=GovSubmitInput())


class ThemeForm(_Versioned):
    name = StringField("Name", widget=GovTextInput(), validators=[Length(max=200)])
    submit = SubmitField("Rename theme", widget=GovSubmitInput())


class NewThemeForm(FlaskForm):
    code = StringField("Code", widget=GovTextInput(), validators=[Length(max=20)],
                       description="Letters only, like ENV: it appears in the theme's ref ids.")
    name = StringField("Name", widget=GovTextInput(), validators=[Length(max=200)])
    submit = SubmitField("Add theme", widget=GovSubmitInput())


class StructureButtonForm(_Versioned):
    """The move and reinstate buttons: the row's version (a stale click changes nothing) and, for a
    move, which way."""
    direction = HiddenField()

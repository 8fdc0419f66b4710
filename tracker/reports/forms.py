"""The reports page's form: a draft report for a named committee meeting."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField

from ..forms import GovDateField


class NewReportForm(FlaskForm):
    # The committee's name and the date are checked by create_report (reports/operations.py), so a
    # report made from the command line is held to the same rules.
    committee = StringField("Committee", widget=GovTextInput(), default="Overview and Scrutiny Committee")
    meeting_on = GovDateField("Meeting date", description="For example, 3 12 2026")
    submit = SubmitField("Create draft report", widget=GovSubmitInput())

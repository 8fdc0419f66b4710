"""Forms of the covering report: its texts (one box per written section, in the council's order)
and the council's list of sections."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from ..forms.versioned import Versioned
from .covering_operations import TEXT_MAX


class _CoveringBase(Versioned):
    reference = StringField("Report reference", widget=GovTextInput(), validators=[Length(max=40)],
                            description="The council's reference for this report, for example CS 01/03")
    contact_officer = StringField("Contact officer", widget=GovTextInput(), validators=[Length(max=200)])
    extension = StringField("Telephone extension", widget=GovTextInput(), validators=[Length(max=40)],
                            description="For example, x7250")
    submit = SubmitField("Save the covering report", widget=GovSubmitInput())


def covering_form(keys: list[tuple[str, str]], **kwargs):
    """A form with a text box for each written section; ``form.text_fields`` maps key -> field."""
    names = {key: f"text_{n}" for n, (key, _title) in enumerate(keys)}
    form_class = type("CoveringForm", (_CoveringBase,), {
        names[key]: TextAreaField(title, widget=GovTextArea(), validators=[Length(max=TEXT_MAX)],
                                  description="Leave a blank line between paragraphs." if "." not in key else None)
        for key, title in keys})
    form = form_class(**kwargs)
    form.text_fields = {key: getattr(form, name) for key, name in names.items()}
    return form


class SectionsForm(Versioned):
    sections = TextAreaField("Sections, one a line, in the order the report reads", widget=GovTextArea(),
                             validators=[Length(max=5000)])
    submit = SubmitField("Save the sections", widget=GovSubmitInput())

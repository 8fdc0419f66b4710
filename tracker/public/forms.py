"""Turning a review's public progress page on or off (from the reports page)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice


class PublicPageForm(FlaskForm):
    review = HiddenField()
    # Anything but "on" means off, as it always has: a missing or odd value never publishes.
    public_page = RadioField("Show the review's progress publicly?", widget=GovRadioInput(), validate_choice=False,
                             choices=[SelectChoice("on", "On"), SelectChoice("off", "Off")])
    submit = SubmitField("Save public page setting", widget=GovSubmitInput())


def public_page_form(review) -> PublicPageForm:
    """The switch as the reports page shows it: the review's current setting chosen."""
    form = PublicPageForm(formdata=None, review=review.code, public_page="on" if review.public_page else "off")
    form.public_page.label.text = f"Show {review.code}'s progress publicly?"
    return form

"""The from/to dates that filter /changes and /audit: two GOV.UK date inputs in a GET form.

Read like every other typed date (tracker/domain/dates.py through ``GovDateField``): three boxes,
or a whole date in one (a bookmarked ``?from=2026-11-01`` keeps working). A filter changes nothing,
so the form carries no CSRF token.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from .forms import GovDateField


class DateRangeForm(FlaskForm):
    class Meta:
        csrf = False

    start = GovDateField("From date", name="from", description="For example, 1 11 2026")
    end = GovDateField("To date", name="to", description="For example, 30 11 2026")

    def validate_end(self, field) -> None:
        if field.data and self.start.data and self.start.data > field.data:
            raise ValidationError("The 'to' date must be the same as or after the 'from' date")

    def link_args(self) -> dict[str, str]:
        """The dates for a link to another page of the same results (each date as one value)."""
        return {field.name: field.data.isoformat() for field in (self.start, self.end) if field.data}


def date_range(args) -> DateRangeForm:
    """The filter form read from the query string and checked: ``.start``/``.end`` hold the dates
    (None when not given), ``.errors`` what is wrong with them, worded for the person."""
    form = DateRangeForm(formdata=args)
    form.validate()
    return form


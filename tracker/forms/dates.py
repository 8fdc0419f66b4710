"""The GOV.UK date input, reading dates as people type them (tracker/domain/dates.py)."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field

from ..domain.dates import DateProblem, from_parts, read_date


class GovDateField(Field):
    """A GOV.UK date input (three boxes under one name) that accepts what people type.

    Empty is allowed (``data`` is None); a form that needs the date says so in its operation.
    A single posted value (a whole date) is read too, so older pages and scripts keep working.
    """

    widget = GovDateInput()

    def _value(self):
        return self.data.strftime("%d %m %Y") if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            self.raw_data = None  # not posted at all: the widget shows the boxes empty (it unpacks three)
            return
        label = self.label.text.removesuffix(" (optional)")
        # Shown back in the three boxes as typed (a whole date in the first), so nothing a person typed
        # is lost, also when it is refused.
        self.raw_data = list(valuelist[:3]) if len(valuelist) >= 3 else [valuelist[0], "", ""]
        try:
            if len(valuelist) >= 3:
                self.data = from_parts(valuelist[0], valuelist[1], valuelist[2], label)
            else:
                self.data = read_date(valuelist[0], label)
        except DateProblem as problem:
            self.data = None
            raise ValueError(str(problem)) from None

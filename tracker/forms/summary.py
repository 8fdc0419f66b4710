"""The GOV.UK error summary of one or more WTForms forms: ``govukErrorSummary(error_summary(form))``.

``wtforms_errors`` with two corrections. A GOV.UK date input's error links to its Day box (the
field's own id is on a wrapper, which cannot take focus; the boxes' ids are the field's name), and
an error about the form as a whole (a refusal with no field, a conflict) is listed without a link
to a field that does not exist.
"""
from __future__ import annotations

from govuk_frontend_wtf.main import wtforms_errors

from .dates import GovDateField


def error_summary(forms, params: dict | None = None) -> dict:
    """Parameters for govukErrorSummary from ``forms`` (one form or a list; empty ones are skipped)."""
    items = []
    for form in forms if isinstance(forms, (list, tuple)) else [forms]:
        if not form or not form.errors:
            continue
        days = {f"#{field.id}": f"#{field.name}-day" for field in form if isinstance(field, GovDateField)}
        for item in wtforms_errors(form)["errorList"]:
            if item["href"] == "#None":
                items.append({"text": item["text"]})
            else:
                items.append({**item, "href": days.get(item["href"], item["href"])})
    return {"titleText": "There is a problem", "errorList": items, **(params or {})}

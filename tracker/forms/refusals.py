"""A refusal from an operation shown where the person will look: on the field it concerns when
the form has one, otherwise on the form as a whole (``form.form_errors``)."""
from __future__ import annotations

from ..refused import Refused


def show_refusal(form, refusal: Refused) -> None:
    field = getattr(form, refusal.field, None) if refusal.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, refusal.message] if isinstance(field.errors, list) else [refusal.message]
    else:
        form.form_errors.append(refusal.message)

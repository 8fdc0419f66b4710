"""An edit form that says which version of the row it was built from (tracker/locking.py)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField

from ..locking import form_version


class Versioned(FlaskForm):
    version = HiddenField()

    def posted_version(self) -> int:
        """The version posted with the form; 400, nothing changed, when it is missing or not a number."""
        return form_version({"version": self.version.data or ""})

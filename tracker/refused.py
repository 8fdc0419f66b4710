"""The one error for "refused, with a message for the person".

Operations raise it when a change cannot be made; views show ``message`` in the error summary and
beside ``field`` (the form field it concerns, when there is one); commands print it. Nothing is
changed when it is raised: the request's transaction is rolled back (tracker/transactions.py).
"""
from __future__ import annotations


class Refused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

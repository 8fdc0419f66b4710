"""Reading the version an edit form carries, as a person loading the page gets it."""
from __future__ import annotations

from tests.client import Page


def version_in_form(client, page: str, action_path: str) -> str:
    """The hidden ``version`` of the form on ``page`` that posts to ``action_path``."""
    return Page(client.get(page)).form(action_path)["version"]


def row_versions(client, page: str) -> dict[str, str]:
    """The master list's ``version-REF`` fields (one per action row, sent with the bulk form)."""
    fields = Page(client.get(page)).soup.select('input[name^="version-"]')
    return {field["name"]: field["value"] for field in fields}


def measure_form(client, number: int = 2, ref: str = "CC-01-ENV-01", **fields) -> dict:
    """The fields of measure ``number``'s update form on the action page, as the browser would send
    them (CSRF token and version included), with ``fields`` typed in."""
    data = Page(client.get(f"/actions/{ref}")).form(f"/actions/{ref}/measures/{number}")
    data.update({"status": "", "measured_output": "", "note": ""})
    data.update(fields)
    return data

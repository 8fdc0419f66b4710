"""Reading the version an edit form carries, as a person loading the page gets it."""
from __future__ import annotations

import re


def version_in_form(client, page: str, action_path: str) -> str:
    """The hidden ``version`` of the form on ``page`` that posts to ``action_path``."""
    html = client.get(page).get_data(as_text=True)
    form = re.search(rf'action="{re.escape(action_path)}(?:\?[^"]*)?".*?</form>', html, re.S)
    assert form, f"no form posting to {action_path} on {page}"
    return re.search(r'name="version" value="(\d+)"', form.group(0)).group(1)


def row_versions(client, page: str) -> dict[str, str]:
    """The master list's ``version-REF`` fields (one per action row, sent with the bulk form)."""
    html = client.get(page).get_data(as_text=True)
    return {f"version-{ref}": value for ref, value in re.findall(r'name="version-([^"]+)" value="(\d+)"', html)}

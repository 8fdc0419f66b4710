"""Reading the version an edit form carries, as a person loading the page gets it."""
from __future__ import annotations

import re


def hidden_value(html: str, name: str) -> str:
    """The value of the first hidden input called ``name``, whatever the order of its attributes (WTForms
    writes ``name="version" type="hidden" value="3"``, a hand-written input may put them otherwise)."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if f'name="{name}"' in tag and 'type="hidden"' in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    raise AssertionError(f"no hidden input {name!r}")


def version_in_form(client, page: str, action_path: str) -> str:
    """The hidden ``version`` of the form on ``page`` that posts to ``action_path``."""
    html = client.get(page).get_data(as_text=True)
    form = re.search(rf'action="{re.escape(action_path)}(?:\?[^"]*)?".*?</form>', html, re.S)
    assert form, f"no form posting to {action_path} on {page}"
    return hidden_value(form.group(0), "version")


def row_versions(client, page: str) -> dict[str, str]:
    """The master list's ``version-REF`` fields (one per action row, sent with the bulk form)."""
    html = client.get(page).get_data(as_text=True)
    return {f"version-{ref}": value for ref, value in re.findall(r'name="version-([^"]+)" value="(\d+)"', html)}


def measure_form(client, number: int = 2, ref: str = "CC-01-ENV-01", **fields) -> dict:
    """The fields of measure ``number``'s update form on the action page, as the browser would send
    them (CSRF token and version included), with ``fields`` typed in."""
    html = client.get(f"/actions/{ref}").get_data(as_text=True)
    form = re.search(rf'action="/actions/{re.escape(ref)}/measures/{number}[^"]*".*?</form>', html, re.S).group(0)
    data = {"csrf_token": hidden_value(form, "csrf_token"), "version": hidden_value(form, "version"),
            "status": "", "measured_output": "", "note": ""}
    data.update(fields)
    return data

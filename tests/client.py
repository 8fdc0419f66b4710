"""The test client and the page it returns, parsed: tests select elements instead of matching
regular expressions (as alphagov/notifications-admin's ``client_request`` does).

``Client`` signs in through the real form and reads CSRF tokens from pages; ``Client.page`` makes
the request, asserts the status and returns a ``Page`` (BeautifulSoup) with the few readings tests
need: the text as a reader sees it, a form's fields as a browser would send them, the error summary.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

PASSWORD = "correct horse battery staple"


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace(" .", ".").replace(" :", ":").strip()


class Page:
    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")

    @property
    def text(self) -> str:
        """The page's text as a reader sees it: tags dropped, whitespace collapsed."""
        return _collapse(self.soup.get_text(" "))

    def select(self, selector: str):
        return self.soup.select(selector)

    def one(self, selector: str):
        found = self.soup.select(selector)
        assert len(found) == 1, f"expected one {selector!r}, found {len(found)}"
        return found[0]

    def text_of(self, selector: str) -> str:
        return _collapse(self.one(selector).get_text(" "))

    def text_after(self, selector: str) -> str:
        """The text that follows the one element ``selector`` finds, to the end of the page (the
        history under its heading, say)."""
        return _collapse(" ".join(self.one(selector).find_all_next(string=True)))

    def texts(self, selector: str) -> list[str]:
        """The text of every element ``selector`` finds, in page order (none is no error)."""
        return [_collapse(element.get_text(" ")) for element in self.soup.select(selector)]

    @property
    def csrf_token(self) -> str:
        field = self.soup.find("input", attrs={"name": "csrf_token"})
        assert field is not None, "page has no csrf_token field"
        return field["value"]

    @property
    def path(self) -> str:
        """The path the page was answered from: where a form without an action posts."""
        return self.response.request.path

    def form(self, action: str | None = None, **typed) -> dict:
        """The fields of the form posting to ``action`` (a path; a form without an action posts to
        the page's own path; the page's own form when None) as a browser would send them, with
        ``typed`` filled in. Checkboxes and radios count only when checked; a select sends its
        selected option (or its first); a name given to several fields (the three boxes of a GOV.UK
        date input) sends a list of their values."""
        action = self.path if action is None else action
        forms = [f for f in self.soup.find_all("form") if (f.get("action") or self.path).split("?")[0] == action]
        assert forms, f"no form posting to {action!r}"
        data: dict = {}

        def send(name, value):
            if name in data:
                data[name] = (data[name] if isinstance(data[name], list) else [data[name]]) + [value]
            else:
                data[name] = value

        for field in forms[0].find_all(["input", "select", "textarea"]):
            name = field.get("name")
            if not name or field.has_attr("disabled"):
                continue
            if field.name == "input" and field.get("type") in ("checkbox", "radio"):
                if field.has_attr("checked"):
                    send(name, field.get("value", "on"))
            elif field.name == "input" and field.get("type") == "submit":
                continue
            elif field.name == "select":
                options = field.find_all("option")
                chosen = next((o for o in options if o.has_attr("selected")), options[0] if options else None)
                send(name, chosen.get("value", chosen.get_text()) if chosen else "")
            elif field.name == "textarea":
                send(name, field.get_text())
            else:
                send(name, field.get("value", ""))
        data.update(typed)
        return data

    @property
    def errors(self) -> list[str]:
        """The messages of the GOV.UK error summary, in order; empty when there is none."""
        return [_collapse(li.get_text(" ")) for li in self.soup.select(".govuk-error-summary__list li")]


def csrf_from(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert field is not None, "page has no csrf_token field"
    return field["value"]


class Client:
    """A test client that signs in through the real form and reads CSRF tokens from pages."""

    def __init__(self, app, role: str | None = None):
        self.app = app
        self.http = app.test_client()
        self.role = role
        if role:
            self.sign_in(f"{role}@example.gov.uk", PASSWORD)

    def sign_in(self, email, password):
        token = csrf_from(self.http.get("/login").get_data(as_text=True))
        return self.http.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def get(self, url, **kw):
        return self.http.get(url, **kw)

    def page(self, url: str, status: int = 200, **kw) -> Page:
        """GET ``url``, assert the answer's status, and return the page parsed."""
        response = self.http.get(url, **kw)
        assert response.status_code == status, f"GET {url}: {response.status_code}, expected {status}"
        return Page(response)

    def submit(self, page_url: str, action: str, status: int | None = None, **typed) -> Page:
        """Load ``page_url``, fill the form posting to ``action`` as a browser would, post it."""
        data = self.page(page_url).form(action, **typed)
        response = self.http.post(action, data=data)
        if status is not None:
            assert response.status_code == status, f"POST {action}: {response.status_code}, expected {status}"
        return Page(response)

    def token(self, page: str = "/") -> str:
        return csrf_from(self.http.get(page).get_data(as_text=True))

    def post(self, url, data=None, token_from: str | None = None, **kw):
        data = dict(data or {})
        if token_from is not None and "csrf_token" not in data:
            data["csrf_token"] = self.token(token_from)
        return self.http.post(url, data=data, **kw)

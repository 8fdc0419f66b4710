"""Steps the browser journeys share."""
from __future__ import annotations

from tests.conftest import PASSWORD


def sign_in(page, base, role):
    """Sign in through the form as ``role``@example.gov.uk."""
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(f"{role}@example.gov.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


CSP_LISTENER = """() => { window.__csp = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'))); }"""


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(f"({CSP_LISTENER})()")
    return problems


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def save_measure_in_place(page, number: int, text: str) -> None:
    """Open measure ``number``'s update form on the action page, type ``text``, save it in place."""
    from playwright.sync_api import expect

    card = page.locator(f"#measure-{number}")
    card.get_by_text(f"Update measure {number}").click()
    card.get_by_label("Progress text (measured output)").fill(text)
    card.get_by_role("button", name=f"Save measure {number}").click()
    expect(card).to_contain_text("updated")

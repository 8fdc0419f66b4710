"""Steps the browser journeys share."""
from __future__ import annotations

from tests.conftest import PASSWORD


def sign_in(page, base, role):
    """Sign in through the form as ``role``@example.gov.uk."""
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(f"{role}@example.gov.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

"""Reading a page's GOV.UK form parts in tests: the error summary's links and what a date input shows.
Each takes the response and reads it through ``tests.client.Page``, the one parser tests use."""
from __future__ import annotations

from bs4 import BeautifulSoup

from tests.client import Page


def page_of(response) -> BeautifulSoup:
    return Page(response).soup


def summary_links(response) -> dict[str, str]:
    """The error summary's entries: link target -> message ('' when an entry has no link)."""
    summary = page_of(response).select_one(".govuk-error-summary")
    assert summary is not None, "the page has no error summary"
    links = {a["href"]: a.get_text(" ", strip=True) for a in summary.select(".govuk-error-summary__list a")}
    return links


def date_boxes(response, name: str) -> list[str]:
    """What the day, month and year boxes of a GOV.UK date input show."""
    page = page_of(response)
    return [page.select_one(f"#{name}-{part}").get("value", "") for part in ("day", "month", "year")]


def has_target(response, href: str) -> bool:
    """Whether the element an error summary link points at exists on the page."""
    return page_of(response).select_one(href) is not None


def summary_messages(response) -> list[str]:
    """Every entry of the error summary, linked or not."""
    summary = page_of(response).select_one(".govuk-error-summary")
    assert summary is not None, "the page has no error summary"
    return [li.get_text(" ", strip=True) for li in summary.select(".govuk-error-summary__list li")]


def legends(response) -> list[str]:
    """The legends of the page's fieldsets (a GOV.UK date input or radios without one is unlabelled)."""
    return [legend.get_text(" ", strip=True) for legend in page_of(response).select("fieldset legend")]

"""A walk through every page as each role, in Chromium, at 1280 and 375 pixels wide: each page answers as
expected, writes no error to the console (Content-Security-Policy violations included), has no axe-core
violations, and does not scroll sideways on a phone. Files are asked for, not opened.

One server and database for the module (set up with something on every page: tests/browser/walk_pages.py),
one browser context per role and width. The pages a role may open come from that module; a page added to
the permission table and not to the walk fails test_every_page_is_walked."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.browser.conftest import check_accessibility
from tests.browser.walk_pages import (
    ROLES,
    anonymous_downloads,
    anonymous_pages,
    downloads,
    pages,
    set_up_walk,
    walked_endpoints,
)
from tests.conftest import PASSWORD, make_app

WIDTHS = (1280, 375)
# Collects every Content-Security-Policy violation, including ones raised by scripts.
CSP_LISTENER = """() => { window.__csp = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'))); }"""
# A two-column table of import rows: enough for the import's check page to show columns and rows.
IMPORT_CSV = (b"Ref,Title,Progress\r\n"
              b"WALK-01,Publish opening hours on the website,Complete\r\n"
              b"WALK-02,Survey callers each quarter,Not started\r\n")


@pytest.fixture(scope="module")
def walk_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("walk")
    # Every report file is made by a background job, so each role has a job page to walk.
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'walk.sqlite'}", MAIL_OUTBOX=str(folder / "outbox"),
                   JOBS_DIR=str(folder / "jobs"), REPORT_JOB_THRESHOLD=0)
    walk = set_up_walk(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", walk, app
    server.shutdown()
    thread.join(timeout=5)


def sign_in(page, base: str, role: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(f"{role}@example.gov.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def start_import(page, base: str) -> str:
    """Upload a small table as a new review; the path of its check page."""
    page.goto(f"{base}/imports")
    page.get_by_label("Review code").fill("WALK")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV}])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "/imports/" in page.url, f"the upload did not reach its check page: {page.url}"
    return page.url.removeprefix(base)


def start_job(page, base: str, report_id: int, fmt: str = "docx") -> str:
    """Ask for the committee pack: made by a job; the path of its page."""
    page.goto(f"{base}/reports/{report_id}/pack.{fmt}")
    assert "/jobs/" in page.url, f"the pack was not made by a job: {page.url}"
    return page.url.removeprefix(base)


def problems_on(page, base: str, path: str, width: int, console: list[str]) -> list[str]:
    console.clear()
    response = page.goto(base + path)
    page.wait_for_load_state("load")
    found = []
    if response is None or response.status != 200:
        found.append(f"answered {response.status if response else 'nothing'}")
    found += console
    found += page.evaluate("window.__csp || []")
    if width == WIDTHS[0]:
        # axe's rules do not depend on the width, bar one (a scrolling region must take focus) that the
        # scrolling tables' component meets by construction: once per page keeps the walk quick.
        found += [f"axe {v['id']}: {v['nodes']}" for v in check_accessibility(page)]
    else:
        scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            found.append(f"scrolls sideways: {scroll}px wide in {inner}px")
    return [f"{path} at {width}px: {p}" for p in found]


def walk_as(browser, base: str, role: str | None, paths: list[str], setup=None) -> list[str]:
    problems: list[str] = []
    extra: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.add_init_script(f"({CSP_LISTENER})()")
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m, seen=console: seen.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e, seen=console: seen.append(f"page error: {e}"))
        if role is not None:
            sign_in(page, base, role)
        if setup is not None and not extra:
            extra = setup(page)
        for path in paths + extra:
            problems += problems_on(page, base, path, width, console)
        context.close()
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_reads_well_at_both_widths(browser, walk_server, role):
    base, walk, _ = walk_server

    def setup(page):
        made = [start_job(page, base, walk.published_id)]
        if role in ("admin", "manager"):
            made.append(start_import(page, base))
        return made

    problems = walk_as(browser, base, role, pages(walk, role), setup)
    assert problems == [], "\n".join(problems)


def test_pages_open_to_everyone_read_well_at_both_widths(browser, walk_server):
    base, walk, _ = walk_server
    problems = walk_as(browser, base, None, anonymous_pages(walk))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role", (*ROLES, None))
def test_files_a_role_may_download_are_served(browser, walk_server, role):
    base, walk, _ = walk_server
    context = browser.new_context()
    page = context.new_page()
    if role is None:
        paths = anonymous_downloads()
    else:
        sign_in(page, base, role)
        paths = downloads(walk, role)
    answers = {path: page.request.get(base + path, max_redirects=0).status for path in paths}
    if role == "manager":  # a job's file, once the job has made it
        job = start_job(page, base, walk.published_id, "pdf")
        page.get_by_test_id("job-download").wait_for(timeout=30_000)  # htmx asks for the status until done
        answers[job + "/download"] = page.request.get(f"{base}{job}/download").status
    context.close()
    assert answers == {path: 200 for path in answers}


def test_every_page_is_walked(walk_server):
    """Each GET endpoint of the permission table is in the walk, so a new page is walked too."""
    from tracker.people.permissions import ACCESS
    _, walk, app = walk_server
    unwalked = {endpoint for endpoint, methods in ACCESS.items() if "GET" in methods} - walked_endpoints(app, walk)
    assert unwalked == set()

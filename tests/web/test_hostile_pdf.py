"""Hostile text in every PDF the product makes: WeasyPrint must fetch nothing from the network.

A committee name, review title or measure text carrying CSS or HTML that points at a URL must not
make the server request it (server-side request forgery), neither from a manager's download nor
from the public PDF anyone can open.
"""
from __future__ import annotations

import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Action, Assessment, Authority, Measure, Review
from tracker.reports import builders

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


class _Recorder(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        body = b"body { background: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.requests: list[str] = []
        self.connections: list = []
        super().__init__(("127.0.0.1", 0), _Recorder)

    def verify_request(self, request, client_address):
        # Any connection counts, even one that never finishes its request line.
        self.connections.append(client_address)
        return True


@pytest.fixture
def listener():
    server = _RecordingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def payload(port: int, tag: str) -> str:
    base = f"http://127.0.0.1:{port}"
    return (f"Evil {tag}\r}}}} body{{background:url({base}/x-{tag})}} @import url({base}/y-{tag}); "
            f"\"}} @page {{ background: url('{base}/z-{tag}') }} <img src={base}/img-{tag}> "
            f"<link rel=stylesheet href={base}/link-{tag}> <style>@import '{base}/s-{tag}';</style>")


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "hostile.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _poison(app, port: int) -> None:
    """Hostile text in every field a PDF prints: review, authority, action, measure, assessment site."""
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        review.title = payload(port, "title")[:300]
        review.public_page = True
        db.session.scalar(select(Authority)).name = payload(port, "authority")[:200]
        action = db.session.scalar(select(Action).where(Action.review_id == review.id).order_by(Action.id))
        action.title = payload(port, "action")
        measure = db.session.scalar(select(Measure).where(Measure.action_id == action.id))
        measure.text = payload(port, "measure")
        measure.measured_output = payload(port, "output")
        for assessment in db.session.scalars(select(Assessment)):
            assessment.site = payload(port, f"site{assessment.id}")[:200]
        db.session.commit()


@needs_pdftotext
def test_no_pdf_fetches_a_url_smuggled_into_its_text(app, client_for, listener, tmp_path):
    port = listener.server_address[1]
    _poison(app, port)
    manager = client_for("manager")
    committee = payload(port, "committee")[:200]
    response = manager.post("/reports", token_from="/reports", data={"committee": committee, "meeting_on": "2026-12-03"})
    assert response.status_code == 303
    report_id = int(response.headers["Location"].rsplit("/", 1)[1])

    urls = [f"/reports/{report_id}/{part}.pdf" for part in builders.PARTS]
    urls.append(f"/reports/{report_id}/appendix-b.pdf?owners=1")
    with app.app_context():
        assessments = db.session.scalars(select(Assessment.id)).all()
    assert assessments
    urls += [f"/standards/cse/assessments/{a}/readiness.pdf" for a in assessments]
    urls.append("/standards/cse/gap-analysis.pdf")
    texts = {}
    for url in urls:
        response = manager.get(url)
        assert response.status_code == 200, url
        assert response.data.startswith(b"%PDF"), url
        texts[url] = pdf_text(response.data, tmp_path)

    assert manager.post(f"/reports/{report_id}/publish", token_from=f"/reports/{report_id}").status_code == 303
    anonymous = client_for()
    for part in builders.PARTS:
        url = f"/public/CC/{part}.pdf"
        response = anonymous.get(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), url
        texts[url] = pdf_text(response.data, tmp_path)

    assert listener.connections == [] and listener.requests == []
    # The text is still printed as text, the footer included (on every page of every report part).
    for url, text in texts.items():
        assert "Evil authority" in text, url
    for part in builders.PARTS:
        pages = texts[f"/public/CC/{part}.pdf"].split("\f")[:-1]
        assert all("Evil committee" in page for page in pages), part
    assert "background:url(http://127.0.0.1" in texts[f"/reports/{report_id}/appendix-b.pdf"].replace(" ", "")
    assert "<img src=" in texts[f"/reports/{report_id}/appendix-b.pdf"]


def test_raw_html_and_css_reach_no_listener_but_static_files_and_data_urls_still_work(listener, tmp_path):
    from tracker.pdf_safety import STATIC_DIR, html_to_pdf, stylesheet
    base = f"http://127.0.0.1:{listener.server_address[1]}"
    html = f"""<html><head><link rel="stylesheet" href="{base}/link.css">
      <style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}
      @font-face {{ font-family: X; src: url({base}/font.woff) }}</style></head>
      <body><img src="{base}/img.png"><img src="//127.0.0.1:{listener.server_address[1]}/proto-relative.png">
      <img src="file:///etc/passwd"><img src="../../../../etc/passwd"><object data="{base}/object"></object>
      <iframe src="{base}/iframe"></iframe><embed src="{base}/embed">
      <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
        <image xlink:href="{base}/svg-image.png" width="10" height="10"/></svg>
      <img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==">
      <p>Still printed</p></body></html>"""
    pdf = html_to_pdf(html, stylesheets=[stylesheet(string=f"@import '{base}/sheet.css'; p {{ color: black }}")])
    assert pdf.startswith(b"%PDF")
    assert listener.connections == []
    assert (STATIC_DIR / "css" / "report.css").is_file()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:1/x", "https://example.com/x", "ftp://example.com/x", "file:///etc/passwd",
    "file://otherhost/etc/passwd", "gopher://127.0.0.1/x",
    "STATIC/../../../etc/passwd", "STATIC/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "STATIC/../tracker/__init__.py",
    "STATIC/css",  # a folder is not a file
])
def test_the_fetcher_refuses_everything_but_static_files(url):
    from tracker.pdf_safety import FETCHER, STATIC_DIR, FetchRefused
    url = url.replace("STATIC", STATIC_DIR.as_uri())
    with pytest.raises(FetchRefused):
        FETCHER.fetch(url)


def test_the_fetcher_serves_static_files_and_data_urls():
    from tracker.pdf_safety import FETCHER, STATIC_DIR
    css = STATIC_DIR / "css" / "report.css"
    response = FETCHER.fetch(css.as_uri())
    assert response.read() == css.read_bytes() and response.content_type == "text/css"
    assert FETCHER.fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize("text", [
    '"; } body { background: url(http://x/) } "', "\r}} @import url(http://x/);", "a\\\"b", "</style><script>",
    "/* comment", "\n\f\0", "O&S – “Panel” 3 December",
])
def test_css_strings_escape_every_character_that_could_end_them(text):
    from tracker.css_escape import css_string
    escaped = css_string(text)
    inner = escaped[1:-1]
    assert escaped[0] == escaped[-1] == '"'
    # Nothing but letters, digits, spaces and hex escapes: no quote, brace, semicolon, bracket or newline.
    import re
    assert re.fullmatch(r"(?:[A-Za-z0-9 ]|\\[0-9A-F]{6} )*", inner), escaped
    # And it reads back as the same text (U+0000 becomes U+FFFD, as a CSS parser would make it).
    decoded = re.sub(r"\\([0-9A-F]{6}) ", lambda m: chr(int(m.group(1), 16)), inner)
    assert decoded == text.replace("\0", "\ufffd")

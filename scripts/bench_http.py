"""The pages as a user meets them: the app under gunicorn beside a bare Flask app, timed with wrk.

    .venv/bin/python scripts/bench.py --http [--sizes seed,10000,50000] [--connections 20] [--seconds 10]

This machine is shared, so absolute figures move with whatever else runs; the ratio of the app's
requests per second to a hello-world Flask app's, measured in the same run under the same gunicorn,
is what stays put. For each size the database gets the seed plus generated reviews of 200 actions
(three measures each, owners, recommendations) up to that many actions, and one review of 1,000
actions, so pages can be compared as the whole database grows and as one review grows.

The database is one the bench creates for itself (``bvt_bench`` on the PostgreSQL server of
BENCH_DATABASE_URL, else a temporary SQLite file): it never touches another database's tables.
wrk comes from Debian (``apt-get install wrk``).

The app keeps pages it has drawn until the next write (tracker/page_store.py), as users meet it;
``PAGE_STORE_MB=0`` in the environment times every request drawing its page instead.
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HELLO = "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/')\ndef hello():\n    return 'Hello, World!'\n"

# The pages of the table, for the seed review (CC) and the 1,000-action review (K1).
PAGES = [
    ("/actions/<ref>", "/actions/{ref}?review={code}"),
    ("/actions", "/actions?review={code}"),
    ("/actions?q=staff", "/actions?review={code}&q=staff"),
    ("/ (dashboard)", "/?review={code}"),
    ("/recommendations", "/recommendations?review={code}"),
    ("/reports", "/reports?review={code}"),
    ("/public/CODE", "/public/{code}"),
]


@dataclass
class Run:
    page: str
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float        # server CPU (all workers, user + system) per request
    errors: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(master: int) -> float:
    """User + system CPU of a gunicorn master's workers so far."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except FileNotFoundError:
        return 0.0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _rss_mb(master: int) -> list[float]:
    out = []
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        status = Path(f"/proc/{pid}/status").read_text()
        out.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return out


class Server:
    """gunicorn -w N serving ``app_spec`` from ``cwd`` on a free port."""

    def __init__(self, app_spec: str, cwd: Path, env: dict, workers: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(GUNICORN), "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
             app_spec], cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/login" if "wsgi" in app_spec else self.base, timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            raise SystemExit(f"{app_spec} did not start on port {self.port}")

    def cpu(self) -> float:
        return _cpu_seconds(self.proc.pid)

    def rss_mb(self) -> list[float]:
        return _rss_mb(self.proc.pid)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def sign_in(base: str, email: str, password: str) -> str:
    """The session cookie of a signed-in user, as a Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
    body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    opener.open(base + "/login", data=body)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    check = urllib.request.Request(base + "/", headers={"Cookie": cookie})
    if urllib.request.urlopen(check).geturl().rstrip("/").endswith("/login"):
        raise SystemExit("the bench user could not sign in")
    return cookie


def _ms(text: str) -> float:
    found = re.match(r"([\d.]+)(us|ms|s|m)\b", text)
    if found is None:
        raise ValueError(f"wrk printed a time as {text!r}")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(server: Server, path: str, cookie: str | None, connections: int, seconds: int, label: str) -> Run:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    if cookie:  # a redirect to the sign-in page would be timed as a fast page: check first
        request = urllib.request.Request(server.base + path, headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as response:
            if response.status != 200 or "/login" in response.geturl():
                raise SystemExit(f"{path} answered {response.status} at {response.geturl()}")
    before = server.cpu()
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", *headers,
                          server.base + path], capture_output=True, text=True, check=True).stdout
    cpu = server.cpu() - before
    if not re.search(r"^\s+50%\s+[\d.]+(us|ms|s|m)\b", out, re.M):
        raise SystemExit(f"wrk could not time {path}:\n{out}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return Run(label, float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
               _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)), _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
               1000 * cpu / max(requests, 1), errors)


def bench_size(title: str, database_url: str, email: str, password: str, reviews: list[tuple[str, str]],
               connections: int, seconds: int, workers: int) -> None:
    hello_dir = Path(tempfile.mkdtemp(prefix="bvt-hello-"))
    (hello_dir / "hello.py").write_text(HELLO)
    env = {"DATABASE_URL": database_url, "TRACKER_CONFIG": "development", "FLASK_DEBUG": "0",
           "SECRET_KEY": "bench-secret-key-not-for-production"}
    hello = Server("hello:app", hello_dir, {}, workers)
    app = Server("wsgi:app", ROOT, env, workers)
    try:
        cookie = sign_in(app.base, email, password)
        runs = [wrk(hello, "/", None, connections, seconds, "hello-world Flask (before)")]
        for code, ref in reviews:
            for label, template in PAGES:
                runs.append(wrk(app, template.format(code=code, ref=ref), cookie, connections, seconds,
                                f"{label} [{code}]"))
        runs.append(wrk(hello, "/", None, connections, seconds, "hello-world Flask (after)"))
        rss = app.rss_mb()
    finally:
        app.stop()
        hello.stop()
        shutil.rmtree(hello_dir, ignore_errors=True)
    baseline = (runs[0].rps + runs[-1].rps) / 2
    print(f"\n{title}: gunicorn -w {workers}, wrk -c {connections} for {seconds} s a page; "
          f"hello-world {baseline:,.0f} req/s; app workers hold {', '.join(f'{m:.0f}' for m in rss)} MB; "
          f"page store {os.environ.get('PAGE_STORE_MB', '8')} MB a worker (PAGE_STORE_MB=0: every page drawn)")
    print(f"{'page':34} {'req/s':>9} {'ratio':>7} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} {'non-2xx':>8}")
    for run in runs:
        print(f"{run.page[:34]:34} {run.rps:9.1f} {run.rps / baseline:7.3f} {run.p50_ms:8.1f} {run.p99_ms:8.1f} "
              f"{run.cpu_ms:11.1f} {run.errors:8d}")


def require_wrk() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian), then run again")
    if not GUNICORN.exists():
        raise SystemExit("gunicorn is not in .venv: run scripts/setup first")


if __name__ == "__main__":  # pragma: no cover - run through scripts/bench.py --http
    sys.exit("run: .venv/bin/python scripts/bench.py --http")

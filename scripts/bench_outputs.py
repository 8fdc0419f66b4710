"""Reports and exports as the command line makes them: CPU seconds and peak memory per output.

    .venv/bin/python scripts/bench.py --outputs [--sizes 1000,10000,50000] [--database NAME]

Each output is written by its own ``flask --app wsgi ...`` process, so the figures are what a
person (or a background job) pays: the process's user + system CPU and its maximum resident set
(from ``os.wait4``, the child's own rusage), start-up included. A bare ``flask --app wsgi --help``
is measured first, so the start-up can be told apart.

The database gets the seed, a public review of 1,000 actions (K1, as the page bench uses) and then,
for each size, one review of that many actions (S1000, S10000, ...). Measured:

* Appendix B of K1 as PDF and Word (target: PDF under a fifth of 51.8 s CPU and under 300 MB);
* the JSON export of each sized review, the JSON export of the whole database, and the Excel
  workbook of each sized review (target: memory flat from 1k to 50k actions).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLASK = ROOT / ".venv" / "bin" / "flask"


# Started from a small Python of its own: a child's maximum resident set counts the memory it shared
# with its parent before exec, so a child of the bench (which holds the app and the generated data)
# would report at least the bench's own size.
_MEASURER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
error = proc.stderr.read().decode(errors="replace")
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps([usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, time.perf_counter() - started,
                  os.waitstatus_to_exitcode(status), error[-400:]]))
"""


def run_measured(args: list[str], env: dict) -> tuple[float, float, float, int]:
    """(CPU s, max RSS MB, wall s, exit code) of one process running ``args``."""
    out = subprocess.run([sys.executable, "-c", _MEASURER, *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout
    cpu, rss, wall, code, error = json.loads(out)
    if code:
        print(f"  ! {' '.join(args[3:])} exited {code}: {error.strip()}")
    return cpu, rss, wall, code


def _line(label: str, cpu: float, rss: float, wall: float, size: int | None = None, note: str = "") -> None:
    kb = f"{size // 1024:8,d} KB" if size is not None else " " * 11
    print(f"{label:44} {cpu:8.2f} {rss:8.0f} {wall:8.2f} {kb}  {note}")


def measure(label: str, args: list[str], env: dict, output: Path | None = None, note: str = "") -> None:
    if output is not None and output.exists():
        output.unlink()
    cpu, rss, wall, _ = run_measured([str(FLASK), "--app", "wsgi", *args], env)
    _line(label, cpu, rss, wall, output.stat().st_size if output and output.exists() else None, note)


def header(title: str) -> None:
    print(f"\n{title}")
    print(f"{'output':44} {'CPU s':>8} {'max MB':>8} {'wall s':>8} {'size':>11}")


def bench_outputs(url: str, sizes: list[int], make_review, env_extra: dict | None = None,
                  reports: bool = True) -> None:
    """``make_review(code, n_actions)`` adds one generated review to the database at ``url``."""
    env = {**os.environ, "DATABASE_URL": url, "TRACKER_CONFIG": "production", "SESSION_COOKIE_SECURE": "0",
           **(env_extra or {})}
    work = Path(tempfile.mkdtemp(prefix="bvt-outputs-"))
    header("Start-up (paid by every command below)")
    measure("flask --app wsgi --help", ["--help"], env)

    if reports:
        bench_appendix_b(env, work)
    bench_exports(env, work, sizes, make_review)
    print(f"\nfiles in {work}")


def bench_appendix_b(env: dict, work: Path) -> None:
    header("Appendix B of a 1,000-action review (K1)")
    pdf, docx = work / "k1.pdf", work / "k1.docx"
    measure("appendix-b pdf", ["report", "appendix-b", "--review", "K1", "--format", "pdf", "--output", str(pdf)],
            env, pdf, "target: < 10.4 s CPU (a fifth of 51.8 s), < 300 MB")
    measure("appendix-b docx", ["report", "appendix-b", "--review", "K1", "--format", "docx", "--output", str(docx)],
            env, docx)
    if pdf.exists():
        print(f"  ({_pages(pdf)} pages: {pdf})")


def bench_exports(env: dict, work: Path, sizes: list[int], make_review) -> None:
    header("Exports as a review grows (memory should stay flat)")
    total = 1087
    for n in sizes:
        started = time.perf_counter()
        make_review(f"S{n}", n)
        total += n
        print(f"  (generated review S{n} of {n:,} actions in {time.perf_counter() - started:.1f} s; "
              f"{total:,} actions in the database)")
        json_one, xlsx_one, json_all = work / f"s{n}.json", work / f"s{n}.xlsx", work / f"all{n}.json"
        measure(f"json, review S{n}", ["export", "--format", "json", "--review", f"S{n}", "--output", str(json_one)],
                env, json_one)
        measure(f"xlsx, review S{n}", ["export", "--format", "xlsx", "--review", f"S{n}", "--output", str(xlsx_one)],
                env, xlsx_one)
        measure(f"json, whole database ({total:,} actions)", ["export", "--format", "json", "--output", str(json_all)],
                env, json_all)
        json_all.unlink(missing_ok=True)


def _pages(pdf: Path) -> str:
    try:
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    except FileNotFoundError:
        return "?"
    return next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "?")

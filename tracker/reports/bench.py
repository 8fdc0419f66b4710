"""Report timings for scripts/bench.py: Appendix B as HTML and PDF, built and rendered."""
from __future__ import annotations

import statistics
import time

from . import builders
from .renderers import render


def bench_reports(app, client, code: str, repeat: int = 5) -> None:
    print(f"\nReports for review {code}")
    with app.test_request_context():
        for part, fmt in (("appendix-b", "html"), ("appendix-b", "pdf"), ("appendix-b", "docx"),
                          ("appendix-a", "pdf"), ("summary", "pdf")):
            timings = []
            for _ in range(repeat if fmt != "pdf" else max(2, repeat // 2)):
                started = time.perf_counter()
                data = builders.build(part, builders.load_review(code))
                size = len(render(data, fmt))
                timings.append((time.perf_counter() - started) * 1000)
            print(f"  {part:11} {fmt:5} median {statistics.median(timings):8.1f} ms  max {max(timings):8.1f} ms"
                  f"  ({size // 1024} KB)")

"""Long work off the request path, with progress the person can watch.

``start(kind, "module:function", **kwargs)`` records a job and runs ``function(**kwargs)`` inside an
app context: on RQ (Redis) when ``REDIS_URL`` is set, so several app processes share one queue and
``flask --app wsgi jobs worker`` runs the work; otherwise in a thread of the app process (the
embedded default, nothing else to run). The function reports progress with
``report_progress(done, total, message)`` and returns a ``JobFile`` (bytes, file name, mimetype),
which is kept under JOBS_DIR/<job id>/ and offered for download on the job's page (/jobs/<id>).
"""
from .queue import start
from .runner import JobFile, report_progress

__all__ = ["JobFile", "report_progress", "start"]

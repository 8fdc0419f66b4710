"""Long work off the request path: a job is started, shows its progress, then offers its file (or
says what went wrong), in a thread of the app process or, with REDIS_URL, on a shared RQ queue."""
from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
from sqlalchemy import select

from tests.client import Client, Page
from tracker import create_app
from tracker.extensions import db
from tracker.jobs import JobFile, report_progress, start
from tracker.models import Job, Review, User
from tracker.refused import Refused
from tracker.reports.operations import create_report

# --- job functions the tests start (a job names its function as "module:function") ---------------

RELEASE = threading.Event()


def waits_for_the_test(steps: int) -> JobFile:
    for done in range(steps):
        report_progress(done, steps, f"Doing part {done + 1}")
        if done == 1:
            assert RELEASE.wait(60), "the test never let the job go on"
    return JobFile(b"name,value\r\nsteps," + str(steps).encode() + b"\r\n", "steps ready.csv", "text/csv")


def refuses() -> JobFile:
    raise Refused("The review has no actions to put in the file.")


def breaks() -> JobFile:
    raise RuntimeError("a bug, with details the person must not see: /srv/secret")


# --- helpers ----------------------------------------------------------------------------------------

def wait_for(client, url: str, states=("done", "failed"), seconds: float = 120) -> Page:
    deadline = time.monotonic() + seconds
    while True:
        page = Page(client.get(url))
        assert page.status == 200, page.text
        if page.one("[data-testid=job-status]")["data-state"] in states:
            return page
        assert time.monotonic() < deadline, f"the job at {url} did not finish: {page.text}"
        time.sleep(0.2)


def job_app(own_database_app, tmp_path, **config):
    own_database_app.config.update({"JOBS_DIR": str(tmp_path / "jobs"), **config})
    return own_database_app


def draft_report(app) -> int:
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        report = create_report(review, committee="Overview and Scrutiny Committee", meeting_on=dt.date(2027, 3, 4))
        db.session.commit()
        return report.id


def started_as_admin(app, target: str, **kwargs) -> str:
    with app.app_context():
        job = start("Test file", target, **kwargs)  # outside a request: handed over at once
        return job.id


# --- the thread of the app process (no REDIS_URL) ---------------------------------------------------

def test_a_large_appendix_b_pdf_is_made_by_a_job_then_downloaded(own_database_app, tmp_path):
    app = job_app(own_database_app, tmp_path, REPORT_JOB_THRESHOLD=50)  # the seed has 87 actions
    report_id = draft_report(app)
    manager = Client(app, "manager")
    response = manager.get(f"/reports/{report_id}/appendix-b.pdf")
    assert response.status_code == 303
    job_url = response.headers["Location"]
    assert job_url.startswith("/jobs/")

    page = wait_for(manager, job_url)
    assert page.one("[data-testid=job-status]")["data-state"] == "done", page.text
    assert page.one("h1").get_text(strip=True) == "Appendix B as PDF"
    assert not page.select("meta[http-equiv=refresh]")  # finished: the page stops refreshing
    link = page.one("[data-testid=job-download]")
    download = manager.get(link["href"])
    assert download.status_code == 200
    assert download.mimetype == "application/pdf" and download.data.startswith(b"%PDF")
    assert 'filename="CC-appendix-b-2027-03-04-draft.pdf"' in download.headers["Content-Disposition"]
    with app.app_context():
        job = db.session.get(Job, job_url.rsplit("/", 1)[1])
        manager_id = db.session.scalar(select(User.id).where(User.email == "manager@example.gov.uk"))
        assert (job.status, job.created_by, job.progress_done, job.progress_total) == ("done", manager_id, 2, 3)
        assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    assert (tmp_path / "jobs" / job.result_path).is_file()

    # Only its starter and admins see a job; other formats and smaller reviews stay in the request.
    assert Client(app, "committee").get(job_url).status_code == 403
    assert Client(app, "liaison").get(link["href"]).status_code == 403
    assert Client(app, "admin").get(job_url).status_code == 200
    assert Client(app, None).get(job_url).status_code == 302  # to sign in
    assert manager.get("/jobs/no-such-job").status_code == 404
    assert manager.get(f"/reports/{report_id}/appendix-a.pdf").status_code == 200
    app.config["REPORT_JOB_THRESHOLD"] = 150
    assert manager.get(f"/reports/{report_id}/appendix-b.html").status_code == 200


def test_the_page_shows_progress_refreshes_itself_and_polls_with_htmx(own_database_app, tmp_path):
    app = job_app(own_database_app, tmp_path)
    RELEASE.clear()
    job_id = started_as_admin(app, "tests.web.test_jobs:waits_for_the_test", steps=3)
    admin = Client(app, "admin")
    try:
        page = wait_for(admin, f"/jobs/{job_id}", states=("running",))
        deadline = time.monotonic() + 30
        while "Step 2 of 3: Doing part 2" not in page.text and time.monotonic() < deadline:
            time.sleep(0.1)
            page = Page(admin.get(f"/jobs/{job_id}"))
        assert "Step 2 of 3: Doing part 2" in page.text
        assert page.one("progress")["value"] == "1" and page.one("progress")["max"] == "3"
        assert page.one("meta[http-equiv=refresh]")["content"] == "2"  # without JavaScript
        status = page.one("#job-status")
        assert status["hx-get"] == f"/jobs/{job_id}" and status["hx-trigger"] == "every 2s"
        # htmx asks for the status part alone.
        fragment = admin.get(f"/jobs/{job_id}", headers={"HX-Request": "true", "HX-Target": "job-status"})
        html = fragment.get_data(as_text=True)
        assert fragment.status_code == 200 and "<html" not in html and 'id="job-status"' in html
        assert admin.get(f"/jobs/{job_id}/download").status_code == 404  # nothing to download yet
    finally:
        RELEASE.set()
    page = wait_for(admin, f"/jobs/{job_id}")
    assert "Your file is ready" in page.text
    assert "hx-trigger" not in str(page.one("#job-status"))  # htmx stops polling too
    download = admin.get(f"/jobs/{job_id}/download")
    assert download.data == b"name,value\r\nsteps,3\r\n"
    assert download.headers["Content-Disposition"] == \
        "attachment; filename=\"steps_ready.csv\"; filename*=UTF-8''steps%20ready.csv"


def test_a_failing_job_shows_its_error_and_keeps_no_file(own_database_app, tmp_path):
    app = job_app(own_database_app, tmp_path)
    admin = Client(app, "admin")
    refused = wait_for(admin, f"/jobs/{started_as_admin(app, 'tests.web.test_jobs:refuses')}")
    assert refused.one("[data-testid=job-status]")["data-state"] == "failed"
    assert refused.text_of("[data-testid=job-error]") == "The review has no actions to put in the file."
    broken_id = started_as_admin(app, "tests.web.test_jobs:breaks")
    broken = wait_for(admin, f"/jobs/{broken_id}")
    assert "could not be made because of a problem in the service" in broken.text_of("[data-testid=job-error]")
    assert "/srv/secret" not in broken.text
    assert admin.get(f"/jobs/{broken_id}/download").status_code == 404
    assert not (tmp_path / "jobs" / broken_id).exists()


def test_a_job_whose_worker_died_is_shown_as_stopped(own_database_app, tmp_path):
    app = job_app(own_database_app, tmp_path, JOB_TIMEOUT=60)
    with app.app_context():
        db.session.add(Job(id="abandoned-job", kind="Appendix B as PDF", status="running",
                           created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1)))
        db.session.commit()
    page = Page(Client(app, "admin").get("/jobs/abandoned-job"))
    assert page.one("[data-testid=job-status]")["data-state"] == "lost"
    assert "stopped without finishing" in page.text and not page.select("meta[http-equiv=refresh]")


def test_a_job_asked_for_by_a_request_that_fails_is_never_run(own_database_app, tmp_path):
    app = job_app(own_database_app, tmp_path)
    with app.test_request_context():
        job_id = start("Test file", "tests.web.test_jobs:refuses").id
        response = app.make_response(("refused", 400))
        app.process_response(response)
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.status == "failed" and "request that asked for it failed" in job.error


# --- RQ on Redis: several app processes share one queue -------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_queue_name():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis answers at {REDIS_URL}: the shared-queue test needs one")
    name = f"bvt-test-{uuid.uuid4().hex[:12]}"
    yield name
    # RQ keeps the queue's keys under its name and each job's under the job id.
    for key in list(connection.scan_iter("rq:job:*")):
        if connection.hget(key, "origin") == name.encode():
            job_id = key.decode().removeprefix("rq:job:")
            connection.delete(key, f"rq:results:{job_id}")
    for key in connection.scan_iter(f"*{name}*"):
        connection.delete(key)
    connection.srem("rq:queues", f"rq:queue:{name}")
    connection.close()


def test_two_app_processes_share_one_queue_on_redis(own_database_app, tmp_path, redis_queue_name):
    from rq import SimpleWorker

    shared = dict(REDIS_URL=REDIS_URL, JOBS_QUEUE=redis_queue_name, JOBS_DIR=str(tmp_path / "jobs"),
                  REPORT_JOB_THRESHOLD=50)
    first = job_app(own_database_app, tmp_path, **shared)
    second = create_app("test", SQLALCHEMY_DATABASE_URI=first.config["SQLALCHEMY_DATABASE_URI"], **shared)
    report_id = draft_report(first)

    response = Client(first, "manager").get(f"/reports/{report_id}/appendix-b.pdf")
    assert response.status_code == 303
    job_url = response.headers["Location"]
    job_id = job_url.rsplit("/", 1)[1]
    on_second = Client(second, "manager")  # the same person, whose next request reaches the other process
    assert Page(on_second.get(job_url)).one("[data-testid=job-status]")["data-state"] == "queued"

    from tracker.jobs.queue import rq_queue
    with second.app_context():
        queue = rq_queue(second)
        assert queue.job_ids == [job_id]
        assert SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert queue.job_ids == []

    page = Page(on_second.get(job_url))
    assert page.one("[data-testid=job-status]")["data-state"] == "done", page.text
    download = on_second.get(page.one("[data-testid=job-download]")["href"])
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert Client(first, "manager").get(f"{job_url}/download").data == download.data
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_worker_command_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_a_large_reviews_committee_pack_is_made_by_a_job_with_progress_part_by_part(own_database_app, tmp_path,
                                                                                     monkeypatch):
    from tracker.reports import jobs as report_jobs

    app = job_app(own_database_app, tmp_path, REPORT_JOB_THRESHOLD=50)  # the seed has 87 actions
    report_id = draft_report(app)
    manager = Client(app, "manager")
    steps = []
    real = report_jobs.report_progress
    monkeypatch.setattr(report_jobs, "report_progress", lambda done, total, message="": (
        steps.append((done, total, message)), real(done, total, message)))
    for fmt, mimetype in (("pdf", "application/pdf"), ("docx", "application/vnd.openxmlformats-officedocument"
                                                                ".wordprocessingml.document")):
        response = manager.get(f"/reports/{report_id}/pack.{fmt}?owners=1")
        assert response.status_code == 303 and response.headers["Location"].startswith("/jobs/")
        page = wait_for(manager, response.headers["Location"])
        assert page.one("[data-testid=job-status]")["data-state"] == "done", page.text
        assert page.one("h1").get_text(strip=True) == f"Committee pack as {'PDF' if fmt == 'pdf' else 'Word'}"
        download = manager.get(page.one("[data-testid=job-download]")["href"])
        assert download.status_code == 200 and download.mimetype == mimetype
        assert f'filename="CC-pack-owners-2027-03-04-draft.{fmt}"' in download.headers["Content-Disposition"]
    # Progress told part by part: the covering report, each appendix, then the layout.
    assert [message for _, _, message in steps[:6]] == [
        "Writing the covering report", "Writing Appendix A", "Writing Appendix B",
        "Writing the owners' version of Appendix B", "Laying out the pages", "Saving the file"]
    assert [(done, total) for done, total, _ in steps[:6]] == [(n, 6) for n in range(6)]
    # A smaller review's pack stays in the request.
    app.config["REPORT_JOB_THRESHOLD"] = 150
    direct = manager.get(f"/reports/{report_id}/pack.pdf")
    assert direct.status_code == 200 and direct.data.startswith(b"%PDF")

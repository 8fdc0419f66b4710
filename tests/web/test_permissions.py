"""Every route x every role -> the expected status code, from the one table in permissions.py."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import ROLES, Client, csrf_from
from tracker.extensions import db
from tracker.people.permissions import (
    ACCESS,
    ANONYMOUS,
    CAPABILITIES,
    OWNER_SCOPED,
    PUBLISHED_ONLY,
    TOKEN_SCOPED,
    render_markdown,
)

# Concrete arguments for routes with variables. A new route with variables needs a line here.
SAMPLE_ARGS = {
    "plan.action": {"ref": "CC-01-ENV-01"},
    "plan.recommendation": {"number": 15},
    "plan.update_recommendation_view": {"number": 15},
    "plan.update_recommendation_response": {"number": 15},
    "plan.override_recommendation_status_view": {"number": 15},  # nothing posted: rolled up (303)  # nothing posted: clears it (303)
    "plan.link_recommendation_view": {"number": 15},
    "plan.update_measure_view": {"ref": "CC-01-ENV-01", "number": 1},
    "plan.confirm_measure_status": {"ref": "CC-01-ENV-01", "number": 1},
    "plan.assign_action": {"ref": "CC-01-ENV-01"},
    "projects.project": {"code": "CCC"},
    "projects.release": {"code": "CCC"},
    "exports.review_export": {"code": "CC", "fmt": "json"},
    "imports.review_import": {"token": "0" * 32},  # unknown upload: allowed roles get 404
    "jobs.job": {"job_id": "no-such-job"},  # unknown job: allowed roles get 404 (tests/web/test_jobs.py: the rest)
    "jobs.download": {"job_id": "no-such-job"},
    "reports.report": {"report_id": 1},  # a draft, made by the matrix test
    "reports.publish": {"report_id": 1},
    "reports.download": {"report_id": 1, "part": "appendix-a", "fmt": "csv"},
    "reports.workbook": {"report_id": 1},
    "reports.update_requests": {"report_id": 1},
    # The draft's own pages; a bare post (no fields, no version, no confirmation) changes nothing: 400.
    **{f"reports.{name}": {"report_id": 1} for name in ("edit_report", "delete_report", "confirm_publish",
                                                          "covering")},
    "reports.pack_pdf": {"report_id": 1},
    "reports.pack_docx": {"report_id": 1},
    "standards.standard": {"code": "cse"},
    "standards.element": {"code": "cse", "element_code": "1.3.1"},
    "standards.action_elements": {"ref": "CC-44-PERF-05"},
    "standards.link_element": {"code": "cse", "element_code": "1.3.1"},  # no ref posted: 400
    "standards.unlink_element": {"code": "cse", "element_code": "1.3.1"},
    "standards.assessments": {"code": "cse"},
    "standards.assessment": {"code": "cse", "assessment_id": 1},  # seeds/assessments
    "standards.rate": {"code": "cse", "assessment_id": 1, "element_code": "1.3.1"},  # no rating: 400
    "standards.readiness_download": {"code": "cse", "assessment_id": 1, "fmt": "csv"},
    "standards.gap_analysis": {"code": "cse"},
    "standards.gap_cell": {"code": "cse", "assessment_id": 1, "number": "1.3"},
    "standards.gap_download": {"code": "cse", "fmt": "csv"},
    "people.user": {"user_id": 1},
    # Reshaping the plan: a post without its version or fields is refused (400) and changes nothing.
    **{f"plan.{name}": {"ref": "CC-01-ENV-01"} for name in ("edit_action", "move_action", "retire_action",
                                                           "reinstate_action", "new_measure")},
    **{f"plan.{name}": {"ref": "CC-01-ENV-01", "number": 1} for name in ("edit_measure", "move_measure",
                                                                        "retire_measure", "reinstate_measure",
                                                                        "measure_waits_on")},
    "plan.edit_theme": {"code": "ENV"},
    "public.progress": {"code": "CC"},  # turned on, with a published report, by the matrix test
    "public.progress_pdf": {"code": "CC", "part": "appendix-a"},
    # The owners' side: a made-up reply link is refused (403) for everyone; the owner test user owns nothing.
    "owners.reply": {"token": "not-a-signed-link"},
    "owners.reply_item": {"token": "not-a-signed-link", "measure_id": 1},
    "owners.my_actions_reply": {"measure_id": 1},
    "owners.decide": {"reply_id": 1},  # no reply 1: allowed roles get 404
    "owners.send_requests": {"report_id": 1},
    "owners.outbox_message": {"message_id": 1},  # nothing in the outbox: allowed roles get 404
    "owners.user_owner": {"user_id": 1},  # nothing chosen: "not an owner" (303)
    "owners.owner_edit": {"owner_id": 1},  # the seed has no owners: allowed roles get 404
    "static": {"filename": "css/app.css"},
    "govuk_assets": {"filename": "manifest.json"},
}
# Routes whose sample argument names nothing that exists: allowed roles get 404.
NOT_FOUND_SAMPLES = {"imports.review_import", "owners.decide", "owners.outbox_message", "owners.owner_edit",
                     "jobs.job", "jobs.download"}
# What an allowed request may answer: pages 200, form posts redirect (302) or re-show errors (400).
ALLOWED = {"GET": {200}, "POST": {200, 302, 303, 400, 409}}


def test_every_route_is_in_the_access_table(app):
    for rule in app.url_map.iter_rules():
        assert rule.endpoint in ACCESS, f"route {rule.rule} ({rule.endpoint}) has no entry in permissions.ACCESS"
        methods = rule.methods - {"HEAD", "OPTIONS"}
        assert set(ACCESS[rule.endpoint]) == methods, f"{rule.endpoint}: table lists {set(ACCESS[rule.endpoint])}, route takes {methods}"


def test_access_table_has_no_stale_entries(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(ACCESS) <= endpoints


def test_permissions_document_is_generated_from_the_table():
    doc = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
    assert doc.read_text(encoding="utf-8") == render_markdown(), \
        "docs/permissions.md is out of date: run `flask --app wsgi permissions --output docs/permissions.md`"


def _cases(app):
    with app.test_request_context():
        from flask import url_for
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            url = url_for(rule.endpoint, **SAMPLE_ARGS.get(rule.endpoint, {}))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, url, method


@pytest.mark.parametrize("role", (None,) + ROLES)
def test_route_matrix(app, role):
    with app.app_context():
        from tracker.models import Review
        from tracker.reports.operations import create_report, publish_report
        review = db.session.scalar(select(Review))
        create_report(review, committee="O&S", meeting_on=dt.date(2026, 12, 3))
        # Report 1 stays a draft; a second, published one feeds the public page, turned on for CC.
        publish_report(create_report(review, committee="O&S", meeting_on=dt.date(2026, 9, 3)))
        review.public_page = True
        db.session.commit()
    client = Client(app, role)
    token = csrf_from(client.get("/login").get_data(as_text=True)) if role is None else client.token("/")
    failures = []
    for endpoint, url, method in _cases(app):
        if endpoint == "people.logout":
            continue  # signing out would end the session used for the rest of the matrix
        allowed = ACCESS[endpoint][method]
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        if endpoint in TOKEN_SCOPED:
            expected = {403}  # open without a login, but only to a valid signed link
        elif allowed == ANONYMOUS:
            expected = ALLOWED[method] | ({302} if endpoint == "people.login" else set())
        elif role is None:
            expected = {302}  # to the sign-in page
        elif role == "owner" and endpoint in OWNER_SCOPED:
            expected = {403}  # the sample action is not one this owner owns
        elif endpoint in PUBLISHED_ONLY and role not in CAPABILITIES["publish_reports"]:
            expected = {403}  # report 1 is a draft
        elif role in allowed:
            expected = ALLOWED[method] | ({404} if endpoint in NOT_FOUND_SAMPLES else set())
        else:
            expected = {403}
        if response.status_code not in expected:
            failures.append(f"{method} {url} as {role or 'anonymous'}: {response.status_code}, expected {sorted(expected)}")
        if role is None and allowed != ANONYMOUS and response.status_code == 302:
            assert "/login" in response.headers["Location"]
    assert not failures, "\n".join(failures)


def test_forbidden_page_is_govuk_styled(client_for):
    response = client_for("committee").get("/users")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "govuk-template" in html and "You do not have permission to do this" in html

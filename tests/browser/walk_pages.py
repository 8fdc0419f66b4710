"""The pages of a walk through the product as each role: a seeded database with something on every page
(an owner account, a published report and a draft, update requests and a reply, the public page on), and
the GET pages each role may open, with real arguments. Used by test_walk.py."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Assessment, CommitteeReport, Review, SentMessage, UpdateRequest, User

ROLES = ("admin", "manager", "liaison", "committee", "owner")
EDITORS = ("admin", "manager")


@dataclass
class Walk:
    published_id: int
    draft_id: int
    assessment_id: int
    reply_path: str
    user_id: int
    message_id: int
    owner_id: int


def set_up_walk(app) -> Walk:
    """Jo Bloggs owns two actions and signs in as owner@; a report published last month, a draft for the
    next meeting with update requests sent and one reply waiting; the public page on."""
    from tests.web.owners import set_up_owners
    from tracker.owners.links import reply_url
    from tracker.owners.operations import send_requests, submit_reply
    from tracker.public.operations import set_public_page
    from tracker.reports.operations import create_report, publish_report
    from tracker.transactions import commit

    with app.test_request_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        published = create_report(review, committee="Overview and Scrutiny Committee",
                                  meeting_on=dt.date.today() - dt.timedelta(days=30))
        publish_report(published)
        published_id = published.id
        db.session.commit()
    setup = set_up_owners(app)
    with app.test_request_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        set_public_page(review, True)
        draft = db.session.get(CommitteeReport, setup.report_id)
        send_requests(draft, reply_by=dt.date.today() + dt.timedelta(days=14), base_url="http://localhost")
        jo_request = db.session.scalar(select(UpdateRequest).where(UpdateRequest.owner_id == setup.jo_id))
        item = jo_request.items[0]
        submit_reply(jo_request.owner, item.measure, no_change=False, text="New signs went up in May",
                     request=jo_request, expected_version=item.measure.version)
        assessment = db.session.scalars(select(Assessment).order_by(Assessment.id)).first()
        user = db.session.scalar(select(User).where(User.email == "liaison@example.gov.uk"))
        message = db.session.scalars(select(SentMessage).order_by(SentMessage.id)).first()
        walk = Walk(published_id=published_id, draft_id=draft.id, assessment_id=assessment.id,
                    reply_path="/reply/" + reply_url(jo_request, "").rsplit("/", 1)[-1], user_id=user.id,
                    message_id=message.id, owner_id=setup.jo_id)
        commit()  # the one door's commit: the update requests are written to the outbox once it holds
    return walk


def pages(walk: Walk, role: str) -> list[str]:
    """The HTML pages ``role`` may open, each with real arguments."""
    p, d, a = walk.published_id, walk.draft_id, walk.assessment_id
    everyone = ["/", "/actions", "/actions?theme=PERF&status=not_started", "/actions/CC-01-ENV-01",
                "/actions/CC-67-ORG-12", "/recommendations", "/recommendations/15", "/recommendations/1",
                "/changes", "/projects", "/projects/CCC", "/standards/cse", "/standards/cse/elements/1.1.1",
                "/standards-mapping/CC-01-ENV-01", "/standards/cse/assessments", f"/standards/cse/assessments/{a}",
                "/standards/cse/gap-analysis", f"/standards/cse/gap-analysis/{a}/1.1", "/reports",
                f"/reports/{p}", f"/reports/{p}?part=appendix-a", f"/reports/{p}?part=appendix-b",
                "/account/password"]
    editors = ["/actions/new", "/actions/CC-01-ENV-01/edit", "/actions/CC-01-ENV-01/retire",
               "/actions/CC-01-ENV-01/measures/new", "/actions/CC-01-ENV-01/measures/1/edit",
               "/actions/CC-01-ENV-01/measures/1/retire", "/actions/CC-01-ENV-01/measures/1/waits-on",
               "/review/edit", "/themes/ENV/edit", "/themes/new", "/imports",
               f"/reports/{d}", f"/reports/{d}?part=appendix-a", f"/reports/{d}?part=appendix-b",
               f"/reports/{d}/requests", f"/reports/{d}/edit", f"/reports/{d}/delete", f"/reports/{d}/publish",
               f"/reports/{d}/covering", f"/reports/{d}/requests/send", "/updates", "/outbox", "/owners",
               f"/owners/{walk.owner_id}"]
    admins = ["/users", f"/users/{walk.user_id}", "/audit", "/reports/sections", "/reports/word-template"]
    found = list(everyone)
    if role in EDITORS:
        found += editors
    if role == "admin":
        found += admins
    if role == "owner":
        found.append("/my-actions")
    return found


def downloads(walk: Walk, role: str) -> list[str]:
    """Files ``role`` may download (asked for, not opened as pages)."""
    p, a = walk.published_id, walk.assessment_id
    found = [f"/reports/{p}/appendix-b.csv", f"/reports/{p}/summary.html", f"/reports/{p}/workbook.xlsx",
             f"/reports/{p}/summary.docx", "/exports/CC.json", f"/standards/cse/assessments/{a}/readiness.csv",
             "/standards/cse/gap-analysis.csv"]
    if role in EDITORS:
        found.append(f"/outbox/{walk.message_id}.eml")
    return found


def anonymous_pages(walk: Walk) -> list[str]:
    """Open to everyone: the sign-in page, the public page (turned on), a signed reply link."""
    return ["/login", "/public", "/public/CC", "/public/CC?part=appendix-b", walk.reply_path]


def anonymous_downloads() -> list[str]:
    return ["/healthz", "/public/CC/summary.pdf", "/static/css/app.css", "/assets/images/favicon.ico"]


# Walked by the test's own steps: the committee pack, made by a job, the job's page and file, and the check
# page of an upload.
STARTED_IN_THE_WALK = {"reports.pack_docx", "reports.pack_pdf", "jobs.job", "jobs.download", "imports.review_import"}


def walked_endpoints(app, walk: Walk) -> set[str]:
    """The endpoints the walk opens, found by matching its paths against the app's routes."""
    adapter = app.url_map.bind("localhost")
    paths = anonymous_pages(walk) + anonymous_downloads()
    for role in ROLES:
        paths += pages(walk, role) + downloads(walk, role)
    return {adapter.match(path.split("?")[0])[0] for path in paths} | STARTED_IN_THE_WALK

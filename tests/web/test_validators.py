"""HTTP validators on read-mostly pages: an ETag, 304 when the browser holds that version, 200 again
after a change; signed-in pages revalidate and are never stored by shared caches."""
from __future__ import annotations

from sqlalchemy import select

from tests.web.plans import set_measure_output
from tests.web.reports import publish_in_month
from tracker.extensions import db
from tracker.models import CommitteeReport, Review


def _revalidate(client, url: str):
    first = client.get(url)
    assert first.status_code == 200 and first.headers.get("ETag"), url
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    return first, again




def test_the_recommendations_page_answers_304_until_the_plan_changes(app, client_for):
    reader = client_for("committee")
    first, again = _revalidate(reader, "/recommendations")
    assert first.headers["Cache-Control"] == "private, no-cache" and first.headers.get("Last-Modified")
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == first.headers["ETag"]
    assert "Content-Security-Policy" not in again.headers  # the stored page keeps its own policy and nonce
    set_measure_output(app, "Complete")
    after = reader.get("/recommendations", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]


def test_the_tag_is_the_users_own(app, client_for):
    committee, manager = client_for("committee"), client_for("manager")
    tag = committee.get("/recommendations").headers["ETag"]
    assert manager.get("/recommendations", headers={"If-None-Match": tag}).status_code == 200
    assert committee.get("/recommendations?review=CC", headers={"If-None-Match": tag}).status_code == 200


def test_a_published_report_and_its_files_answer_304(app, client_for):
    publish_in_month(app, 3)
    with app.app_context():
        report_id = db.session.scalar(select(CommitteeReport.id))
    reader = client_for("committee")
    for url in (f"/reports/{report_id}", f"/reports/{report_id}?part=appendix-b",
                f"/reports/{report_id}/appendix-b.csv", f"/reports/{report_id}/workbook.xlsx"):
        first, again = _revalidate(reader, url)
        assert again.status_code == 304 and first.headers["Cache-Control"] == "private, no-cache", url
    # The plan changing does not change a published report; the review's title (shown on it) does.
    first, _ = _revalidate(reader, f"/reports/{report_id}")
    set_measure_output(app, "Complete")
    assert reader.get(f"/reports/{report_id}", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with app.app_context():
        db.session.scalar(select(Review).where(Review.code == "CC")).title = "A new title"
        db.session.commit()
    assert reader.get(f"/reports/{report_id}", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200


def test_a_draft_is_never_validated(app, client_for):
    manager = client_for("manager")
    response = manager.post("/reports", token_from="/reports", data={"committee": "O&S", "meeting_on": "2026-12-03"})
    draft = manager.get(response.headers["Location"])
    assert draft.status_code == 200 and "ETag" not in draft.headers and draft.headers["Cache-Control"] == "no-store"


def test_the_public_page_may_be_kept_by_any_cache_for_anonymous_visitors_only(app, client_for):
    publish_in_month(app, 3)
    anonymous = client_for()
    first, again = _revalidate(anonymous, "/public/CC")
    assert first.headers["Cache-Control"] == "public, max-age=300" and "Set-Cookie" not in first.headers
    assert again.status_code == 304
    pdf_first, pdf_again = _revalidate(anonymous, "/public/CC/summary.pdf")
    assert pdf_again.status_code == 304
    signed_in = client_for("committee").get("/public/CC")
    assert signed_in.headers["Cache-Control"] == "private, no-cache" and signed_in.headers["ETag"] != first.headers["ETag"]
    publish_in_month(app, 6)
    after = anonymous.get("/public/CC", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and "1 June 2026" in after.get_data(as_text=True)


def test_a_page_with_a_message_to_show_once_is_not_validated(app, client_for):
    publish_in_month(app, 3)
    with app.app_context():
        report_id = db.session.scalar(select(CommitteeReport.id))
    manager = client_for("manager")
    tag = manager.get(f"/reports/{report_id}").headers["ETag"]
    with manager.http.session_transaction() as session:
        session["_flashes"] = [("success", "Published")]
    shown = manager.get(f"/reports/{report_id}", headers={"If-None-Match": tag})
    assert shown.status_code == 200 and "Published" in shown.get_data(as_text=True) and "ETag" not in shown.headers

"""Update requests go out by SMTP (a real server on loopback here) or, with no mail server, to the outbox;
each carries a signed link that works for its owner only, until the meeting; reminders are sent once."""
from __future__ import annotations

import datetime as dt
import socket
from email import message_from_bytes
from email.policy import default as email_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select, update

from tests.conftest import Client
from tests.web.owners import (
    JO_REFS,
    LINK,
    SAM_REF,
    item_form,
    links_by_owner,
    outbox_messages,
    page,
    reply,
    send,
    set_up_owners,
)
from tracker.extensions import db
from tracker.models import Measure, OwnerReply, SentMessage, UpdateRequest, User
from tracker.owners.links import SALT


class Sink:
    """An SMTP server's message handler that keeps what it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    yield sink
    controller.stop()


@pytest.fixture
def outbox(app, tmp_path) -> Path:
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return tmp_path / "outbox"


def give_sam_an_account(app) -> None:
    from tracker.people.operations import create_user
    with app.app_context():
        sam = create_user(email="sam.other@example.gov.uk", name="Sam Other", role="owner",
                          password="correct horse battery staple")
        from tracker.models import Owner
        sam.owner_id = db.session.scalar(select(Owner.id).where(Owner.name == "Sam Other"))
        db.session.commit()


def test_each_owner_gets_their_message_by_smtp_with_a_working_link(app, smtp_server, outbox):
    s = set_up_owners(app)
    give_sam_an_account(app)
    response = send(app, s.report_id)
    assert response.status_code == 303
    assert sorted(e.rcpt_tos[0] for e in smtp_server.envelopes) == ["owner@example.gov.uk", "sam.other@example.gov.uk"]
    assert not outbox.exists() or not list(outbox.glob("*.eml"))  # nothing needed the outbox
    for envelope in smtp_server.envelopes:
        mail = message_from_bytes(envelope.content, policy=email_policy)
        body = mail.get_content()
        assert mail["Subject"].startswith("Update needed by ")
        assert "Last reported:" in body
        [link] = LINK.findall(body)
        landing = page(Client(app).get(link))  # no sign-in: the link is the key
        refs = [h.get_text(" ", strip=True).split()[0] for h in landing.select("h2.govuk-heading-m")]
        if envelope.rcpt_tos == ["owner@example.gov.uk"]:
            assert refs == list(JO_REFS) and "CC-01-ENV-01" in body and SAM_REF not in body
        else:
            assert refs == [SAM_REF] and SAM_REF in body and "CC-01-ENV-01" not in body
    with app.app_context():
        records = db.session.scalars(select(SentMessage).order_by(SentMessage.to_name)).all()
        assert [(r.kind, r.delivered_by, r.error, r.report_id) for r in records] == [
            ("request", "smtp", None, s.report_id)] * 2
        assert records[0].to_name == "Jo Bloggs" and records[0].action_refs == list(JO_REFS)


def test_with_no_mail_server_the_same_message_is_written_to_the_outbox(app, outbox):
    s = set_up_owners(app)
    assert send(app, s.report_id).status_code == 303
    written = outbox_messages(outbox)
    assert set(written) == {"Jo Bloggs", "Sam Other"}
    jo = written["Jo Bloggs"]
    assert "owner@example.gov.uk" in jo["To"] and jo["Subject"].startswith("Update needed by ")
    assert all(ref in jo.get_content() for ref in JO_REFS) and LINK.search(jo.get_content())
    manager = Client(app, "manager")
    listing = page(manager.get("/outbox"))
    assert len(listing.select("[data-testid=message]")) == 2
    with app.app_context():
        sam = db.session.scalar(select(SentMessage).where(SentMessage.to_name == "Sam Other"))
        assert sam.delivered_by == "outbox" and "No email address" in sam.error and sam.to_addresses == ""
        sam_id = sam.id
    download = manager.get(f"/outbox/{sam_id}.eml")
    assert download.status_code == 200 and download.mimetype == "message/rfc822"
    assert b"Dear Sam Other" in download.data
    assert Client(app, "committee").get(f"/outbox/{sam_id}.eml").status_code == 403


def test_a_message_smtp_refuses_is_kept_in_the_outbox_with_the_error(app, outbox):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT_SECONDS=2)  # nobody listens
    s = set_up_owners(app)
    assert send(app, s.report_id).status_code == 303
    with app.app_context():
        jo = db.session.scalar(select(SentMessage).where(SentMessage.to_name == "Jo Bloggs"))
        assert jo.delivered_by == "outbox" and jo.error.startswith("Not sent by SMTP")
    assert "Jo Bloggs" in outbox_messages(outbox)


def test_each_owner_is_asked_once_per_meeting_and_the_reply_by_date_is_checked(app, outbox):
    s = set_up_owners(app)
    past = send(app, s.report_id, reply_by=dt.date.today() - dt.timedelta(days=1))
    assert past.status_code == 400 and "cannot be in the past" in page(past).select_one(".govuk-error-summary").text
    late = send(app, s.report_id, reply_by=dt.date.today() + dt.timedelta(days=90))
    assert late.status_code == 400 and "on or before the meeting" in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(SentMessage.id))) == 0
    assert send(app, s.report_id).status_code == 303
    assert send(app, s.report_id).status_code == 303  # again: nobody new to ask
    with app.app_context():
        assert db.session.scalar(select(db.func.count(SentMessage.id))) == 2
        assert db.session.scalar(select(db.func.count(UpdateRequest.id))) == 2


def test_an_owner_replies_through_the_link_without_a_password(app, outbox):
    s = set_up_owners(app)
    send(app, s.report_id)
    link = links_by_owner(outbox)["Jo Bloggs"]
    visitor = Client(app)
    first, second = s.measure_ids[JO_REFS[0]][0], s.measure_ids[JO_REFS[1]][0]
    assert reply(visitor, link, first, no_change=True).status_code == 303
    assert reply(visitor, link, second, text="Toilets reopened in May", status="complete").status_code == 303
    with app.app_context():
        replies = db.session.scalars(select(OwnerReply).order_by(OwnerReply.id)).all()
        assert [(r.measure_id, r.no_change, r.text, r.status, r.submitted_by_id) for r in replies] == [
            (first, True, "", None, None), (second, False, "Toilets reopened in May", "complete", None)]
        assert all(r.request_id is not None for r in replies)
        assert db.session.get(Measure, second).measured_output != "Toilets reopened in May"


def test_the_reply_page_is_csrf_protected(app, outbox):
    s = set_up_owners(app)
    send(app, s.report_id)
    link = links_by_owner(outbox)["Jo Bloggs"]
    measure_id = s.measure_ids[JO_REFS[0]][0]
    visitor = Client(app)
    fields = item_form(page(visitor.get(link)), measure_id)
    response = visitor.http.post(fields["action"], data={f"m{measure_id}-version": fields[f"m{measure_id}-version"],
                                                         f"m{measure_id}-no_change": "y"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(db.func.count(OwnerReply.id))) == 0


def test_a_tampered_expired_or_other_owners_link_gets_403_and_changes_nothing(app, outbox):
    s = set_up_owners(app)
    send(app, s.report_id)
    links = links_by_owner(outbox)
    jo_link, sam_link = links["Jo Bloggs"], links["Sam Other"]
    jo_measure, sam_measure = s.measure_ids[JO_REFS[0]][0], s.measure_ids[SAM_REF][0]
    visitor = Client(app)
    good = item_form(page(visitor.get(jo_link)), jo_measure)
    csrf = good[f"m{jo_measure}-csrf_token"]

    def post(url, measure_id):
        return visitor.http.post(f"{url.replace('http://localhost', '')}/{measure_id}", data={
            "csrf_token": csrf, f"m{measure_id}-version": "1", f"m{measure_id}-text": "Forged",
            f"m{measure_id}-status": "", f"m{measure_id}-send": "y"})

    token = jo_link.rsplit("/", 1)[1]
    tampered = jo_link[:-3] + ("AAA" if not jo_link.endswith("AAA") else "BBB")
    with app.app_context():
        jo_request = db.session.scalar(select(UpdateRequest).where(UpdateRequest.owner_id == s.jo_id))
        other_owner = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT).dumps(
            {"request": jo_request.id, "owner": s.sam_id})
        wrong_key = URLSafeTimedSerializer("not-our-key", salt=SALT).dumps({"request": jo_request.id, "owner": s.jo_id})
    for bad in (tampered, f"http://localhost/reply/{other_owner}", f"http://localhost/reply/{wrong_key}",
                "http://localhost/reply/" + token.split(".")[0]):
        assert visitor.get(bad).status_code == 403, bad
        assert post(bad, jo_measure).status_code == 403, bad
    # A real link, but for another owner's action: Sam's link cannot answer for Jo's measure, nor Jo's for Sam's.
    assert post(sam_link, jo_measure).status_code == 403
    assert post(jo_link, sam_measure).status_code == 403
    # After the meeting the link has expired.
    with app.app_context():
        db.session.execute(update(UpdateRequest).values(expires_on=dt.date.today() - dt.timedelta(days=1)))
        db.session.commit()
    assert visitor.get(jo_link).status_code == 403
    assert post(jo_link, jo_measure).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(db.func.count(OwnerReply.id))) == 0
    # The other owner's page never shows Jo's actions.
    with app.app_context():
        db.session.execute(update(UpdateRequest).values(expires_on=dt.date.today() + dt.timedelta(days=60)))
        db.session.commit()
    sam_page = visitor.get(sam_link).get_data(as_text=True)
    assert SAM_REF in sam_page and not any(ref in sam_page for ref in JO_REFS)


def sent_yesterday(app) -> None:
    with app.app_context():
        for request in db.session.scalars(select(UpdateRequest)):
            request.sent_at -= dt.timedelta(days=1)
        db.session.commit()


def test_reminders_run_twice_on_the_same_day_send_nothing_twice(app, outbox):
    s = set_up_owners(app)
    send(app, s.report_id, reply_by=dt.date.today() + dt.timedelta(days=2))
    # Jo answers one item; Sam nothing. The requests went out yesterday.
    jo_link = links_by_owner(outbox)["Jo Bloggs"]
    reply(Client(app), jo_link, s.measure_ids[JO_REFS[0]][0], no_change=True)
    sent_yesterday(app)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert "2 reminders sent; 1 manager message" in first.output
    second = runner.invoke(args=["reminders", "send"])
    assert second.exit_code == 0 and "0 reminders sent; 0 manager messages" in second.output
    with app.app_context():
        kinds = [(m.kind, m.to_name) for m in db.session.scalars(
            select(SentMessage).where(SentMessage.kind != "request").order_by(SentMessage.id))]
        assert sorted(kinds) == [("missing", "Manager User"), ("reminder", "Jo Bloggs"), ("reminder", "Sam Other")]
        missing = db.session.scalar(select(SentMessage).where(SentMessage.kind == "missing"))
        assert missing.to_addresses == "manager@example.gov.uk"
    body = outbox_messages(outbox)["Manager User"].get_content()
    jo_left = len(s.measure_ids[JO_REFS[0]]) + len(s.measure_ids[JO_REFS[1]]) - 1
    sam_left = len(s.measure_ids[SAM_REF])
    assert f"Jo Bloggs (Facilities): {jo_left} item{'s' if jo_left != 1 else ''} " in body
    assert f"Sam Other (Property): {sam_left} item{'s' if sam_left != 1 else ''} " in body


def test_no_reminder_before_the_window_nor_to_owners_who_answered_everything(app, outbox):
    s = set_up_owners(app)
    send(app, s.report_id, reply_by=dt.date.today() + dt.timedelta(days=10))
    sent_yesterday(app)
    runner = app.test_cli_runner()
    assert "0 reminders sent" in runner.invoke(args=["reminders", "send"]).output  # 10 days left: too early
    sam_link = links_by_owner(outbox)["Sam Other"]
    for measure_id in s.measure_ids[SAM_REF]:
        reply(Client(app), sam_link, measure_id, no_change=True)
    later = (dt.date.today() + dt.timedelta(days=8)).isoformat()
    result = runner.invoke(args=["reminders", "send", "--today", later])
    assert "Reminded Jo Bloggs" in result.output and "Sam Other" not in result.output
    with app.app_context():
        assert db.session.scalar(select(User.owner_id).where(User.email == "owner@example.gov.uk")) == s.jo_id


@pytest.fixture
def failing_commit():
    """Turned on, every commit of a POST fails, as when the database goes away at the last moment: the
    request's changes are lost."""
    from flask import has_request_context, request
    from flask_sqlalchemy.session import Session
    from sqlalchemy import event

    switch = {"on": False}

    def refuse(session):
        if switch["on"] and has_request_context() and request.method == "POST":
            raise RuntimeError("the database went away at commit")
    event.listen(Session, "before_commit", refuse)
    yield switch
    event.remove(Session, "before_commit", refuse)


def test_nothing_is_sent_when_the_request_fails_to_commit(app, smtp_server, outbox, failing_commit):
    s = set_up_owners(app)
    give_sam_an_account(app)
    manager = Client(app, "manager")
    failing_commit["on"] = True
    with pytest.raises(RuntimeError, match="went away"):
        send(app, s.report_id, manager=manager)
    # No owner holds a link to a request that was never kept, by email or in the outbox.
    assert smtp_server.envelopes == []
    assert not outbox.exists() or not list(outbox.glob("*.eml"))
    with app.app_context():
        assert db.session.scalar(select(db.func.count(UpdateRequest.id))) == 0
        assert db.session.scalar(select(db.func.count(SentMessage.id))) == 0
    # Once the database is back, the same form sends each owner their message.
    failing_commit["on"] = False
    assert send(app, s.report_id, manager=manager).status_code == 303
    assert len(smtp_server.envelopes) == 2


def test_messages_go_once_the_request_has_committed_and_their_delivery_is_recorded(app, smtp_server, outbox):
    s = set_up_owners(app)
    assert send(app, s.report_id).status_code == 303
    with app.app_context():
        records = {r.to_name: r for r in db.session.scalars(select(SentMessage))}
        # Jo has an account with an address: by email. Sam has none: written to the outbox, with why.
        assert records["Jo Bloggs"].delivered_by == "smtp" and records["Jo Bloggs"].outbox_file is None
        assert records["Sam Other"].delivered_by == "outbox" and records["Sam Other"].outbox_file
        requests = db.session.scalar(select(db.func.count(UpdateRequest.id)))
    assert len(smtp_server.envelopes) == 1 and requests == 2
    assert set(outbox_messages(outbox)) == {"Sam Other"}


def test_a_queued_message_is_dropped_with_a_rolled_back_transaction(app, outbox):
    from tracker.owners.mail import Outgoing, deliver
    from tracker.transactions import commit, discard_changes
    with app.app_context():
        deliver(Outgoing(kind="missing", to=["manager@example.gov.uk"], to_name="Dropped", subject="Never sent",
                         body="Never sent"))
        discard_changes()
        deliver(Outgoing(kind="missing", to=["manager@example.gov.uk"], to_name="Kept", subject="Sent", body="Sent"))
        commit()
        assert [(m.to_name, m.delivered_by) for m in db.session.scalars(select(SentMessage))] == [("Kept", "outbox")]
    assert set(outbox_messages(outbox)) == {"Kept"}

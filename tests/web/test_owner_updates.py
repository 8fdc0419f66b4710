"""Owners answer for their actions by login or signed link; nothing they send counts until a manager accepts it."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tests.conftest import PASSWORD, Client
from tests.web.owners import JO_REFS, SAM_REF, decide, item_form, page, reply, set_up_owners, waiting
from tracker.extensions import db
from tracker.models import Change, Measure, Owner, OwnerReply, Review, SentMessage, UpdateRequest, User
from tracker.plan.operations import update_measure
from tracker.reports.operations import create_report, part_data


def measure_state(app, measure_id: int) -> tuple:
    with app.app_context():
        m = db.session.get(Measure, measure_id)
        return m.measured_output, m.status, m.version


# Accounts --------------------------------------------------------------------------------------------

def test_admin_links_a_user_to_an_owner_on_the_user_page(app, client_for):
    s = set_up_owners(app)
    with app.app_context():
        liaison_id = db.session.scalar(select(User.id).where(User.email == "liaison@example.gov.uk"))
    admin = client_for("admin")
    soup = page(admin.get(f"/users/{liaison_id}"))
    options = {o.get_text(): o["value"] for o in soup.select("select[name=owner-owner] option")}
    assert options["Sam Other (Property)"] == str(s.sam_id) and options["Not an owner"] == ""
    token = soup.select_one("input[name=owner-csrf_token]")["value"]
    response = admin.http.post(f"/users/{liaison_id}/owner", data={"owner-csrf_token": token, "owner-owner": s.sam_id})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(User, liaison_id).owner_id == s.sam_id
        change = db.session.scalar(select(Change).where(Change.entity_type == "user", Change.field == "owner"))
        assert change.after == "Sam Other (Property)"
    assert "Sam Other (Property)" in page(admin.get(f"/users/{liaison_id}")).select_one(".govuk-summary-list").text
    # Only admins: a manager's post is refused and changes nothing.
    manager = client_for("manager")
    assert manager.http.post(f"/users/{liaison_id}/owner",
                             data={"csrf_token": manager.token("/"), "owner-owner": ""}).status_code == 403
    with app.app_context():
        assert db.session.get(User, liaison_id).owner_id == s.sam_id


def test_users_create_links_the_owner_named(app):
    s = set_up_owners(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "sam.other@example.gov.uk", "--name", "Sam Other",
                                     "--role", "owner", "--owner", "sam other (property)"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    refused = runner.invoke(args=["users", "create", "--email", "nobody@example.gov.uk", "--name", "No Body",
                                      "--role", "owner", "--owner", "Nobody Known"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert refused.exit_code != 0 and "no owner called 'Nobody Known'" in refused.output
    with app.app_context():
        assert db.session.scalar(select(User.owner_id).where(User.email == "sam.other@example.gov.uk")) == s.sam_id
        assert db.session.scalar(select(User).where(User.email == "nobody@example.gov.uk")) is None


def test_an_owner_lands_on_their_open_actions_with_what_was_last_reported(app):
    s = set_up_owners(app)
    owner = Client(app)
    response = owner.sign_in("owner@example.gov.uk", PASSWORD)
    assert response.headers["Location"] == "/my-actions"
    soup = page(owner.get("/my-actions"))
    headings = [h.get_text(" ", strip=True) for h in soup.select("h2.govuk-heading-m")]
    assert [h.split()[0] for h in headings] == list(JO_REFS)  # Sam's action is not shown
    with app.app_context():
        first = db.session.get(Measure, s.measure_ids[JO_REFS[0]][0])
        assert soup.select_one(f"#item-{first.id} [data-testid=last-reported]").text == first.measured_output


def test_an_unlinked_owner_account_is_told_to_ask_an_administrator(client_for):
    assert "not linked to an owner record" in client_for("owner").get("/my-actions").get_data(as_text=True)


# Replies wait for review -----------------------------------------------------------------------------

def test_an_owners_update_from_their_login_waits_for_review_and_changes_nothing(app):
    s = set_up_owners(app)
    owner = Client(app, "owner")
    measure_id = s.measure_ids[JO_REFS[0]][0]
    before = measure_state(app, measure_id)
    response = reply(owner, "/my-actions", measure_id, text="Two new signs are up on the ring road")
    assert response.status_code == 303
    assert measure_state(app, measure_id) == before  # nothing changes until a manager accepts it
    [waiting_reply] = waiting(app)
    assert waiting_reply.text == "Two new signs are up on the ring road" and waiting_reply.submitted_by_id == s.owner_user_id
    soup = page(owner.get("/my-actions"))
    assert "waiting for the manager's review" in soup.select_one(f"#item-{measure_id} [data-testid=your-answer]").text
    updates = page(Client(app, "manager").get("/updates"))
    assert "Two new signs are up on the ring road" in updates.select_one("[data-testid=owner-answer]").text


def test_owners_cannot_change_a_measure_directly_nor_answer_for_others(app):
    s = set_up_owners(app)
    owner = Client(app, "owner")
    token = owner.token("/")
    direct = owner.post(f"/actions/{JO_REFS[0]}/measures/1",
                        data={"csrf_token": token, "version": "1", "measured_output": "Done", "status": ""})
    assert direct.status_code == 403
    sams = s.measure_ids[SAM_REF][0]
    before = measure_state(app, sams)
    other = owner.post(f"/my-actions/{sams}", data={f"m{sams}-csrf_token": token, f"m{sams}-version": "1",
                                                    f"m{sams}-text": "Not mine", f"m{sams}-send": "Send update"})
    assert other.status_code == 403
    assert measure_state(app, sams) == before and waiting(app) == []


def test_an_empty_update_is_refused_with_the_error_summary(app):
    s = set_up_owners(app)
    owner = Client(app, "owner")
    measure_id = s.measure_ids[JO_REFS[0]][0]
    response = reply(owner, "/my-actions", measure_id, text="  ")
    assert response.status_code == 400
    soup = page(response)
    assert "Enter what has happened" in soup.select_one(".govuk-error-summary").text
    assert soup.select_one(f"#m{measure_id}-text-error") is not None
    assert waiting(app) == []


def test_a_reply_built_on_an_old_version_is_a_conflict_that_keeps_the_owners_text(app):
    s = set_up_owners(app)
    owner = Client(app, "owner")
    measure_id = s.measure_ids[JO_REFS[0]][0]
    old_version = item_form(page(owner.get("/my-actions")), measure_id)[f"m{measure_id}-version"]
    with app.app_context():
        update_measure(db.session.get(Measure, measure_id), category=None, text="Manager's newer text")
        db.session.commit()
    response = reply(owner, "/my-actions", measure_id, text="Owner's words", version=old_version)
    assert response.status_code == 409
    soup = page(response)
    assert soup.select_one("[data-testid=their-text]").text == "Manager's newer text"
    assert soup.select_one(f"#m{measure_id}-text").text.strip() == "Owner's words"
    assert waiting(app) == []


def test_the_manager_accepts_through_the_same_operation_and_the_history_says_whose_words(app):
    s = set_up_owners(app)
    owner = Client(app, "owner")
    measure_id = s.measure_ids[JO_REFS[0]][0]
    reply(owner, "/my-actions", measure_id, text="Road signs installed on the A7")
    manager = Client(app, "manager")
    [r] = waiting(app)
    soup = page(manager.get("/updates"))
    form = soup.select_one(f"#reply-{r.id} form")
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    data.update({f"r{r.id}-text": "Road signs installed on the A7", f"r{r.id}-status": "", f"r{r.id}-note": "",
                 f"r{r.id}-accept": "Accept"})
    response = manager.http.post(form["action"], data=data)
    assert response.status_code == 303
    text, status, _ = measure_state(app, measure_id)
    assert text == "Road signs installed on the A7"
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.entity_type == "measure", Change.entity_id == measure_id,
                                                        Change.field == "measured_output"))
        assert change.note == "from Jo Bloggs (Facilities), accepted by Manager User"
        assert change.user_name == "Manager User"
        assert db.session.get(OwnerReply, r.id).state == "accepted"
    assert waiting(app) == []
    assert "accepted by Manager User" in page(owner.get("/my-actions")).select_one(f"#item-{measure_id}").text


def test_a_returned_reply_goes_back_to_the_owner_with_the_note_and_changes_nothing(app, tmp_path):
    app.config["MAIL_OUTBOX"] = str(tmp_path)
    s = set_up_owners(app)
    owner = Client(app, "owner")
    measure_id = s.measure_ids[JO_REFS[1]][0]
    before = measure_state(app, measure_id)
    reply(owner, "/my-actions", measure_id, text="Sort of done")
    [r] = waiting(app)
    manager = Client(app, "manager")
    refused = decide(app, manager, r.id, note="", send_back="Return to owner")
    assert refused.status_code == 400 and "Say what the owner should change" in refused.get_data(as_text=True)
    response = decide(app, manager, r.id, note="Which toilets? Give the date they reopened.",
                       send_back="Return to owner")
    assert response.status_code == 303
    assert measure_state(app, measure_id) == before
    with app.app_context():
        message = db.session.scalar(select(SentMessage).where(SentMessage.kind == "returned"))
        assert message.to_addresses == "owner@example.gov.uk" and message.delivered_by == "outbox"
        body = (tmp_path / message.outbox_file).read_text()
        assert "Which toilets? Give the date they reopened." in body and "/my-actions" in body
    item = page(owner.get("/my-actions")).select_one(f"#item-{measure_id}").text
    assert "Which toilets? Give the date they reopened." in item and "Please answer again" in item


def test_a_no_change_reply_accepted_records_the_confirmation_without_changing_the_text(app):
    s = set_up_owners(app)
    owner = Client(app, "owner")
    measure_id = s.measure_ids[JO_REFS[0]][0]
    before = measure_state(app, measure_id)
    assert reply(owner, "/my-actions", measure_id, no_change=True).status_code == 303
    [r] = waiting(app)
    assert r.no_change
    assert decide(app, Client(app, "manager"), r.id, accept="Accept").status_code == 303
    assert measure_state(app, measure_id) == before
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.field == "owner_confirmed"))
        assert change.entity_id == measure_id and change.note == "from Jo Bloggs (Facilities), accepted by Manager User"


def test_a_reply_to_an_item_changed_since_the_request_shows_both_texts(app):
    from tracker.owners.operations import send_requests
    s = set_up_owners(app)
    measure_id = s.measure_ids[JO_REFS[0]][0]
    with app.app_context():
        report = db.session.get(__import__("tracker.models", fromlist=["CommitteeReport"]).CommitteeReport, s.report_id)
        send_requests(report, reply_by=dt.date.today() + dt.timedelta(days=10), base_url="http://localhost/")
        asked_text = db.session.get(Measure, measure_id).measured_output
        db.session.commit()
    owner = Client(app, "owner")
    reply(owner, "/my-actions", measure_id, text="Owner's update")
    with app.app_context():
        update_measure(db.session.get(Measure, measure_id), category=None, text="Changed by the manager meanwhile")
        db.session.commit()
    soup = page(Client(app, "manager").get("/updates"))
    assert soup.select_one("[data-testid=changed-since]") is not None
    assert soup.select_one("[data-testid=asked-text]").text == asked_text
    assert "Changed by the manager meanwhile" in soup.select_one("[data-testid=reported-now]").text
    assert "Owner's update" in soup.select_one("[data-testid=owner-answer]").text


def test_accepting_after_someone_changed_the_measure_is_a_conflict(app):
    s = set_up_owners(app)
    owner = Client(app, "owner")
    measure_id = s.measure_ids[JO_REFS[0]][0]
    reply(owner, "/my-actions", measure_id, text="Owner's update")
    [r] = waiting(app)
    manager = Client(app, "manager")
    soup = page(manager.get("/updates"))
    form = soup.select_one(f"#reply-{r.id} form")
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    with app.app_context():
        update_measure(db.session.get(Measure, measure_id), category=None, text="Someone else's text")
        db.session.commit()
    data.update({f"r{r.id}-text": "Owner's update, tidied", f"r{r.id}-status": "", f"r{r.id}-note": "",
                 f"r{r.id}-accept": "Accept"})
    response = manager.http.post(form["action"], data=data)
    assert response.status_code == 409
    soup = page(response)
    assert soup.select_one("[data-testid=their-text]").text == "Someone else's text"
    assert soup.select_one(f"#r{r.id}-text").text.strip() == "Owner's update, tidied"
    assert measure_state(app, measure_id)[0] == "Someone else's text"
    assert len(waiting(app)) == 1


def test_only_accepted_text_reaches_the_committee_report(app):
    s = set_up_owners(app)
    owner = Client(app, "owner")
    first, second = s.measure_ids[JO_REFS[0]][0], s.measure_ids[JO_REFS[1]][0]
    reply(owner, "/my-actions", first, text="Accepted words for the committee")
    reply(owner, "/my-actions", second, text="Words nobody has reviewed")
    [accepted] = [r for r in waiting(app) if r.measure_id == first]
    assert decide(app, Client(app, "manager"), accepted.id, accept="Accept").status_code == 303
    with app.app_context():
        from tracker.models import CommitteeReport
        appendix = str(part_data(db.session.get(CommitteeReport, s.report_id), "appendix-b"))
    assert "Accepted words for the committee" in appendix
    assert "Words nobody has reviewed" not in appendix


def test_the_overview_shows_replies_received_and_outstanding_for_the_next_meeting(app):
    from tracker.owners.operations import send_requests
    s = set_up_owners(app)
    with app.app_context():
        from tracker.models import CommitteeReport
        send_requests(db.session.get(CommitteeReport, s.report_id), reply_by=dt.date.today() + dt.timedelta(days=10),
                      base_url="http://localhost/")
        db.session.commit()
    owner = Client(app, "owner")
    for measure_id in s.measure_ids[JO_REFS[0]] + s.measure_ids[JO_REFS[1]]:
        assert reply(owner, "/my-actions", measure_id, no_change=True).status_code == 303
    summary = page(Client(app, "manager").get("/")).select_one("[data-testid=replies-summary]").text
    assert "1 of 2 owners replied" in " ".join(summary.split())
    assert "1 outstanding" in " ".join(summary.split())
    with app.app_context():
        count = db.session.scalar(select(func.count(UpdateRequest.id)))
    assert count == 2


def test_a_newer_answer_replaces_the_one_waiting_and_deciding_on_the_old_one_changes_nothing(app):
    s = set_up_owners(app)
    owner = Client(app, "owner")
    measure_id = s.measure_ids[JO_REFS[0]][0]
    reply(owner, "/my-actions", measure_id, text="First thoughts")
    manager = Client(app, "manager")
    soup = page(manager.get("/updates"))
    [old] = waiting(app)
    form = soup.select_one(f"#reply-{old.id} form")
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    reply(owner, "/my-actions", measure_id, text="Second, better thoughts")
    [newer] = waiting(app)
    assert newer.text == "Second, better thoughts"
    data.update({f"r{old.id}-text": "First thoughts", f"r{old.id}-status": "", f"r{old.id}-note": "",
                 f"r{old.id}-accept": "Accept"})
    before = measure_state(app, measure_id)
    response = manager.http.post(form["action"], data=data)
    assert response.status_code == 303
    assert measure_state(app, measure_id) == before
    assert "has sent a newer answer" in manager.get("/updates").get_data(as_text=True)


def test_an_answer_for_one_meeting_does_not_count_for_the_next(app):
    from tracker.models import CommitteeReport
    from tracker.owners.operations import send_requests
    from tracker.owners.queries import unanswered
    s = set_up_owners(app)
    with app.app_context():
        send_requests(db.session.get(CommitteeReport, s.report_id), reply_by=dt.date.today() + dt.timedelta(days=10),
                      base_url="http://localhost/")
        db.session.commit()
    owner = Client(app, "owner")
    jo_items = s.measure_ids[JO_REFS[0]] + s.measure_ids[JO_REFS[1]]
    for measure_id in jo_items:
        reply(owner, "/my-actions", measure_id, no_change=True)
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        later = create_report(review, committee="Overview and Scrutiny Committee",
                              meeting_on=dt.date.today() + dt.timedelta(days=150))
        send_requests(later, reply_by=dt.date.today() + dt.timedelta(days=100), base_url="http://localhost/")
        db.session.commit()
        first = db.session.scalar(select(UpdateRequest).where(UpdateRequest.report_id == s.report_id,
                                                              UpdateRequest.owner_id == s.jo_id))
        second = db.session.scalar(select(UpdateRequest).where(UpdateRequest.report_id == later.id,
                                                               UpdateRequest.owner_id == s.jo_id))
        assert unanswered(first) == []
        assert sorted(i.measure_id for i in unanswered(second)) == sorted(jo_items)


# Owners without an account, and the navigation ---------------------------------------------------------

def test_a_manager_gives_an_owner_without_an_account_an_email_address(app, tmp_path):
    from tracker.models import CommitteeReport
    from tracker.owners.operations import send_requests
    app.config["MAIL_OUTBOX"] = str(tmp_path)
    s = set_up_owners(app)
    manager = Client(app, "manager")
    listing = manager.page("/owners")
    assert "No address: written to the outbox" in listing.text_of(f"[data-testid=address-{s.sam_id}]")
    assert "owner@example.gov.uk (linked account)" in listing.text_of(f"[data-testid=address-{s.jo_id}]")
    edited = manager.submit(f"/owners/{s.sam_id}", f"/owners/{s.sam_id}", status=303,
                            email="sam.other@property.example.gov.uk")
    assert edited.status == 303
    assert "sam.other@property.example.gov.uk" in manager.page("/owners").text_of(f"[data-testid=address-{s.sam_id}]")
    with app.app_context():
        assert db.session.get(Owner, s.sam_id).email == "sam.other@property.example.gov.uk"
        change = db.session.scalar(select(Change).where(Change.entity_type == "owner", Change.field == "email"))
        assert (change.before, change.after, change.user_name) == (None, "sam.other@property.example.gov.uk",
                                                                   "Manager User")
        send_requests(db.session.get(CommitteeReport, s.report_id), reply_by=dt.date.today() + dt.timedelta(days=10),
                      base_url="http://localhost/")
        db.session.flush()
        messages = {m.to_name: m.to_addresses for m in db.session.scalars(select(SentMessage))}
        db.session.rollback()
    # Sam's own address; Jo's linked account's address wins over any kept on the owner record.
    assert messages == {"Sam Other": "sam.other@property.example.gov.uk", "Jo Bloggs": "owner@example.gov.uk"}


def test_an_owners_address_is_checked_and_a_stale_form_is_refused(app):
    s = set_up_owners(app)
    manager = Client(app, "manager")
    bad = manager.submit(f"/owners/{s.sam_id}", f"/owners/{s.sam_id}", status=400, email="not an address")
    assert bad.errors == ["Enter an email address in the correct format, like name@example.gov.uk"]
    taken = manager.submit(f"/owners/{s.sam_id}", f"/owners/{s.sam_id}", status=400, name="Jo Bloggs",
                           business_unit="Facilities")
    assert "There is already an owner called Jo Bloggs (Facilities)" in taken.errors[0]
    stale = manager.page(f"/owners/{s.sam_id}").form(f"/owners/{s.sam_id}", name="Sam Other-Jones")
    manager.submit(f"/owners/{s.sam_id}", f"/owners/{s.sam_id}", status=303, business_unit="Estates")
    conflict = manager.http.post(f"/owners/{s.sam_id}", data=stale)
    assert conflict.status_code == 409
    assert page(conflict).select_one("#name")["value"] == "Sam Other-Jones"  # what they typed is kept
    with app.app_context():
        sam = db.session.get(Owner, s.sam_id)
        assert (sam.name, sam.business_unit, sam.email) == ("Sam Other", "Estates", None)


def test_only_managers_and_admins_keep_owner_records(app, client_for):
    s = set_up_owners(app)
    for role in ("liaison", "committee", "owner"):
        client = client_for(role)
        assert client.get("/owners").status_code == 403
        assert client.post(f"/owners/{s.sam_id}", data={"name": "X", "version": "1"}, token_from="/").status_code == 403
    assert client_for("admin").get(f"/owners/{s.sam_id}").status_code == 200


def test_the_navigation_shows_each_role_its_owner_pages_and_the_replies_waiting(app):
    s = set_up_owners(app)

    def nav(client) -> list[str]:
        return [" ".join(a.get_text(" ").split()) for a in
                page(client.get("/recommendations")).select(".govuk-service-navigation__link")]

    owner, manager = Client(app, "owner"), Client(app, "manager")
    assert "My actions" in nav(owner) and "Outbox" not in nav(owner) and "Updates to review" not in nav(owner)
    assert "Updates to review" in nav(manager) and "Outbox" in nav(manager) and "My actions" not in nav(manager)
    assert "Outbox" in nav(Client(app, "admin"))
    assert not {"My actions", "Outbox", "Updates to review"} & set(nav(Client(app, "liaison")))
    assert page(manager.get("/recommendations")).select_one("[data-testid=replies-waiting]") is None
    reply(owner, "/my-actions", s.measure_ids[JO_REFS[0]][0], text="Done")
    reply(owner, "/my-actions", s.measure_ids[JO_REFS[1]][0], no_change=True)
    assert "Updates to review 2 waiting" in nav(manager)

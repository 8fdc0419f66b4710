"""Owners of actions for the owner-update tests: Jo (with an account) and Sam (without), a draft report
to answer for, and each item's reply form read from the page as an owner would send it."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default as email_policy
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.client import Client, Page
from tracker.extensions import db
from tracker.models import Action, Owner, OwnerReply, Review, User
from tracker.plan.operations import assign_owner
from tracker.reports.operations import create_report

JO_REFS = ("CC-01-ENV-01", "CC-02-ENV-02")
SAM_REF = "CC-03-ENV-03"


@dataclass
class Setup:
    jo_id: int
    sam_id: int
    owner_user_id: int
    report_id: int
    measure_ids: dict[str, list[int]]  # ref -> open measure ids


def set_up_owners(app, *, meeting_in_days: int = 60) -> Setup:
    """Jo Bloggs (Facilities) owns two actions and signs in as owner@example.gov.uk; Sam Other owns one
    and has no account. A draft report for a meeting ``meeting_in_days`` from today."""
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        jo = Owner(authority_id=review.authority_id, name="Jo Bloggs", business_unit="Facilities")
        sam = Owner(authority_id=review.authority_id, name="Sam Other", business_unit="Property")
        db.session.add_all([jo, sam])
        db.session.flush()
        actions = {a.ref: a for a in db.session.scalars(select(Action).where(Action.ref.in_(JO_REFS + (SAM_REF,))))}
        assign_owner([actions[r] for r in JO_REFS], jo)
        assign_owner([actions[SAM_REF]], sam)
        user = db.session.scalar(select(User).where(User.email == "owner@example.gov.uk"))
        user.owner_id = jo.id
        report = create_report(review, committee="Overview and Scrutiny Committee",
                               meeting_on=dt.date.today() + dt.timedelta(days=meeting_in_days))
        db.session.commit()
        measures = {ref: [m.id for m in a.live_measures if m.status not in ("complete", "cancelled", "not_applicable")]
                    for ref, a in actions.items()}
        return Setup(jo.id, sam.id, user.id, report.id, measures)


def page(response) -> BeautifulSoup:
    return Page(response).soup


def item_form(soup: BeautifulSoup, measure_id: int) -> dict:
    """The fields of one item's reply form as the page drew them."""
    form = soup.select_one(f"#item-{measure_id} form")
    return {"action": form["action"], **{i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}}


def reply(client: Client, url: str, measure_id: int, *, text: str = "", status: str = "", no_change=False,
          version: str | None = None):
    soup = page(client.get(url))
    fields = item_form(soup, measure_id)
    prefix = f"m{measure_id}-"
    data = {f"{prefix}csrf_token": fields[f"{prefix}csrf_token"],
            f"{prefix}version": version if version is not None else fields[f"{prefix}version"],
            f"{prefix}text": text, f"{prefix}status": status}
    data[f"{prefix}no_change" if no_change else f"{prefix}send"] = "No change" if no_change else "Send update"
    return client.http.post(fields["action"], data=data)


LINK = re.compile(r"http://localhost/reply/[A-Za-z0-9_.\-]+")


def send(app, report_id: int, reply_by: dt.date | None = None, manager: Client | None = None):
    manager = manager or Client(app, "manager")
    url = f"/reports/{report_id}/requests/send"
    token = page(manager.get(url)).select_one("input[name=csrf_token]")["value"]
    reply_by = reply_by or dt.date.today() + dt.timedelta(days=20)
    return manager.http.post(url, data={"csrf_token": token,
                                        "reply_by": [str(reply_by.day), str(reply_by.month), str(reply_by.year)]},
                             base_url="http://localhost")


def outbox_messages(folder: Path) -> dict[str, object]:
    """To-name -> parsed message, for every .eml in the outbox."""
    found = {}
    for path in sorted(folder.glob("*.eml")):
        mail = message_from_bytes(path.read_bytes(), policy=email_policy)
        found[str(mail["To"]).split(" <")[0].strip('"')] = mail
    return found


def links_by_owner(outbox: Path) -> dict[str, str]:
    return {name: LINK.search(mail.get_content()).group(0) for name, mail in outbox_messages(outbox).items()}


def waiting(app) -> list[OwnerReply]:
    with app.app_context():
        return db.session.scalars(select(OwnerReply).where(OwnerReply.state == "waiting")).all()


def decide(app, manager: Client, reply_id: int, **fields):
    soup = page(manager.get("/updates"))
    form = soup.select_one(f"#reply-{reply_id} form")
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    data[f"r{reply_id}-text"] = form.select_one("textarea[name$=-text]").text.strip()
    data[f"r{reply_id}-status"] = ""
    data[f"r{reply_id}-note"] = ""
    data.update({f"r{reply_id}-{k}": v for k, v in fields.items()})
    return manager.http.post(form["action"], data=data)

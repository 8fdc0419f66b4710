"""The owners' pages: their actions and replies (by login or signed link), the manager's review of
replies, sending the requests, and the outbox of messages written instead of sent."""
from __future__ import annotations

from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default as email_policy

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..forms import show_refusal
from ..locking import MISSING_VERSION
from ..models import CommitteeReport, Measure, Owner, OwnerReply, SentMessage, User
from ..plan.operations import Conflict
from ..refused import Refused
from ..transactions import discard_changes
from . import links, operations, queries
from .forms import OwnerLinkForm, ReplyForm, ReviewForm, SendRequestsForm
from .mail import outbox_path

bp = Blueprint("owners", __name__)


@bp.app_template_global()
def replies_waiting() -> int:
    """For the navigation (shown to those who review replies only, so other pages pay no query)."""
    return queries.waiting_count()


def base_url() -> str:
    return current_app.config.get("BASE_URL") or request.host_url


def _version(field) -> int:
    raw = (field.data or "").strip()
    if not raw.isdigit():
        abort(400, description=MISSING_VERSION)
    return int(raw)


# The owner's page: by login or by signed link -------------------------------------------------------

@dataclass
class Item:
    measure: Measure
    label: str
    reply: OwnerReply | None
    form: ReplyForm
    post_url: str
    conflict: Conflict | None = None


def _items(owner_id: int, measures: list[Measure], post_url, failed: Item | None = None) -> list[Item]:
    latest = queries.latest_replies(owner_id, [m.id for m in measures])
    items = []
    for m in measures:
        if failed is not None and failed.measure.id == m.id:
            items.append(failed)
            continue
        form = ReplyForm(formdata=None, prefix=f"m{m.id}", version=m.version)
        items.append(Item(m, queries.measure_label(m), latest.get(m.id), form, post_url(m)))
    return items


def _reply_page(owner, measures, post_url, *, update_request=None, failed: Item | None = None, status=200):
    items = _items(owner.id, measures, post_url, failed)
    return render_template("owners/reply.html", owner=owner, items=items, update_request=update_request,
                           failed=failed, by_link=update_request is not None and not current_user.is_authenticated), status


def _take_reply(owner, measure, measures, post_url, *, update_request, back: str, by=None):
    """Handle one item's form: record the reply, or show the page again with what was typed."""
    form = ReplyForm(prefix=f"m{measure.id}")
    failed = Item(measure, queries.measure_label(measure), None, form, post_url(measure))
    if not form.validate_on_submit():
        return _reply_page(owner, measures, post_url, update_request=update_request, failed=failed, status=400)
    try:
        operations.submit_reply(owner, measure, no_change=bool(form.no_change.data), text=form.text.data or "",
                                status=form.status.data or None, request=update_request,
                                expected_version=_version(form.version), by=by)
    except Conflict as conflict:
        discard_changes()
        failed.conflict = conflict
        form.version.data = str(measure.version)  # saving again, having read theirs, is allowed
        return _reply_page(owner, measures, post_url, update_request=update_request, failed=failed, status=409)
    except Refused as exc:
        discard_changes()
        show_refusal(form, exc)
        return _reply_page(owner, measures, post_url, update_request=update_request, failed=failed, status=400)
    what = "“No change”" if form.no_change.data else "Your update"
    flash(f"{what} on {measure.action.ref} {queries.measure_label(measure).lower()} was sent. "
          "The customer service manager will review it before it goes in a report.", "success")
    return redirect(f"{back}#item-{measure.id}", 303)


def _signed_in_owner():
    return current_user.owner


@bp.route("/my-actions")
def my_actions():
    owner = _signed_in_owner()
    if owner is None:
        return render_template("owners/unlinked.html")
    measures = queries.open_measures(owner.id)
    return _reply_page(owner, measures, lambda m: url_for("owners.my_actions_reply", measure_id=m.id))


@bp.route("/my-actions/<int:measure_id>", methods=["POST"])
def my_actions_reply(measure_id: int):
    owner = _signed_in_owner() or abort(403)
    measure = db.session.get(Measure, measure_id) or abort(404)
    if not operations.may_reply_about(owner.id, measure):
        abort(403)
    measures = queries.open_measures(owner.id)
    return _take_reply(owner, measure, measures, lambda m: url_for("owners.my_actions_reply", measure_id=m.id),
                       update_request=None, back=url_for("owners.my_actions"),
                       by=current_user._get_current_object())


def _request_or_403(token: str):
    try:
        return links.request_for(token)
    except links.BadLink:
        abort(403)


def _asked_measures(update_request) -> list[Measure]:
    """The request's items that are still this owner's to answer (an action reassigned since drops out)."""
    return [i.measure for i in update_request.items if operations.may_reply_about(update_request.owner_id, i.measure)]


@bp.route("/reply/<token>")
def reply(token: str):
    update_request = _request_or_403(token)
    return _reply_page(update_request.owner, _asked_measures(update_request),
                       lambda m: url_for("owners.reply_item", token=token, measure_id=m.id),
                       update_request=update_request)


@bp.route("/reply/<token>/<int:measure_id>", methods=["POST"])
def reply_item(token: str, measure_id: int):
    update_request = _request_or_403(token)
    measures = _asked_measures(update_request)
    measure = next((m for m in measures if m.id == measure_id), None) or abort(403)
    by = current_user._get_current_object() if current_user.is_authenticated else None
    return _take_reply(update_request.owner, measure, measures,
                       lambda m: url_for("owners.reply_item", token=token, measure_id=m.id),
                       update_request=update_request, back=url_for("owners.reply", token=token), by=by)


# The manager's review --------------------------------------------------------------------------------

@dataclass
class Review:
    reply: OwnerReply
    label: str
    changed_since: bool
    form: ReviewForm
    conflict: Conflict | None = None


def _review_form(reply: OwnerReply) -> ReviewForm:
    measure = reply.measure
    return ReviewForm(formdata=None, prefix=f"r{reply.id}", version=reply.version, measure_version=measure.version,
                      text=measure.measured_output if reply.no_change else reply.text, status=reply.status or "")


def _updates_page(failed: Review | None = None, status: int = 200):
    reviews = []
    for reply in queries.waiting_replies():
        if failed is not None and failed.reply.id == reply.id:
            reviews.append(failed)
            continue
        reviews.append(Review(reply, queries.measure_label(reply.measure), operations.changed_since_asked(reply),
                              _review_form(reply)))
    return render_template("owners/updates.html", reviews=reviews, failed=failed), status


@bp.route("/updates")
def updates():
    return _updates_page()


@bp.route("/updates/<int:reply_id>", methods=["POST"])
def decide(reply_id: int):
    reply = db.session.get(OwnerReply, reply_id) or abort(404)
    form = ReviewForm(prefix=f"r{reply.id}")
    failed = Review(reply, queries.measure_label(reply.measure), operations.changed_since_asked(reply), form)
    if reply.state != "waiting":
        if reply.state == "superseded":
            flash(f"{reply.owner.name} has sent a newer answer about this item since: it is below. "
                  "Nothing was changed", "error")
        else:
            flash(f"This reply was already {reply.state} by {reply.reviewed_by_name or 'someone else'}: "
                  "nothing was changed", "error")
        return redirect(url_for("owners.updates"), 303)
    if not form.validate_on_submit():
        return _updates_page(failed, 400)
    label = f"{reply.measure.action.ref} {failed.label.lower()}"
    try:
        if form.send_back.data:
            operations.return_reply(reply, note=form.note.data or "", base_url=base_url(),
                                    expected_version=_version(form.version))
            message = f"{label}: returned to {reply.owner.name} with your note"
        else:
            operations.accept_reply(reply, text=form.text.data or "", status=form.status.data or None,
                                    expected_version=_version(form.version),
                                    expected_measure_version=_version(form.measure_version))
            message = f"{label}: {reply.owner.name}'s update accepted"
    except Conflict as conflict:
        discard_changes()
        failed.conflict = conflict
        failed.changed_since = True
        form.measure_version.data = str(reply.measure.version)
        form.version.data = str(reply.version)
        return _updates_page(failed, 409)
    except Refused as exc:
        discard_changes()
        show_refusal(form, exc)
        return _updates_page(failed, 400)
    flash(message, "success")
    return redirect(url_for("owners.updates"), 303)


# Sending the requests, and the outbox -----------------------------------------------------------------

def _report_or_404(report_id: int) -> CommitteeReport:
    return db.session.get(CommitteeReport, report_id) or abort(404)


@bp.route("/reports/<int:report_id>/requests/send", methods=["GET", "POST"])
def send_requests(report_id: int):
    report = _report_or_404(report_id)
    form = SendRequestsForm()
    if request.method == "GET":
        form.reply_by.data = operations.default_reply_by(report)
    elif form.validate_on_submit():
        try:
            sent = operations.send_requests(report, reply_by=form.reply_by.data, base_url=base_url())
        except Refused as exc:
            discard_changes()
            show_refusal(form, exc)
        else:
            by_mail = sum(1 for s in sent if s.delivered_by == "smtp")
            if not sent:
                flash("Every owner has already been asked for this meeting: nothing was sent", "success")
            else:
                flash(f"{len(sent)} request{'s' if len(sent) != 1 else ''} sent: {by_mail} by email, "
                      f"{len(sent) - by_mail} written to the outbox", "success")
            return redirect(url_for("reports.update_requests", report_id=report.id), 303)
    asked = queries.owners_asked_for(report)
    already = queries.requests_of(report.id)
    emails = queries.addresses(asked)
    to_send = sorted(((measures[0].action.owner, measures, emails.get(owner_id, []))
                      for owner_id, measures in asked.items() if owner_id not in already),
                     key=lambda row: row[0].label.casefold())
    return render_template("owners/send.html", report=report, review=report.review, form=form, to_send=to_send,
                           already=already, mail_server=bool(current_app.config.get("MAIL_SERVER"))), \
        (400 if form.errors else 200)


@bp.route("/outbox")
def outbox():
    messages = db.session.scalars(select(SentMessage).order_by(SentMessage.sent_at.desc(), SentMessage.id.desc())
                                  .limit(200)).all()
    bodies = {}
    for m in messages[:50]:
        path = outbox_path(m)
        if path is not None:
            bodies[m.id] = message_from_bytes(path.read_bytes(), policy=email_policy).get_content()
    return render_template("owners/outbox.html", messages=messages, bodies=bodies)


@bp.route("/outbox/<int:message_id>.eml")
def outbox_message(message_id: int):
    record = db.session.get(SentMessage, message_id) or abort(404)
    path = outbox_path(record) or abort(404)
    return send_file(path, mimetype="message/rfc822", as_attachment=True, download_name=record.outbox_file)


# A user's owner record (on /users/<id>) ---------------------------------------------------------------

def owner_link_form(person: User) -> OwnerLinkForm:
    form = OwnerLinkForm(formdata=None, prefix="owner", owner=str(person.owner_id or ""))
    return form.fill_choices(queries.owner_choices())


@bp.route("/users/<int:user_id>/owner", methods=["POST"])
def user_owner(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    form = OwnerLinkForm(prefix="owner").fill_choices(queries.owner_choices())
    if not form.validate_on_submit():
        abort(400, description="Choose an owner record from the list")
    owner = db.session.get(Owner, int(form.owner.data)) if form.owner.data else None
    if operations.link_owner(person, owner):
        flash(f"{person.name} now answers for {owner.label}" if owner else f"{person.name} is no longer an owner",
              "success")
    return redirect(url_for("people.user", user_id=person.id), 303)

"""Sending the owners' messages: by SMTP when MAIL_SERVER is set, otherwise (the embedded default) as
.eml files in the outbox folder, listed at /outbox for the manager to forward. A message SMTP refuses,
or one for an owner with no known address, goes to the outbox too: nothing is lost. Every message,
however delivered, is recorded (SentMessage) with its error if it had one. Nothing is sent until the
transaction that made it has committed (tracker/transactions.after_commit)."""
from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

from flask import current_app, flash, has_request_context

from ..extensions import db
from ..models import SentMessage, utcnow
from ..transactions import after_commit

QUEUED = "queued"  # recorded, waiting for its transaction to commit


@dataclass
class Outgoing:
    kind: str                     # request | reminder | returned | missing
    to: list[str]                 # addresses; empty when none is known
    to_name: str
    subject: str
    body: str
    owner_id: int | None = None
    report_id: int | None = None
    request_id: int | None = None
    action_refs: list[str] = field(default_factory=list)


def outbox_dir() -> Path:
    return Path(current_app.config["MAIL_OUTBOX"])


def _email(message: Outgoing) -> EmailMessage:
    config = current_app.config
    mail = EmailMessage()
    mail["From"] = config["MAIL_FROM"]
    mail["To"] = ", ".join(formataddr((message.to_name, address)) for address in message.to) or \
        formataddr((message.to_name, "undisclosed-recipients@invalid"))
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain="best-value-tracker")
    mail.set_content(message.body)
    return mail


def _send_smtp(mail: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                      timeout=float(config["MAIL_TIMEOUT_SECONDS"])) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(mail)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "message"


def _write_outbox(mail: EmailMessage, record: SentMessage, name: str) -> str:
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # A random part too: a folder shared by two databases (or test runs) never has a name taken twice.
    filename = f"{record.sent_at:%Y%m%d-%H%M%S}-{record.id}-{secrets.token_hex(4)}-{_slug(name)}.eml"
    # Mode 0600: a message holds a reply link, which works without a password.
    fd = os.open(folder / filename, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(bytes(mail))
    return filename


def planned_route(message: Outgoing) -> str:
    """How a message is meant to go: by SMTP when a mail server is set and an address is known."""
    return "smtp" if current_app.config.get("MAIL_SERVER") and message.to else "outbox"


def deliver(message: Outgoing, *, today: dt.date | None = None) -> SentMessage:
    """Record one message now, and send (or write) it once the transaction commits: a message sent
    before a commit that then fails would hold a reply link to a request that does not exist.

    The record says ``queued`` until then, and how it went after (``smtp`` or ``outbox``, with the
    error if it had one). Never raises for a mail failure: the message is in the outbox instead."""
    record = SentMessage(kind=message.kind, sent_at=utcnow(), sent_on=today or dt.date.today(),
                         to_addresses=", ".join(message.to), to_name=message.to_name, subject=message.subject[:300],
                         owner_id=message.owner_id, report_id=message.report_id, request_id=message.request_id,
                         action_refs=list(message.action_refs), delivered_by=QUEUED)
    db.session.add(record)
    db.session.flush()  # the id names the outbox file
    record_id = record.id
    after_commit(lambda: send_queued(record_id, message))
    return record


def send_queued(record_id: int, message: Outgoing) -> None:
    """Send a recorded message now that its transaction is kept, and record how it went."""
    record = db.session.get(SentMessage, record_id)
    if record is None or record.delivered_by != QUEUED:
        return  # sent already
    mail = _email(message)
    if planned_route(message) == "smtp":
        try:
            _send_smtp(mail)
            record.delivered_by = "smtp"
            return
        except (OSError, smtplib.SMTPException) as exc:
            current_app.logger.warning("mail to %s not sent: %s", record.to_addresses, exc)
            record.error = f"Not sent by SMTP ({exc.__class__.__name__}: {exc}); written to the outbox instead"
            if has_request_context():
                flash(f"The message to {message.to_name} could not be sent by email: it was written to the outbox "
                      "for you to forward", "error")
    elif not message.to:
        record.error = "No email address known for this owner: forward it from the outbox"
    record.outbox_file = _write_outbox(mail, record, message.to_name)
    record.delivered_by = "outbox"


def outbox_path(record: SentMessage) -> Path | None:
    if not record.outbox_file:
        return None
    path = outbox_dir() / record.outbox_file
    return path if path.is_file() else None

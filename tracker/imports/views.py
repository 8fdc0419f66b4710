"""The import pages: upload, map columns, preview, confirm.

The POST reads the upload once, within the limits (limits.py, in a bounded child process), and
keeps only what was read, as JSON in instance/imports/ under a random token, tied to the user who
uploaded it; the file itself is never stored. The preview and the confirm work from that JSON and
never parse the file again. It is removed once imported, or after IMPORT_KEEP_MINUTES. Nothing
touches the plan before "Confirm".
"""
from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.review_codes import review_code_problem
from ..plan import queries
from .columns import FIELDS
from .forms import UploadForm, check_form, chosen_mapping, chosen_statuses, fill_choices, header_row
from .limits import Limits, UploadRefused, check_size
from .operations import apply_import
from .reading import plan_read, read_upload_bounded

bp = Blueprint("imports", __name__)
ALLOWED = (".xlsx", ".csv", ".txt", ".docx", ".pdf")
TOKEN = re.compile(r"[0-9a-f]{32}")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _keep_seconds() -> float:
    return current_app.config["IMPORT_KEEP_MINUTES"] * 60


def _clean_old(folder: Path) -> None:
    for path in folder.glob("*"):
        try:
            if path.stat().st_mtime < time.time() - _keep_seconds():
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # another worker removed it first
            continue


def _kept_path(token: str) -> Path:
    # Only our own tokens name a file: never a path outside the folder ("../", "/", "%2e").
    if not TOKEN.fullmatch(token):
        abort(404)
    return _folder() / f"{token}.json"


def _load(token: str) -> dict:
    path = _kept_path(token)
    try:
        if path.stat().st_mtime < time.time() - _keep_seconds():
            path.unlink(missing_ok=True)
            abort(404)
        kept = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        abort(404)
    if kept["user_id"] != current_user.id:
        abort(403)
    return kept


def _keep(token: str, kept: dict) -> None:
    # Readable by this process's user only; O_EXCL: a token is never reused.
    fd = os.open(_kept_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(kept, handle, default=str)


@bp.route("/imports", methods=["GET", "POST"])
def start():
    reviews = queries.all_reviews()
    form = UploadForm()
    if request.method == "GET":
        return render_template("imports/start.html", reviews=reviews, form=form)
    upload = form.file.data
    limits = Limits.current()
    error, status, field = None, 400, form.file
    if upload and upload.filename:
        filename = upload.filename
        content = upload.read(limits.max_bytes + 1)
    elif (form.pasted.data or "").strip():
        filename, content = "pasted.txt", form.pasted.data.encode("utf-8")
    else:
        filename, content = "", b""
        error = "Choose a file to upload, or paste the text of a committee paper"
    if not error and not filename.lower().endswith(ALLOWED):
        error = "Upload an Excel workbook (.xlsx), a CSV file, or a committee paper as .docx, .pdf or .txt"
    if not error and not form.review.data:
        error, field = "Enter the code of the review to import into (an existing one, or a new code to create it)", \
            form.review
    if not error and review_code_problem(form.review.data):
        error, field = review_code_problem(form.review.data), form.review
        error = error[0].upper() + error[1:]
    if not error and not form.validate():
        error = "The form has expired: choose the file again and continue"
    if not error:
        try:
            check_size(content, limits)
            parsed = read_upload_bounded(content, filename, form.review.data, limits)
        except UploadRefused as exc:
            error, status = str(exc), exc.status
    if error:
        field.errors = [error]
        return render_template("imports/start.html", reviews=reviews, form=form), status
    folder = _folder()
    _clean_old(folder)
    token = secrets.token_hex(16)
    _keep(token, {"user_id": current_user.id, "filename": filename, "review": form.review.data, "parsed": parsed})
    return redirect(url_for("imports.review_import", token=token), 303)


@bp.route("/imports/<token>", methods=["GET", "POST"])
def review_import(token: str):
    meta = _load(token)
    # Read once without status choices: the words to ask about are the file's, whatever was chosen.
    form = check_form()
    mapping, header = chosen_mapping(form), header_row(form)
    plan = plan_read(meta["parsed"], meta["review"], overrides=mapping, header_row=header)
    words = [row.written for row in plan.status_words.rows]
    form = check_form(words)
    status_map = chosen_statuses(form)
    if status_map:
        plan = plan_read(meta["parsed"], meta["review"], overrides=mapping, status_map=status_map,
                         header_row=header)
    # Each word as it is read now (after the person's choices), in the order the file first gave them.
    now = {row.written: row for row in plan.status_words.rows}
    asked = {word: now[word] for word in words if word in now}
    if request.method == "POST" and form.action.data == "confirm":
        if not plan.ok or not form.validate():
            return _page(meta, token, plan, form, asked, status_map, 400)
        apply_import(plan, note=f"import {meta['filename']}", previewed_new=form.new_review.data == "1")
        _kept_path(token).unlink(missing_ok=True)
        p = plan.preview
        flash(f"Imported {meta['filename']} into {meta['review']}: {len(p.create)} actions created, "
              f"{len(p.update)} updated, {len(p.missing)} not in the file and left alone", "success")
        return redirect(url_for("plan.actions", review=meta["review"]), 303)
    return _page(meta, token, plan, form, asked, status_map, 200 if plan.ok or request.method == "GET" else 400)


def _page(meta, token, plan, form, asked, status_map, status):
    """``asked``: the file's status words that are not plain statuses, each as it is read now
    (tracker/imports/status_words.py): by a rule, as remembered, as chosen, or not at all."""
    fill_choices(form, plan, {word: row.category or "" for word, row in asked.items()})
    return render_template("imports/preview.html", meta=meta, token=token, plan=plan, form=form, fields=FIELDS,
                           asked=asked), status

"""The import pages: upload, map columns, preview, confirm.

The uploaded file waits in instance/imports/ under a random name between the steps, tied to the
user who uploaded it, and is removed once imported. Nothing touches the plan before "Confirm".
"""
from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.status import CATEGORIES
from ..plan import queries
from .operations import apply_import, plan_file
from .spreadsheet import FIELDS, MAX_BYTES

bp = Blueprint("imports", __name__)
ALLOWED = (".xlsx", ".csv", ".txt", ".docx", ".pdf")
KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _clean_old(folder: Path) -> None:
    for path in folder.glob("*"):
        if path.stat().st_mtime < time.time() - KEEP_SECONDS:
            path.unlink(missing_ok=True)


def _load(token: str) -> tuple[dict, bytes]:
    if not token.isalnum():
        abort(404)
    meta_path = _folder() / f"{token}.json"
    if not meta_path.exists():
        abort(404)
    meta = json.loads(meta_path.read_text())
    if meta["user_id"] != current_user.id:
        abort(403)
    return meta, (_folder() / f"{token}.bin").read_bytes()


@bp.route("/imports", methods=["GET", "POST"])
def start():
    reviews = queries.all_reviews()
    if request.method == "GET":
        return render_template("imports/start.html", reviews=reviews, typed={})
    typed = {"review": request.form.get("review", "").strip(), "pasted": request.form.get("pasted", "")}
    upload = request.files.get("file")
    error = None
    if upload and upload.filename:
        filename = upload.filename
        content = upload.read(MAX_BYTES + 1)
    elif typed["pasted"].strip():
        filename, content = "pasted.txt", typed["pasted"].encode("utf-8")
    else:
        filename, content = "", b""
        error = "Choose a file to upload, or paste the text of a committee paper"
    if not error and not filename.lower().endswith(ALLOWED):
        error = "Upload an Excel workbook (.xlsx), a CSV file, or a committee paper as .docx, .pdf or .txt"
    if not error and len(content) > MAX_BYTES:
        error = f"The file is larger than {MAX_BYTES // 1024 // 1024} MB; split it"
    if not error and not typed["review"]:
        error = "Enter the code of the review to import into (an existing one, or a new code to create it)"
    if error:
        return render_template("imports/start.html", reviews=reviews, typed=typed, error=error), 400
    folder = _folder()
    _clean_old(folder)
    token = secrets.token_hex(16)
    (folder / f"{token}.bin").write_bytes(content)
    (folder / f"{token}.json").write_text(json.dumps({"user_id": current_user.id, "filename": filename,
                                                      "review": typed["review"]}))
    return redirect(url_for("imports.review_import", token=token), 303)


@bp.route("/imports/<token>", methods=["GET", "POST"])
def review_import(token: str):
    meta, content = _load(token)
    form = request.form
    mapping = {name: form.get(f"map-{name}", "") for name in FIELDS} if form else None
    status_map = {key[len("status-"):]: value for key, value in form.items() if key.startswith("status-")}
    plan = plan_file(content, meta["filename"], meta["review"], mapping=mapping, status_map=status_map)
    if request.method == "POST" and form.get("action") == "confirm":
        if not plan.ok:
            return _page(meta, token, plan, status_map, 400)
        apply_import(plan, note=f"import {meta['filename']}", previewed_new=form.get("new_review") == "1")
        for suffix in (".bin", ".json"):
            (_folder() / f"{token}{suffix}").unlink(missing_ok=True)
        p = plan.preview
        flash(f"Imported {meta['filename']} into {meta['review']}: {len(p.create)} actions created, "
              f"{len(p.update)} updated, {len(p.missing)} not in the file and left alone", "success")
        return redirect(url_for("plan.actions", review=meta["review"]), 303)
    return _page(meta, token, plan, status_map, 200 if plan.ok or request.method == "GET" else 400)


def _page(meta, token, plan, status_map, status):
    return render_template("imports/preview.html", meta=meta, token=token, plan=plan, fields=FIELDS,
                           categories=CATEGORIES, status_map=status_map), status

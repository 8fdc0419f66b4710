"""The council's own Word template for the committee pack: an admin uploads its report template
(.docx or .dotx, with its styles, header, footer and logo) and the Word pack is built on it.

The file is checked with the import limits before anything in it is read (tracker/imports/limits.py:
size, the zip's table of contents, XML prologs), and a file that carries macros is refused: the pack
is opened by every councillor. A .dotx is stored as the .docx it describes, so python-docx (and Word)
open what is built on it as a document.
"""
from __future__ import annotations

import io
import re
import zipfile

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import SubmitField

from ..forms import show_refusal
from ..imports.limits import Limits, UploadRefused, check_size, check_zip
from ..plan.review_context import review_or_404
from ..refused import Refused
from .covering_operations import save_word_template, settings_for
from .views import bp

TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MARKERS = (b"macroEnabled", b"vbaProject", b"vbaData")


def checked_template(filename: str, content: bytes, limits: Limits | None = None) -> bytes:
    """The upload as a .docx python-docx can open, or Refused saying why not."""
    limits = limits or Limits.current()
    name = (filename or "").lower()
    if name.endswith((".docm", ".dotm")):
        raise Refused("The file holds macros (.docm or .dotm). Save the template from Word as a Word Template "
                      "(.dotx) or Word Document (.docx), without macros, and upload that", "file")
    if not name.endswith((".docx", ".dotx")):
        raise Refused("Upload the council's report template as a Word document (.docx) or Word template (.dotx)",
                      "file")
    check_size(content, limits)
    check_zip(content, limits)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise Refused("The file is not a Word document or template (it has no document part). Save it "
                          "again from Word and upload that", "file")
        types = archive.read("[Content_Types].xml")
        if any(marker in types for marker in MACRO_MARKERS) or any("vba" in n.lower() for n in names):
            raise Refused("The file holds macros, which the committee pack must not carry. Save the template "
                          "from Word without macros (.dotx or .docx) and upload that", "file")
        if TEMPLATE_TYPE in types:
            content = _as_document(archive, types)
    try:
        from docx import Document
        Document(io.BytesIO(content))
    except Exception as exc:  # noqa: BLE001 - any failure to open is the same answer to the person
        raise Refused("Word could write this file but it cannot be read as a report template. Save it again "
                      "from Word and upload that", "file") from exc
    return content


def _as_document(archive: zipfile.ZipFile, types: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = types.replace(TEMPLATE_TYPE, DOCUMENT_TYPE)
            target.writestr(info.filename, data)
    return out.getvalue()


class TemplateForm(FlaskForm):
    file = FileField("The council's report template", widget=GovFileInput(),
                     description="A Word template (.dotx) or document (.docx), without macros")
    submit = SubmitField("Upload the template", widget=GovSubmitInput())


class RemoveForm(FlaskForm):
    submit = SubmitField("Stop using the council's template", widget=GovSubmitInput())


@bp.route("/reports/word-template", methods=["GET", "POST"])
def word_template():
    review = review_or_404()
    authority_id = review.authority_id
    form, remove = TemplateForm(), RemoveForm(prefix="remove")
    status = 200
    if request.method == "POST" and remove.submit.data:  # the "stop using it" button, not an upload
        if remove.validate_on_submit():
            save_word_template(authority_id, "", None, by=current_user)
            flash("The Word pack is built in the built-in style again.", "success")
            return redirect(url_for("reports.word_template"), 303)
        status = 400
    elif form.validate_on_submit():
        upload = form.file.data
        limits = Limits.current()
        try:
            if upload is None or not upload.filename:
                raise Refused("Choose the council's Word template to upload", "file")
            content = checked_template(upload.filename, upload.read(limits.max_bytes + 1), limits)
            name = re.sub(r"[^\w .()-]", "_", upload.filename)[:255]
            save_word_template(authority_id, name, content, by=current_user)
            flash(f"Uploaded: the Word pack is now built on {name}.", "success")
            return redirect(url_for("reports.word_template"), 303)
        except UploadRefused as exc:
            show_refusal(form, exc)
            status = exc.status
        except Refused as exc:
            show_refusal(form, exc)
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template("reports/word_template.html", form=form, remove=remove, review=review,
                           settings=settings_for(authority_id)), status

"""Downloads of a whole review: JSON (the import/export schema) and a readable Excel workbook.

Both are streamed: the JSON is written as its actions are read from the database, and the workbook
is written row by row into a temporary file that is then sent in pieces, so a download takes the
same memory whatever the size of the plan."""
from __future__ import annotations

import datetime as dt
import tempfile

from flask import Blueprint, Response, abort, stream_with_context

from ..downloads import attachment_headers
from .plan_json import export_chunks, export_data, has_review

bp = Blueprint("exports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024


@bp.route("/exports/<code>.<fmt>")
def review_export(code: str, fmt: str):
    if fmt not in ("json", "xlsx"):
        abort(404)
    if not has_review(code):
        abort(404)
    name = f"{code}-plan-{dt.date.today().isoformat()}.{fmt}"
    if fmt == "json":
        # The body is written after the view returns: stream_with_context keeps the request (and
        # its database session) open until the last piece is sent.
        body, mimetype = stream_with_context(export_chunks([code])), "application/json"
    else:
        body, mimetype = _workbook_pieces(code), XLSX
    return Response(body, mimetype=mimetype, headers=attachment_headers(name))


def _workbook_pieces(code: str):
    """The review's workbook, made now (so a failure is an error page, not a cut-off file) in a
    temporary file, then read out a piece at a time; the file goes when the response is closed."""
    from .plan_xlsx import write_review_workbook  # openpyxl: loaded by the first workbook asked for

    spool = tempfile.TemporaryFile()
    try:
        write_review_workbook(export_data([code])["reviews"][0], spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise

    def pieces():
        with spool:
            while piece := spool.read(CHUNK):
                yield piece

    return pieces()

"""Downloads of a whole review: JSON (the import/export schema) and a readable Excel workbook."""
from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, Response, abort

from ..downloads import attachment_headers
from .plan_json import export_all

bp = Blueprint("exports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/exports/<code>.<fmt>")
def review_export(code: str, fmt: str):
    if fmt not in ("json", "xlsx"):
        abort(404)
    data = export_all([code])
    if not data["reviews"]:
        abort(404)
    name = f"{code}-plan-{dt.date.today().isoformat()}.{fmt}"
    if fmt == "json":
        body, mimetype = json.dumps(data, ensure_ascii=False, indent=2), "application/json"
    else:
        from .plan_xlsx import review_workbook  # openpyxl: loaded by the first workbook asked for
        body, mimetype = review_workbook(data["reviews"][0]), XLSX
    return Response(body, mimetype=mimetype, headers=attachment_headers(name))

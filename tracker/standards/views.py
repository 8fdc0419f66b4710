"""Standards (Customer Service Excellence ...): criteria, sub-criteria and elements."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Criterion, Standard, SubCriterion

bp = Blueprint("standards", __name__)


@bp.route("/standards/<code>")
def standard(code: str):
    found = db.session.scalar(
        select(Standard).where(func.lower(Standard.code) == code.lower())
        .options(selectinload(Standard.criteria).selectinload(Criterion.subcriteria)
                 .selectinload(SubCriterion.elements)))
    if found is None:
        abort(404)
    return render_template("standards/standard.html", standard=found)

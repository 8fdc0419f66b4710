"""Reading projects and the measures that wait on them (the project pages do not touch the session)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.status import CLOSED
from ..extensions import db
from ..models import Action, Measure, Project, Review


def project_of(review: Review, code: str) -> Project | None:
    """A project of the review's authority by its code (projects are the council's, not one review's)."""
    return db.session.scalar(select(Project).where(Project.authority_id == review.authority_id,
                                                   Project.code == code))


def waiting_measures(project: Project) -> list[Measure]:
    """Open measures that wait on the project, in plan order, with their action and review loaded."""
    return db.session.scalars(
        select(Measure).where(Measure.depends_on_id == project.id, Measure.status.notin_(tuple(CLOSED)))
        .join(Action).order_by(Action.review_id, Action.position, Measure.number)
        .options(selectinload(Measure.action).selectinload(Action.review))).all()

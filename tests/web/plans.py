"""Plans written as plan data (the shape ``apply_plan`` and the JSON export use), for tests that need
a review other than the seed's; and a measure's progress set as an update saves it."""
from __future__ import annotations


def set_measure_output(app, text: str, ref: str = "CC-01-ENV-01", number: int = 1) -> None:
    """Measure ``number`` of action ``ref`` reads ``text``, its status derived, committed through the
    one door (tracker/plan/operations.update_measure), as a manager's update would leave it."""
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.models import Action, Measure
    from tracker.plan.operations import update_measure

    with app.app_context():
        measure = db.session.scalar(select(Measure).join(Action).where(Action.ref == ref, Measure.number == number))
        update_measure(measure, category=None, text=text)
        db.session.commit()


def bulk_review(n_actions: int) -> dict:
    """Review BK of Bulk Council: ``n_actions`` actions B1, B2 … of three measures each, in one theme,
    every other one in its sub-theme, owned by seven officers in turn."""
    return {"authority": "Bulk Council", "review": {"code": "BK", "title": "Bulk", "ref_pattern": r"B\d+"},
            "projects": [{"code": "P", "name": "Project P", "aliases": ["Project P"]}],
            "themes": [{"code": "T", "name": "Theme", "subthemes": [{"code": "i", "name": "Sub"}]}],
            "actions": [{"ref": f"B{i}", "title": f"Action {i}", "theme": "T", "subtheme": "i" if i % 2 else None,
                         "owner": {"name": f"Officer {i % 7}", "business_unit": "Unit"},
                         "measures": [{"number": k, "text": f"Measure {k}", "measured_output": "Outcome of Project P"}
                                      for k in (1, 2, 3)]}
                        for i in range(1, n_actions + 1)]}


def refs(app, code: str) -> list[str]:
    """The refs of review ``code``'s actions, in plan order."""
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.models import Action, Review

    with app.app_context():
        return db.session.scalars(select(Action.ref).join(Review).where(Review.code == code)
                                  .order_by(Action.position)).all()

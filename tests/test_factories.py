"""The factories build rows the app reads like any other: a factory-made action shows on its page."""
from __future__ import annotations

from tests.factories import ActionFactory, MeasureFactory, ReviewFactory, ThemeFactory
from tracker.extensions import db


def test_a_factory_made_action_shows_on_its_page(app, client_for):
    with app.app_context():
        review = ReviewFactory(code="FX", title="Factory review")
        theme = ThemeFactory(review=review, code="ENV", name="Environment")
        action = ActionFactory(theme=theme, ref="ENV-07", title="Sweep the market square weekly")
        MeasureFactory(action=action, number=1, text="Buy a sweeper", measured_output="Sweeper on order",
                       status="in_progress")
        db.session.commit()
    page = client_for("committee").page("/actions/ENV-07?review=FX")
    assert "Sweep the market square weekly" in page.text
    assert "Sweeper on order" in page.text


def test_factories_make_distinct_rows_in_one_review(app):
    with app.app_context():
        theme = ThemeFactory()
        first, second = ActionFactory(theme=theme), ActionFactory(theme=theme)
        assert first.review is second.review
        assert first.ref != second.ref
        db.session.rollback()

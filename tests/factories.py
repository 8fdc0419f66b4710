"""Test data where the seed is not the point: a small plan built row by row (factory-boy).

Rows go into the app's session and are flushed, not committed; the test commits (or posts through
the app) when it needs the pages to see them. Use inside an app context, for example
``with app.app_context(): action = ActionFactory(); db.session.commit()``.
"""
from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from tracker.extensions import db
from tracker.models import Action, Authority, Measure, Owner, Project, Review, Theme


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731  (the app's session at call time)
        sqlalchemy_session_persistence = "flush"


class AuthorityFactory(_Base):
    class Meta:
        model = Authority
        sqlalchemy_get_or_create = ("name",)

    name = "Test Borough Council"


class ReviewFactory(_Base):
    class Meta:
        model = Review

    authority = factory.SubFactory(AuthorityFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    title = factory.LazyAttribute(lambda r: f"Review {r.code}")
    ref_pattern = r"{theme}-\d{2}"


class ThemeFactory(_Base):
    class Meta:
        model = Theme

    review = factory.SubFactory(ReviewFactory)
    code = factory.Sequence(lambda n: f"TH{n}")
    name = factory.LazyAttribute(lambda t: f"Theme {t.code}")
    position = factory.Sequence(int)


class OwnerFactory(_Base):
    class Meta:
        model = Owner

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Officer {n}")
    business_unit = "Customer Services"


class ProjectFactory(_Base):
    class Meta:
        model = Project

    authority_id = factory.LazyAttribute(lambda p: AuthorityFactory().id)
    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.LazyAttribute(lambda p: f"Project {p.code}")
    aliases = factory.LazyAttribute(lambda p: [p.code])


class ActionFactory(_Base):
    class Meta:
        model = Action

    theme = factory.SubFactory(ThemeFactory)
    review = factory.SelfAttribute("theme.review")
    ref = factory.Sequence(lambda n: f"A-{n:02d}")
    title = factory.LazyAttribute(lambda a: f"Action {a.ref}")
    position = factory.Sequence(int)


class MeasureFactory(_Base):
    class Meta:
        model = Measure

    action = factory.SubFactory(ActionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.LazyAttribute(lambda m: f"Measure {m.number}")
    measured_output = ""
    status = "not_started"

"""Undefined values for the app's Jinja environment.

GOV.UK Frontend's macros (govuk_frontend_jinja, govuk_frontend_wtf) read optional parameters as
`params.hint.text` and need a chainable Undefined; our own templates should fail loudly on a
misspelt name instead of rendering an empty string (see _Strict for the one exception). Under test, each undefined value takes the
behaviour of the template whose code created it: strict for ours, chainable for the packages'.
Production keeps the forgiving ChainableUndefined everywhere (a page that renders a blank is better
for a committee clerk than a 500), so the strictness is a test-time net, not a runtime risk.
"""
from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence

import jinja2
from jinja2.utils import missing

# Templates loaded through the PrefixLoader in create_app have these prefixes in their names.
FORGIVING_PREFIXES = ("govuk_frontend_jinja/", "govuk_frontend_wtf/")


class _Strict(jinja2.StrictUndefined):
    """StrictUndefined, except for an absent *optional* value: a missing name (views pass a banner,
    an error or a search term only when there is one), a missing key of a dict (plain-data report
    blocks and re-shown form input leave keys out) or a missing item of a list (`item[2]`). Such a
    value is false in a test (`{% if saved %}`, `q or ''`) and equal to nothing
    (`typed.review == r.code`): that is the idiom across our templates. Printing it, iterating it,
    reading an attribute of it, or anything about a missing attribute of an object
    (`{% if action.ownr %}`, `{{ action.ownr }}`) raises."""

    __slots__ = ()

    def _optional(self) -> bool:
        return self._undefined_obj is missing or isinstance(self._undefined_obj, (Mapping, Sequence))

    def __bool__(self) -> bool:
        if self._optional():
            return False
        return super().__bool__()

    def __eq__(self, other) -> bool:
        if self._optional():
            return isinstance(other, jinja2.Undefined)
        return super().__eq__(other)

    def __ne__(self, other) -> bool:
        if self._optional():
            return not isinstance(other, jinja2.Undefined)
        return super().__ne__(other)

    __hash__ = jinja2.StrictUndefined.__hash__


class _Chainable(jinja2.ChainableUndefined):
    __slots__ = ()


def _created_in_package_template() -> bool:
    """Whether the template whose compiled code is running nearest on the stack is a package's.

    Jinja compiles each template to a module whose globals hold `__jinja_template__` (its own
    traceback rewriting relies on it), and macros keep the globals of the template that defines
    them, so this finds a GOV.UK macro even when one of our templates called it."""
    frame = sys._getframe(2)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            # A template made from a string (render_template_string) has no name: it is ours.
            return (template.name or "").startswith(FORGIVING_PREFIXES)
        frame = frame.f_back
    return True  # made outside any template (by Python code): keep Jinja's usual forgiveness


class TemplateAwareUndefined(jinja2.Undefined):
    """Strict in our templates, chainable in the GOV.UK Frontend packages' templates.

    Jinja instantiates `environment.undefined` for every missing name or attribute; `__new__`
    returns an instance of one of the two real classes, so their behaviour is Jinja's own."""

    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        kind = _Chainable if _created_in_package_template() else _Strict
        return kind(*args, **kwargs)

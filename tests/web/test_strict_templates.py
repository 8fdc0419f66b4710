"""Under test our templates are strict about undefined names; GOV.UK Frontend's macros keep the
chainable behaviour they need; production stays forgiving."""
from __future__ import annotations

import jinja2
import pytest
from flask import render_template_string

from tracker import create_app


def render(app, source, **context):
    with app.test_request_context("/"):
        return render_template_string(source, **context)


def test_a_misspelt_variable_in_our_template_raises_under_test(app):
    with pytest.raises(jinja2.UndefinedError, match="titel"):
        render(app, "<h1>{{ titel }}</h1>", title="Plan")


def test_a_misspelt_attribute_in_our_template_raises_under_test(app):
    with pytest.raises(jinja2.UndefinedError, match="nmae"):
        render(app, "{{ review.nmae }}", review={"name": "Carlisle"})


class Action:
    owner = "A. Person"


def test_a_misspelt_attribute_in_an_if_raises_too(app):
    with pytest.raises(jinja2.UndefinedError, match="ownr"):
        render(app, "{% if action.ownr %}owned{% endif %}", action=Action())


def test_an_optional_key_of_a_dict_tested_in_an_if_is_false_but_printing_it_raises(app):
    assert render(app, "{% if block.label %}{{ block.label }}{% endif %}{{ block.text }}",
                  block={"text": "Body"}) == "Body"
    with pytest.raises(jinja2.UndefinedError, match="lable"):
        render(app, "{{ block.lable }}", block={"label": "L"})


def test_an_optional_name_tested_in_an_if_is_false(app):
    # Views pass a banner, an error or a search term only when there is one.
    assert render(app, "{% if saved %}Saved{% endif %}[{{ q or '' }}]") == "[]"


def test_iterating_a_missing_name_raises(app):
    with pytest.raises(jinja2.UndefinedError):
        render(app, "{% for m in mesures %}{{ m }}{% endfor %}", measures=[1])


def test_a_misspelt_name_in_a_file_template_raises(app, tmp_path):
    # Our templates on disk, not only strings: the loader's name has no package prefix.
    (tmp_path / "misspelt.html").write_text("{{ measure.txet }}", encoding="utf-8")
    app.jinja_loader.loaders.insert(0, jinja2.FileSystemLoader(str(tmp_path)))
    app.jinja_env.cache.clear()
    with app.test_request_context("/"):
        from flask import render_template
        with pytest.raises(jinja2.UndefinedError, match="txet"):
            render_template("misspelt.html", measure={"text": "x"})


def test_is_defined_and_default_still_work_in_our_templates(app):
    assert render(app, "{{ 'yes' if missing is defined else 'no' }}|{{ missing|default('dflt') }}") == "no|dflt"


def test_govuk_frontend_macros_still_get_chainable_undefined(app):
    # govukInput reads params.hint, params.label.classes, params.prefix ... none given here.
    html = render(app, "{% from 'govuk_frontend_jinja/components/input/macro.html' import govukInput %}"
                       "{{ govukInput({'id': 'ref', 'name': 'ref', 'label': {'text': 'Ref'}}) }}")
    assert 'id="ref"' in html and "Ref" in html


def test_production_renders_a_misspelt_variable_as_nothing():
    app = create_app("test", TESTING=False)
    assert not app.testing
    assert render(app, "<h1>{{ titel }}{{ review.nmae.first }}</h1>") == "<h1></h1>"


def test_comparing_an_optional_key_or_item_is_false_not_an_error(app):
    source = "{{ 'sel' if typed.review == 'CC' else 'no' }}|{{ 'x' if item[2] else 'y' }}|{{ typed.site != 'A' }}"
    assert render(app, source, typed={}, item=("1", "text")) == "no|y|True"


def test_printing_a_missing_item_of_a_list_raises(app):
    with pytest.raises(jinja2.UndefinedError):
        render(app, "{{ item[2] }}", item=("1", "text"))

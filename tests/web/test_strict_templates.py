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


def test_a_misspelt_name_in_an_if_raises_too(app):
    with pytest.raises(jinja2.UndefinedError):
        render(app, "{% if reveiw %}shown{% endif %}", review=True)


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


def test_our_undefined_passed_into_a_govuk_macro_still_raises(app):
    with pytest.raises(jinja2.UndefinedError, match="lable"):
        render(app, "{% from 'govuk_frontend_jinja/components/input/macro.html' import govukInput %}"
                    "{{ govukInput({'id': 'ref', 'name': 'ref', 'label': {'text': lable}}) }}")


def test_production_renders_a_misspelt_variable_as_nothing():
    app = create_app("test", TESTING=False)
    assert not app.testing
    assert render(app, "<h1>{{ titel }}{{ review.nmae.first }}</h1>") == "<h1></h1>"

"""Best Value Tracker: a council's Best Value Review plan, its statuses and committee reports."""
from __future__ import annotations

import os
from pathlib import Path

import jinja2
from flask import Flask, send_from_directory
from govuk_frontend_wtf.main import WTFormsHelpers

from config import CONFIGS, INSTANCE_DIR

from .extensions import csrf, db, htmx, login_manager, migrate

BASE_DIR = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(__name__, template_folder=str(BASE_DIR / "templates"),
                static_folder=str(BASE_DIR / "static"), instance_path=str(INSTANCE_DIR))
    config_name = config_name or os.environ.get("TRACKER_CONFIG") or (
        "development" if os.environ.get("FLASK_DEBUG") == "1" else "production")
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config.get("TRUSTED_PROXIES"):
        # Behind a load balancer the client's address (for sign-in throttling and the audit log)
        # and the https scheme arrive in X-Forwarded-* headers, which only trusted proxies may set.
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    # GOV.UK Frontend macros need chainable undefined values (see RECIPES.md). Under test our own
    # templates are strict, so a misspelt variable fails a test instead of rendering as nothing.
    if app.testing:
        from .templating import TemplateAwareUndefined
        app.jinja_env.undefined = TemplateAwareUndefined
    else:
        app.jinja_env.undefined = jinja2.ChainableUndefined
    app.jinja_loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(BASE_DIR / "templates")),
        jinja2.PrefixLoader({
            "govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": jinja2.PackageLoader("govuk_frontend_wtf"),
        }),
    ])

    db.init_app(app)
    from . import data_version
    data_version.init_app(app)  # stored pages are kept until the next write (tracker/page_store.py)
    from .models.search_index import include_name  # full-text objects are not the models' to compare
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True,
                     include_name=include_name)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    WTFormsHelpers(app)  # wtforms_errors() for GOV.UK error summaries

    from . import models  # noqa: F401  (register every table)
    from .web import register_web
    register_web(app)

    from .cli import register_cli
    register_cli(app)

    # The compiled GOV.UK Frontend CSS asks for /assets/...; serve the pinned copy from static/.
    @app.route("/assets/<path:filename>")
    def govuk_assets(filename):
        return send_from_directory(BASE_DIR / "static" / "vendor" / "govuk-frontend" / "assets", filename,
                                   max_age=86400)

    return app

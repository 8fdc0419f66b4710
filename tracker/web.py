"""Wiring shared by every page: blueprints, the access check, security headers, error pages."""
from __future__ import annotations

import functools

from flask import Flask, abort, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError

from .csp import csp_nonce
from .domain.responses import RESPONSES
from .domain.status import CATEGORY_LABELS
from .extensions import db
from .malformed import malformed_reason
from .people.permissions import ANONYMOUS, allowed_roles, may
from .transactions import rollback_quietly

# A status is always its word; colour only adds to it (members asked for RAG never by colour alone).
STATUS_COLOURS = {"complete": "green", "ongoing": "turquoise", "in_progress": "blue", "not_started": "grey",
                  "dependent": "purple", "on_hold": "orange", "postponed": "yellow", "cancelled": "red",
                  "not_applicable": "grey"}


def register_web(app: Flask) -> None:
    # First of this module's checks, so no view, and no access check that loads the user, ever sees
    # a NUL or an out-of-range integer (see malformed.py).
    @app.before_request
    def refuse_malformed():
        reason = malformed_reason(request)
        if reason:
            abort(400, description=reason)

    from .exports.views import bp as exports_bp
    from .health import bp as health_bp
    from .imports.views import bp as imports_bp
    from .jobs.views import bp as jobs_bp
    from .owners import records  # noqa: F401  (the owner records' routes, on the owners blueprint)
    from .owners.views import bp as owners_bp
    from .people.views import bp as people_bp
    from .plan import assignment, editing, main_review, status_check, structure  # noqa: F401  (routes on the plan blueprint)
    from .plan.views import bp as plan_bp
    from .projects.views import bp as projects_bp
    from .public.views import bp as public_bp
    from .reports.views import bp as reports_bp
    from .standards.views import bp as standards_bp

    for bp in (health_bp, people_bp, plan_bp, projects_bp, standards_bp, exports_bp, imports_bp, reports_bp,
               public_bp, owners_bp, jobs_bp):
        app.register_blueprint(bp)

    from .people import auth
    auth.init_login(app)
    from .transactions import register_transactions
    register_transactions(app)  # first: the lost-race retry below then re-runs the commit as well
    register_conflict_handling(app)

    @app.before_request
    def check_access():
        if request.endpoint is None:  # 404 follows
            return None
        roles = allowed_roles(request.endpoint, request.method)
        if roles is None:
            abort(403)  # a route missing from permissions.ACCESS is closed, not open
        if roles == ANONYMOUS:
            return None
        if not current_user.is_authenticated:
            return app.login_manager.unauthorized()
        if current_user.role not in roles:
            abort(403)
        return None

    from .plan.review_context import resolve_review
    # After the access check: only a signed-in user's request is about a review.
    app.before_request(resolve_review)

    @app.after_request
    def security_headers(response):
        nonce = csp_nonce()
        # A 304 leaves the stored page's policy in force: its scripts carry that policy's nonce.
        if response.status_code != 304:
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; "
                f"script-src 'self' 'nonce-{nonce}'; "
                "style-src 'self'; img-src 'self' data:; font-src 'self'; "
                "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
                "object-src 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        # Pages with validators set their own (tracker/http_cache.py); every other page is never stored.
        if request.endpoint not in ("static", "govuk_assets") and not g.get("validated"):
            response.headers["Cache-Control"] = "no-store"
        return response

    # Globals, so imported macros (which see no request context) can use them too.
    app.jinja_env.globals["status_labels"] = CATEGORY_LABELS
    app.jinja_env.globals["status_colours"] = STATUS_COLOURS
    app.jinja_env.globals["responses"] = RESPONSES
    from .forms.summary import error_summary
    app.jinja_env.globals["error_summary"] = error_summary
    from .plan.queries import recommendation_status
    app.jinja_env.globals["recommendation_status"] = recommendation_status
    from .plan.queries import action_rollup
    app.jinja_env.globals["action_rollup"] = action_rollup
    from . import history_display
    history_display.register(app)

    @app.context_processor
    def template_helpers():
        role = current_user.role if current_user.is_authenticated else None
        return {
            "csp_nonce": csp_nonce(),
            "may": lambda capability: may(role, capability),
        }

    def render_error(code: int, title: str, message: str, detail: str | None = None, *, minimal: bool = False):
        """``minimal``: the page is drawn as for a signed-out visitor, so rendering it reads nothing
        from the database (loading the signed-in user would query it)."""
        if minimal:
            app.login_manager._update_request_context_with_user()  # anonymous: no query, no user menu
        return render_template("error.html", code=code, title=title, message=message, detail=detail,
                               minimal=minimal), code

    def error_page(code: int, title: str, message: str):
        def handler(error):
            detail = getattr(error, "description", None) if code in (400, 409, 429) else None
            if code >= 500:
                try:
                    return render_error(code, title, message, detail)
                except Exception:  # noqa: BLE001 (the failure may be the database itself: draw the page without it)
                    rollback_quietly()
                    return render_error(code, title, message, detail, minimal=True)
            return render_error(code, title, message, detail)
        return handler

    app.register_error_handler(400, error_page(400, "There is a problem with the request",
                                               "The request could not be understood."))
    app.register_error_handler(CSRFError, lambda e: (render_template(
        "error.html", code=400, title="Your form has expired or was not sent from this site",
        message="Nothing was changed. Go back, reload the page and try again.",
        detail=e.description), 400))
    app.register_error_handler(403, error_page(403, "You do not have permission to do this",
                                               "Your role does not allow this page or action. "
                                               "Ask an administrator if you need it."))
    app.register_error_handler(404, error_page(404, "Page not found",
                                               "If you typed the web address, check it is correct."))
    app.register_error_handler(429, error_page(429, "Too many attempts",
                                               "For your security, wait 15 minutes before you try again."))
    app.register_error_handler(500, error_page(500, "Sorry, there is a problem with the service",
                                               "Try again later. Nothing you entered has been saved "
                                               "unless you were told so."))

    @app.errorhandler(sa_exc.DataError)
    @app.errorhandler(OverflowError)
    def value_the_database_refuses(error):
        # Safety net behind refuse_malformed: a value the database cannot store (too long, out of range).
        rollback_quietly()
        app.logger.warning("refused a value the database cannot store: %s", error)
        return render_error(400, "There is a problem with the request", "The request could not be understood.",
                            "A value in the request is too long or out of range for this service. "
                            "Nothing was changed.")

    @app.errorhandler(sa_exc.OperationalError)
    @app.errorhandler(sa_exc.InterfaceError)
    @app.errorhandler(sa_exc.DisconnectionError)
    @app.errorhandler(sa_exc.TimeoutError)
    def database_unavailable(error):
        rollback_quietly()
        app.logger.error("database unavailable: %s", error)
        response, code = render_error(503, "The service is unavailable",
                                      "The database cannot be reached just now. Try again in a few minutes. "
                                      "Nothing you entered has been saved unless you were told so.", minimal=True)
        return response, code, {"Retry-After": "60"}


SAVE_RACE_LOST = ("Someone else saved a change to the same record at the same moment, so yours was not saved: "
                  "nothing was changed. What you entered is below; reload the page to see their change, "
                  "then enter yours again.")


def register_conflict_handling(app: Flask) -> None:
    """A save that lost a race ends in a 409 conflict page, never a 500.

    Edited rows carry a version counter, so the database refuses an UPDATE built on an old read
    (StaleDataError, raised at flush or commit). When the form said which version it was built
    from, the request is run once more: the other save is committed by then, so the view's own
    version check answers with its usual conflict page, the person's text kept in the form. Any
    other lost race (or a second one) gets the generic conflict page below, which shows what was
    typed so it can be copied.
    """
    def retry_once_after_lost_race(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            try:
                return view(*args, **kwargs)
            except StaleDataError:
                db.session.rollback()
                if request.method != "POST" or "version" not in request.form:
                    raise
            return view(*args, **kwargs)
        return wrapper

    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = retry_once_after_lost_race(view)

    from .imports.operations import ReviewCreatedMeanwhile

    @app.errorhandler(ReviewCreatedMeanwhile)
    def review_created_meanwhile(error):
        db.session.rollback()
        return render_template("error.html", code=409, title="The review was created by someone else",
                               message=str(error)), 409

    @app.errorhandler(StaleDataError)
    def lost_race(error):
        db.session.rollback()
        typed = [(name, value) for name, value in request.form.items(multi=True)
                 if name != "csrf_token" and not name.startswith("version") and value.strip()]
        return render_template("conflict.html", message=SAVE_RACE_LOST, typed=typed), 409

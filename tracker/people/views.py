"""Sign in and out, user management and the audit log."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..dates import date_range
from ..history import find_changes
from ..models import User
from ..owners.views import owner_link_form
from ..transactions import commit_now, discard_changes
from . import queries, sessions, throttle
from .auth import client_address, find_user_by_email
from .forms import (
    ActiveForm,
    ChangePasswordForm,
    ChangeRoleForm,
    NewUserForm,
    SetPasswordForm,
    SignInForm,
    UserPageAction,
)
from .operations import Refused, change_password, change_role, create_user, record_session_event, set_active
from .passwords import check_sign_in

bp = Blueprint("people", __name__)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect after sign-in is a phishing aid.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return _landing()


def _landing() -> str:
    # An owner's home is their own actions (tracker/owners/); everyone else starts at the overview.
    if current_user.is_authenticated and current_user.role == "owner":
        return url_for("owners.my_actions")
    return url_for("plan.overview")


def _throttle_keys(email: str) -> list[tuple[str, str]]:
    return [("sign-in-email", email.strip().lower()), ("sign-in-address", client_address())]


def _begin_session(user: User) -> None:
    """A fresh session for a user who has just proved who they are: a new cookie (no fixation)
    and a new row in user_session. The request commits it."""
    session.clear()
    login_user(user)
    sessions.start(user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        # Taken (and committed) before the password is checked, so concurrent workers share the count.
        attempt = throttle.reserve(_throttle_keys(email))
        if attempt is None:
            record_session_event("throttled_sign_in", email=email, address=client_address())
            commit_now()  # the audit keeps refused sign-ins although the request answers 429
            abort(429)
        user = find_user_by_email(email)
        if check_sign_in(user, form.password.data or ""):
            attempt.release()  # only failures count
            _begin_session(user)
            record_session_event("sign_in", user=user, address=client_address())
            return redirect(_safe_next(request.args.get("next")))
        record_session_event("failed_sign_in", email=email, address=client_address())
        commit_now()  # kept although the page answers 400: the audit must show failed sign-ins
        # One message whatever was wrong, so the form does not reveal which emails have accounts.
        form.password.errors.append("Enter a correct email address and password")
    return render_template("people/login.html", form=form), (200 if not form.errors else 400)


@bp.route("/logout", methods=["POST"])
def logout():
    user = current_user._get_current_object()
    sessions.end_current("signed_out")  # a copy of the cookie is worth nothing from now on
    record_session_event("sign_out", user=user, address=client_address())
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("people.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_own_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        # The current password is a sign-in in all but name: throttled the same way, so a session
        # left open cannot be used to guess it.
        attempt = throttle.reserve(_throttle_keys(user.email))
        if attempt is None:
            abort(429)
        if not check_sign_in(user, form.current_password.data or ""):
            record_session_event("failed_password_check", user=user, address=client_address())
            commit_now()  # kept although the page answers 400, like a failed sign-in
            form.current_password.errors.append("Your current password is not correct")
        else:
            attempt.release()
            # The attempt is given back (the password was right) even if the new one is refused below.
            commit_now()
            try:
                change_password(user, form.new_password.data or "", by=user)
            except Refused as exc:
                discard_changes()
                form.new_password.errors.append(str(exc))
            else:
                _begin_session(user)  # every other session has ended; this one starts afresh
                flash("Your password has been changed. You have been signed out everywhere else.", "success")
                return redirect(url_for("plan.overview"))
    return render_template("people/password.html", form=form), (200 if not form.errors else 400)


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = NewUserForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                user = create_user(email=form.email.data, name=form.name.data, role=form.role.data,
                                   password=form.password.data)
                flash(f"{user.name} can now sign in as {user.role}", "success")
                return redirect(url_for("people.users"))
            except Refused as exc:
                discard_changes()
                getattr(form, exc.field or "email").errors.append(str(exc))
        status = 400
    people = queries.users_for_management()
    return render_template("people/users.html", form=form, people=people), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    person = queries.get_user(user_id) or abort(404)
    role_form = ChangeRoleForm(prefix="role", role=person.role)
    active_form = ActiveForm(prefix="active")
    password_form = SetPasswordForm(prefix="password")
    if request.method == "POST":
        action = UserPageAction().action.data
        if action == "role" and role_form.validate_on_submit():
            if person.id == current_user.id and role_form.role.data != "admin":
                flash("You cannot take away your own admin role; ask another admin", "error")
            else:
                change_role(person, role_form.role.data)
                flash(f"{person.name} is now {person.role}", "success")
        elif action in ("deactivate", "reactivate") and active_form.validate_on_submit():
            if person.id == current_user.id:
                flash("You cannot deactivate yourself", "error")
            else:
                set_active(person, action == "reactivate")
                flash(f"{person.name} is {'active' if person.active else 'deactivated'}", "success")
        elif action == "password":
            if not password_form.validate_on_submit():
                return _user_page(person, role_form, active_form, password_form, 400)
            try:
                change_password(person, password_form.password.data or "")
            except Refused as exc:
                discard_changes()
                password_form.password.errors.append(str(exc))
                return _user_page(person, role_form, active_form, password_form, 400)
            if person.id == current_user.id:
                _begin_session(person)  # an admin setting their own keeps this session, renewed
            flash(f"{person.name} has a new password and has been signed out everywhere", "success")
        else:
            abort(400)
        return redirect(url_for("people.user", user_id=person.id))
    return _user_page(person, role_form, active_form, password_form, 200)


def _user_page(person, role_form, active_form, password_form, status: int):
    return render_template("people/user.html", person=person, role_form=role_form, active_form=active_form,
                           password_form=password_form, owner_form=owner_link_form(person)), status


@bp.route("/audit")
def audit():
    user_id = request.args.get("user", type=int)
    filters = date_range(request.args)
    page = max(request.args.get("page", 1, type=int), 1)
    changes, has_next = ([], False) if filters.errors else find_changes(
        user_id=user_id, start=filters.start.data, end=filters.end.data, page=page)
    return render_template("people/audit.html", changes=changes, has_next=has_next, page=page,
                           people=queries.users_by_name(), user_id=user_id,
                           filters=filters), (400 if filters.errors else 200)

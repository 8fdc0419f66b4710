"""The manager's list of owners and the page to correct one: name, business unit, and the address their
messages go to when no linked account has one (most owners have no login)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from ..extensions import db
from ..forms import show_refusal
from ..models import Owner
from ..plan.operations import Conflict
from ..refused import Refused
from ..transactions import discard_changes
from . import operations, queries
from .forms import OwnerForm
from .views import _version, bp

STALE_OWNER = ("Someone else changed this owner while you were editing: the page shows theirs, the form keeps "
               "yours. Nothing was saved; save again to apply yours.")


@bp.route("/owners")
def owner_list():
    return render_template("owners/owners.html", owners=queries.owners_listed())


def _owner_page(owner: Owner, form: OwnerForm, status: int = 200, conflict: bool = False):
    return render_template("owners/owner.html", owner=owner, form=form, accounts=queries.accounts_of(owner.id),
                           conflict=conflict), status


@bp.route("/owners/<int:owner_id>", methods=["GET", "POST"])
def owner_edit(owner_id: int):
    owner = db.session.get(Owner, owner_id) or abort(404)
    form = OwnerForm()
    if not form.is_submitted():
        form = OwnerForm(formdata=None, data={"name": owner.name, "business_unit": owner.business_unit,
                                              "email": owner.email or "", "version": str(owner.version)})
        return _owner_page(owner, form)
    if not form.validate():
        return _owner_page(owner, form, 400)
    try:
        changed = operations.update_owner(owner, name=form.name.data, business_unit=form.business_unit.data,
                                          email=form.email.data, expected_version=_version(form.version))
    except Conflict:
        discard_changes()
        owner = db.session.get(Owner, owner_id)
        form.version.data = str(owner.version)
        show_refusal(form, Refused(STALE_OWNER, "name"))
        return _owner_page(owner, form, 409, conflict=True)
    except Refused as exc:
        discard_changes()
        show_refusal(form, exc)
        return _owner_page(db.session.get(Owner, owner_id), form, 400)
    flash(f"{owner.label} saved" if changed else "Nothing had changed", "success")
    return redirect(url_for("owners.owner_list") + f"#owner-{owner.id}", 303)

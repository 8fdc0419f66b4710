"""Who may do what: the one table every request is checked against (DESIGN.md section 2).

``ACCESS`` maps each endpoint and HTTP method to the roles allowed. ``ANONYMOUS`` endpoints are
open to everyone; every other endpoint needs a signed-in user whose role is listed. An endpoint
missing from the table is refused for everyone (and a test fails), so a new route cannot slip
out unchecked. The table is also the documentation: docs/permissions is generated from it.
"""
from __future__ import annotations

ANONYMOUS = "anonymous"
ALL_SIGNED_IN = frozenset({"admin", "manager", "liaison", "committee", "owner"})
READERS = ALL_SIGNED_IN
EDITORS = frozenset({"admin", "manager"})
ASSIGNERS = frozenset({"admin", "manager", "liaison"})
ADMINS = frozenset({"admin"})

# endpoint -> {method: roles}. GET also covers HEAD.
ACCESS: dict[str, dict[str, frozenset | str]] = {
    "static": {"GET": ANONYMOUS},
    "govuk_assets": {"GET": ANONYMOUS},
    "health.healthz": {"GET": ANONYMOUS},
    "people.login": {"GET": ANONYMOUS, "POST": ANONYMOUS},
    "people.logout": {"POST": ALL_SIGNED_IN},
    # Everyone changes their own password (the current one is asked for); admins set others' on people.user.
    "people.change_own_password": {"GET": ALL_SIGNED_IN, "POST": ALL_SIGNED_IN},
    "people.users": {"GET": ADMINS, "POST": ADMINS},
    "people.user": {"GET": ADMINS, "POST": ADMINS},
    "people.audit": {"GET": ADMINS},
    "plan.overview": {"GET": READERS},
    "plan.actions": {"GET": READERS},
    "plan.action": {"GET": READERS},
    "plan.recommendations": {"GET": READERS},
    "plan.recommendation": {"GET": READERS},
    # Owners do not change measures directly: they send replies (owners.*), which count once a manager
    # accepts them.
    "plan.update_measure_view": {"POST": EDITORS},
    # Confirming the status of a measure whose text no rule recognised: the manager's call.
    "plan.confirm_measure_status": {"POST": EDITORS},
    "plan.update_recommendation_view": {"POST": EDITORS},
    "plan.update_recommendation_response": {"POST": EDITORS},
    "plan.override_recommendation_status_view": {"POST": EDITORS},
    "plan.link_recommendation_view": {"POST": EDITORS},
    "plan.assign_action": {"POST": ASSIGNERS},
    # Reshaping the plan in the pages (tracker/plan/structure.py): managers and admins only.
    "plan.new_action": {"GET": EDITORS, "POST": EDITORS},
    "plan.edit_action": {"GET": EDITORS, "POST": EDITORS},
    "plan.move_action": {"POST": EDITORS},
    "plan.retire_action": {"GET": EDITORS, "POST": EDITORS},
    "plan.reinstate_action": {"POST": EDITORS},
    "plan.new_measure": {"GET": EDITORS, "POST": EDITORS},
    "plan.edit_measure": {"GET": EDITORS, "POST": EDITORS},
    "plan.move_measure": {"POST": EDITORS},
    "plan.retire_measure": {"GET": EDITORS, "POST": EDITORS},
    "plan.reinstate_measure": {"POST": EDITORS},
    "plan.measure_waits_on": {"GET": EDITORS, "POST": EDITORS},
    "plan.edit_review": {"GET": EDITORS, "POST": EDITORS},
    "plan.edit_theme": {"GET": EDITORS, "POST": EDITORS},
    "plan.new_theme": {"GET": EDITORS, "POST": EDITORS},
    "plan.bulk_assign": {"POST": ASSIGNERS},
    "plan.set_main_review_view": {"POST": EDITORS},
    "projects.projects": {"GET": READERS},
    "projects.project": {"GET": READERS, "POST": EDITORS},
    "projects.release": {"POST": EDITORS},
    "plan.changes": {"GET": READERS},
    "standards.standard": {"GET": READERS},
    "standards.element": {"GET": READERS},
    "standards.action_elements": {"GET": READERS},
    "standards.link_element": {"POST": EDITORS},
    "standards.unlink_element": {"POST": EDITORS},
    "standards.assessments": {"GET": READERS, "POST": EDITORS},
    "standards.assessment": {"GET": READERS},
    "standards.rate": {"POST": EDITORS},
    "standards.readiness_download": {"GET": READERS},
    "standards.gap_analysis": {"GET": READERS},
    "standards.gap_cell": {"GET": READERS},
    "standards.gap_download": {"GET": READERS},
    "exports.review_export": {"GET": READERS},
    "imports.start": {"GET": EDITORS, "POST": EDITORS},
    # Drafts are checked in the views: readers other than editors see published reports only.
    "reports.reports": {"GET": READERS, "POST": EDITORS},
    "reports.report": {"GET": READERS},
    "reports.publish": {"POST": EDITORS},
    "reports.download": {"GET": READERS},
    "reports.workbook": {"GET": READERS},
    # Asking owners for updates before a meeting: the manager's job, like preparing the report.
    "reports.update_requests": {"GET": EDITORS},
    # A draft is the manager's: its meeting corrected, deleted, its covering report written, and
    # publishing confirmed (the POST is reports.publish). The views refuse all of it once published.
    "reports.edit_report": {"GET": EDITORS, "POST": EDITORS},
    "reports.delete_report": {"GET": EDITORS, "POST": EDITORS},
    "reports.confirm_publish": {"GET": EDITORS},
    "reports.covering": {"GET": EDITORS, "POST": EDITORS},
    # The whole pack in one document: read like every other download (drafts: editors only).
    "reports.pack_pdf": {"GET": READERS},
    "reports.pack_docx": {"GET": READERS},
    # The council's report sections and its Word template are the system owner's settings.
    "reports.covering_sections": {"GET": ADMINS, "POST": ADMINS},
    "reports.word_template": {"GET": ADMINS, "POST": ADMINS},
    "imports.review_import": {"GET": EDITORS, "POST": EDITORS},
    # The optional public page: open to everyone, but 404 unless an admin has turned it on for
    # the review, and it shows published reports only.
    "public.index": {"GET": ANONYMOUS},
    "public.progress": {"GET": ANONYMOUS},
    "public.progress_pdf": {"GET": ANONYMOUS},
    "public.toggle": {"POST": ADMINS},
    # The owners' side (tracker/owners/). An owner's own actions and replies, from their login:
    "owners.my_actions": {"GET": {"owner"}},
    "owners.my_actions_reply": {"POST": {"owner"}},
    # The reply page of a signed link: no login, but only with a valid link, for that owner's
    # request only (anything else is 403); its forms carry CSRF tokens like every other.
    "owners.reply": {"GET": ANONYMOUS},
    "owners.reply_item": {"POST": ANONYMOUS},
    # The manager reviews replies before they count, sends the requests and forwards from the outbox.
    "owners.updates": {"GET": EDITORS},
    "owners.decide": {"POST": EDITORS},
    "owners.send_requests": {"GET": EDITORS, "POST": EDITORS},
    "owners.outbox": {"GET": EDITORS},
    "owners.outbox_message": {"GET": EDITORS},
    # The owner records (name, business unit, the address their messages go to): kept by the manager.
    "owners.owner_list": {"GET": EDITORS},
    "owners.owner_edit": {"GET": EDITORS, "POST": EDITORS},
    # Which owner record a user answers for: on the user's page, like their role.
    "owners.user_owner": {"POST": ADMINS},
    # A background job's page and file: the person who started it (or an admin), checked in the view.
    "jobs.job": {"GET": READERS},
    "jobs.download": {"GET": READERS},
}

# Endpoints where the owner role is allowed only for the actions its Owner record owns
# (checked in the view, which knows the action).
OWNER_SCOPED = frozenset({"owners.my_actions_reply"})

# Endpoints open without a login but only to a signed link (tracker/owners/links.py): any other is 403.
TOKEN_SCOPED = frozenset({"owners.reply", "owners.reply_item"})

# Endpoints open only to the person who started the job, and to admins (checked in the view).
STARTER_SCOPED = frozenset({"jobs.job", "jobs.download"})

# Endpoints where roles that cannot publish reports see published reports only (drafts: 403).
PUBLISHED_ONLY = frozenset({"reports.report", "reports.download", "reports.workbook", "reports.pack_pdf",
                            "reports.pack_docx"})

# Capabilities used by templates to show only the actions a role can take.
CAPABILITIES: dict[str, frozenset] = {
    "update_status": EDITORS,
    "edit_plan": EDITORS,
    "assign_owner": ASSIGNERS,
    "manage_users": ADMINS,
    "import_plan": EDITORS,
    "publish_reports": EDITORS,
    "read_audit": ADMINS,
    "manage_public_page": ADMINS,
    "request_updates": EDITORS,
    "review_replies": EDITORS,
    "read_outbox": EDITORS,
    "answer_for_own_actions": frozenset({"owner"}),
    "map_elements": EDITORS,
    "rate_elements": EDITORS,
}


def allowed_roles(endpoint: str | None, method: str):
    rules = ACCESS.get(endpoint or "")
    if rules is None:
        return None
    if method == "HEAD":
        method = "GET"
    return rules.get(method)


def may(role: str | None, capability: str) -> bool:
    return role is not None and role in CAPABILITIES.get(capability, frozenset())


def _cell(endpoint: str, role: str) -> str:
    if role == "owner" and endpoint in OWNER_SCOPED:
        return "own actions"
    if endpoint in STARTER_SCOPED and role != "admin":
        return "own jobs"
    if endpoint in PUBLISHED_ONLY and role not in CAPABILITIES["publish_reports"]:
        return "published only"
    return "yes"


def render_markdown() -> str:
    """The table as docs/permissions.md: generated, never edited by hand."""
    roles = ("admin", "manager", "liaison", "committee", "owner")
    lines = ["# Who may do what", "",
             "Generated from `tracker/people/permissions.py` by `flask --app wsgi permissions`; "
             "a test fails when this file and the table disagree.", "",
             "| endpoint | method | anonymous | " + " | ".join(roles) + " |",
             "|---|---|---|" + "---|" * len(roles)]
    for endpoint in sorted(ACCESS):
        for method, allowed in sorted(ACCESS[endpoint].items()):
            if allowed == ANONYMOUS:
                cells = ["with a valid link" if endpoint in TOKEN_SCOPED else "yes"] * (len(roles) + 1)
            else:
                cells = ["sign in"] + [_cell(endpoint, r) if r in allowed else "403" for r in roles]
            lines.append(f"| `{endpoint}` | {method} | " + " | ".join(cells) + " |")
    lines += ["", "## Capabilities shown in pages", "",
              "| capability | " + " | ".join(roles) + " |", "|---|" + "---|" * len(roles)]
    for name, allowed in sorted(CAPABILITIES.items()):
        lines.append(f"| {name} | " + " | ".join("yes" if r in allowed else "no" for r in roles) + " |")
    return "\n".join(lines) + "\n"

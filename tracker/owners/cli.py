"""`flask --app wsgi reminders send`: for a daily cron job or systemd timer (README, "Reminders")."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..domain.dates import DateProblem, read_date
from ..transactions import commits_at_end

reminders_group = AppGroup("reminders", help="Remind owners who have not answered an update request.")


@reminders_group.command("send")
@click.option("--today", "today_text", default=None, metavar="DATE",
              help="Run as if on this date (default: today); for catching up after a missed run.")
@commits_at_end
def reminders_send(today_text: str | None):
    """Remind owners who have not answered, from REMINDER_DAYS_BEFORE days before the reply-by date
    until the meeting, and tell the manager who is still missing. Each owner is reminded once per
    request, so running it twice (the same day or every day) sends nothing twice."""
    from .operations import send_reminders

    try:
        today = read_date(today_text, "--today") if today_text else None
    except DateProblem as problem:
        raise click.BadParameter(str(problem), param_hint="--today") from None
    base_url = current_app.config.get("BASE_URL") or ""
    if not base_url:
        base_url = "http://127.0.0.1:5000"
        click.echo(f"BASE_URL is not set: reply links start with {base_url}", err=True)
    run = send_reminders(days_before=int(current_app.config["REMINDER_DAYS_BEFORE"]), base_url=base_url,
                         today=today)
    for request in run.reminded:
        click.echo(f"Reminded {request.owner.label} ({request.report.label})")
    click.echo(f"{len(run.reminded)} reminder{'s' if len(run.reminded) != 1 else ''} sent; "
               f"{run.managers_told} manager message{'s' if run.managers_told != 1 else ''} about who is missing")

"""Flask commands: seed, export, users. Each refuses bad input with a message and writes nothing.

A command that writes is decorated with ``commits_at_end``: the operations it calls only flush, and
its work is committed once when it returns (rolled back when it fails or exits with an error)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from .extensions import db
from .transactions import commits_at_end


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(export_command)
    app.cli.add_command(users_group)
    app.cli.add_command(permissions_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(import_command)
    from .reports.cli import report_command
    app.cli.add_command(report_command)
    from .owners.cli import reminders_group
    app.cli.add_command(reminders_group)
    app.cli.add_command(restore_command)
    app.cli.add_command(status_words_group)
    from .jobs.cli import jobs_group
    app.cli.add_command(jobs_group)


@click.command("import")
@with_appcontext
@commits_at_end
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--review", "review_code", required=True, help="Review code to import into (created if new).")
@click.option("--dry-run", is_flag=True, help="Show what would change and write nothing.")
@click.option("--map", "mappings", multiple=True, metavar="FIELD=COLUMN",
              help="Choose the column for one field, keeping the other guesses (repeatable), e.g. "
                   "--map measured_output=Update or --map ref=\"Column A\"; FIELD= (nothing) leaves the field out. "
                   "Fields: ref, title, theme, subtheme, measure_number, measure, measured_output, status, owner, "
                   "business_unit, target_date, recommendation, comment.")
@click.option("--header-row", "header_row", type=click.IntRange(min=1), default=None, metavar="N",
              help="The row holding the column headings, numbered as the file shows it (a sheet's row; "
                   "in Word or PDF, the row of the table). Guessed when left out.")
@click.option("--status-map", "status_words", multiple=True, metavar="WORD=CATEGORY",
              help="Map a status word the file uses to a category, e.g. --status-map Amber=in_progress")
def import_command(file: Path, review_code: str, dry_run: bool, mappings, header_row, status_words):
    """Import a tracker (.xlsx/.csv, or a table in .docx/.pdf) or committee paper (.docx/.pdf/.txt) into a review."""
    from .imports.columns import FIELDS
    from .imports.operations import apply_import, plan_file

    def pairs(values, what):
        result = {}
        for value in values:
            if "=" not in value:
                raise click.UsageError(f"{what} {value!r} must look like NAME=VALUE")
            key, _, val = value.partition("=")
            result[key.strip()] = val.strip()
        return result

    chosen = pairs(mappings, "--map")
    unknown = [name for name in chosen if name not in FIELDS]
    if unknown:
        raise click.UsageError(f"--map: no field {', '.join(unknown)}; the fields are {', '.join(FIELDS)}")
    status_map = pairs(status_words, "--status-map")
    _check_categories(status_map)
    plan = plan_file(file.read_bytes(), file.name, review_code, overrides=chosen,
                     status_map=status_map, header_row=header_row)
    if plan.header_row is not None:
        click.echo(f"Column headings: {plan.header_place}")
    if plan.mapping:
        click.echo("Columns: " + ", ".join(f"{k} <- {v!r}" for k, v in plan.mapping.items()))
    if plan.ignored:
        click.echo("Ignored columns: " + ", ".join(repr(c) for c in plan.ignored))
    for row in plan.status_words.rows:
        click.echo(f"Status {row.written!r}: {row.reason}")
    for note in plan.notes:
        click.echo(f"Note: {note}")
    if not plan.ok:
        click.echo(f"Nothing was imported: {len(plan.problems)} problem(s):", err=True)
        for problem in plan.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    p = plan.preview
    click.echo(f"{'New review ' + review_code + ': ' if p.new_review else ''}{len(p.create)} to create, "
               f"{len(p.update)} to update, {len(p.unchanged)} unchanged, {len(p.missing)} not in the file "
               "(left alone)")
    for ref, changes in p.update:
        click.echo(f"  {ref}: " + "; ".join(changes))
    if p.missing:
        click.echo("  Not in the file (kept): " + ", ".join(p.missing))
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    apply_import(plan, note=f"import {file.name}")
    click.echo(f"Imported: {len(p.create)} actions created, {len(p.update)} updated; every change is in the history.")
    if plan.status_words.to_remember:
        click.echo(f"Remembered for {plan.status_words.authority}'s next import: "
                   + ", ".join(repr(word) for word in plan.status_words.to_remember)
                   + " (see `flask status-words list`)")


def _check_categories(status_map: dict[str, str]) -> None:
    from .domain.status import CATEGORIES

    for word, category in status_map.items():
        if category not in CATEGORIES:
            raise click.UsageError(f"--status-map {word}={category}: {category!r} is not a status; "
                                   f"use one of {', '.join(CATEGORIES)}")


status_words_group = AppGroup("status-words", help="The status words each council has told us the meaning of.")


def _authority(name: str | None):
    from .models import Authority

    authorities = db.session.scalars(select(Authority).order_by(Authority.name)).all()
    if name:
        found = [a for a in authorities if a.name.casefold() == name.strip().casefold()]
        if not found:
            raise click.UsageError(f"No council is called {name!r}; the councils are: "
                                   + ", ".join(a.name for a in authorities))
        return found[0]
    if len(authorities) != 1:
        raise click.UsageError("Name the council with --authority; the councils are: "
                               + (", ".join(a.name for a in authorities) or "none yet"))
    return authorities[0]


@status_words_group.command("list")
@click.option("--authority", "authority_name", default=None, help="Only this council's words.")
def list_status_words(authority_name: str | None):
    """List the status words each council has told us the meaning of."""
    from .domain.status import CATEGORY_LABELS
    from .imports.status_words import told_on
    from .models import Authority
    from .plan.vocabulary import remembered

    authorities = [_authority(authority_name)] if authority_name else \
        db.session.scalars(select(Authority).order_by(Authority.name)).all()
    shown = 0
    for authority in authorities:
        words = remembered(authority.id)
        if words:
            click.echo(f"{authority.name}:")
        for word in words.values():
            who = f" by {word.created_by}" if word.created_by else ""
            click.echo(f"  {word.written!r} -> {CATEGORY_LABELS.get(word.category, word.category)} "
                       f"(told us on {told_on(word.created_at)}{who})")
            shown += 1
    if not shown:
        click.echo("No status words are remembered.")


@status_words_group.command("forget")
@click.argument("word")
@click.option("--authority", "authority_name", default=None,
              help="The council (needed when there is more than one).")
@commits_at_end
def forget_status_word_command(word: str, authority_name: str | None):
    """Forget what WORD means at a council: its next import asks again."""
    from .domain.status import CATEGORY_LABELS
    from .plan.vocabulary import forget_status_word

    authority = _authority(authority_name)
    forgotten = forget_status_word(authority, word)
    if forgotten is None:
        raise click.ClickException(f"{word!r} is not a remembered status word at {authority.name}; "
                                   "`flask status-words list` shows those that are")
    click.echo(f"Forgotten: {forgotten.written!r} ({CATEGORY_LABELS.get(forgotten.category, forgotten.category)}) "
               f"at {authority.name}; its next import will ask what it means.")


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path):
    """Write a consistent copy of the database to FILE (safe while the app runs)."""
    from .backup import BackupError, backup

    try:
        backup(db.engine, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up to {file}")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(file: Path):
    """Restore FILE (made by `backup`) into an empty database."""
    from .backup import BackupError, restore

    db.session.remove()
    try:
        restore(db.engine, file)
    except BackupError as exc:
        raise click.ClickException(f"{exc}") from exc
    click.echo(f"Restored {file}")


@click.command("permissions")
@with_appcontext
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def permissions_command(output: Path | None):
    """Print (or write) the role x route table as Markdown."""
    from .people.permissions import render_markdown

    if output:
        output.write_text(render_markdown(), encoding="utf-8")
    else:
        click.echo(render_markdown(), nl=False)


@click.command("seed")
@with_appcontext
@commits_at_end
@click.option("--dir", "seeds_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder with reviews/*.yaml and standards/*.yaml (default: seeds/).")
def seed_command(seeds_dir: Path | None):
    """Load the seed data. Running it again changes nothing."""
    from .imports.plan_data import PlanError
    from .imports.seed import load_seeds

    seeds_dir = seeds_dir or current_app.config["SEEDS_DIR"]
    try:
        summaries = load_seeds(seeds_dir)
    except PlanError as exc:
        click.echo(f"Nothing was loaded: {len(exc.problems)} problem(s) in {seeds_dir}:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    for name, summary in summaries.items():
        click.echo(f"{name}: {len(summary.created)} created, {len(summary.updated)} updated, "
                   f"{summary.unchanged} unchanged")
        for warning in summary.warnings:
            click.echo(f"  Warning: {warning}", err=True)


@click.command("export")
@with_appcontext
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx"]), default="json", show_default=True,
              help="json: the whole plan; xlsx: one review as a workbook (needs --review and --output)")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--review", "reviews", multiple=True, help="Only this review code (repeatable).")
@click.option("--split", "split_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="json: write a seeds folder (reviews/, standards/, mappings/, assessments/ as YAML) "
                   "that `seed --dir` loads back; the folder must be new or empty.")
def export_command(fmt: str, output: Path | None, reviews: tuple[str, ...], split_dir: Path | None):
    """Write the whole plan (reviews, recommendations, actions, measures, standards)."""
    from .exports.plan_json import export_all
    from .models import Review

    if split_dir is not None and (fmt != "json" or output):
        raise click.UsageError("--split writes a seeds folder from the json export: use it with --format json "
                               "and without --output")
    if split_dir is not None and split_dir.exists() and any(split_dir.iterdir()):
        raise click.UsageError(f"{split_dir} is not empty; --split writes only into a new or empty folder")

    known = set(db.session.scalars(select(Review.code)))
    unknown = [code for code in reviews if code not in known]
    if unknown:
        raise click.UsageError(f"no review with code {', '.join(unknown)}; known: {', '.join(sorted(known)) or 'none'}")
    if fmt == "xlsx":
        from .exports.plan_xlsx import write_review_workbook
        if len(reviews) != 1 or not output:
            raise click.UsageError("--format xlsx writes one review: give one --review and an --output file")
        from .exports.plan_json import export_data
        with output.open("wb") as handle:
            write_review_workbook(export_data(list(reviews))["reviews"][0], handle)
        click.echo(f"Wrote {output}", err=True)
        return
    if split_dir is not None:
        import yaml

        from .exports.plan_json import split_for_seed
        files = split_for_seed(export_all(list(reviews) or None))
        for name, data in files.items():
            path = split_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        click.echo(f"Wrote {len(files)} seed files to {split_dir}", err=True)
        return
    # Written piece by piece as the actions are read: memory stays flat however big the plan.
    from .exports.plan_json import export_chunks
    if output:
        with output.open("w", encoding="utf-8") as handle:
            handle.writelines(export_chunks(list(reviews) or None))
            handle.write("\n")
        click.echo(f"Wrote {output}", err=True)
    else:
        for chunk in export_chunks(list(reviews) or None):
            click.echo(chunk, nl=False)
        click.echo()


users_group = AppGroup("users", help="Manage user accounts.")


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True)
    line = sys.stdin.readline()
    if not line:
        raise click.ClickException("expected the password twice on standard input, one per line")
    return line.rstrip("\r\n")


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, help="admin, manager, liaison, committee or owner")
@click.option("--if-missing", is_flag=True,
              help="Do nothing (and succeed) when a user with this email already exists.")
@click.option("--owner", "owner_name", default=None,
              help='The owner record the account answers for: a name, or "Name (Business unit)".')
@commits_at_end
def users_create(email: str, name: str, role: str, if_missing: bool, owner_name: str | None):
    """Create a user; the password is asked twice (or read as two lines from standard input)."""
    from .people.auth import find_user_by_email
    from .people.operations import Refused, create_user

    # scripts/run creates the first admin on every start: the second start must be quiet, and
    # must not touch the existing account (its password or role may have changed since).
    if if_missing:
        existing = find_user_by_email(email)
        if existing is not None:
            click.echo(f"{existing.email} already exists, left as it is")
            return
    password = _read_password("Password")
    again = _read_password("Repeat password")
    if password != again:
        raise click.ClickException("the two passwords do not match; nothing was created")
    try:
        owner = None
        if owner_name is not None:
            from .owners.operations import find_owner
            owner = find_owner(owner_name)
        user = create_user(email=email, name=name, role=role, password=password)
        if owner is not None:
            from .owners.operations import link_owner
            link_owner(user, owner)
    except Refused as exc:
        raise click.ClickException(f"{exc}; nothing was created") from exc
    click.echo(f"Created {user.email} ({user.role})" + (f", owner of {owner.label}'s actions" if owner else ""))


@users_group.command("set-password")
@click.option("--email", required=True)
@commits_at_end
def users_set_password(email: str):
    """Set a user's password and end every session they have; asked twice (or two lines on standard input)."""
    from .people.auth import find_user_by_email
    from .people.operations import Refused, change_password

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user has the email address {email}; nothing was changed")
    password = _read_password("New password")
    again = _read_password("Repeat new password")
    if password != again:
        raise click.ClickException("the two passwords do not match; nothing was changed")
    try:
        change_password(user, password)
    except Refused as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from exc
    click.echo(f"Set a new password for {user.email}; their sessions have ended")

"""Starting the app (every `flask` command, every web and job worker) loads no heavy library:
pandas, WeasyPrint, pdfplumber, openpyxl, python-docx and Alembic are imported where they are used."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "weasyprint", "pdfplumber", "openpyxl", "docx", "alembic", "flask_migrate")


def _loaded_after(code: str) -> dict[str, bool]:
    env = {**os.environ, "TRACKER_CONFIG": "test"}
    script = code + f"\nimport json, sys\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_alembic_waits_for_a_db_command():
    loaded = _loaded_after("import wsgi")
    assert not loaded["alembic"] and not loaded["flask_migrate"]


def test_importing_the_app_loads_no_heavy_library():
    loaded = _loaded_after("import wsgi")
    assert [name for name, present in loaded.items() if present] == []


def test_the_reports_and_exports_load_their_libraries_only_when_used():
    loaded = _loaded_after("import tracker.reports.views, tracker.exports.views, tracker.reports.renderers.csv, "
                           "tracker.reports.renderers.xlsx, tracker.backup, tracker.health, tracker.cli")
    assert [name for name, present in loaded.items() if present] == []


def test_the_db_commands_still_work(app):
    result = app.test_cli_runner().invoke(args=["db", "--help"])
    assert result.exit_code == 0, result.output
    assert "upgrade" in result.output and "downgrade" in result.output
    heads = subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "db", "heads"], cwd=ROOT,
                           env={**os.environ, "TRACKER_CONFIG": "test"}, capture_output=True, text=True, timeout=120)
    assert heads.returncode == 0, heads.stderr
    assert "(head)" in heads.stdout


def test_flask_help_lists_the_db_commands_without_loading_them(app):
    result = app.test_cli_runner().invoke(args=["--help"])
    assert result.exit_code == 0
    assert "Perform database migrations." in result.output


def test_a_worker_does_not_hold_what_only_sign_in_or_an_upload_uses():
    """Every module imported at start is held by every worker for its whole life: the sign-in
    throttle's rate parser and the upload parser's process machinery load when first used."""
    script = ("import wsgi, json, sys\n"
              "print(json.dumps({m: m in sys.modules for m in ('limits', 'multiprocessing')}))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "TRACKER_CONFIG": "test"},
                            capture_output=True, text=True, timeout=120, check=True)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert [name for name, present in loaded.items() if present] == []

"""The import-linter contracts in pyproject.toml hold, and they do catch a broken import: the same
check on a copy of the code with one forbidden import added fails and names the import."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed (test extras)")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)})


def copy_of_the_code(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "tracker", tmp_path / "tracker", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_contract(tmp_path):
    result = lint_imports(copy_of_the_code(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module, line, contract", [
    ("domain/rollup.py", "from tracker.models import Action", "Domain rules know nothing"),
    ("domain/status.py", "import flask", "Domain rules know nothing"),
    ("models/plan.py", "from tracker.plan import views", "Tables import no features"),
    ("exports/plan_json.py", "from tracker.standards.views import bp", "Operations, seed loading"),
])
def test_a_forbidden_import_breaks_the_run(tmp_path, module, line, contract):
    code = copy_of_the_code(tmp_path)
    target = code / "tracker" / module
    # At the end, inside a function: the contract is about the import graph, not about import order.
    target.write_text(target.read_text(encoding="utf-8") + f"\n\ndef _smuggled():\n    {line}\n", encoding="utf-8")
    result = lint_imports(code)
    assert result.returncode != 0, result.stdout
    # The summary line of that contract: "<name> KEPT|BROKEN [(n ignored imports)]".
    verdicts = re.findall(rf"^{re.escape(contract)}.* (KEPT|BROKEN)\b", result.stdout, re.MULTILINE)
    assert verdicts == ["BROKEN"], result.stdout

"""The import-linter contracts in pyproject.toml hold, and they do catch a broken import: the same
check on a copy of the code with one forbidden import added fails and names the import. The tests keep
a rule of their own: no test module imports from another."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

needs_lint_imports = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed (test extras)")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)})


def copy_of_the_code(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "tracker", tmp_path / "tracker", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@needs_lint_imports
def test_the_code_keeps_every_contract(tmp_path):
    result = lint_imports(copy_of_the_code(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@needs_lint_imports
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


# --- tests import helpers, never other tests ---

def imports_of_test_modules(folder: Path) -> list[str]:
    """Every import, in the test tree under ``folder``, of a test module (``test_*``): "path:line module"."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] == "tests"):
                base = "." * node.level + (node.module or "")
                # "from tests.web import test_x" names the module among what it imports
                modules = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for module in modules:
                if module.rsplit(".", 1)[-1].startswith("test_"):
                    found.append(f"{path.relative_to(folder.parent)}:{node.lineno} {module}")
    return found


def test_no_test_module_imports_from_another():
    """Shared helpers and data live in helper modules (tests/client.py, tests/web/files.py, tests/web/plans.py,
    tests/browser/journeys.py …): a test module imported by another ties the two together, and its
    tests would be collected twice if the names were star-imported."""
    assert imports_of_test_modules(ROOT / "tests") == []


@pytest.mark.parametrize("line", ["from tests.web.test_imports import xlsx", "from tests.web import test_imports",
                                  "import tests.web.test_imports", "from .test_imports import xlsx"])
def test_an_import_from_a_test_module_is_caught(tmp_path, line):
    (tmp_path / "tests" / "web").mkdir(parents=True)
    (tmp_path / "tests" / "web" / "files.py").write_text("import io\nfrom tests.client import Page\n", encoding="utf-8")
    (tmp_path / "tests" / "web" / "test_new.py").write_text(f"def helper():\n    {line}\n", encoding="utf-8")
    found = imports_of_test_modules(tmp_path / "tests")
    assert len(found) == 1 and found[0].startswith("tests/web/test_new.py:2 "), found

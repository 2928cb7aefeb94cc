"""Apps never import the project package `steward` (DESIGN.md's one-way arrows,
issue 12): directory, review, impact and history reach the home page and the
periodic-job contract through directory."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("directory", "review", "impact", "history")


def project_imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        found += [n for n in names if n == "steward" or n.startswith("steward.")]
    return found


@pytest.mark.parametrize("app", APPS)
def test_an_app_never_imports_the_project_package(app):
    offenders = {
        str(path.relative_to(ROOT)): names
        for path in sorted((ROOT / app).rglob("*.py"))
        if (names := project_imports(path))
    }
    assert offenders == {}


def test_the_check_finds_an_import_of_the_project(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from steward.models import HomePage\n")
    assert project_imports(sample) == ["steward.models"]

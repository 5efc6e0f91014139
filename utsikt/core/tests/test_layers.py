"""Arrows point down: core imports no app, so every app can build on it.

Core's own tests may import apps (they sign in demo personas); this test skips them.
"""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent


def _imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _reaches_into_an_app(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "utsikt" and len(parts) > 1 and parts[1] != "core"


def test_core_imports_no_app() -> None:
    upward = {
        f"{path.relative_to(CORE)}: {module}"
        for path in CORE.rglob("*.py")
        if "tests" not in path.relative_to(CORE).parts
        for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if _reaches_into_an_app(module)
    }
    assert sorted(upward) == []


def test_the_layer_check_sees_imports_of_every_form() -> None:
    source = (
        "import utsikt.accounts.models\n"
        "from utsikt import mobility\n"
        "from utsikt.core import access\n"
        "def f():\n    from utsikt.grants.reference import load\n"
    )
    upward = {m for m in _imported_modules(ast.parse(source)) if _reaches_into_an_app(m)}
    assert upward == {
        "utsikt.accounts.models",
        "utsikt.mobility",
        "utsikt.grants.reference",
        "utsikt.grants.reference.load",
    }

"""The client, the patch logic and the sandbox never import Textual (DESIGN.md §2)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sendkit_tui"
TEXTUAL_FREE = [
    PACKAGE / "api",
    PACKAGE / "sandbox",
    PACKAGE / "domain",
    PACKAGE / "storage",
    PACKAGE / "bulk",
    PACKAGE / "patch.py",
    PACKAGE / "identity.py",
]


def _modules(path: Path) -> list[Path]:
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _imports(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_textual_import_in_the_textual_free_layers():
    offenders = []
    for root in TEXTUAL_FREE:
        modules = _modules(root)
        assert modules, f"{root} is missing"
        for module in modules:
            bad = {n for n in _imports(module) if n == "textual" or n.startswith("textual.")}
            if bad:
                offenders.append(f"{module.relative_to(PACKAGE)}: {sorted(bad)}")
    assert offenders == []


def test_importing_them_loads_no_textual_module():
    code = (
        "import sys, sendkit_tui.api, sendkit_tui.domain.patch, sendkit_tui.sandbox\n"
        "import sendkit_tui.domain.rules\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_tui_does_not_import_the_sandbox_unless_asked():
    code = (
        "import sys, sendkit_tui.ui.app, sendkit_tui.cli.entry\n"
        "print(sorted(m for m in sys.modules if m.startswith('sendkit_tui.sandbox')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

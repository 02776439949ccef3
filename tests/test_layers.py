"""Layer rules checked at run time.

The static rules (which package may import which, no Textual below the UI, no cycles)
are import-linter contracts in pyproject.toml, run by ``make test``. These tests check
what a static graph cannot: which modules actually get loaded.
"""

from __future__ import annotations

import subprocess
import sys


def test_importing_them_loads_no_textual_module():
    code = (
        "import sys, sendkit_tui.api, sendkit_tui.domain.patch, sendkit_tui.sandbox\n"
        "import sendkit_tui.domain.rules, sendkit_tui.patch\n"
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

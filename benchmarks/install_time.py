"""Figure (opt-in, ``--install``): ``make demo`` on a fresh machine to the first lead drawn.

Runs ``make demo VENV=<empty temporary folder>`` on a pseudo-terminal with pip's cache
turned off (``PIP_NO_CACHE_DIR=1``), as on a machine that never installed anything, and
stops the clock when the demo's first lead reaches the terminal. It downloads every package
the Makefile installs, so it is left out of the default run.
"""

from __future__ import annotations

import os
import tempfile

from benchmarks.common import Report, Row, SandboxProcess, Settings
from benchmarks.pty_run import Pty
from benchmarks.startup import first_email

GOAL_S = 30.0


def run(settings: Settings, report: Report, demo: SandboxProcess | None) -> None:
    if demo is None:
        report.add(
            Row(
                "make demo, fresh machine → first lead (--install)",
                None,
                None,
                "s",
                f"≤ {GOAL_S:.0f} s",
                note="not run",
            )
        )
        return
    leads = first_email(demo)
    with tempfile.TemporaryDirectory(prefix="bench-install-") as tmp:
        env = {
            **os.environ,
            "PIP_NO_CACHE_DIR": "1",
            "XDG_CONFIG_HOME": f"{tmp}/config",
            "XDG_DATA_HOME": f"{tmp}/data",
        }
        with Pty(["make", "demo", f"VENV={tmp}/venv"], env) as term:
            shown = term.wait_for(leads, 900)
    seconds = shown - term.started
    report.add(
        Row(
            "make demo, fresh machine → first lead",
            seconds,
            None,
            "s",
            f"≤ {GOAL_S:.0f} s",
            seconds <= GOAL_S,
        )
    )
    report.notes.append("make demo: pip's cache off, one run (it downloads every package)")

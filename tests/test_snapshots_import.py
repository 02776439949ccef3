"""Snapshots of the import screen's mapping editor (pytest-textual-snapshot).

Deterministic as in ``test_snapshots.py``: a steady cursor, a relative file path, a fixed
terminal size; the file's rows are counted on a worker that ``settle`` waits for.
"""

from __future__ import annotations

import pytest

from tests.typing_support import burst
from tests.ui_support import make_app, settle

# LinkedIn's Connections.csv columns plus an owner (noise) and an unknown column; one value
# looks like markup and must be drawn as typed.
CSV = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On,Owner,Met at\n"
    "Ada,Lovelace,https://www.linkedin.com/in/ada-example,ada@analytical.example,"
    "Analytical Engines,Chief Mathematician,14 Mar 2024,Sam Owner,[bold]London\n"
    "Alan,Turing,https://www.linkedin.com/in/alan-example,alan@bletchley.example,"
    '"Bletchley Park, Ltd",Cryptanalyst,30 Jun 2022,Sam Owner,Manchester\n'
    "Grace,Hopper,https://www.linkedin.com/in/grace-example,not-an-email,"
    "Navy Computing,Rear Admiral,02 Jan 2023,Sam Owner,Arlington\n"
)

STATES = {
    "auto-mapped": (),
    "picker": ("down", "down", "down", "down", "enter", "=co"),
    "custom-name": ("down", "down", "down", "down", "down", "enter", "=custom", "enter"),
    "clash": ("enter", "=last name", "enter", "ctrl+s"),
    "changed": ("down", "down", "down", "down", "delete", "down", "down", "delete"),
}


def run_with(*keys):
    async def run_before(pilot):
        await settle(pilot)
        burst(pilot.app, "i", "=leads.csv", "enter", *keys)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("state", list(STATES))
def test_mapping_editor(sandbox, tmp_path, snap_compare, monkeypatch, state, size):
    """auto-mapped: the layout named, noise columns said, the preview; picker: "co" typed;
    custom-name: the name box holds the header; clash: both rows marked, ctrl+s refused;
    changed: a column skipped and a noise column kept, the preview without them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "leads.csv").write_text(CSV, encoding="utf-8")
    app = make_app(sandbox, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=run_with(*STATES[state]))

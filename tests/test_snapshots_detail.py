"""Snapshots of the leads list with the detail pane (p) open.

Deterministic as in tests/test_snapshots.py: seeded sandbox data with fixed timestamps, a
steady cursor, toasts off, a fixed terminal size. Each waits until the pane holds the full
lead (the GET goes out once the highlight has rested), so no frame shows a half-loaded pane.
"""

from __future__ import annotations

from sendkit_tui.ui.widgets.lead_detail import LeadDetail
from tests.typing_support import burst
from tests.ui_support import make_app, settle

WAIT_STEPS = 400


def keys_then_full(*keys: str):
    """run_before: type ``keys``, then wait (bounded) until the pane shows the full lead."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        burst(pilot.app, *keys)
        for _ in range(WAIT_STEPS):
            await settle(pilot)
            detail = pilot.app.screen.query_one(LeadDetail)
            current = pilot.app.screen.table.current()
            if detail.full is not None and current is not None and detail.row.id == current.id:
                return
            await pilot.pause(0.01)
        raise AssertionError("the pane never showed the full lead")

    return run_before


class TestDetailPane:
    def test_beside_the_list_120x40(self, sandbox, tmp_path, snap_compare):
        """120x40: the pane beside the list, the list's columns re-fitted to what is left."""
        app = make_app(sandbox, tmp_path)
        assert snap_compare(app, terminal_size=(120, 40), run_before=keys_then_full("p"))

    def test_focused_on_a_value_120x40(self, sandbox, tmp_path, snap_compare):
        """The pane focused (l), the cursor three values down (j j j): Company."""
        app = make_app(sandbox, tmp_path)
        run_before = keys_then_full("down", "down", "p", "l", "j", "j", "j")
        assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)

    def test_wide_200x50(self, sandbox, tmp_path, snap_compare):
        """200x50: the pane at its widest, the list keeps every column."""
        app = make_app(sandbox, tmp_path)
        assert snap_compare(app, terminal_size=(200, 50), run_before=keys_then_full("p"))

    def test_narrow_80x24(self, sandbox, tmp_path, snap_compare):
        """80x24: the pane below the list; the footer keeps the essential keys."""
        app = make_app(sandbox, tmp_path)
        assert snap_compare(app, terminal_size=(80, 24), run_before=keys_then_full("p"))

"""Snapshot of the create form's duplicate check (pytest-textual-snapshot).

Deterministic as in tests/test_snapshots.py: seeded sandbox data, a steady cursor, toasts
off, a fixed terminal size; the snapshot is taken once the lookup has answered.
"""

from __future__ import annotations

from tests.test_duplicate_check import wait_until
from tests.typing_support import burst
from tests.ui_support import make_app, settle

SIZE = (120, 40)


def test_existing_email_is_said_under_the_field(sandbox, tmp_path, snap_compare):
    """An existing lead's email typed, then a first name: the warning line under Email names
    the lead and ctrl+o ("Open existing" in the footer); nothing was saved."""
    sandbox.add_leads(
        [{"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace",
          "companyName": "Acme"}]
    )  # fmt: skip

    async def run_before(pilot):
        await settle(pilot)
        burst(pilot.app, "n")
        await settle(pilot)
        form = pilot.app.screen
        burst(pilot.app, "=Ada@Example.com", "tab", "=Augusta")
        await wait_until(pilot, lambda: form.duplicate is not None, "the duplicate")
        await settle(pilot)

    app = make_app(sandbox, tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

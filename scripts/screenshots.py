"""Write SVG screenshots of each screen to a folder (``make screenshots``).

Runs the real app headless against a seeded sandbox. The key is the sandbox's
fake demo key and never appears on screen.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import tempfile
from pathlib import Path

from textual import events
from textual.widgets import Input, TextArea

from sendkit_tui.sandbox import DEMO_WORKSPACE_KEY, SandboxServer
from sendkit_tui.storage.config import Config
from sendkit_tui.storage.credentials import Credential, CredentialStore, KeySource
from sendkit_tui.storage.drafts import DraftStore
from sendkit_tui.ui.app import Connection, SendKitApp

SIZE = (120, 40)


class SteadyCursorApp(SendKitApp):
    """Text cursors that never blink (Textual's public ``cursor_blink``): identical files."""

    # Textual reads a relative CSS_PATH next to the subclass's module: point at the app's.
    CSS_PATH = Path(inspect.getfile(SendKitApp)).parent / str(SendKitApp.CSS_PATH)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input | TextArea):
            event.widget.cursor_blink = False


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def make_app(server: SandboxServer, drafts: Path, *, signed_in: bool = True) -> SteadyCursorApp:
    conn = Connection(base_url=server.url, profile="shots", demo=True)
    if signed_in:
        conn.credential = Credential(DEMO_WORKSPACE_KEY, KeySource.DEMO, "shots")
    return SteadyCursorApp(
        conn,
        config=Config(),
        credentials=CredentialStore("shots", env={}),
        drafts=DraftStore(drafts),
    )


async def shoot(out: Path) -> list[Path]:
    written: list[Path] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        SandboxServer(api_key=DEMO_WORKSPACE_KEY, seed=60) as server,
    ):
        drafts = Path(tmp) / "drafts"

        async def save(app, name: str) -> None:
            path = out / f"{name}.svg"
            app.save_screenshot(filename=path.name, path=str(out))
            written.append(path)

        app = make_app(server, drafts)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await save(app, "leads")
            await pilot.press("n")
            await settle(pilot)
            await save(app, "create-empty")
            form = app.screen.form
            form.box("email").value = "jane@"
            form.box("phone").value = "call me maybe"
            form.box("linkedinUrl").value = "linkedin.com/in/jane"
            await pilot.press("ctrl+s")
            await settle(pilot)
            await save(app, "create-invalid")
            await pilot.press("escape", "y")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            grid = screen.form.grid
            rows = grid.model.rows()
            if rows:
                grid.model.set_custom_value(0, "changed value")
            if len(rows) > 1:
                grid.model.delete_custom(1)
            grid.refresh_view()
            grid.key_input.value, grid.value_input.value = "owner", "sam"
            grid.commit()
            screen.form.tags.add("follow-up")
            await settle(pilot)
            await save(app, "edit-changes")
            await pilot.press("ctrl+r")
            await settle(pilot)
            await save(app, "edit-review")
        login = make_app(server, drafts, signed_in=False)
        login.credentials = CredentialStore("shots-none", env={})
        async with login.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await save(login, "login")
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(shoot(out)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

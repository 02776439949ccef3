"""Helpers for driving the real app against the real sandbox in tests."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from sendkit_tui.storage.config import Config
from sendkit_tui.storage.credentials import Credential, CredentialStore, KeySource
from sendkit_tui.storage.drafts import DraftStore
from sendkit_tui.ui.app import Connection, SendKitApp


class Sleeps:
    """A stand-in for asyncio.sleep that records delays and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


class SteadyCursorApp(SendKitApp):
    """The app with text cursors that never blink (Textual's public ``cursor_blink``), so a
    snapshot or a frame does not depend on when it was taken."""

    # Textual reads a relative CSS_PATH next to the subclass's module: point at the app's.
    CSS_PATH = Path(inspect.getfile(SendKitApp)).parent / str(SendKitApp.CSS_PATH)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input | TextArea):
            event.widget.cursor_blink = False


def make_app(
    sandbox: Any,
    tmp_path: Path,
    *,
    key: str | None = None,
    source: KeySource = KeySource.SESSION,
    workspace_id: str | None = None,
    client_options: dict[str, Any] | None = None,
    credential: bool = True,
) -> SendKitApp:
    connection = Connection(base_url=sandbox.url, profile="test", workspace_id=workspace_id)
    if credential:
        connection.credential = Credential(
            key=key or sandbox.api_key, source=source, profile="test"
        )
    options = {"sleep": Sleeps()}
    options.update(client_options or {})
    return SteadyCursorApp(
        connection,
        config=Config(),
        credentials=CredentialStore("test", env={}),
        drafts=DraftStore(tmp_path / "drafts"),
        client_options=options,
    )


@asynccontextmanager
async def open_app(
    sandbox: Any, tmp_path: Path, *, size: tuple[int, int] = (120, 40), **kwargs: Any
) -> AsyncIterator[tuple[SendKitApp, Pilot]]:
    app = make_app(sandbox, tmp_path, **kwargs)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot


async def settle(pilot: Pilot) -> None:
    """Let workers finish and the screen catch up (no sleeping for time). A worker the app
    cancels meanwhile (a page asked for again, a check replaced) counts as finished."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def typed_while_creates_are_slow(
    app: SendKitApp,
    pilot: Pilot,
    sandbox: Any,
    *keys: str,
    delay: float,
    count: int = 1,
    settled: bool = True,
) -> Any:
    """``keys`` typed at once (``burst``) while SendKit answers the next ``count`` creates
    ``delay`` seconds late; the screen once all is settled, or (``settled=False``) as soon
    as the keys are handled, with the answers still to come."""
    from tests.typing_support import burst

    sandbox.inject("slow", method="POST", delay=delay, count=count)
    burst(app, *keys)
    if settled:
        await settle(pilot)
    else:
        await pilot.pause()
    return app.screen


def record_notifications(app: Any, monkeypatch: Any) -> list[str]:
    """The text of every notification ``app`` shows from now on (shown as usual too)."""
    seen: list[str] = []
    original = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(message))
        return original(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return seen


async def wait_until(pilot: Pilot, condition: Any, what: str, tries: int = 250) -> None:
    """Poll ``condition`` while the app runs, for what takes real time (a sandbox delay, a
    debounce); bounded: fails after ``tries`` short pauses."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def open_lead_by_keys(app: SendKitApp, pilot: Pilot, lead_id: str) -> Any:
    """From the list: the cursor on ``lead_id``, enter (as typed), the edit screen open."""
    from sendkit_tui.ui.screens.edit_lead import EditLeadScreen
    from sendkit_tui.ui.screens.leads import LeadsScreen
    from tests.typing_support import burst

    listing = app.screen
    assert isinstance(listing, LeadsScreen)
    listing.table.move_cursor(row=listing.table.get_row_index(lead_id))
    burst(app, "enter")
    await settle(pilot)
    assert isinstance(app.screen, EditLeadScreen)
    return app.screen


def requests_to(sandbox: Any, method: str, path_prefix: str = "/v1/leads") -> list[Any]:
    return [r for r in sandbox.requests if r.method == method and r.path.startswith(path_prefix)]


def server_leads(sandbox: Any, **params: Any) -> list[dict[str, Any]]:
    """The first page of the workspace's leads, straight from the sandbox over HTTP."""
    import httpx

    response = httpx.get(
        f"{sandbox.url}/v1/leads",
        params={"limit": 100, **params},
        headers={"X-Api-Key": sandbox.api_key},
    )
    response.raise_for_status()
    sandbox.clear_requests()
    return response.json()["data"]


def fill(screen: Any, values: dict[str, str]) -> None:
    """Set form fields as if typed (Changed events fire; faster than key presses)."""
    for field, value in values.items():
        screen.form.box(field).value = value


def focused_id(app: SendKitApp) -> str | None:
    focused = app.focused
    return focused.id if focused is not None else None


def input_value(app: SendKitApp, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


class MemoryKeyring:
    """Builds an in-memory keyring backend (so no test ever touches a real keyring)."""

    @staticmethod
    def backend() -> Any:
        import keyring.backend

        class _Memory(keyring.backend.KeyringBackend):
            priority = 1

            def __init__(self) -> None:
                super().__init__()
                self.items: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.items.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.items[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.items.pop((service, username), None)

        return _Memory()


@pytest.fixture
def memory_keyring() -> Iterator[Any]:
    """An in-memory keyring for one test; the previous backend comes back afterwards."""
    import keyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring.backend()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)

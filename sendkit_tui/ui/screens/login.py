"""Sign in: paste a key, we verify it, store it in the keyring, pick a workspace."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from dataclasses import dataclass

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sendkit_tui.domain.rules import check_api_key, key_kind
from sendkit_tui.storage.credentials import Credential, KeySource
from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.keys import caught_up
from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.key_bar import KeyBar
from sendkit_tui.ui.widgets.title_bar import TitleBar


@dataclass
class LoginResult:
    credential: Credential
    workspace_id: str | None
    workspace_name: str | None
    note: str = ""


HOLD = 2.0
"""Seconds the keys typed after enter wait for the key check: a paste of the key, enter and
a new lead goes to the list once signed in, not into the key box. A slower check lets them
through, and the key box is closed to them until it is over."""


class LoginScreen(Screen[LoginResult | None]):
    app = getters.app(AppContext)
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="login.cancel"),
        # Priority: enter takes the key as typed before it, and holds the keys after it.
        Binding("enter", "submit_key", "Sign in", show=False, priority=True),
    ]

    def __init__(self, reason: str = "", *, credential: Credential | None = None) -> None:
        super().__init__(id="login-screen")
        self.reason = reason
        self.credential = credential  # set when only the workspace is missing
        self.failed = False  # an error is shown (the key was refused, or could not be checked)
        self._over: asyncio.Future[None] | None = None  # the check's end, waited for by enter

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="login-box"):
            yield Static("Sign in to SendKit", classes="dialog-title")
            yield Static(safe(self.reason), id="login-reason")
            yield Static(
                "Paste an API key from SendKit: a workspace key (sk_…) or a platform key "
                "(sk_user_…). It is checked with SendKit, then kept in your system keyring.",
                id="login-help",
            )
            yield Input(placeholder="sk_…", password=True, id="login-key")
            yield Static("", id="login-error", markup=False)
            yield OptionList(id="login-workspaces")
            yield Static("", id="login-note", markup=False)
            yield Static(
                "Tip: SENDKIT_API_KEY in the environment overrides any stored key.",
                id="login-tip",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Sign in"
        self.query_one(OptionList).display = False
        if (
            self.app.connection.credential
            and self.app.connection.credential.source == KeySource.ENV
        ):
            self.query_one("#login-tip", Static).update(
                "The key in SENDKIT_API_KEY is in use. A key entered here is used for this "
                "run; unset SENDKIT_API_KEY to use a stored key."
            )
        if self.credential is not None:
            self.query_one("#login-key", Input).display = False
            self._verify(self.credential.key, store=False)
        else:
            self.query_one("#login-key", Input).focus()

    def error(self, message: str) -> None:
        self.failed = bool(message)
        self.query_one("#login-error", Static).update(safe(message))

    @property
    def key_input(self) -> Input:
        return self.query_one("#login-key", Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit_key":
            return self.focused is self.key_input  # the workspace list takes its own enter
        return True

    async def action_submit_key(self) -> None:
        """Check the key typed before this enter; the keys typed after it wait (``HOLD``)."""
        key_input = self.key_input
        await caught_up(key_input)
        key = key_input.value.strip()
        problem = check_api_key(key)
        if problem:
            self.error(problem)
            return
        self.error("")
        worker = self._verify(key, store=True)

        async def over() -> None:
            with suppress(Exception):  # refused, failed or cancelled: the worker says so
                await worker.wait()

        self._over = asyncio.ensure_future(over())  # kept: it may outlast the hold
        await asyncio.wait({self._over}, timeout=HOLD)
        if self.is_active and (not worker.is_finished or self.failed):
            # Still checking, or refused: the keys typed after enter were meant for the
            # list. They pass (to this screen, which has no use for them) while the key box
            # is closed; a refused key stays as it was typed, to be corrected.
            key_input.disabled = True
            if worker.is_finished:
                self.app.call_later(self._checked)  # after the keys queued behind enter
            else:
                self.query_one("#login-note", Static).update(
                    "Still checking the key with SendKit… (escape cancels)"
                )

    @work(group="login", exclusive=True, exit_on_error=False)
    async def _verify(self, key: str, *, store: bool) -> None:
        from sendkit_tui.api import AuthError, SendKitClient
        from sendkit_tui.domain.wording import explain

        self.query_one("#login-note", Static).update("Checking the key with SendKit…")
        client = SendKitClient(key, base_url=self.app.connection.base_url)
        try:
            workspaces = await client.list_workspaces()
        except AuthError:
            self._checked()
            self.error("SendKit did not accept this key. Check that you copied all of it.")
            return
        except Exception as error:
            self._checked()
            self.error(explain(error))
            return
        finally:
            await client.aclose()
        self._checked()
        note = ""
        source = KeySource.SESSION
        if store and not self.app.connection.demo:
            stored = await self.app.credentials.store(key)
            source = stored.source
            note = stored.message
        elif self.credential is not None:
            source = self.credential.source
        credential = Credential(key=key, source=source, profile=self.app.connection.profile)
        if key_kind(key) == "platform" and len(workspaces) != 1:
            self._choose(credential, workspaces, note)
            return
        workspace = workspaces[0] if workspaces else None
        result = LoginResult(
            credential,
            workspace.id if workspace and key_kind(key) == "platform" else None,
            workspace.name if workspace else None,
            note,
        )
        self._finish(result)

    def _checked(self) -> None:
        """The check is over: the key box is open again (if a slow check closed it)."""
        self.query_one("#login-note", Static).update("")
        key_input = self.key_input
        if key_input.disabled:
            key_input.disabled = False
            key_input.focus()

    def _finish(self, result: LoginResult) -> None:
        """Signed in. A note (the key is kept for this run only) is shown over the list: an
        enter to read it here would take the keys typed after the first one."""
        self.dismiss(result)

    def _choose(self, credential: Credential, workspaces: list, note: str) -> None:
        self.query_one("#login-note", Static).update(safe(note))
        options = self.query_one(OptionList)
        options.clear_options()
        if not workspaces:
            self.error("This key has no workspaces. Create one in SendKit first.")
            return
        self._choices = (credential, workspaces, note)
        options.add_options([Option(safe(f"{ws.name}  ({ws.id})"), id=ws.id) for ws in workspaces])
        options.display = True
        options.highlighted = 0
        options.focus()
        self.query_one("#login-help", Static).update("Choose the workspace to open:")

    @on(OptionList.OptionSelected, "#login-workspaces")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        credential, workspaces, note = self._choices
        chosen = next(ws for ws in workspaces if ws.id == event.option.id)
        self.dismiss(LoginResult(credential, chosen.id, chosen.name, ""))
        if note:
            self.app.notify(note, title="API key", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)

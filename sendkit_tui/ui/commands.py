"""The command palette's commands, help, workspace switching, sign-out and the theme.

Mixed into ``SendKitApp``; needs its ``connection``, ``config``, ``credentials``, ``client``
and ``request_login``.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.screen import Screen

from sendkit_tui.storage.config import save_config
from sendkit_tui.ui.base.bulk_edit_flow import undo_last_bulk_edit
from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.saved_views import SavedViewCommands, ask_to_save_view

if TYPE_CHECKING:
    from sendkit_tui.ui.screens.leads import LeadsScreen


class AppCommands(AppContext):
    """The palette and its commands, as part of the app (``SendKitApp`` derives from it)."""

    COMMANDS = App.COMMANDS | {SavedViewCommands}  # "Open view: NAME", one per saved view
    leads: LeadsScreen | None

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from sendkit_tui.ui.base.save_undo import SaveUndo  # loaded with the edit form

        yield from super().get_system_commands(screen)
        leads = self.leads
        if leads is not None:
            yield SystemCommand("New lead", "Open the create-lead form", leads.action_new_lead)
            yield SystemCommand("Refresh leads", "Reload the list from SendKit", leads.reload)
            yield SystemCommand(
                "Import CSV", "Bulk-import leads from a file", leads.action_import_csv
            )
            yield SystemCommand("Export CSV", "Save the list's current view", leads.action_export)
            yield SystemCommand(
                "Bulk edit", "Tag or set fields on the marked leads", leads.action_bulk_edit
            )
            yield SystemCommand(
                "Undo last bulk edit",
                "Take back the last bulk edit on this server and workspace",
                lambda: undo_last_bulk_edit(leads),
            )
            if screen is leads and not self.open_forms:  # no form holds one of them now
                yield SystemCommand(
                    "Drafts",
                    "Unsent work kept from earlier: restore it or discard it",
                    lambda: self.offer_drafts(asked=True),
                )
            yield SystemCommand(
                "Save view…",
                "Name the current search and tag filter, to open again later",
                lambda: ask_to_save_view(self, leads),
            )
        if isinstance(screen, SaveUndo):  # the edit form
            yield SystemCommand(
                "Undo last save", "Send back what the last save changed", screen.action_undo_save
            )
            yield SystemCommand(
                "Lead history", "What each save of this lead changed", screen.action_history
            )
        yield SystemCommand("Switch workspace", "Pick another workspace", self.switch_workspace)
        yield SystemCommand("Sign in with another key", "Open the login screen", self._relogin)
        yield SystemCommand("Sign out", "Remove the stored key of this profile", self._logout)
        yield SystemCommand("Help", "Keys of the current screen", self.action_help)

    def action_help(self) -> None:
        from sendkit_tui.ui.dialogs.help import HelpScreen, help_rows

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(
            HelpScreen(
                self.screen.sub_title or self.sub_title,
                help_rows(self.screen, self.config.keymap),
            )
        )

    def switch_workspace(self) -> None:
        credential = self.connection.credential
        if credential is None or self.client is None:
            self.request_login("Sign in first.")
            return
        if self.client.key_kind != "platform":
            self.notify(
                "This is a workspace key (sk_…): it opens one workspace only. Sign in with a "
                "platform key (sk_user_…) to switch.",
                markup=False,
            )
            return
        self.connection.workspace_name = None
        self.request_login("Choose the workspace to open.", choose_workspace=True)

    def _relogin(self) -> None:
        self.request_login("Paste the API key to use.")

    def _logout(self) -> None:
        self.run_worker(self._remove_key(), group="credentials", exit_on_error=False)

    async def _remove_key(self) -> None:
        if self.connection.demo:
            self.notify("The demo uses a built-in key; nothing is stored.", markup=False)
            return
        removed = await self.credentials.delete()
        what = ", ".join(removed) if removed else "nothing was stored"
        self.notify(f"Signed out: {what}.", markup=False)
        self.request_login("Signed out. Paste a key to continue.")

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's "Screenshot": an SVG (0600: it shows leads) in the current directory,
        else in the app's data directory, and a plain-text toast saying where. Textual's own
        writes to ~/Downloads, which may not exist, and its toast is markup."""
        import os
        from pathlib import Path

        import platformdirs

        from sendkit_tui.identity import APP_NAME
        from sendkit_tui.storage.files import ensure_private_dir

        def data_dir() -> str:
            where = platformdirs.user_data_path(APP_NAME, appauthor=False) / "screenshots"
            ensure_private_dir(where)
            return str(where)

        places = [("the directory", lambda: path)] if path else []
        places = places or [
            ("the current directory", lambda: str(Path.cwd())),
            ("the data directory", data_dir),
        ]
        problems = []
        for label, place in places:
            try:
                saved = self.save_screenshot(filename, place(), time_format)
            except OSError as error:
                problems.append(f"{error.filename or label}: {error.strerror or error}")
                continue
            with suppress(OSError):
                os.chmod(saved, 0o600)
            self.notify(f"Screenshot saved to {saved}", title="Screenshot", markup=False)
            return saved
        why = "; ".join(problems)
        self.notify(f"Could not save the screenshot ({why}).", severity="error", markup=False)
        return None

    def watch_theme(self, theme: str) -> None:
        if self.connection.demo or theme == self.config.theme or not self.is_running:
            return
        self.config.theme = theme
        with suppress(OSError, ValueError):  # a nicety: never interrupt the user over it
            save_config(self.config)

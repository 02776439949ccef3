"""The login screen over whatever is open, and what its answer changes.

Mixed into ``SendKitApp``: a missing or refused key (``KeyNeeded``, a 401) opens the login
screen on top of the current screen, so nothing typed underneath is lost; the key chosen
there is used from then on, and the workspace picked is remembered in the config.
"""

from __future__ import annotations

from typing import Any

from sendkit_tui.storage.config import save_config


class LoginFlow:
    """Mixed into ``SendKitApp``."""

    _login_open = False
    connection: Any
    config: Any
    client: Any
    connect: Any
    exit: Any
    notify: Any
    push_screen: Any

    def request_login(self, reason: str, *, choose_workspace: bool = False) -> None:
        """Open the login screen on top of whatever is open; nothing underneath is lost."""
        if self._login_open:
            return
        from sendkit_tui.ui.screens.login import LoginResult, LoginScreen

        self._login_open = True

        def done(result: LoginResult | None) -> None:
            self._login_open = False
            if result is None:
                if self.client is None:
                    self.exit(1, message="No API key given; nothing to show.")
                return
            self.connection.workspace_name = result.workspace_name
            if result.workspace_id:
                self._remember_workspace(result.workspace_id, result.workspace_name)
            self.connect(result.credential, result.workspace_id)
            if result.note:
                self.notify(result.note, title="API key", markup=False, timeout=12)

        key = None
        if choose_workspace and self.connection.credential is not None:
            key = self.connection.credential
        self.push_screen(LoginScreen(reason, credential=key), done)

    def _remember_workspace(self, workspace_id: str, name: str | None) -> None:
        if self.connection.demo:
            return
        profile = self.config.profile(self.connection.profile)
        profile.workspace_id, profile.workspace_name = workspace_id, name
        try:
            save_config(self.config)
        except OSError as error:
            self.notify(f"Could not save the config file: {error}", markup=False)

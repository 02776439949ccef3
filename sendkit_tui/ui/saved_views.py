"""Saved views from the command palette: "Save view…" and "Open view: NAME".

The views live in the config, per profile (``storage/views.py``). A view's name, search and
tags are the user's text: the palette shows them as Rich ``Text`` (Textual parses a plain
string prompt, and any help text, as markup), never inside the help line.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from sendkit_tui.domain.text import sanitize
from sendkit_tui.storage.config import save_config

if TYPE_CHECKING:
    from sendkit_tui.storage.views import SavedView
    from sendkit_tui.ui.context import AppContext
    from sendkit_tui.ui.screens.leads import LeadsScreen


class WithLeads(Protocol):  # the app (AppCommands), as far as the palette needs it
    leads: LeadsScreen | None


OPEN_HELP = "Apply a saved search and tag filter to the list"


def profile_views(app: AppContext) -> dict[str, SavedView]:
    """The saved views of the profile in use (none if it has no settings yet)."""
    entry = app.config.profiles.get(app.connection.profile)
    return entry.views if entry is not None else {}


def open_view(app: AppContext, leads: LeadsScreen, name: str) -> None:
    view = profile_views(app).get(name)
    if view is None:
        app.notify(f"There is no saved view named {name}.", markup=False)
        return
    leads.apply_view(view)
    app.notify(f"View {name}: {view.describe()}", title="Saved view", markup=False)


def ask_to_save_view(app: AppContext, leads: LeadsScreen) -> None:
    """The name dialog, then the current filters saved under that name."""
    from sendkit_tui.ui.dialogs.view_name import ViewNameScreen

    view = leads.current_view()

    def save(name: str | None) -> None:
        if name is None:
            return
        app.config.profile(app.connection.profile).views[name] = view
        if app.connection.demo:
            app.notify(
                f"Saved view {name} for this run (the demo keeps no settings).", markup=False
            )
            return
        try:
            save_config(app.config)
        except (OSError, ValueError, TypeError) as error:
            app.notify(f"The view is kept for this run only: {error}", markup=False)
            return
        app.notify(f"Saved view {name}: {view.describe()}", title="Saved view", markup=False)

    app.push_screen(ViewNameScreen(view.describe(), list(profile_views(app))), save)


def _prompt(name: str, view: SavedView) -> Text:
    text = sanitize(f"Open view: {name}", single_line=True)
    return Text(text) + Text(f"  {sanitize(view.describe(), single_line=True)}", style="dim")


class SavedViewCommands(Provider):
    """One "Open view: NAME" command per saved view of the profile in use."""

    def _commands(self) -> list[tuple[str, Text, partial[None]]]:
        app = cast("AppContext", self.app)
        leads = cast("WithLeads", app).leads
        if leads is None:
            return []
        return [
            (f"Open view: {name}", _prompt(name, view), partial(open_view, app, leads, name))
            for name, view in sorted(profile_views(app).items(), key=lambda item: item[0].lower())
        ]

    async def discover(self) -> Hits:
        for plain, prompt, command in self._commands():
            yield DiscoveryHit(prompt, command, text=plain, help=OPEN_HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for plain, prompt, command in self._commands():
            score = matcher.match(plain)
            if score > 0:
                yield Hit(score, prompt, command, text=plain, help=OPEN_HELP)

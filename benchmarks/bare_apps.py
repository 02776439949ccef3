"""Bare Textual apps, the baselines of the figures about opening a screen.

``BareLeads`` shows one label (its "leads") and opens a screen on ``n``, the way the real
app does it: a priority binding whose action awaits the new screen being mounted, so the
keys typed after ``n`` wait in the App's queue and reach the new screen. ``FormScreen`` is
the 12-field form of issue 14 (Header, Labels and Inputs, a DataTable, Footer), its email
box focused on mount; ``TrivialScreen`` holds one label. ctrl+s in the form ends the app
with the email box's value (``startup_child`` prints it so the run can check it).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label

from benchmarks.startup_child import BARE_TEXT

FIELDS = (
    "email",
    "firstName",
    "lastName",
    "companyName",
    "jobTitle",
    "phone",
    "website",
    "linkedinUrl",
    "country",
    "city",
    "tags",
    "notes",
)


class FormScreen(Screen):
    """12 labelled inputs and a two-column table (custom fields), email focused on mount."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True)]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            for name in FIELDS:
                yield Label(name)
                yield Input(id=f"field-{name}", compact=True)
            yield DataTable(id="custom-fields")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Field", "Value")
        self.set_focus(self.query_one("#field-email", Input))

    def action_save(self) -> None:
        self.app.exit(self.query_one("#field-email", Input).value)


class TrivialScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Label("A trivial screen", id="trivial")


class BareLeads(App[str]):
    """One label; ``n`` opens ``screen_class``, escape closes it."""

    BINDINGS = [
        Binding("n", "open", "New", priority=True),
        Binding("escape", "close", "Back", priority=True),
    ]

    def __init__(self, screen_class: type[Screen], **options) -> None:
        super().__init__(**options)
        self.screen_class = screen_class

    def compose(self) -> ComposeResult:
        yield Label(BARE_TEXT, id="leads")

    async def action_open(self) -> None:
        if len(self.screen_stack) == 1:
            await self.push_screen(self.screen_class())

    async def action_close(self) -> None:
        if len(self.screen_stack) > 1:
            await self.pop_screen()

"""The exact PATCH body a save will send, before it is sent."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from sendkit_tui.domain.patch import describe_patch
from sendkit_tui.domain.text import sanitize
from sendkit_tui.ui.safe import safe
from sendkit_tui.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from sendkit_tui.api import Lead


class ReviewScreen(ModalScreen[bool]):
    """Dismisses True when the user chooses to save from here."""

    BINDINGS = [
        Binding("ctrl+s", "answer(True)", "Save", priority=True, id="review.save"),
        Binding("escape", "answer(False)", "Back to editing", id="review.back"),
    ]

    def __init__(
        self, lead: Lead, patch: dict[str, Any], baseline: dict[str, Any] | None = None
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.lead = lead
        self.patch = patch
        self.baseline = baseline

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog review"):
            if self.patch:
                title = f"PATCH /v1/leads/{self.lead.id} ({self.lead.email})"
                summary = "\n".join(
                    f"{m} {name}" for m, name in describe_patch(self.patch, self.baseline)
                )
                body = json.dumps(self.patch, indent=2, ensure_ascii=False)
            else:
                title = f"No changes to {self.lead.email}"
                summary = "Saving now would send nothing."
                body = "{}"
            yield Static(safe(title), classes="dialog-title")
            yield Static(safe(summary), id="review-summary")
            yield TextArea(sanitize(body), read_only=True, show_line_numbers=True, id="review-body")
        yield KeyBar()

    def action_answer(self, save: bool) -> None:
        self.dismiss(save and bool(self.patch))

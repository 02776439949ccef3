"""Undoing a save, and each lead's local history (f2), for the edit screen.

Every confirmed save is written to the lead's history (``storage/history.py``): what
changed, old → new, when, from which screen. When the form holds nothing unsaved, ctrl+z
(or the palette's "Undo last save") offers to undo the newest save not undone yet: the
review shows ``build_patch(after, before)``; on confirming, the server's copy is read,
tags are sent as the save's additions and removals reversed onto its list, and a field
someone changed since that save is named with its value now, for the user to decide
(as a normal save's clash). The undo is sent through the edit screen's own save (adapted
to the server, verified) and recorded as an entry of its own.
Mixed into ``EditLeadScreen``; see docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from sendkit_tui.storage.history import (
    HistoryEntry,
    HistoryStore,
    fit_undo,
    make_entry,
    undo_target,
)
from sendkit_tui.ui.base.server_checks import ServerChecks
from sendkit_tui.ui.keys import focused_caught_up

if TYPE_CHECKING:
    from sendkit_tui.api import Lead

HISTORY_BINDING = Binding(
    "f2", "history", "History", id="edit.history", priority=True, show=False
)  # not in the footer (it is full at 120 columns): the help, the palette and the status line say it


class SaveUndo(ServerChecks):
    """Needs what ``ServerChecks`` needs, plus ``has_unsent_input`` and ``run_worker``."""

    undoing: HistoryEntry | None = None  # the entry the save in flight undoes
    server_before: dict[str, Any] | None = None  # the server's copy just before this save
    has_unsent_input: Any
    run_worker: Any
    after_frame: Any

    # -- the history -----------------------------------------------------------------

    def history_store(self) -> HistoryStore:
        return HistoryStore()

    def lead_history(self) -> list[HistoryEntry]:
        conn = self.app.connection
        store = self.history_store()
        entries = store.load(conn.base_url, conn.workspace_id, self.lead.id)
        for note in store.take_set_aside_notes():
            self.notify(note, title="History", severity="warning", markup=False)
        return entries

    def record_save(self, patch: dict[str, Any], before: dict[str, Any], after: Any) -> None:
        """Write a confirmed save (or undo) to the lead's history; never interrupts."""
        undoing, self.undoing, self.server_before = self.undoing, None, None
        source = "undo" if undoing is not None else "edit"
        entry = make_entry(
            source, patch, before, dict(after), undoes=undoing.id if undoing else None
        )
        if entry is None:
            return
        conn = self.app.connection
        store = self.history_store()
        if not store.add(conn.base_url, conn.workspace_id, self.lead.id, entry):
            self.notify(store.last_error or "", title="History", severity="warning", markup=False)

    async def _fresh_copy(self) -> Lead | None:
        fresh = await super()._fresh_copy()
        base = self.baseline or {}
        self.server_before = {**base, **fresh.to_request_dict()} if fresh else None
        return fresh

    async def action_history(self) -> None:
        from sendkit_tui.ui.dialogs.history import HistoryScreen

        await focused_caught_up(self.app)
        await self.app.push_screen(HistoryScreen(self.lead.email, self.lead_history()))

    # -- undo --------------------------------------------------------------------------

    async def nothing_to_undo(self) -> None:
        """ctrl+z with no unsaved tag or field change to undo: offer to undo the last save."""
        await self.action_undo_save()

    async def action_undo_save(self) -> None:
        from sendkit_tui.ui.dialogs.history import UndoReviewScreen, local_time, summary

        await focused_caught_up(self.app)
        if self.saving:
            self.status.say("Still saving: ctrl+z can undo the save once it is done.", busy=True)
            return
        self.form.sync()
        if self.has_unsent_input():
            self.status.say(
                "Nothing to undo with ctrl+z. To undo the last save, first save (ctrl+s) or "
                "discard (escape) what you typed since."
            )
            return
        entry = undo_target(self.lead_history())
        if entry is None:
            self.status.say("Nothing to undo.")
            return
        if entry.masked:
            self.status.say(
                f"The save of {local_time(entry)} held text that looks like an API key, which "
                "is never kept on disk, so it cannot be undone from here."
            )
            return
        patch = entry.undo_patch()
        heading = f"Undo the save of {local_time(entry)}: {summary(entry)}"

        def answer(confirmed: bool | None) -> None:
            if not confirmed:
                self.status.say("Undo cancelled: nothing was sent.")
                return
            self.saving = True
            self.status.say("Undoing…", busy=True)
            self._undo_save(entry)

        await self.app.push_screen(
            UndoReviewScreen(self.lead, patch, entry.after, heading=heading), answer
        )

    def _undo_save(self, entry: HistoryEntry) -> None:
        self.run_worker(self._fit_undo(entry), group="save", exit_on_error=False)

    async def _fit_undo(self, entry: HistoryEntry) -> None:
        """The undo laid over the server's copy now; a field changed since that save is
        named with its value now, and the user keeps it or undoes it anyway."""
        from sendkit_tui.domain.rules import field_label
        from sendkit_tui.ui.base.server_checks import shown_value
        from sendkit_tui.ui.dialogs.confirm import ConfirmScreen
        from sendkit_tui.ui.dialogs.history import local_time

        fresh = await self._fresh_copy()
        theirs = self.server_before or dict(self.baseline or {})
        fitted, found = fit_undo(entry, theirs)
        if not found:
            self._send_undo(entry, fitted, fresh, theirs)
            return
        self.saving = False
        self.status.say("")

        def answer(anyway: bool | None) -> None:
            kept, _ = fit_undo(entry, theirs, keep_theirs=True)
            nothing = "Kept their changes; nothing of the undo is left to send."
            self._send_undo(entry, fitted if anyway else kept, fresh, theirs, nothing=nothing)

        lines = "; ".join(
            f"{field_label(c.field)} is now {shown_value(c.theirs)} "
            f"(the undo sets {shown_value(c.mine)})"
            for c in found
        )
        self.app.push_screen(
            ConfirmScreen(
                f"{self.lead.email} was changed on SendKit since the save of "
                f"{local_time(entry)}: {lines}. The rest of the undo is sent either way.",
                yes="Undo anyway",
                no="Keep theirs",
            ),
            answer,
        )

    def _send_undo(
        self,
        entry: HistoryEntry,
        patch: dict[str, Any],
        fresh: Lead | None,
        theirs: dict[str, Any],
        *,
        nothing: str = "Nothing left to undo: SendKit already holds those values.",
    ) -> None:
        """Send ``patch`` through the edit screen's save, from the server's copy now."""
        self.form.sync()
        self.model.rebase(theirs)  # nothing unsaved: the form shows the server's copy
        if fresh is not None:
            self.baseline_updated_at = fresh.updated_at
        # Typed while the undo was on its way: kept. The focused box is redrawn too (it holds
        # no typing of its own, or it would be touched).
        self.show_model(keep=set(self.model.touched), note=self._note(fresh or self.lead))
        if not patch:
            self.saving = False
            self.undoing, self.server_before = entry, theirs
            self.record_save({}, theirs, theirs)  # undone already: the next ctrl+z goes on
            self.status.say(nothing)
            return
        self.undoing, self.server_before = entry, theirs
        self.saving = True
        self.status.say("Undoing…", busy=True)
        self._save(patch, checked=True)


def record_created(app: Any, lead: Lead) -> None:
    """The create form's hook: the new lead's history starts with one "created" entry."""
    values = lead.to_request_dict()
    patch = {k: v for k, v in values.items() if v not in (None, "", [], {})}
    entry = make_entry("create", patch, {}, values)
    if entry is not None:
        conn = app.connection
        HistoryStore().add(conn.base_url, conn.workspace_id, lead.id, entry)

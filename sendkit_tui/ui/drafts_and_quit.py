"""Drafts offered back at start, and the quit guard that keeps what was typed.

Mixed into ``SendKitApp``. Drafts typed for another server or workspace are offered with a
note saying where and never sent there silently; quitting with unsent input writes drafts
first and says so honestly when they could not be written. See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from sendkit_tui.ui.context import AppContext, HoldsInput
from sendkit_tui.ui.keys import focused_caught_up


class DraftsAndQuit(AppContext):
    # -- drafts --------------------------------------------------------------

    def offer_drafts(self, *, asked: bool = False) -> None:
        """Unsent drafts of this profile and workspace come back, one prompt for all: at
        start, and from the palette (``asked``: then "none" is said too)."""
        conn = self.connection
        found = self.drafts.for_connection(conn.base_url, conn.workspace_id, conn.profile)
        for note in self.drafts.take_set_aside_notes():
            self.notify(note, title="Drafts", severity="warning", timeout=12)
        foreign = {item.draft.id: item.note for item in found.foreign}
        drafts = [*found.here, *(item.draft for item in found.foreign)]
        if drafts:
            from sendkit_tui.ui.dialogs.drafts import DraftsScreen  # loaded only when needed

            self.push_screen(DraftsScreen(drafts, foreign), self._restore_draft)
        elif asked:
            self.notify("No unsent work is kept: there is no draft to restore.", title="Drafts")

    async def _restore_draft(self, choice: tuple | None) -> None:
        from sendkit_tui.api import Lead

        if not choice:
            return
        _, draft = choice
        conn = self.connection
        found = self.drafts.for_connection(conn.base_url, conn.workspace_id, conn.profile)
        elsewhere = {item.draft.id: item.note for item in found.foreign}.get(draft.id)
        if elsewhere is not None:
            if draft.kind == "edit":
                from sendkit_tui.storage.draft_origin import EARLIER_DEMO

                where = (
                    "it cannot be saved anywhere now: d in the drafts list discards it"
                    if elsewhere == EARLIER_DEMO
                    else "open sendkit-tui against that server to save it (the draft is kept)"
                )
                self.notify(
                    f"That edit was {elsewhere}; its lead is not on this server, so {where}.",
                    title="Drafts",
                    severity="warning",
                    timeout=12,
                )
                return
            await self.open_new_lead(draft=draft, elsewhere=elsewhere)
            return
        if draft.kind == "edit" and draft.lead_id:
            data = dict(draft.baseline or {})
            data["phoneNumber"] = data.pop("phone", None)
            data["email"] = data.get("email") or draft.values.get("email") or "(unknown)"
            lead = Lead.model_validate({**data, "_id": draft.lead_id})
            await self.open_lead(lead, draft=draft)
        else:
            await self.open_new_lead(draft=draft)

    # -- quit ----------------------------------------------------------------

    def unsent_screens(self) -> list[HoldsInput]:
        return [form for form in self.open_forms if form.saving or form.has_unsent_input()]

    async def action_quit(self) -> None:
        await focused_caught_up(self)  # what was typed before ctrl+q is in the draft
        unsent = self.unsent_screens()
        written = all([screen.save_draft() for screen in unsent])
        if not unsent:
            self.exit(0)
            return
        from sendkit_tui.ui.dialogs.confirm import ConfirmScreen

        def answer(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit(0)

        if written:
            question = (
                "You have a lead that is not saved to SendKit yet. It is kept as a draft "
                "and offered back next time. Quit now?"
            )
            yes = "Quit, keep draft"
        else:
            reason = self.drafts.last_error or "The drafts folder could not be written."
            question = (
                "You have a lead that is not saved to SendKit yet, and it could not be kept as "
                f"a draft: {reason} Quitting now loses what you typed."
            )
            yes = "Quit and lose it"
        self.push_screen(ConfirmScreen(question, yes=yes, no="Stay"), answer)

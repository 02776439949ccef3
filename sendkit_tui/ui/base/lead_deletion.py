"""Marking leads in the list (space) and deleting them (d), with the campaign rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

if TYPE_CHECKING:
    from sendkit_tui.api import LeadRow
    from sendkit_tui.domain.lead_pages import LeadPages


class LeadDeletion:
    """Mixed into LeadsScreen: needs ``pages``, ``marked``, ``table``, ``status``."""

    pages: LeadPages
    marked: set[str]
    table: Any
    status: Any
    app: Any
    notify: Any
    _count_text: Any

    # -- marking and deleting ---------------------------------------------------

    def current_lead(self) -> LeadRow | None:
        return self.table.current()

    def action_toggle_mark(self) -> None:
        lead = self.current_lead()
        if lead is None:
            return
        self.marked.symmetric_difference_update({lead.id})
        self.table.move_cursor(row=self.table.cursor_row + 1)  # also redraws the mark
        self.status.say(self._count_text())

    def ask_to_delete(self) -> None:
        from sendkit_tui.ui.dialogs.confirm import ConfirmScreen

        ids = sorted(self.marked)
        if not ids:
            lead = self.current_lead()
            if lead is None:
                return
            ids, what = [lead.id], lead.email
        else:
            what = "1 marked lead" if len(ids) == 1 else f"{len(ids)} marked leads"

        def answer(yes: bool | None) -> None:
            if yes:
                self._delete(ids, force=False)

        self.app.push_screen(
            ConfirmScreen(f"Delete {what} from SendKit? This cannot be undone.", yes="Delete"),
            answer,
        )

    @work(group="delete", exit_on_error=False)
    async def _delete(self, ids: list[str], *, force: bool) -> None:
        from sendkit_tui.api import AuthError, ValidationFailed
        from sendkit_tui.domain.wording import explain
        from sendkit_tui.ui.dialogs.confirm import ConfirmScreen

        self.status.say(f"Deleting {len(ids)} lead(s)…", busy=True)
        try:
            count = await self.app.require_client().delete_leads(ids, force=force)
        except ValidationFailed as error:
            if error.code != "LEADS_IN_ACTIVE_CAMPAIGNS":
                self.status.say(explain(error))
                return
            self.status.say("")
            campaigns = ", ".join(
                str(c.get("name", "?")) for c in (error.details or {}).get("campaigns", [])
            )

            def answer(yes: bool | None) -> None:
                if yes:
                    self._delete(ids, force=True)
                else:
                    self.status.say("Nothing was deleted.")

            self.app.push_screen(
                ConfirmScreen(
                    f"{explain(error)} Active campaigns: {campaigns or 'unknown'}. Deleting "
                    "anyway removes these leads from those campaigns too (force).",
                    yes="Delete anyway (force)",
                    no="Keep them",
                ),
                answer,
            )
            return
        except AuthError as error:
            self.status.say(explain(error))
            self.app.handle_auth_error(error)
            return
        except Exception as error:
            self.status.say(f"{explain(error)} Nothing was deleted that we know of; press r.")
            return
        gone = set(ids)
        self.pages.remove(gone, count)
        self.marked -= gone
        self.table.rows_changed()
        self.notify(f"Deleted {count} lead(s).", title="Deleted", markup=False)
        self.status.say(self._count_text())

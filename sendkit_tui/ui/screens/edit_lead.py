"""Edit a lead; ctrl+s sends a PATCH with only the keys that changed.

The baseline is the freshest copy we can get: ``GET /v1/leads/{id}`` where the
server has it, else the fullest copy seen in this run (a create or PATCH
response) or the list row. Fields the copy did not carry are never sent unless
the user types into them (``build_patch`` treats them as "no value").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding

from sendkit_tui.domain.patch import apply_patch, build_patch, is_applied
from sendkit_tui.domain.text import sanitize
from sendkit_tui.ui.screens.form_screen import LeadFormScreen

if TYPE_CHECKING:
    from sendkit_tui.api import Lead
    from sendkit_tui.storage.drafts import Draft

PARTIAL_NOTE = (
    "This copy of the lead did not include its custom fields, so none are shown. "
    "Fields you add here are sent; existing ones on SendKit are left as they are."
)


class EditLeadScreen(LeadFormScreen):
    kind = "edit"
    BINDINGS = [
        *LeadFormScreen.BINDINGS,
        Binding("ctrl+r", "review", "Review changes", id="edit.review"),
    ]

    def __init__(self, lead: Lead, *, draft: Draft | None = None) -> None:
        super().__init__(draft=draft, id="edit-screen")
        self.lead = lead
        self.baseline: dict[str, Any] | None = None
        self.baseline_updated_at: str | None = None
        self.can_reread = True

    def on_mount(self) -> None:
        self.sub_title = sanitize(f"Edit {self.lead.email}", single_line=True)
        self.status.say("Loading the lead…", busy=True)
        self._load()

    def has_unsent_input(self) -> bool:
        return self.baseline is not None and bool(self.current_patch())

    def draft_fields(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead.id,
            "baseline": self.baseline,
            "baseline_updated_at": self.baseline_updated_at,
        }

    # -- load ------------------------------------------------------------------

    @work(group="load", exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        from sendkit_tui.api import AuthError, NotFound
        from sendkit_tui.domain.wording import explain

        lead, problem = self.lead, ""
        try:
            lead = await self.app.client.get_lead(self.lead.id)
            self.app.remember_lead(lead)
        except NotFound as error:
            if not error.route_missing:
                self._show_loaded(self.best_copy())
                self.banner.show(
                    "This lead no longer exists on SendKit (it may have been deleted).",
                    severity="error",
                )
                return
            self.can_reread = False
            lead = self.best_copy()
        except AuthError as error:
            lead = self.best_copy()
            self.app.handle_auth_error(error)
        except Exception as error:
            lead = self.best_copy()
            problem = f"Could not load the latest copy ({explain(error)}); showing the last one."
        self._show_loaded(lead)
        if problem:
            self.banner.show(problem, severity="warning")

    def best_copy(self) -> Lead:
        cached = self.app.lead_cache.get(self.lead.id)
        if cached is not None and len(cached.known_fields()) >= len(self.lead.known_fields()):
            return cached
        return self.lead

    def _show_loaded(self, lead: Lead) -> None:
        self.lead = lead
        self.baseline = lead.to_request_dict()
        self.baseline_updated_at = lead.updated_at
        note = "" if "customFields" in lead.known_fields() else PARTIAL_NOTE
        values = self.baseline
        if self.draft is not None and self.draft.values:
            values = self.draft.values
            if self.draft.baseline is not None:
                self.baseline = self.draft.baseline
                self.baseline_updated_at = self.draft.baseline_updated_at
        self.fill(values, baseline=self.baseline, fields_note=note)
        self.form.box("firstName").input.focus()
        self.on_form_changed()

    # -- changes ---------------------------------------------------------------

    def edited_values(self) -> dict[str, Any]:
        values = self.form.values()
        values.pop("email", None)
        return values

    def current_patch(self) -> dict[str, Any]:
        if self.baseline is None:
            return {}
        return build_patch(self.baseline, self.edited_values())

    def on_form_changed(self) -> None:
        if self.baseline is None or self.saving:
            return
        patch = self.current_patch()
        if not patch:
            self.status.say("No changes. ctrl+s saves · ctrl+r reviews · escape goes back")
        else:
            count = len(patch) + sum(len(v) - 1 for k, v in patch.items() if k == "customFields")
            self.status.say(f"{count} change(s) not saved · ctrl+r to review · ctrl+s to save")

    def action_review(self) -> None:
        from sendkit_tui.ui.screens.review import ReviewScreen

        if self.baseline is None:
            return
        self.form.validate()

        def after(save: bool | None) -> None:
            if save:
                self.action_save()

        self.app.push_screen(ReviewScreen(self.lead, self.current_patch()), after)

    # -- save ------------------------------------------------------------------

    def action_save(self) -> None:
        if self.baseline is None:
            self.status.say("Still loading the lead…", busy=True)
            return
        if not self.check_before_save():
            return
        patch = self.current_patch()
        if not patch:
            self.banner.hide()
            self.status.say("No changes: nothing was sent.")
            return
        self.banner.hide()
        self.save_draft(outcome="pending")
        self.saving = True
        self.status.say_soon("Saving…")
        self._save(patch)

    @work(group="save", exit_on_error=False)
    async def _save(self, patch: dict[str, Any], *, checked: bool = False) -> None:
        client = self.app.client
        recheck = not checked and self.can_reread and self.baseline_updated_at
        if recheck and await self._changed_on_server(patch):
            return
        try:
            lead = await client.update_lead(self.lead.id, patch, on_retry=self.on_retry)
        except Exception as error:
            self.saving = False
            self._failed(error)
            return
        self.saving = False
        self._saved(lead, patch)

    async def _changed_on_server(self, patch: dict[str, Any]) -> bool:
        """Warn when someone else changed the lead since it was opened.

        The question is asked with a callback, so no worker waits on the user.
        """
        from sendkit_tui.ui.screens.confirm import ConfirmScreen

        try:
            fresh = await self.app.client.get_lead(self.lead.id)
        except Exception:
            return False  # the PATCH itself will report what is wrong
        if not fresh.updated_at or fresh.updated_at == self.baseline_updated_at:
            return False
        if is_applied(fresh.to_request_dict(), patch):
            # Our own earlier save landed though its answer was lost: it is saved.
            self.saving = False
            self._saved(fresh, patch)
            return True
        self.saving = False
        self.status.say("")

        def answer(save_anyway: bool | None) -> None:
            if save_anyway:
                self.saving = True
                self.status.say("Saving…", busy=True)
                self._save(patch, checked=True)
            else:
                self.status.say("Not saved. Reopen the lead to see the newer copy.")

        self.app.push_screen(
            ConfirmScreen(
                f"{self.lead.email} was changed on SendKit since you opened it "
                f"(at {fresh.updated_at}). Your save sends only the fields you changed, "
                "so other edits are kept unless they touched the same fields. Save anyway?",
                yes="Save anyway",
                no="Not now",
            ),
            answer,
        )
        return True

    def after_cancel(self) -> None:
        self.status.say(
            "Cancelled. The change may or may not have reached SendKit; ctrl+s sends it "
            "again (safe: it sets the same values)."
        )

    def _failed(self, error: Exception) -> None:
        from sendkit_tui.api import NotFound

        if isinstance(error, NotFound):
            self.banner.show(
                "This lead no longer exists on SendKit (it may have been deleted). "
                "Your changes are kept in a draft.",
                severity="error",
            )
            self.save_draft(outcome="failed", detail="not found")
            self.status.say("")
            return
        self.show_failure(error, action="edit")

    def _saved(self, lead: Lead, patch: dict[str, Any]) -> None:
        from sendkit_tui.ui.screens.leads import LeadsScreen

        self.app.remember_lead(lead)
        merged = apply_patch(self.baseline or {}, patch)
        merged.update(lead.to_request_dict())
        self.lead = lead
        self.baseline = merged
        self.baseline_updated_at = lead.updated_at or self.baseline_updated_at
        self.drop_draft()
        note = "" if "customFields" in merged else PARTIAL_NOTE
        self.fill(merged, baseline=merged, fields_note=note)
        count = len(patch)
        self.notify(f"Saved {lead.email} ({count} field(s) sent)", title="Saved", markup=False)
        self.status.say("Saved. Nothing left to send.")

        def tell_list() -> None:
            for screen in self.app.screen_stack:
                if isinstance(screen, LeadsScreen):
                    screen.lead_saved(lead, created=False)

        self.after_frame(tell_list)  # the list is hidden under this form

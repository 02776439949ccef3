"""Edit a lead; ctrl+s sends a PATCH with only the keys that changed.

The baseline is the freshest copy we can get: ``GET /v1/leads/{id}`` where the
server has it, else the fullest copy seen in this run (a create or PATCH
response) or the list row. Fields the copy did not carry are never sent unless
the user types into them (``build_patch`` treats them as "no value").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import getters, work
from textual.binding import Binding

from sendkit_tui.domain.edit_model import LeadEdit
from sendkit_tui.domain.text import sanitize
from sendkit_tui.ui.base.edit_outcomes import PARTIAL_NOTE, EditOutcomes
from sendkit_tui.ui.base.form_screen import LeadFormScreen
from sendkit_tui.ui.base.save_undo import HISTORY_BINDING, SaveUndo
from sendkit_tui.ui.context import AppContext

if TYPE_CHECKING:
    from sendkit_tui.api import Lead
    from sendkit_tui.storage.drafts import Draft


class EditLeadScreen(EditOutcomes, SaveUndo, LeadFormScreen):
    app = getters.app(AppContext)
    kind = "edit"
    BINDINGS = [
        *LeadFormScreen.BINDINGS,
        Binding("ctrl+r", "review", "Review changes", id="edit.review"),
        HISTORY_BINDING,
    ]

    def __init__(self, lead: Lead | None, *, draft: Draft | None = None) -> None:
        """The form for ``lead``; with None, a spare composed ahead of time that ``take``
        gives its lead (see ui/spare_form.py)."""
        super().__init__(self._model_for(lead, draft), draft=draft, id="edit-screen")
        self.is_spare = lead is None
        self.prepared: dict[str, Any] | None = None  # the lead a spare drew (see prepare)
        self.lead: Lead = lead  # type: ignore[assignment]  # a spare's comes with take()
        self.baseline_updated_at: str | None = (
            draft.baseline_updated_at
            if draft is not None
            else (lead.updated_at if lead is not None else None)
        )
        self.can_reread = True
        # The fresh copy is on its way; typing goes on meanwhile. Not `loading`: that is
        # Textual's Widget.loading, which covers the screen with a loading indicator.
        self.refreshing = False
        self.save_when_loaded = False

    @staticmethod
    def _model_for(lead: Lead | None, draft: Draft | None) -> LeadEdit:
        if draft is not None and draft.baseline is not None:
            return LeadEdit.from_draft(draft.values, draft.baseline)
        if lead is None:
            return LeadEdit({})
        if draft is not None:
            return LeadEdit.from_draft(draft.values, lead.to_request_dict())
        return LeadEdit(lead.to_request_dict())

    def prepare(self, lead: Lead) -> None:
        """A spare draws ``lead`` ahead of time (the list's highlight rests on it): enter
        then only shows it. Nothing is asked of the server, nothing focused, until ``take``."""
        self._show_lead(lead)
        self.show_model(note=self._note(lead))
        self.prepared = lead.to_request_dict()

    def take(self, lead: Lead) -> None:
        """A spare shows ``lead`` from now on: what a form made for it has from its
        constructor and its mount (the boxes drawn already if ``prepare`` drew this copy)."""
        drawn = self.prepared is not None and self.prepared == lead.to_request_dict()
        if not drawn or self.lead.id != lead.id:
            self._show_lead(lead)
            drawn = False
        self.is_spare = False
        self.prepared = None
        self._begin(drawn=drawn)

    def _show_lead(self, lead: Lead) -> None:
        self.lead = lead
        self.baseline_updated_at = lead.updated_at
        self.model = self._model_for(lead, None)
        self.form.use_model(self.model)
        self.apply_settings()

    @property
    def baseline(self) -> dict[str, Any] | None:
        return self.model.baseline

    def on_mount(self) -> None:
        if not self.is_spare:  # a spare begins when it is taken
            self._begin()

    def _begin(self, *, drawn: bool = False) -> None:
        self.sub_title = sanitize(f"Edit {self.lead.email}", single_line=True)
        if not drawn:
            self.show_model(note=self._note(self.lead))
        self.set_focus(self.form.box("firstName").input)  # typing works at once
        self.refreshing = True
        self.status.say("Loading the latest copy… (you can type meanwhile)", busy=True)
        self._load()

    def has_unsent_input(self) -> bool:
        return bool(self.current_patch()) or self._pending_text()

    def _pending_text(self) -> bool:
        model = self.model
        return any(t.strip() for t in (model.pending_tag, model.pending_key, model.pending_value))

    def draft_fields(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead.id,
            "baseline": self.baseline,
            "baseline_updated_at": self.baseline_updated_at,
        }

    @staticmethod
    def _note(lead: Lead) -> str:
        return "" if "customFields" in lead.known_fields() else PARTIAL_NOTE

    # -- load ------------------------------------------------------------------

    @work(group="load", exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        from sendkit_tui.api import AuthError, NotFound
        from sendkit_tui.domain.wording import explain

        problem = ""
        try:
            lead = await self.app.require_client().get_lead(self.lead.id)
            self.app.remember_lead(lead)
        except NotFound as error:
            if not error.route_missing:
                self._loaded(None)
                self.banner.show(
                    "This lead no longer exists on SendKit (it may have been deleted).",
                    severity="error",
                )
                return
            self.can_reread = False  # this server has no single-lead route: keep our copy
            lead = None
        except AuthError as error:
            lead = None
            self.app.handle_auth_error(error)
        except Exception as error:
            lead = None
            problem = f"Could not load the latest copy ({explain(error)}); showing the last one."
        self._loaded(lead)
        if problem:
            self.banner.show(problem, severity="warning")

    def _loaded(self, fresh: Lead | None) -> None:
        """The fresh copy (or None): lay what was typed meanwhile over it."""
        self.refreshing = False
        if fresh is not None and self.draft is None:
            # A restored draft keeps its own baseline: the save then warns if the lead
            # changed since the draft was typed.
            self.lead = fresh
            self.baseline_updated_at = fresh.updated_at
            self.form.sync()
            self.model.rebase(fresh.to_request_dict())
            keep = set(self.model.touched)
            focused = self.focused_field()
            if focused is not None:
                keep.add(focused)
            self.show_model(keep=keep, note=self._note(fresh))
        self.on_form_changed()
        if self.save_when_loaded:
            self.save_when_loaded = False
            self.save()

    # -- changes ---------------------------------------------------------------

    def current_patch(self) -> dict[str, Any]:
        return self.form.sync().patch() if self.is_mounted else self.model.patch()

    def on_form_changed(self) -> None:
        if self.saving or self.refreshing:
            return
        summary = self.form.sync().summary()
        if summary == "No changes":
            self.status.say("No changes. ctrl+s saves · ctrl+r reviews · escape goes back")
        else:
            self.status.say(f"{summary} not saved · ctrl+r to review · ctrl+s to save")

    def action_review(self) -> None:
        from sendkit_tui.ui.dialogs.review import ReviewScreen

        self.form.validate()

        def after(save: bool | None) -> None:
            if save:
                self.save()

        self.app.push_screen(
            ReviewScreen(self.lead, self.current_patch(), self.model.baseline), after
        )

    # -- save ------------------------------------------------------------------

    def save(self) -> None:
        if self.refreshing:
            self.save_when_loaded = True
            self.status.say("Saving as soon as the latest copy has loaded…", busy=True)
            return
        if not self.check_before_save():
            return
        patch = self.current_patch()
        if not patch:
            self.banner.hide()
            self.status.say("No changes: nothing was sent.")
            return
        self.banner.hide()
        self.server_before = None  # read again by the check against the server's copy
        self.save_draft(outcome="pending")
        self.saving = True
        self.status.say_soon("Saving…")
        self._save(patch)

    @work(group="save", exit_on_error=False)
    async def _save(self, patch: dict[str, Any], *, checked: bool = False) -> None:
        if not checked:
            fitted = await self._fit_to_server(patch)
            if fitted is None:
                return  # saved already, or the user is asked about clashing fields
            patch = fitted
        wire = self._wire(patch)  # as this server is known to take it
        try:
            client = self.app.require_client()
            lead = await client.update_lead(self.lead.id, wire, on_retry=self.on_retry)
        except Exception as error:
            landed = await self._landed_anyway(error, patch)
            self.saving = False
            if landed is not None:
                self._saved(landed, patch, note=" (its answer was lost; the lead shows it)")
            else:
                self._failed(error)
            return
        lead, check = await self._verify(patch, wire, lead)
        self.saving = False
        self._saved(lead, patch, check=check)

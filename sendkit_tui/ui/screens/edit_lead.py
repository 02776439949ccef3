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

from sendkit_tui.domain.edit_model import LeadEdit, plural
from sendkit_tui.domain.merge import Clash, clashes, rebase_patch
from sendkit_tui.domain.patch import apply_patch, is_applied
from sendkit_tui.domain.rules import FIELD_LABELS
from sendkit_tui.domain.text import sanitize
from sendkit_tui.ui.base.form_screen import LeadFormScreen
from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.news import LeadSaved

if TYPE_CHECKING:
    from sendkit_tui.api import Lead
    from sendkit_tui.storage.drafts import Draft

PARTIAL_NOTE = (
    "This copy of the lead did not include its custom fields, so none are shown. "
    "Fields you add here are sent; existing ones on SendKit are left as they are."
)


class EditLeadScreen(LeadFormScreen):
    app = getters.app(AppContext)
    kind = "edit"
    BINDINGS = [
        *LeadFormScreen.BINDINGS,
        Binding("ctrl+r", "review", "Review changes", id="edit.review"),
    ]

    def __init__(self, lead: Lead, *, draft: Draft | None = None) -> None:
        if draft is not None and draft.baseline is not None:
            model = LeadEdit.from_draft(draft.values, draft.baseline)
        else:
            model = LeadEdit(lead.to_request_dict())
            if draft is not None:
                model = LeadEdit.from_draft(draft.values, lead.to_request_dict())
        super().__init__(model, draft=draft, id="edit-screen")
        self.lead = lead
        self.baseline_updated_at: str | None = (
            draft.baseline_updated_at if draft is not None else lead.updated_at
        )
        self.can_reread = True
        self.loading = False  # the fresh copy is on its way; typing goes on meanwhile
        self.save_when_loaded = False

    @property
    def baseline(self) -> dict[str, Any] | None:
        return self.model.baseline

    def on_mount(self) -> None:
        self.sub_title = sanitize(f"Edit {self.lead.email}", single_line=True)
        self.show_model(note=self._note(self.lead))
        self.set_focus(self.form.box("firstName").input)  # typing works at once
        self.loading = True
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
        self.loading = False
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
        if self.saving or self.loading:
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
        if self.loading:
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
        try:
            client = self.app.require_client()
            lead = await client.update_lead(self.lead.id, patch, on_retry=self.on_retry)
        except Exception as error:
            landed = await self._landed_anyway(error, patch)
            self.saving = False
            if landed is not None:
                self._saved(landed, patch, note=" (its answer was lost; the lead shows it)")
            else:
                self._failed(error)
            return
        self.saving = False
        self._saved(lead, patch)

    async def _landed_anyway(self, error: Exception, patch: dict[str, Any]) -> Lead | None:
        """The PATCH went out but its answer was lost: read the lead; if it holds the change,
        the save happened (reported as saved, not as "could not reach")."""
        from sendkit_tui.api import BadResponse, OutcomeUnknown, ServerError, TransportError

        sent = isinstance(error, OutcomeUnknown) or getattr(error, "sent", False)
        ambiguous = isinstance(error, ServerError | BadResponse) and error.ambiguous
        if not (sent or ambiguous) or not isinstance(
            error, TransportError | ServerError | BadResponse
        ):
            return None
        try:
            fresh = await self.app.require_client().get_lead(self.lead.id)
        except Exception:
            return None
        return fresh if is_applied(fresh.to_request_dict(), patch) else None

    async def _fresh_copy(self) -> Lead | None:
        """The server's copy now: the single-lead GET where there is one, else the list's."""
        try:
            client = self.app.require_client()
            if self.can_reread:
                return await client.get_lead(self.lead.id)
            found = await client.find_lead_by_email(self.lead.email)
        except Exception:
            return None  # the PATCH itself will report what is wrong
        return found if found is not None and found.id == self.lead.id else None

    async def _fit_to_server(self, patch: dict[str, Any]) -> dict[str, Any] | None:
        """``patch`` laid over the freshest copy: tags as our additions and removals applied
        to the server's list (a tag someone added meanwhile stays); fields someone else also
        changed are named, with both values, and the user picks. None: nothing to send now.
        """
        from sendkit_tui.ui.dialogs.confirm import ConfirmScreen

        fresh = await self._fresh_copy()
        if fresh is None:
            return patch
        theirs = fresh.to_request_dict()
        moved = bool(fresh.updated_at) and fresh.updated_at != self.baseline_updated_at
        if moved and is_applied(theirs, patch):
            # Our own earlier save landed though its answer was lost: it is saved.
            self.saving = False
            self._saved(fresh, patch)
            return None
        baseline = self.baseline or {}
        fitted = rebase_patch(baseline, patch, theirs)
        found = clashes(baseline, fitted, theirs) if moved else []
        if not found:
            if not fitted:
                self.saving = False
                self._saved(fresh, patch, note=" (SendKit already had these changes)")
                return None
            return fitted
        self.saving = False
        self.status.say("")

        def answer(mine: bool | None) -> None:
            chosen = fitted if mine else rebase_patch(baseline, patch, theirs, keep_theirs=True)
            if not mine:
                self._take_theirs(found, {**baseline, **theirs}, fresh)
            if not chosen:
                self.status.say("Kept their changes; nothing of yours is left to send.")
                self.on_form_changed()
                return
            self.saving = True
            self.status.say("Saving…", busy=True)
            self._save(chosen, checked=True)

        lines = "; ".join(
            f"{_label(c.field)}: theirs {_shown(c.theirs)}, yours {_shown(c.mine)}" for c in found
        )
        self.app.push_screen(
            ConfirmScreen(
                f"{self.lead.email} was changed on SendKit since you opened it (at "
                f"{fresh.updated_at}), and some of the same fields changed: {lines}. "
                "Your other changes are saved either way; tags you added or removed are "
                "applied to theirs.",
                yes="Save mine",
                no="Keep theirs",
            ),
            answer,
        )
        return None

    def _take_theirs(self, found: list[Clash], theirs: dict[str, Any], fresh: Lead) -> None:
        """The form shows the server's values, their value in each clashing field."""
        self.form.sync()
        self.model.rebase(theirs)
        for clash in found:
            value = "" if clash.theirs is None else str(clash.theirs)
            if clash.field.startswith("customFields."):
                self.model.set_custom_value(clash.field.split(".", 1)[1], value)
            else:
                self.model.set_field(clash.field, value)
        self.baseline_updated_at = fresh.updated_at
        self.show_model(note=self._note(fresh))

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

    def _saved(self, lead: Lead, patch: dict[str, Any], *, note: str = "") -> None:
        """Saved: the server's copy becomes the baseline; edits typed since stay."""
        self.app.remember_lead(lead)
        merged = apply_patch(self.baseline or {}, patch)
        merged.update(lead.to_request_dict())
        self.lead = lead
        self.baseline_updated_at = lead.updated_at or self.baseline_updated_at
        self.form.sync()
        self.model.mark_saved(merged)
        keep = set(self.model.touched)
        focused = self.focused_field()
        if focused is not None:
            keep.add(focused)
        self.show_model(keep=keep, note="" if "customFields" in merged else PARTIAL_NOTE)
        sent = plural(len(patch), "field")
        self.notify(f"Saved {lead.email} ({sent} sent){note}", title="Saved", markup=False)
        left = self.model.summary()
        if left == "No changes":
            self.drop_draft()
            self.status.say("Saved. Nothing left to send.")
        else:
            self.save_draft()
            self.status.say(f"Saved. {left} typed since then not saved yet · ctrl+s saves")

        def tell_list() -> None:
            self.app.news.lead_saved.publish(LeadSaved(lead, created=False))

        self.after_frame(tell_list)  # the list is hidden under this form


def _label(field: str) -> str:
    if field.startswith("customFields."):
        return f"custom field {field.split('.', 1)[1]!r}"
    return FIELD_LABELS.get(field, field)


def _shown(value: Any) -> str:
    text = "(empty)" if value in (None, "") else repr(str(value))
    return sanitize(text if len(text) <= 40 else text[:39] + "…'", single_line=True)

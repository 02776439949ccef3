"""What a save of the edit form ends in: saved (maybe not all of it), failed, cancelled.

Mixed into ``EditLeadScreen``. Saved: the server's copy becomes the baseline and what was
typed since stays as unsaved changes; what the server did not apply is said next to its
field (``ServerChecks``). Failed: the error where it belongs, every value kept, and the
status line says again what is still to send. Cancelled: it may have landed; ctrl+s again
is safe. See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sendkit_tui.domain.edit_model import plural
from sendkit_tui.domain.patch import apply_patch
from sendkit_tui.ui.news import LeadSaved

if TYPE_CHECKING:
    from sendkit_tui.api import Lead
    from sendkit_tui.domain.verify import Verification

PARTIAL_NOTE = (
    "This copy of the lead did not include its custom fields, so none are shown. "
    "Fields you add here are sent; existing ones on SendKit are left as they are."
)


class EditOutcomes:
    """Needs the edit form's lead, model, form, status, banner and ``SaveUndo``."""

    app: Any
    lead: Any
    model: Any
    form: Any
    status: Any
    banner: Any
    baseline: Any
    baseline_updated_at: str | None
    undoing: Any
    server_before: dict[str, Any] | None
    record_save: Any
    focused_field: Any
    show_model: Any
    show_failure: Any
    on_form_changed: Any
    save_draft: Any
    drop_draft: Any
    after_frame: Any
    notify: Any
    _not_all_saved: Any

    def after_cancel(self) -> None:
        self.undoing = None
        self.status.say(
            "Cancelled. The change may or may not have reached SendKit; ctrl+s sends it "
            "again (safe: it sets the same values)."
        )

    def _failed(self, error: Exception) -> None:
        from sendkit_tui.api import AuthError, NotFound
        from sendkit_tui.domain.wording import explain

        if self.undoing is not None and not isinstance(error, AuthError | NotFound):
            self.undoing = None
            self.status.say("")
            self.banner.show(
                f"The undo was not sent: {explain(error)}",
                severity="error",
                hint="Press ctrl+z to try the undo again.",
            )
            return
        self.undoing = None
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
        self.on_form_changed()  # what is still to send, as before ctrl+s

    def _saved(
        self,
        lead: Lead,
        patch: dict[str, Any],
        *,
        note: str = "",
        check: Verification | None = None,
    ) -> None:
        """Saved: the server's copy becomes the baseline; edits typed since stay.

        What the server did not apply (``check``) stays as unsaved changes, with a message
        next to each such field: a save is never called complete when it was not."""
        self.app.remember_lead(lead)
        before = self.server_before or dict(self.baseline or {})
        merged = apply_patch(self.baseline or {}, patch)
        merged.update(lead.to_request_dict())
        undone = self.undoing
        self.record_save(patch, before, merged)
        self.lead = lead
        self.baseline_updated_at = lead.updated_at or self.baseline_updated_at
        self.form.sync()
        self.model.mark_saved(merged)
        keep = set(self.model.touched)
        focused = self.focused_field()
        if focused is not None and (undone is None or focused not in patch):
            keep.add(focused)  # an undo changes the value in the box: it is drawn
        self.show_model(keep=keep, note="" if "customFields" in merged else PARTIAL_NOTE)
        if check is not None and check.discrepancies:
            self._not_all_saved(lead, check)
            return
        sent = plural(len(patch), "field")
        if undone is not None:
            self.notify(
                f"Undid the last save of {lead.email} ({sent} sent){note}",
                title="Undone",
                markup=False,
            )
        else:
            self.notify(f"Saved {lead.email} ({sent} sent){note}", title="Saved", markup=False)
        left = self.model.summary()
        if left == "No changes":
            self.drop_draft()
            hint = "f2 history" if undone is not None else "ctrl+z undoes it · f2 history"
            done = "Undone" if undone is not None else "Saved"
            self.status.say(f"{done}. Nothing left to send · {hint}")
        else:
            self.save_draft()
            self.status.say(f"Saved. {left} typed since then not saved yet · ctrl+s saves")

        def tell_list() -> None:
            self.app.news.lead_saved.publish(LeadSaved(lead, created=False))

        self.after_frame(tell_list)  # the list is hidden under this form

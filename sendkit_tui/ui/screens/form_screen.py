"""What the create and edit screens share: the form, the banner, drafts, errors.

Errors go where they belong (DESIGN.md §4): a field's message under that field,
anything else in the banner at the top of the form, 401/403 to the login screen
(opened over this screen, so nothing typed is lost). The typed values are never
cleared by an error, and a draft file keeps them across quits and crashes.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input

from sendkit_tui.storage.drafts import Draft
from sendkit_tui.ui.widgets.banner import Banner
from sendkit_tui.ui.widgets.custom_fields import CancelFromGrid, CustomFieldsGrid
from sendkit_tui.ui.widgets.lead_form import LeadForm
from sendkit_tui.ui.widgets.status_line import StatusLine
from sendkit_tui.ui.widgets.tag_editor import TagEditor

DRAFT_DEBOUNCE = 1.0


class LeadFormScreen(Screen):
    kind = "create"
    BINDINGS = [
        # Not a priority binding on purpose: ctrl+s must reach the focused input after
        # the keys typed before it, so a fast "type then save" saves what was typed.
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "close", "Back", id="form.close"),
    ]

    def __init__(self, *, draft: Draft | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.draft = draft
        self.saving = False
        self._draft_timer: Timer | None = None
        self._typed_at = 0.0
        self._loading_values = False
        self._after_frame: list[Callable[[], object]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Banner()
        yield LeadForm(email_read_only=self.kind == "edit")
        yield StatusLine()
        yield Footer()

    @property
    def form(self) -> LeadForm:
        return self.query_one(LeadForm)

    @property
    def banner(self) -> Banner:
        return self.query_one(Banner)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def fill(self, values: dict[str, Any], **options: Any) -> None:
        """Load values without treating it as typing."""
        self._quietly(lambda: self.form.load(values, **options))

    def clear_form(self) -> None:
        """Empty every field and pending input without treating it as typing."""
        self._quietly(self.form.clear)

    def _quietly(self, change: Any) -> None:
        self._loading_values = True
        try:
            change()
        finally:
            self.call_after_refresh(self._done_loading)

    def _done_loading(self) -> None:
        self._loading_values = False

    def after_frame(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the next frame is drawn, or when this screen closes first.

        For work the user cannot see from here (the leads list under this screen): the
        saved state is drawn without waiting for it.
        """
        self._after_frame.append(callback)
        if len(self._after_frame) == 1:
            self.call_after_refresh(self._run_after_frame)

    def _run_after_frame(self) -> None:
        pending, self._after_frame = self._after_frame, []
        for callback in pending:
            callback()

    def on_unmount(self) -> None:
        self._run_after_frame()

    # -- drafts ----------------------------------------------------------------

    @on(Input.Changed)
    @on(TagEditor.Changed)
    @on(CustomFieldsGrid.Changed)
    def _typed(self) -> None:
        if self._loading_values:
            return
        # Debounce without a new timer per keystroke: one timer is armed per pause,
        # and when it fires early (typing went on) it re-arms for the time left.
        self._typed_at = monotonic()
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_DEBOUNCE, self._draft_due)
        self.on_form_changed()

    def _draft_due(self) -> None:
        left = self._typed_at + DRAFT_DEBOUNCE - monotonic()
        if left > 0.005:
            self._draft_timer = self.set_timer(left, self._draft_due)
            return
        self._draft_timer = None
        self.save_draft()

    def on_form_changed(self) -> None:
        """Subclasses refresh change counts and the like."""

    def has_unsent_input(self) -> bool:
        raise NotImplementedError

    def draft_fields(self) -> dict[str, Any]:
        """kind-specific draft attributes (lead id, baseline)."""
        return {}

    def save_draft(self, outcome: str | None = None, detail: str | None = None) -> None:
        """Write what is typed to the draft file; never raises, never blocks on the network."""
        if not self.is_mounted:
            return
        if not self.has_unsent_input():
            if self.draft is not None and outcome is None:
                self.app.drafts.delete(self.draft.id)
                self.draft = None
            return
        conn = self.app.connection
        if self.draft is None:
            self.draft = Draft(kind=self.kind, values={}, profile=conn.profile)
        draft = self.draft
        draft.values = self.form.raw_values()
        draft.workspace_id = conn.workspace_id
        draft.base_url = conn.base_url
        for name, value in self.draft_fields().items():
            setattr(draft, name, value)
        if outcome is not None:
            draft.outcome, draft.outcome_detail = outcome, detail
        if not self.app.drafts.save(draft):
            self.status.say("Could not write the draft file; keep this screen open until saved.")

    def drop_draft(self) -> None:
        if self.draft is not None:
            self.app.drafts.delete(self.draft.id)
            self.draft = None

    # -- leaving ---------------------------------------------------------------

    @on(CancelFromGrid)
    def _grid_escape(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        if self.saving:
            self.cancel_save()
            return
        if not self.has_unsent_input():
            self.drop_draft()
            self.dismiss()
            return
        from sendkit_tui.ui.screens.confirm import ConfirmScreen

        def answer(discard: bool | None) -> None:
            if discard:
                self.drop_draft()
                self.dismiss()

        what = "this new lead" if self.kind == "create" else "your changes to this lead"
        self.app.push_screen(
            ConfirmScreen(f"Discard {what}? What you typed will be lost.", yes="Discard"),
            answer,
        )

    # -- saving ----------------------------------------------------------------

    def cancel_save(self) -> None:
        """Escape while saving (e.g. during "retrying (2/3)…"): stop waiting.

        The request may already have reached SendKit, so subclasses say what that
        means for their kind of save; the typed values and the draft stay.
        """
        self.workers.cancel_group(self, "save")
        self.saving = False
        self.save_draft(outcome="unknown", detail="cancelled")
        self.after_cancel()

    def after_cancel(self) -> None:
        self.status.say("Cancelled.")

    def check_before_save(self) -> bool:
        """Client-side validation; shows each message in place."""
        if self.saving:
            self.status.say("Already saving…", busy=True)
            return False
        bad = self.form.validate()
        if bad:
            count = "1 field needs" if len(bad) == 1 else f"{len(bad)} fields need"
            self.banner.show(f"{count} fixing before this can be saved.", severity="warning")
            self.form.focus_field(bad[0])
            return False
        return True

    def on_retry(self, info: Any) -> None:
        self.status.say(
            f"{info.reason}: retrying ({info.attempt}/{info.max_retries}) in "
            f"{info.delay:.1f} s… (escape cancels)",
            busy=True,
        )

    def show_failure(self, error: Exception, *, action: str) -> None:
        """Put ``error`` where it belongs; the form keeps every value."""
        from sendkit_tui.api import AuthError, RateLimited, ValidationFailed
        from sendkit_tui.domain.wording import explain, retryable

        self.status.say("")
        if isinstance(error, AuthError):
            self.banner.show(
                f"{explain(error)} Sign in again; your {action} is kept.", severity="error"
            )
            self.save_draft(outcome="failed", detail="auth")
            self.app.handle_auth_error(error)
            return
        if isinstance(error, ValidationFailed) and error.field_errors:
            leftover = self.form.show_errors(error.field_errors)
            first = next(iter(error.field_errors))
            self.form.focus_field(first)
            message = "SendKit did not accept some fields; see the messages below."
            if leftover:
                message += " " + "; ".join(leftover)
            self.banner.show(message, severity="error")
            return
        hint = "Press ctrl+s to try again." if retryable(error) else ""
        if isinstance(error, RateLimited) and error.retry_after:
            hint = f"Press ctrl+s to try again after {error.retry_after:.0f} s."
        self.banner.show(explain(error), severity="error", hint=hint)
        self.save_draft(outcome="failed", detail=type(error).__name__)

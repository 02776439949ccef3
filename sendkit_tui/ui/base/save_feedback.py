"""A form's save, as the user sees it: checks before it, retries, a cancel, failures.

Mixed into ``LeadFormScreen`` (ui/base/form_screen.py), which has the form, the banner, the
status line and the draft these speak through. Errors go where they belong: a field's
message under that field, anything else in the banner, 401/403 to the login screen; the
form keeps every value.
"""

from __future__ import annotations

from typing import Any


class SaveFeedback:
    """Mixed into ``LeadFormScreen``."""

    app: Any
    form: Any
    banner: Any
    status: Any
    saving: bool
    workers: Any
    save_draft: Any

    def cancel_save(self) -> None:
        """Escape while saving (e.g. during "retrying (2/3)…"): stop waiting.

        The request may already have reached SendKit, so subclasses say what that
        means for their kind of save; the typed values and the draft stay.
        """
        self.workers.cancel_group(self, "save")
        self.saving = False
        self.note_cancelled()
        self.after_cancel()

    def note_cancelled(self) -> None:
        """The draft says the save was cancelled (the request may have reached SendKit)."""
        self.save_draft(outcome="unknown", detail="cancelled")

    def after_cancel(self) -> None:
        self.status.say("Cancelled.")

    def check_before_save(self) -> bool:
        """Not while saving; then client-side validation (``check_fields``)."""
        if self.saving:
            self.status.say("Already saving…", busy=True)
            return False
        return self.check_fields()

    def check_fields(self) -> bool:
        """Client-side validation; shows each message in place."""
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

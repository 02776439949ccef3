"""A create whose answer did not say: cancelled, lost, or a 5xx that may have landed.

Mixed into ``CreateLeadScreen``. The lead may exist, so its email is looked up before the
user is offered to send it again: found, it was created after all (the form goes on with
the next lead); not found, it comes back into the form (``NextLead.sent_back``), with what
happened in the banner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

if TYPE_CHECKING:
    from sendkit_tui.api import Lead


class CreateOutcomes:
    """Mixed into ``CreateLeadScreen`` (needs its form, banner, status and ``NextLead``)."""

    app: Any
    banner: Any
    status: Any
    saving: bool
    sent_body: dict[str, Any] | None
    sent_back: Any
    mark_sent: Any
    save_draft: Any
    _created: Any

    def after_cancel(self) -> None:
        """Escape while saving: the POST may have been sent; look before offering it again."""
        body = self.sent_body
        if body is None:
            self.status.say("Cancelled.")
            return
        self.saving = True
        self._check_cancelled(body)

    def note_cancelled(self) -> None:
        self.mark_sent("unknown", "cancelled")

    @work(group="lookup", exclusive=True, exit_on_error=False)
    async def _check_cancelled(self, body: dict[str, Any]) -> None:
        await self._reconcile(body, None)

    async def _reconcile(self, body: dict[str, Any], error: Exception | None) -> None:
        """The create may have happened: look the email up before offering to resend."""
        self.mark_sent("unknown", type(error).__name__ if error else "cancelled")
        self.status.say(
            "No clear answer from SendKit; checking whether the lead exists…", busy=True
        )
        try:
            found: Lead | None = await self.app.require_client().find_lead_by_email(body["email"])
        except Exception:
            self.saving = False
            why = f"{_explain(error)} Could not check either; the lead may exist."
            if self.sent_back(why, keys_count=error is not None):
                self.banner.show(
                    why,
                    severity="error",
                    hint="Press ctrl+s to check and send again (a duplicate is refused).",
                )
                self.status.say("")
            return
        self.saving = False
        if found is not None:  # created after all: on with the next lead
            why = "its answer was lost" if error is not None else "the wait was stopped"
            self._created(found, note=f" ({why}; SendKit has it)")
            return
        why = f"{_explain(error)} SendKit has no lead with this email."
        if self.sent_back(why, keys_count=error is not None):  # None: escape, a key itself
            self._not_created(error)

    def _not_created(self, error: Exception | None) -> None:
        from sendkit_tui.api import OutcomeUnknown

        self.save_draft(outcome="failed", detail="not created")
        if error is None:
            self.banner.show(
                "Save cancelled. SendKit has no lead with this email so far.",
                severity="warning",
                hint="Press ctrl+s to send it again: if the cancelled request still arrives "
                "first, SendKit refuses the copy as a duplicate, so nothing is created twice.",
            )
        elif isinstance(error, OutcomeUnknown):
            # Sent, no answer: it may still land after our lookup. Do not claim it failed.
            self.save_draft(outcome="unknown", detail="not found yet")
            self.banner.show(
                f"{_explain(error)} SendKit has no lead with this email yet.",
                severity="warning",
                hint="Press ctrl+s to send it again: if the first request still lands, SendKit "
                "refuses the copy as a duplicate (then ctrl+o opens it).",
            )
        else:
            self.banner.show(
                f"{_explain(error)} It was not created.",
                severity="error",
                hint="Press ctrl+s to send it again.",
            )
        self.status.say("")


def _explain(error: Exception | None) -> str:
    from sendkit_tui.domain.wording import explain

    return "Save cancelled." if error is None else explain(error)

"""The create form's duplicate check while the email is typed.

Once the email box holds a valid address and typing has paused (``DEBOUNCE``), the address
is looked up in the list (``search``, exact match on the trimmed, lower-cased email; the
same route in every server dialect, ``--docs-only`` included). A lead found is said under
the email with ``ctrl+o`` to open it, before the rest is typed. Typing in the email again
clears the line, stops the timer and cancels a lookup in flight, so a burst of keys sends
at most one request, and none for an address already asked about (answers are kept for
as long as the form is open). A failed lookup says so quietly and never holds up a save.
Mixed into ``CreateLeadScreen``; see docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import work

from sendkit_tui.domain.rules import check_email, normalize_email
from sendkit_tui.ui.keys import focused_caught_up

if TYPE_CHECKING:
    from textual.timer import Timer

    from sendkit_tui.api import Lead

DEBOUNCE = 0.35
"""Seconds after the last change to the email before it is looked up."""
LOOKUP_PAGES = 2
"""List pages read per lookup (100 leads each) before "no such lead"."""
OPEN_KEY = "ctrl+o"


class DuplicateCheck:
    """Needs the create screen's form, status, app, timers, workers, ``refresh_bindings``,
    ``save_draft``, ``_open_lead`` and ``existing_id`` (set by a 409)."""

    form: Any
    status: Any
    app: Any
    existing_id: str | None
    save_draft: Any
    _open_lead: Any
    set_timer: Any
    run_worker: Any
    workers: Any
    refresh_bindings: Any

    duplicate: Lead | None = None
    """The lead that holds the email now in the box, found while typing."""
    _dup_email = ""  # the address the check is about (normalised), "" for none
    _dup_timer: Timer | None = None
    _dup_due = 0.0  # monotonic time the lookup is due (each change moves it on)
    _dup_answers: dict[str, Lead | None] | None = None

    def _answers(self) -> dict[str, Lead | None]:
        if self._dup_answers is None:
            self._dup_answers = {}
        return self._dup_answers

    def email_changed(self, text: str) -> None:
        """The email box changed (typed, pasted, drawn from a draft or cleared after a save)."""
        email = normalize_email(text)
        if email == self._dup_email:
            return  # the same address (case or spaces only): what is said still holds
        self._dup_email = email
        self.workers.cancel_group(self, "duplicate-check")
        self._say(None)
        if not email or check_email(email) is not None:
            self._stop_timer()
            return
        # One timer, pushed back by each change (no timer made and dropped per keystroke).
        self._dup_due = monotonic() + DEBOUNCE
        if self._dup_timer is None:
            self._dup_timer = self.set_timer(DEBOUNCE, self._check_due)

    def duplicate_for(self, text: str) -> Lead | None:
        """The lead found for ``text`` if it is the address checked, else None."""
        found = self.duplicate
        return found if found is not None and normalize_email(text) == self._dup_email else None

    def remember_lead_email(self, lead: Lead) -> None:
        """A create succeeded: that address now belongs to ``lead`` (no lookup needed)."""
        self._answers()[normalize_email(lead.email)] = lead

    def forget_email(self, text: str) -> None:
        """What was learnt about ``text`` is stale (a 409 said it exists after all)."""
        self._answers().pop(normalize_email(text), None)

    # -- ctrl+o: open the lead that holds this email (found while typing, or a 409) ------

    async def action_open_existing(self) -> None:
        """Open that lead over this form, which stays as typed (and in its draft): escape
        from the lead comes back here."""
        await focused_caught_up(self.app)
        email = self.form.box("email").value
        found = self.duplicate_for(email)
        if found is not None:
            self.save_draft()
            await self.app.open_lead(found)
        elif self.existing_id is not None:
            self._find_existing(email)

    @work(group="lookup", exclusive=True, exit_on_error=False)
    async def _find_existing(self, email: str) -> None:
        from sendkit_tui.domain.wording import explain

        self.status.say(f"Looking up {email}…", busy=True)
        try:
            lead = await self.app.require_client().find_lead_by_email(email)
        except Exception as error:
            self.status.say(explain(error))
            return
        if lead is None:
            self.status.say("Could not find that lead in this workspace.")
            return
        self.status.say("")
        self._open_lead(lead)

    # -- internals -----------------------------------------------------------------------

    def _stop_timer(self) -> None:
        if self._dup_timer is not None:
            self._dup_timer.stop()
            self._dup_timer = None

    def _check_due(self) -> None:
        self._dup_timer = None
        wait = self._dup_due - monotonic()
        if wait > 0.01:  # typed on since the timer was set: wait for the pause
            self._dup_timer = self.set_timer(wait, self._check_due)
            return
        email = self._dup_email
        answers = self._answers()
        if email in answers:
            self._say(answers[email])
        elif self.app.client is not None:  # not signed in: nothing to ask, nothing to say
            self.run_worker(
                self._look_up(email), group="duplicate-check", exclusive=True, exit_on_error=False
            )

    async def _look_up(self, email: str) -> None:
        from sendkit_tui.domain.wording import DUPLICATE_CHECK_FAILED

        try:
            client = self.app.require_client()
            lead = await client.find_lead_by_email(email, max_pages=LOOKUP_PAGES)
        except Exception:  # offline, 5xx, 401…: quiet; the save says what is wrong
            if email == self._dup_email:
                self.form.box("email").show_notice(DUPLICATE_CHECK_FAILED)
            return
        self._answers()[email] = lead
        if email == self._dup_email:
            self._say(lead)

    def _say(self, lead: Lead | None) -> None:
        """Say under the email that ``lead`` holds it (None: say nothing)."""
        had = self.duplicate is not None
        self.duplicate = lead
        box = self.form.box("email")
        if lead is None:
            box.show_notice("")
        else:
            from sendkit_tui.domain.wording import duplicate_notice

            notice = duplicate_notice(
                normalize_email(lead.email),
                first=lead.first_name,
                last=lead.last_name,
                company=lead.company_name,
                key=OPEN_KEY,
            )
            box.show_notice(notice, warning=True)
        if had or lead is not None:
            self.refresh_bindings()  # ctrl+o shows in the footer only while it can open one

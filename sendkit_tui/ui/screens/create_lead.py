"""The create-lead form: every field of ``POST /v1/leads``, saved with ctrl+s.

What is typed while the save is on its way stays: fields changed after ctrl+s are kept
for the next lead, and the status line says which (see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from textual import getters, on, work
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widgets import Input

from sendkit_tui.domain.edit_model import LeadEdit
from sendkit_tui.ui.base.create_outcomes import CreateOutcomes
from sendkit_tui.ui.base.duplicate_check import OPEN_KEY, DuplicateCheck
from sendkit_tui.ui.base.form_screen import LeadFormScreen
from sendkit_tui.ui.base.next_lead import NextLead
from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.frame_hold import FrameHold
from sendkit_tui.ui.keys import focused_caught_up
from sendkit_tui.ui.news import LeadSaved

if TYPE_CHECKING:
    from sendkit_tui.api import Conflict, Lead
    from sendkit_tui.domain.contact_paste import PastedContact
    from sendkit_tui.storage.drafts import Draft


class CreateLeadScreen(CreateOutcomes, NextLead, DuplicateCheck, LeadFormScreen):
    app = getters.app(AppContext)
    kind = "create"
    BINDINGS = [
        *LeadFormScreen.BINDINGS,
        Binding(
            OPEN_KEY, "open_existing", "Open existing", id="create.open_existing", priority=True
        ),
        Binding("ctrl+y", "paste_contact", "Paste contact", id="create.paste", priority=True),
    ]

    HINT = "ctrl+s saves · escape goes back · tab moves to the next field"

    def __init__(self, *, draft: Draft | None = None, elsewhere: str | None = None) -> None:
        model = LeadEdit.from_draft(draft.values) if draft is not None else LeadEdit()
        super().__init__(model, draft=draft, id="create-screen")
        self.existing: Lead | None = None
        self.existing_id: str | None = None
        self._hint = self.HINT
        self._said_for: dict[str, Any] | None = None  # the form when _hint was set
        self.elsewhere = elsewhere  # the draft was typed for another server or workspace
        self.queue = []  # leads saved while another is on its way (see NextLead)
        self.set_aside = []  # leads typed after one that was not created

    def on_mount(self) -> None:
        self.sub_title = "New lead"
        if self.draft is not None:
            self.show_model()
            self._hint = "Draft restored. ctrl+s saves it to SendKit."
            self._said_for = self.form.sync().to_draft()
        if self.elsewhere:
            where = self.app.connection.workspace_name or self.app.connection.base_url
            self.banner.show(
                f"This draft was {self.elsewhere}. Nothing has been sent: ctrl+s creates the "
                f"lead here ({where}).",
                severity="warning",
            )  # the draft now belongs to this connection (save_draft rebinds it)
        self.status.say(self._hint)
        try:
            email = self.form.box("email").input
        except NoMatches:  # the app is shutting down while this form mounts (a spare form)
            return
        self.set_focus(email)  # now: the next key typed goes there

    def on_form_changed(self) -> None:
        if self.saving or self._hint == self.HINT:
            return
        if self.form.sync().to_draft() != self._said_for:  # typing again: "Saved …" is old
            self._hint = self.HINT
            self.status.say(self._hint)

    @on(Input.Changed, "#field-email")
    def _email_typed(self, event: Input.Changed) -> None:
        self.email_changed(event.value)  # looked up once typing pauses (base/duplicate_check)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_existing":
            return self.existing_id is not None or self.duplicate is not None
        return super().check_action(action, parameters)

    async def action_paste_contact(self) -> None:
        """A vCard or signature pasted in a dialog fills the fields; nothing is saved."""
        from sendkit_tui.ui.dialogs.paste_contact import PasteContactScreen

        await focused_caught_up(self.app)

        def apply(contact: PastedContact | None) -> None:
            if contact is None or contact.empty:
                return
            filled = self.form.fill(contact.fields)
            self.set_focus(self.form.box("email").input)
            self.status.say(f"Filled from the {contact.kind}: {', '.join(filled)}. ctrl+s saves.")

        await self.app.push_screen(PasteContactScreen(), apply)

    # -- save ------------------------------------------------------------------

    def save(self) -> None:
        """Checked, then sent (or queued behind the lead on its way): the form is the next
        lead's at once (see ui/base/next_lead.py)."""
        if not self.check_fields():
            return
        self.banner.hide()
        if self.existing_id is not None:
            self.existing_id = None
            self.refresh_bindings()  # "Open existing" leaves the key bar
        body = self.model.create_body()
        self.save_draft(outcome="pending")
        self.start_next_lead(body)

    def send(self, body: dict[str, Any]) -> None:
        self.saving, self.retrying = True, False
        self.status.say_soon(f"Saving {body['email']}…")
        self.frames.hold()  # ended by the answer, or within a frame (ui/frame_hold.py)
        self._create(body)

    @cached_property
    def frames(self) -> FrameHold:
        """The cleared form and "Saved" in one frame (ui/frame_hold.py)."""
        return FrameHold(self.app)

    def on_unmount(self) -> None:  # (Textual calls LeadFormScreen's own on_unmount too)
        self.frames.release()

    @work(group="save", exit_on_error=False)
    async def _create(self, body: dict[str, Any]) -> None:
        try:
            await self._send_one(body)
        finally:
            self.frames.release()  # what the answer changed is drawn now

    async def _send_one(self, body: dict[str, Any]) -> None:
        from sendkit_tui.api import BadResponse, OutcomeUnknown, ServerError

        try:
            lead = await self.app.require_client().create_lead(body, on_retry=self.on_retry)
        except (OutcomeUnknown, ServerError, BadResponse) as error:
            # A 500/502/504, a dropped answer, or a 2xx we could not read: the lead
            # may exist, so look it up before offering to send it again.
            if isinstance(error, OutcomeUnknown) or error.ambiguous:
                await self._reconcile(body, error)
                return
            self.saving = False
            self._refused(error, body)
            return
        except Exception as error:
            self.saving = False
            self._refused(error, body)
            return
        self.saving = False
        self._created(lead, body=body)

    def _refused(self, error: Exception, body: dict[str, Any]) -> None:
        """Not created: its messages in the form if it is back there, else in the banner
        (see ``NextLead.sent_back``); a refused key opens the login screen either way."""
        from sendkit_tui.api import AuthError, Conflict
        from sendkit_tui.domain.wording import explain

        if not self.sent_back(explain(error)):
            if isinstance(error, AuthError):
                self.app.handle_auth_error(error)
            return
        if isinstance(error, Conflict):
            self._duplicate(error, body["email"])
        else:
            self.show_failure(error, action="lead")

    # -- escape while leads are on their way ----------------------------------------

    leaving = False  # escape came while leads were on their way: the list once they are in
    retrying = False  # the lead on its way is being retried: escape cancels, as said then

    def on_retry(self, info: Any) -> None:
        self.retrying = True
        super().on_retry(info)

    async def action_close(self) -> None:
        """escape while leads are on their way (a fast typist's escape right after the last
        ctrl+s): back to the list once they are saved; escape again stops waiting for them."""
        await focused_caught_up(self.app)
        if self.saving and not (self.leaving or self.retrying):
            self.leaving = True
            body = self.sent_body or {}
            more = f" and {len(self.queue)} more" if self.queue else ""
            self.status.say(
                f"Back to the list once {body.get('email', 'the lead')}{more} is saved "
                "(escape again stops waiting).",
                busy=True,
            )
            return
        self.leaving = False
        await super().action_close()

    def _leave_if_asked(self) -> None:
        """The leads on their way are saved: leave, as escape asked, unless a lead was typed
        since (or one set aside is back): then the form stays the typist's."""
        if self.leaving and not self.saving:
            self.leaving = False
            self.form.sync()
            if not self.has_unsent_input() and not self.set_aside:
                self.call_later(self.action_close)

    def sent_back(self, why: str, *, keys_count: bool = True) -> bool:
        self.leaving = False  # not created: the form stays, to say so
        return super().sent_back(why, keys_count=keys_count)

    def has_unsent_input(self) -> bool:
        return self.is_mounted and not self.form.is_blank()

    def _created(self, lead: Lead, *, note: str = "", body: dict[str, Any] | None = None) -> None:
        """Created: the form already holds the next lead (see ui/base/next_lead.py).

        The answer is checked against what was sent: a field SendKit did not keep is said
        plainly (the lead exists, so the form still moves on to the next one)."""
        from sendkit_tui.domain.verify import verify_create
        from sendkit_tui.ui.base.save_undo import record_created

        check = verify_create(body or {}, lead.to_request_dict(), carried=lead.known_fields())
        self.remember_lead_email(lead)
        # The lead's local history (f2 on the edit form): a file write, after the frame.
        self.after_frame(lambda: record_created(self.app, lead))
        self.banner.hide()
        back = self.sent_created()  # (a lead set aside that was not created says why there)
        if body is not None and check.discrepancies:
            lines = " ".join(d.message for d in check.discrepancies)
            self.banner.show(
                f"{lead.email} was created, but SendKit did not keep everything: {lines}",
                severity="warning",
                hint="Open it from the list to set what is missing.",
            )
            self.notify(
                f"{lead.email}: {check.summary()}",
                title="Created",
                severity="warning",
                markup=False,
            )
        elif note:  # an unusual save (the answer was lost, then the lead found): say so twice
            self.notify(f"Lead created: {lead.email}{note}", title="Saved", markup=False)
        if self.form.is_blank():
            self._hint = f"Saved {lead.email}. Type the next lead, or escape for the list.{back}"
        else:
            self._hint = f"Saved {lead.email}.{back} ctrl+s saves this one."
        self._said_for = self.form.sync().to_draft()
        self.status.say(self._hint)
        self.after_frame(lambda: self._tell_list(lead))  # the list is hidden under this form
        self._leave_if_asked()

    def _tell_list(self, lead: Lead) -> None:
        self.app.news.lead_saved.publish(LeadSaved(lead, created=True))

    def _duplicate(self, error: Conflict, email: str) -> None:
        self.existing_id = error.existing_lead_id or "?"
        self.forget_email(email)  # it exists after all: ask again if it is typed again
        self.refresh_bindings()
        self.form.box("email").show_error(
            f"A lead with {email.strip().lower()} already exists. Press ctrl+o to open it."
        )
        self.form.focus_field("email")
        self.status.say("Not saved: duplicate email.")
        self.save_draft(outcome="failed", detail="duplicate")

    def _open_lead(self, lead: Lead, *, replace: bool = False) -> None:
        """Open ``lead`` for editing; on a 409 this form stays underneath, as typed.

        Called from workers: the app opens it next (``replace`` ends this screen and its
        workers, so the worker must not wait for it)."""
        if replace:
            self.drop_draft()
            self.closing = True  # the edit screen takes this one's place
        self.app.call_next(self.app.open_lead, lead, replace=replace)

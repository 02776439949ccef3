"""The create form starts the next lead the moment ctrl+s sends this one.

A fast typist does not wait for SendKit's answer: the keys typed after ctrl+s belong to the
next lead. So once a lead passes the form's checks, it is held as it was (its values, the
body sent, its draft marked "pending") and the form is blank again with Email focused:

- one lead is on its way at a time; a lead saved while another is on its way waits in a
  queue and goes as soon as the one before is created;
- created: its draft is dropped, and the next in the queue goes;
- not created (a duplicate, a refused field, an error, a cancel): it comes back into the
  form, to be fixed or sent again. Whatever else was typed (the queue, the form) is set aside
  as drafts of its own, and comes back into the form, one lead at a time, as each is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sendkit_tui.domain.edit_model import LeadEdit
from sendkit_tui.storage.drafts import Draft


@dataclass
class Outgoing:
    """A lead that passed the checks: what the form held, the body sent, its draft."""

    values: dict[str, Any]
    body: dict[str, Any]
    draft: Draft | None


class NextLead:
    """Mixed into ``CreateLeadScreen`` (before ``LeadFormScreen``)."""

    app: Any
    form: Any
    model: LeadEdit
    draft: Draft | None
    status: Any
    saving: bool
    show_model: Any
    set_focus: Any
    notify: Any
    send: Any  # CreateLeadScreen: POST one lead

    sending: Outgoing | None = None  # the lead on its way
    queue: list[Outgoing]
    set_aside: list[Draft]

    def start_next_lead(self, body: dict[str, Any]) -> None:
        """The form's lead passed the checks: send it (or queue it), and give the form to
        the next lead."""
        outgoing = Outgoing(self.model.to_draft(), body, self.draft)
        self.draft = None
        self._show(LeadEdit())
        self.set_focus(self.form.box("email").input)
        if self.sending is None:
            self.sending = outgoing
            self.send(body)
        else:
            self.queue.append(outgoing)
            self.status.say(
                f"{body['email']} is sent as soon as the lead before it is created.", busy=True
            )

    @property
    def sent_body(self) -> dict[str, Any] | None:
        return self.sending.body if self.sending is not None else None

    def mark_sent(self, outcome: str, detail: str) -> None:
        """Say in the lead's draft file what became of it (offered so at the next start)."""
        draft = self.sending.draft if self.sending is not None else None
        if draft is not None:
            draft.outcome, draft.outcome_detail = outcome, detail
            self.app.drafts.save(draft)

    def sent_created(self) -> str:
        """The lead on its way was created; the next goes. What the status line should add."""
        done, self.sending = self.sending, None
        if done is not None and done.draft is not None:
            self.app.drafts.delete(done.draft.id)
        if self.queue:
            self.sending = self.queue.pop(0)
            self.send(self.sending.body)
            return f" Sending {self.sending.body['email']}…"
        parked = self.set_aside
        if not parked:
            return ""
        if not self.form.is_blank():
            return f" {_leads(len(parked))} you had started come back once this one is saved."
        back = parked.pop(0)
        self._show(LeadEdit.from_draft(back.values))
        self.draft = back  # typing on writes the same draft file
        self.set_focus(self.form.box("email").input)
        more = f" ({_leads(len(parked))} more after it)" if parked else ""
        return f" The next lead you had started is back{more}."

    def sent_back(self) -> None:
        """The lead on its way was not created: back into the form, to be fixed or resent.
        The queue and the form's lead are set aside; they come back as each is saved."""
        failed, self.sending = self.sending, None
        if failed is None:
            return
        self.form.sync()
        waiting = [(item.values, item.draft) for item in self.queue]
        self.queue = []
        if not self.model.is_blank():
            waiting.append((self.model.to_draft(), self.draft))
        kept = [self._park(values, draft) for values, draft in waiting]
        self._show(LeadEdit.from_draft(failed.values))
        self.draft = failed.draft
        if self.draft is not None:  # not created (the caller may say more precisely why)
            self.draft.outcome, self.draft.outcome_detail = "failed", "not created"
            self.app.drafts.save(self.draft)
        if kept and all(kept):
            self.notify(
                f"{_leads(len(kept))} you typed after it set aside: back in the form, one at a "
                "time, once this lead is saved.",
                title="Next leads kept",
                markup=False,
            )

    def _park(self, values: dict[str, Any], draft: Draft | None) -> bool:
        conn = self.app.connection
        draft = draft or Draft(kind="create", values={}, profile=conn.profile)
        draft.values, draft.outcome, draft.outcome_detail = values, "never", None
        draft.workspace_id, draft.base_url = conn.workspace_id, conn.base_url
        self.draft = None
        if self.app.drafts.save(draft):
            self.set_aside.append(draft)
            return True
        typed = ", ".join(str(v) for v in values.values() if isinstance(v, str) and v.strip())
        self.notify(
            f"A lead you typed could not be kept as a draft: {typed}",
            title="Lead not kept",
            severity="error",
            timeout=30,
            markup=False,
        )
        return False

    def _show(self, model: LeadEdit) -> None:
        model.default_region = self.model.default_region
        self.model = model
        self.form.use_model(model)
        self.show_model()


def _leads(count: int) -> str:
    return "The lead" if count == 1 else f"The {count} leads"

"""The create form starts the next lead the moment ctrl+s sends this one.

A fast typist does not wait for SendKit's answer: the keys typed after ctrl+s belong to the
next lead. So once a lead passes the form's checks, it is held as it was (its values, the
body sent, its draft marked "pending") and the form is blank again with Email focused:

- one lead is on its way at a time; a lead saved while another is on its way waits in a
  queue and goes as soon as the one before is created;
- created: its draft is dropped, and the next in the queue goes;
- not created (a duplicate, a refused field, an error, a cancel): if the next lead is not
  started yet (the form blank, no key since ctrl+s), it comes back into the form, to
  be fixed or sent again; if it is, the form stays the user's (keys in flight would otherwise
  land in the lead put back) and the failed lead is set aside, first in line, said in the
  banner. Set-aside leads (also those queued behind a failed one) are drafts of their own,
  and come back into the form one at a time, as each lead is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sendkit_tui.domain.edit_model import LeadEdit
from sendkit_tui.storage.drafts import Draft


@dataclass
class Parked:
    """A lead set aside (a draft of its own), and why, if it was sent and not created."""

    draft: Draft
    why: str = ""


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
    banner: Any
    saving: bool
    show_model: Any
    set_focus: Any
    notify: Any
    send: Any  # CreateLeadScreen: POST one lead

    sending: Outgoing | None = None  # the lead on its way
    keys_at_send = 0.0  # the app's last_input when it was sent: a key since means typing on
    queue: list[Outgoing]
    set_aside: list[Parked]

    def start_next_lead(self, body: dict[str, Any]) -> None:
        """The form's lead passed the checks: send it (or queue it), and give the form to
        the next lead."""
        self.keys_at_send = self.app.last_input
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
        self._record(self.sending.draft if self.sending is not None else None, outcome, detail)

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
            return f" {_leads(len(parked))} set aside come back once this one is saved."
        back = parked.pop(0)
        self._show(LeadEdit.from_draft(back.draft.values))
        self.draft = back.draft  # typing on writes the same draft file
        self.set_focus(self.form.box("email").input)
        more = f" ({_leads(len(parked))} more after it)" if parked else ""
        if back.why:
            self.banner.show(
                f"This lead was not created: {back.why}",
                severity="error",
                hint="Fix it and press ctrl+s to send it again.",
            )
            return f" A lead that was not created is back{more}."
        return f" The next lead you had started is back{more}."

    def sent_back(self, why: str, *, keys_count: bool = True) -> bool:
        """The lead on its way was not created (``why``). True: it is back in the form (the
        caller shows its messages there). False: the next lead was started, so the form stays
        as it is and the failed lead is set aside, first in line (said in the banner).
        Leads queued behind it are set aside either way. ``keys_count=False``: only the form
        decides (after escape, which is itself a key typed since ctrl+s)."""
        failed, self.sending = self.sending, None
        if failed is None:
            return False
        self.form.sync()
        queued = [(item.values, item.draft) for item in self.queue]
        self.queue = []
        typed_since = keys_count and self.app.last_input > self.keys_at_send
        if not self.model.is_blank() or typed_since:
            self._park(failed.values, failed.draft, why=why, first=True)
            for values, draft in queued:
                self._park(values, draft)
            email = failed.body.get("email", "")
            self.banner.show(
                f"{email} was not created: {why}",
                severity="error",
                hint="It is kept, and comes back into the form once this lead is saved.",
            )
            return False
        kept = [self._park(values, draft) for values, draft in queued]
        self._show(LeadEdit.from_draft(failed.values))
        self.draft = failed.draft
        self._record(self.draft, "failed", "not created")  # (the caller may say why)
        if kept and all(kept):
            self.notify(
                f"{_leads(len(kept))} saved after it set aside: back in the form, one at a "
                "time, once this lead is saved.",
                title="Leads kept",
                markup=False,
            )
        return True

    def _record(self, draft: Draft | None, outcome: str, detail: str) -> None:
        if draft is not None:
            draft.outcome, draft.outcome_detail = outcome, detail
            self.app.drafts.save(draft)

    def _park(
        self, values: dict[str, Any], draft: Draft | None, *, why: str = "", first: bool = False
    ) -> bool:
        conn = self.app.connection
        draft = draft or Draft(kind="create", values={}, profile=conn.profile)
        draft.values = values
        draft.outcome, draft.outcome_detail = ("failed", why) if why else ("never", None)
        draft.workspace_id, draft.base_url = conn.workspace_id, conn.base_url
        if draft is self.draft:
            self.draft = None
        if self.app.drafts.save(draft):
            self.set_aside.insert(0 if first else len(self.set_aside), Parked(draft, why))
            return True
        typed = ", ".join(str(v) for v in values.values() if isinstance(v, str) and v.strip())
        self.notify(
            f"A lead could not be kept as a draft: {typed}",
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

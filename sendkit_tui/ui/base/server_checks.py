"""The edit screen's checks against the server's copy, around a PATCH.

Before: the freshest copy (single-lead GET, else the list's) is read; tags are sent as our
additions and removals applied to its list; fields someone else also changed are named with
both values and the user keeps theirs or mine (domain/merge.py). After a lost answer: the
lead is read again, and a change it already shows is reported saved, not failed.
Mixed into ``EditLeadScreen``; see docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sendkit_tui.domain.adapt import Adaptation, adapt_patch, suggest_adaptations
from sendkit_tui.domain.merge import Clash, clashes, rebase_patch
from sendkit_tui.domain.patch import is_applied
from sendkit_tui.domain.rules import field_label
from sendkit_tui.domain.text import sanitize
from sendkit_tui.domain.verify import Verification, verify_patch
from sendkit_tui.storage.server_traits import TraitsStore

if TYPE_CHECKING:
    from sendkit_tui.api import Lead


class ServerChecks:
    """Needs the edit screen's lead, model, form, status, app and save methods."""

    lead: Lead
    model: Any
    form: Any
    status: Any
    app: Any
    saving: bool
    can_reread: bool
    baseline_updated_at: str | None
    baseline: Any
    _saved: Any
    _save: Any
    _note: Any
    show_model: Any
    on_form_changed: Any
    banner: Any
    notify: Any
    save_draft: Any
    learnt: list[Adaptation] = []

    # -- what this server takes, and whether it took it -----------------------------------

    def _traits(self) -> TraitsStore:
        return TraitsStore()

    def _wire(self, patch: dict[str, Any]) -> dict[str, Any]:
        """The body to send: ``patch`` adapted to what was learnt about this server."""
        conn = self.app.connection
        learnt = self._traits().load(conn.base_url, conn.workspace_id).adaptations()
        return adapt_patch(patch, learnt, self.baseline) if learnt else dict(patch)

    async def _verify(
        self, patch: dict[str, Any], wire: dict[str, Any], lead: Lead
    ) -> tuple[Lead, Verification]:
        """Compare what the user asked for with the server's answer (re-read when the answer
        is partial); remember what this server does differently, for the next PATCH."""
        baseline = self.baseline or {}
        check = verify_patch(
            baseline, patch, lead.to_request_dict(), carried=lead.known_fields(), wire=wire
        )
        if check.unchecked and self.can_reread:
            try:
                fresh = await self.app.require_client().get_lead(self.lead.id)
            except Exception:
                return lead, check
            lead = fresh
            check = verify_patch(
                baseline, patch, fresh.to_request_dict(), carried=fresh.known_fields(), wire=wire
            )
        self.learnt = suggest_adaptations(check.discrepancies)
        if self.learnt:
            conn = self.app.connection
            learnt = {a.trait: a.value for a in self.learnt}
            self._traits().update(conn.base_url, conn.workspace_id, source="save", **learnt)
        return lead, check

    def _not_all_saved(self, lead: Lead, check: Verification) -> None:
        """Say what did not take, next to each field; the changes stay unsaved."""
        self.form.show_errors({d.field: d.message for d in check.discrepancies})
        hint = " ".join(a.message for a in self.learnt)
        self.banner.show(
            f"SendKit answered, but not everything took: {check.summary()} Your changes are "
            "kept; see the messages below.",
            severity="warning",
            hint=hint or "Press ctrl+s to try again.",
        )
        self.notify(
            f"{lead.email}: {check.summary()}",
            title="Not all saved",
            severity="warning",
            markup=False,
        )
        self.save_draft(outcome="failed", detail="not applied")
        self.status.say(f"Not all saved: {self.model.summary()} left · ctrl+s tries again")

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
            f"{field_label(c.field)}: theirs {shown_value(c.theirs)}, yours {shown_value(c.mine)}"
            for c in found
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


def shown_value(value: Any) -> str:
    text = "(empty)" if value in (None, "") else repr(str(value))
    return sanitize(text if len(text) <= 40 else text[:39] + "…'", single_line=True)

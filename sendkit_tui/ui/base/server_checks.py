"""The edit screen's checks against the server's copy, around a PATCH.

Before: the freshest copy (single-lead GET, else the list's) is read; tags are sent as our
additions and removals applied to its list; fields someone else also changed are named with
both values and the user keeps theirs or mine (domain/merge.py). After a lost answer: the
lead is read again, and a change it already shows is reported saved, not failed.
Mixed into ``EditLeadScreen``; see docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sendkit_tui.domain.merge import Clash, clashes, rebase_patch
from sendkit_tui.domain.patch import is_applied
from sendkit_tui.domain.rules import FIELD_LABELS
from sendkit_tui.domain.text import sanitize

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


def _label(field: str) -> str:
    if field.startswith("customFields."):
        return f"custom field {field.split('.', 1)[1]!r}"
    return FIELD_LABELS.get(field, field)


def _shown(value: Any) -> str:
    text = "(empty)" if value in (None, "") else repr(str(value))
    return sanitize(text if len(text) <= 40 else text[:39] + "…'", single_line=True)

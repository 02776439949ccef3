"""What the create and edit screens share: the edit model, the form, drafts, keys, errors.

Each form has one ``LeadEdit`` (domain/edit_model.py): the baseline, what is typed, the
tag and custom-field changes, undo. The widgets are views of it; the patch, the markers,
the status line, the draft and the review all read it.

Errors go where they belong: a field's message under that field, anything else in the
banner at the top of the form, 401/403 to the login screen (opened over this screen, so
nothing typed is lost). Nothing typed is ever cleared by an error, and a draft file keeps
it across quits and crashes: written at most a second after typing starts, then at least
once a second while it goes on, and whenever focus moves to another field.
See docs/ARCHITECTURE.md ("The input path", "Drafts").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events, getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from sendkit_tui.domain.clean import DEFAULT_REGION
from sendkit_tui.domain.edit_model import LeadEdit
from sendkit_tui.domain.rules import STANDARD_FIELDS
from sendkit_tui.storage.drafts import Draft
from sendkit_tui.ui.base.fresh_styles import StyledOnce
from sendkit_tui.ui.base.save_feedback import SaveFeedback
from sendkit_tui.ui.context import AppContext
from sendkit_tui.ui.keys import focused_caught_up
from sendkit_tui.ui.widgets.banner import Banner
from sendkit_tui.ui.widgets.custom_fields import CustomFieldsGrid
from sendkit_tui.ui.widgets.key_bar import KeyBar
from sendkit_tui.ui.widgets.lead_form import KEEP_KEY, KEEPABLE, LeadForm
from sendkit_tui.ui.widgets.status_line import StatusLine
from sendkit_tui.ui.widgets.tag_editor import TagEditor
from sendkit_tui.ui.widgets.title_bar import TitleBar

DRAFT_EVERY = 1.0
"""Seconds: while typing goes on, the draft is written at least this often."""
AFTER_FRAME = 0.05
"""Seconds after which the frame asked for now is out: Textual draws at most every 1/60 s,
and a form's frame takes some 10-20 ms to render."""


class LeadFormScreen(SaveFeedback, StyledOnce, Screen):
    app = getters.app(AppContext)
    HELP_GROUP = "Form"
    kind = "create"
    BINDINGS = [
        # Priority: the keys typed before ctrl+s are in the form when it saves, and the
        # keys typed after it go on into the form (see ui/keys.py).
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        # Priority too: escape then a key typed at once must not leave that key in the
        # form it closes. The grid keeps escape while it edits a row (see check_action).
        Binding("escape", "close", "Back", id="form.close", priority=True),
        Binding("ctrl+z", "undo", "Undo", id="form.undo", priority=True),
        Binding("ctrl+t", "jump_tags", "Tags", id="form.tags", priority=True),
        Binding("ctrl+g", "jump_fields", "Custom fields", id="form.fields", priority=True),
        Binding(
            KEEP_KEY, "keep_typed", "Keep as typed", id="form.keep_typed", priority=True, show=False
        ),
    ]

    def __init__(
        self, model: LeadEdit, *, draft: Draft | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.model = model
        self.draft = draft
        self.saving = False
        self.closing = False  # dismissed or replaced: nothing more is written as a draft
        self._draft_timer: Timer | None = None
        self._drawn: list[tuple[Input, str]] = []  # see show_model
        self._after_frame: list[Callable[[], object]] = []
        self._banner: Banner | None = None
        self._form: LeadForm | None = None
        self._status: StatusLine | None = None

    def apply_settings(self) -> None:
        """The settings the form reads from the config (again when a spare form is shown)."""
        self.model.default_region = self.app.config.default_region or DEFAULT_REGION

    def compose(self) -> ComposeResult:
        self.apply_settings()
        # Kept, not queried: the status line comes after every field in the DOM, and the
        # form and its lines are read several times per key and per save.
        self._banner = Banner()
        self._form = LeadForm(self.model, email_read_only=self.kind == "edit")
        self._status = StatusLine()
        yield TitleBar()
        yield self._banner
        yield self._form
        yield self._status
        yield KeyBar()

    @property
    def form(self) -> LeadForm:
        return self._form if self._form is not None else self.query_one(LeadForm)

    @property
    def banner(self) -> Banner:
        return self._banner if self._banner is not None else self.query_one(Banner)

    @property
    def status(self) -> StatusLine:
        return self._status if self._status is not None else self.query_one(StatusLine)

    def focused_field(self) -> str | None:
        """The standard field whose box has focus (its text is left alone by a redraw)."""
        focused = self.focused
        for field in STANDARD_FIELDS:
            if focused is not None and focused.id == f"field-{field}":
                return field
        return None

    def show_model(self, **options: Any) -> None:
        """Draw the model without treating it as typing: the ``Input.Changed`` each redrawn
        box posts is recognised by its box and value when it arrives (later, and in order
        with real typing), not by a flag that a refresh might clear before it arrives."""
        self._drawn.extend(self.form.show_model(**options))

    def after_frame(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the next frame is out, or when this screen closes first.

        For work the user cannot see from here (the lead's history file, the leads list
        under this screen): the saved state is drawn without waiting for it. A short timer,
        not ``call_after_refresh``: that runs at the first idle moment, which after a save
        comes before the boxes being cleared have asked for their repaint.
        """
        self._after_frame.append(callback)
        if len(self._after_frame) == 1:
            self.set_timer(AFTER_FRAME, self._run_after_frame)

    def _run_after_frame(self) -> None:
        pending, self._after_frame = self._after_frame, []
        for callback in pending:
            callback()

    def on_mount(self) -> None:
        self.app.open_forms.append(self)

    def on_unmount(self) -> None:
        if self in self.app.open_forms:
            self.app.open_forms.remove(self)
        self._run_after_frame()

    # -- keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return not self.form.grid.wants_escape()  # it cancels its own edit first
        return True

    async def action_save(self) -> None:
        await focused_caught_up(self.app)  # what was typed before ctrl+s is in the form
        self.save()

    def save(self) -> None:
        raise NotImplementedError

    async def action_undo(self) -> None:
        await focused_caught_up(self.app)  # a tag or field typed before ctrl+z is in first
        done = self.model.undo()
        if done is None:
            await self.nothing_to_undo()
            return
        self.form.tags.refresh_view()
        self.form.grid.refresh_view()
        self._typed()
        self.status.say(f"Undone: {done}. {self.model.summary()}.")

    async def nothing_to_undo(self) -> None:
        """No unsaved tag or custom-field change to undo (the edit form offers the save)."""
        self.status.say("Nothing to undo.")

    async def action_keep_typed(self) -> None:
        """The focused phone or LinkedIn URL: send it as typed, or cleaned again."""
        await focused_caught_up(self.app)
        field = self.focused_field()
        if field not in KEEPABLE:
            self.status.say(f"{KEEP_KEY} keeps a phone or LinkedIn URL as typed; focus one first.")
            return
        self.form.sync()
        self.form.toggle_keep_typed(field)
        self._typed()

    def action_jump_tags(self) -> None:
        self.set_focus(self.form.tags.input)

    def action_jump_fields(self) -> None:
        self.form.grid.open_add_line()

    # -- drafts ----------------------------------------------------------------------

    @on(Input.Changed)
    def _text_changed(self, event: Input.Changed) -> None:
        drawn = (event.input, event.value)
        if drawn in self._drawn:
            self._drawn.remove(drawn)  # the model drawn (show_model), not typing
            return
        self._typed()

    @on(TagEditor.Changed)
    @on(CustomFieldsGrid.Changed)
    def _typed(self) -> None:
        # A throttle, not a debounce: written within a second of the first change and then
        # at least once a second while typing goes on (a crash loses at most ~1 s).
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_EVERY, self._draft_due)
        self.on_form_changed()

    def _draft_due(self) -> None:
        self._draft_timer = None
        self.save_draft()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Focus moved to another field: write what is pending now."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_due()

    def on_form_changed(self) -> None:
        """Subclasses refresh change counts and the like."""

    def has_unsent_input(self) -> bool:
        raise NotImplementedError

    def draft_fields(self) -> dict[str, Any]:
        """kind-specific draft attributes (lead id, baseline)."""
        return {}

    def save_draft(self, outcome: str | None = None, detail: str | None = None) -> bool:
        """Write what is typed to the draft file; never raises, never blocks on the network.

        Returns False when the draft could not be written (the quit guard says so).
        """
        if not self.is_mounted or self.closing:
            return True
        self.form.sync()
        if not self.has_unsent_input():
            if self.draft is not None and outcome is None:
                self.app.drafts.delete(self.draft.id)
                self.draft = None
            return True
        conn = self.app.connection
        if self.draft is None:
            self.draft = Draft(kind=self.kind, values={}, profile=conn.profile)
        draft = self.draft
        draft.values = self.model.to_draft()
        draft.workspace_id = conn.workspace_id
        draft.base_url = conn.base_url
        for name, value in self.draft_fields().items():
            setattr(draft, name, value)
        if outcome is not None:
            draft.outcome, draft.outcome_detail = outcome, detail
        if not self.app.drafts.save(draft):
            self.status.say("Could not write the draft file; keep this screen open until saved.")
            return False
        return True

    def close(self) -> None:
        """Leave this form for good (what it held is saved or discarded)."""
        self.closing = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self.dismiss()

    def drop_draft(self) -> None:
        if self.draft is not None:
            self.app.drafts.delete(self.draft.id)
            self.draft = None

    # -- leaving ---------------------------------------------------------------------

    async def action_close(self) -> None:
        await focused_caught_up(self.app)
        if self.saving:
            self.cancel_save()
            return
        self.form.sync()
        if not self.has_unsent_input():
            self.drop_draft()
            self.close()
            return
        from sendkit_tui.ui.dialogs.confirm import ConfirmScreen

        def answer(discard: bool | None) -> None:
            if discard:
                self.drop_draft()
                self.close()

        what = "this new lead" if self.kind == "create" else "your changes to this lead"
        self.app.push_screen(
            ConfirmScreen(f"Discard {what}? What you typed will be lost.", yes="Discard"),
            answer,
        )

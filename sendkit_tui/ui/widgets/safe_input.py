"""An Input that draws control and bidi characters as visible symbols."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from sendkit_tui.ui.safe import ControlPictures


class SafeInput(Input):
    """``Input`` for any text that may hold pasted or server data (see ``ControlPictures``).

    ``Input`` sets its virtual size (text width + cursor) on every keystroke, and the
    base ``virtual_size`` reactive asks for a layout of the whole screen each time it
    changes: in a form with dozens of widgets that full reflow was most of the cost of
    a keystroke. Our inputs have a fixed size (the virtual size only bounds horizontal
    scrolling, which reads the reactive directly), so a repaint is enough. ``Input``
    still requests a layout itself when its own size is ``auto``.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=True)

    PASS_ON: ClassVar[frozenset[str]] = frozenset({"enter"})
    """Editing keys left to Textual's binding path (subclasses handle them in order)."""

    def __init__(self, *args: Any, compact: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", ControlPictures())
        # Classes Textual toggles later, given at once: each toggle restyles the box on the
        # spot (about 0.6 ms, a dozen boxes per form). `-textual-compact` is added by the
        # `compact` reactive in __init__, only for the mount to style the box again;
        # `-valid` by the first validation (with no validators: the first value set, as
        # when a form composed ahead of time is given its lead).
        given = [kwargs.get("classes")]
        if not kwargs.get("validators"):
            given.append("-valid")
        if compact:
            given.append("-textual-compact")
            self.set_reactive(Input.compact, True)  # so Input's own set changes nothing
        kwargs["classes"] = " ".join(filter(None, given))
        super().__init__(*args, compact=compact, **kwargs)

    def on_hide(self, event: events.Hide) -> None:
        """Keep focus through a layout that briefly leaves the box out (a screen mounting).

        Textual blurs a focused widget on every Hide; a form focused at once on mount (so
        the next key typed goes there) would lose its focus to whatever comes next. A box
        that is really hidden (``display`` off) is blurred as usual.
        """
        if self.display and self.visible:
            event.prevent_default()

    async def on_key(self, event: events.Key) -> None:
        """Editing keys (backspace, arrows, home, delete, …) act here, in order.

        Textual runs a widget's non-priority bindings only when the key has bubbled back up
        to the App, behind the characters typed after it: "abc", backspace, "d" typed fast
        gave "abc". Here backspace is handled before "d" is (see ui/keys.py).
        """
        action = _editing_actions().get(event.key)
        if action is None or event.key in self.PASS_ON or event.is_printable:
            return
        event.stop()
        event.prevent_default()
        if event.key in ACCEPT_KEYS and self.accept_completion():
            return
        await self.run_action(action)

    def accept_completion(self) -> bool:
        """→ or end with the cursor at the end takes the completion offered for the text.

        Asked of the suggester's lookup here, in the order typed, not read from the grey
        text Textual draws once its suggester answers (a message that may come after the
        next keys): so "Nor→" typed in one burst gives what slow typing gives."""
        suggester = self.suggester
        if suggester is None or not self.value:
            return False
        from sendkit_tui.ui.completion import FieldSuggester  # the forms load it, not the list

        if not isinstance(suggester, FieldSuggester):
            return False
        if not self.cursor_at_end or not self.selection.is_empty:
            return False
        completion = suggester.lookup(self.value)
        if not completion or completion == self.value:
            return False
        self.value = completion
        self.cursor_position = len(completion)
        return True


ACCEPT_KEYS = frozenset({"right", "end"})
"""Keys that take the completion offered (see ``SafeInput.accept_completion``)."""

_ACTIONS: dict[str, str] = {}


def _editing_actions() -> dict[str, str]:
    """Key → action for ``Input``'s own bindings (built once)."""
    if not _ACTIONS:
        for binding in Input.BINDINGS:
            if isinstance(binding, Binding):
                for key in binding.key.split(","):
                    _ACTIONS.setdefault(key.strip(), binding.action)
    return _ACTIONS

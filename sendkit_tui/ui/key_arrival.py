"""Keys as the terminal driver hands them to the app, before anything routes them.

Mixed into ``SendKitApp``. Two things happen here, in the order the keys came:

- the time of the last key or click is noted (``last_input``: the spare forms wait for a
  quiet moment; a lead not created comes back into the form only if no key came since);
- an escape typed fast before a letter is given back as the two keys. A terminal sends escape
  as the byte that also starts alt+letter, and Textual reads escape followed by a letter
  within 0.1 s (tmux: 0.5 s) as alt+letter: a typist's "escape, n" (back to the list, new
  lead) typed "n" into the form instead. The app binds no alt+letter, so alt with a single
  printable character is read as escape, then that character.
"""

from __future__ import annotations

from time import monotonic

from textual import events
from textual.message import Message


class KeyArrival:
    """Mixed into ``SendKitApp`` (before Textual's ``App``)."""

    _last_input = 0.0

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.Key | events.MouseDown):
            self._last_input = monotonic()  # the driver posts input here, as it arrives
        if isinstance(message, events.Key):
            parts = escape_then(message)
            if parts is not None:
                escape, then = parts
                posted = super().post_message(escape)  # type: ignore[misc]
                return super().post_message(then) and posted  # type: ignore[misc]
        return super().post_message(message)  # type: ignore[misc]

    @property
    def last_input(self) -> float:
        """``time.monotonic()`` when the last key (or click) arrived; 0.0 before the first."""
        return self._last_input

    def count_start_as_input(self) -> None:
        """Before any key: count now as the last input, so quiet is measured from here."""
        if not self._last_input:
            self._last_input = monotonic()


def escape_then(key: events.Key) -> tuple[events.Key, events.Key] | None:
    """alt+x with a printable x (what escape then x typed fast arrives as): the two keys."""
    character = key.character
    if not key.key.startswith("alt+") or character is None or len(character) != 1:
        return None
    if not character.isprintable():
        return None
    return events.Key("escape", "\x1b"), events.Key(key.key.removeprefix("alt+"), character)

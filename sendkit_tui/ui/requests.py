"""Messages screens send up to the app (they bubble from a screen to the App)."""

from __future__ import annotations

from textual.message import Message


class FirstPageShown(Message):
    """The leads list drew its first page: start-up work that is not on screen may begin."""

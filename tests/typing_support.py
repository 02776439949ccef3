"""Keys as a paste or a fast typist sends them: all queued at once, no pause between.

``Pilot.press`` waits for the app to go idle after every key, which hides the races a
real typist meets (a key routed while a screen opens, an Enter handled after the next
characters). ``burst`` posts every key event to the app before any is handled.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.app import App

NAMED = {
    "enter": "\r",
    "tab": "\t",
    "space": " ",
    "backspace": "\x7f",
    "escape": "\x1b",
}


def key_events(*tokens: str) -> list[events.Key]:
    """``"=text"`` types each character; other tokens are key names (``ctrl+s``, ``tab``)."""
    out: list[events.Key] = []
    for token in tokens:
        if token.startswith("="):
            for char in token[1:]:
                out.append(events.Key(_key_name(char), char))
        else:
            out.append(events.Key(token, NAMED.get(token)))
    return out


def _key_name(char: str) -> str:
    if char.isalnum():
        return char
    if char == " ":
        return "space"
    try:
        return unicodedata.name(char).lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return char


def burst(app: App, *tokens: str) -> None:
    """Queue every key for ``app`` at once, as the terminal driver would during a paste."""
    for event in key_events(*tokens):
        app.post_message(event)

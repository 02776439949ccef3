"""Untrusted text made safe to show: controls and bidi characters made visible.

Anything that did not come from a string literal in our source (lead fields from
the server, what the user typed, exception text, file contents) goes through
here before it reaches a widget. Markup is never parsed (``Content(...)`` and
``Text(...)`` do not parse it) and characters that could drive the terminal or
reorder what is shown are made visible:

- C0 controls except ``\\t`` and ``\\n``, DEL and C1 controls become ``\\xNN``;
- ESC (the start of ANSI/OSC sequences) becomes ``\\x1b``, so ``ESC]52;…`` is inert;
- bidi embedding/override/isolate characters become ``<U+202E>`` and so on.

``escape()`` is not used anywhere: it does not protect against ``[/`` (textual#6155).
"""

from __future__ import annotations

import re

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "]")
_UNSAFE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f" + _BIDI + "]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _BIDI:
        return f"<U+{ord(char):04X}>"
    if char == "\n":
        return "⏎"
    if char == "\t":
        return " "
    return f"\\x{ord(char):02x}"


def sanitize(value: object, *, single_line: bool = False) -> str:
    """``value`` as text with every control and bidi character made visible."""
    text = "" if value is None else str(value)
    pattern = _UNSAFE_LINE if single_line else _UNSAFE
    return pattern.sub(_visible, text)


def clip(text: str, limit: int) -> str:
    """Shorten for a one-line cell; the full value stays available elsewhere."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def _picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (ESC shows as ␛)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls and bidi marks: �


_PICTURABLE = re.compile(r"[\x00-\x1f\x7f-\x9f" + _BIDI + "]")


def pictures(text: str) -> str:
    """Same length as ``text``: each control/bidi character becomes one visible symbol."""
    return _PICTURABLE.sub(lambda m: _picture(m.group()), text)


def one_line(value: object, limit: int = 120) -> str:
    """Any outside text made safe for one line of terminal output, shortened to ``limit``."""
    return clip(sanitize(value, single_line=True), limit)

"""Untrusted text is shown as data: no markup, no terminal control, no bidi tricks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sendkit_tui.domain.text import sanitize
from sendkit_tui.ui.safe import safe, safe_cell

HOSTILE = [
    "[bold]x",
    "[/",
    "[@click=app.quit]x[/]",
    '[link="http://evil"]x',
    "\x1b]52;c;aGVsbG8=\x07",
    "\x1b[2J",
    "a\u202eevil",
    "\x00\x08\x7f\x9b",
]


def test_controls_and_bidi_are_made_visible():
    assert sanitize("\x1b[2J") == "\\x1b[2J"
    assert sanitize("a\u202eb") == "a<U+202E>b"
    assert sanitize("a\x00b\x7fc\x9bd") == "a\\x00b\\x7fc\\x9bd"
    assert sanitize("line1\nline2\tx") == "line1\nline2\tx"
    assert sanitize("line1\nline2", single_line=True) == "line1⏎line2"
    assert sanitize(None) == ""


def test_markup_is_kept_literally():
    for text in HOSTILE[:4]:
        assert safe(text).plain == text
        assert safe_cell(text).plain == text
        assert not safe(text).spans


@given(st.text())
def test_sanitised_text_has_no_control_characters(text):
    clean = sanitize(text, single_line=True)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in clean)
    assert "\u202e" not in clean and "\u2066" not in clean


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs"))))
def test_printable_text_is_unchanged(text):
    assert sanitize(text) == text

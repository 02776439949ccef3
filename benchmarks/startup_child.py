"""The baseline of the start-up figure: ``python -m benchmarks.startup_child``.

A Textual app with one Label, run with Textual's own terminal driver until killed;
``benchmarks/startup.py`` starts it on a pseudo-terminal and times what reaches the screen.
"""

from __future__ import annotations

BARE_TEXT = "Hello from a bare Textual app"


def bare() -> None:
    from textual.app import App
    from textual.widgets import Label

    class Bare(App):
        def compose(self):
            yield Label(BARE_TEXT)

    Bare().run()


if __name__ == "__main__":
    bare()

"""The baselines of the start-up figures: ``python -m benchmarks.startup_child [form]``.

Without an argument: a Textual app with one Label, run with Textual's own terminal driver
until killed (``benchmarks/startup.py`` times what reaches the screen). With ``form``: the
same label, and ``n`` opens a 12-field form (``bare_apps.BareLeads``); ctrl+s there ends the
app, which then prints ``TYPED<<value>>`` with what the email box held.
"""

from __future__ import annotations

import sys

BARE_TEXT = "Hello from a bare Textual app"


def bare() -> None:
    from textual.app import App
    from textual.widgets import Label

    class Bare(App):
        def compose(self):
            yield Label(BARE_TEXT)

    Bare().run()


def bare_form() -> None:
    from benchmarks.bare_apps import BareLeads, FormScreen

    typed = BareLeads(FormScreen).run()
    print(f"TYPED<<{typed}>>", flush=True)


if __name__ == "__main__":
    bare_form() if sys.argv[1:] == ["form"] else bare()

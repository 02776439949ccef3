"""The app's second stylesheet, ``forms.tcss``, added when the first screen but the list opens.

Textual parses every stylesheet the app names before its first frame. ``app.tcss`` holds what
start-up can show (the list, the login screen, the dialogs, the key bar); the forms, help and
import rules (some 40 % of the whole) wait in ``forms.tcss`` until a screen is pushed: in
practice the create form composed ahead of time, or the first ``n`` or enter. Added with
``Stylesheet.add_source``, which parses the new source alone (those already parsed are
cached) and touches no widget already styled: nothing on the list matches these rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FORMS_CSS = Path(__file__).with_name("forms.tcss")


class FormStyles:
    """Mixed into ``SendKitApp``: ``forms.tcss`` is in the stylesheet before a screen opens."""

    stylesheet: Any

    def load_form_styles(self) -> None:
        where = str(FORMS_CSS)
        if not self.stylesheet.has_source(where):
            css = FORMS_CSS.read_text(encoding="utf-8")
            self.stylesheet.add_source(css, read_from=(where, ""), is_default_css=False)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self.load_form_styles()
        return super().push_screen(*args, **kwargs)  # type: ignore[misc]

    def switch_screen(self, *args: Any, **kwargs: Any) -> Any:
        self.load_form_styles()
        return super().switch_screen(*args, **kwargs)  # type: ignore[misc]

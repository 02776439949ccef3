"""Moved to ``sendkit_tui.domain.wording`` (the CLI words errors too, without Textual).

Kept only so branches written before the move still import; delete once they are merged.
"""

from sendkit_tui.domain.wording import explain, retryable

__all__ = ["explain", "retryable"]

"""Public, stable import path for the patch builder: ``sendkit_tui.patch.build_patch``.

The code lives in ``sendkit_tui.domain.patch``; see docs/ARCHITECTURE.md.
"""

from sendkit_tui.domain.patch import apply_patch, build_patch, is_applied

__all__ = ["apply_patch", "build_patch", "is_applied"]

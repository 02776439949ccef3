"""The product's identity: its name, environment variables, default host and key shape.

Every other module takes these from here, so a rename or a new variable is one edit.
Free of third-party imports: the CLI, the API layer and storage all read it.
"""

from __future__ import annotations

import re

APP_NAME = "sendkit-tui"
"""Program name, platformdirs folder name and keyring service name."""

DEFAULT_BASE_URL = "https://api.sendkit.ai"

ENV_API_KEY = "SENDKIT_API_KEY"
ENV_WORKSPACE_ID = "SENDKIT_WORKSPACE_ID"
ENV_BASE_URL = "SENDKIT_BASE_URL"
ENV_PROFILE = "SENDKIT_PROFILE"
ENV_WORKSPACE_WALK = "SENDKIT_WORKSPACE_WALK"
"""``0`` turns off the TUI's background walk of the workspace for completion (tests do)."""

DEFAULT_PROFILE = "default"
DEMO_PROFILE = "demo"
"""The profile of ``sendkit-tui --demo``: its drafts are kept apart from a real workspace's.
Each demo runs a fresh sandbox on a new port, so a demo draft from an earlier run has no
server to go back to."""

KEY_LIKE = re.compile(r"(?<![A-Za-z0-9])sk_[A-Za-z0-9_\-]{12,}")
"""Text that looks like a SendKit key (``sk_…`` or ``sk_user_…``): never written to
local files, logs or screens. One pattern for every place that scrubs keys."""

"""What every SendKit request carries, shared by ``SendKitClient`` and ``first_page``.

Pure (no httpx): the start-up prefetch must send exactly what the client sends.
"""

from __future__ import annotations

from sendkit_tui import __version__

USER_AGENT = f"sendkit-tui/{__version__}"


def key_headers(key: str) -> dict[str, str]:
    """Both auth headers (see README "Contract decisions"), JSON, and who we are."""
    return {
        "X-Api-Key": key,
        "Authorization": f"Bearer {key}",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }


def root_path(path: str) -> str:
    """A base URL's path without a trailing ``/`` or ``/v1``: every route starts with /v1."""
    path = path.rstrip("/")
    return path[: -len("/v1")] if path.endswith("/v1") else path

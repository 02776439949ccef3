"""The SendKit API client: async httpx, pydantic v2 models, one error hierarchy.

Free of Textual (tests/test_layers.py checks it); see DESIGN.md §2-§4.
"""

import sys

# httpx's __init__ imports its command-line tool (click, pygments, rich.syntax) when click is
# installed; that is ~20 ms of start-up for a CLI we never call. A None entry makes that
# optional import fail, which httpx handles (``httpx.main`` then explains how to install it).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from .client import (  # noqa: E402
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    MAX_BULK,
    MAX_LIMIT,
    SendKitClient,
)
from .errors import (  # noqa: E402
    AuthError,
    BadResponse,
    Conflict,
    InsecureBaseURL,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    SendKitError,
    ServerError,
    TransportError,
    ValidationFailed,
    parse_error,
)
from .retry import RetryInfo, parse_retry_after  # noqa: E402
from .rows import LeadRow, RowPage  # noqa: E402

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "MAX_BULK",
    "MAX_LIMIT",
    "Account",
    "AuthError",
    "BadResponse",
    "BulkResult",
    "Conflict",
    "InsecureBaseURL",
    "Lead",
    "LeadInput",
    "LeadRow",
    "Membership",
    "NotFound",
    "OutcomeUnknown",
    "Page",
    "RateLimited",
    "RetryInfo",
    "RowPage",
    "SendKitClient",
    "SendKitError",
    "ServerError",
    "TransportError",
    "ValidationFailed",
    "Workspace",
    "parse_error",
    "parse_retry_after",
]

_MODELS = {"Account", "BulkResult", "Lead", "LeadInput", "Membership", "Page", "Workspace"}


def __getattr__(name: str):
    """The pydantic models load on first use (``from sendkit_tui.api import Lead`` works)."""
    if name in _MODELS:
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The SendKit API client: async httpx, pydantic v2 models, one error hierarchy.

Free of Textual (tests/test_layers.py checks it); see docs/ARCHITECTURE.md.

Every name below loads its module on first use: ``from sendkit_tui.api import Lead`` works
as usual, but importing the package (or ``api.first_page``) loads neither httpx nor pydantic,
so the leads list can start before them.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any

# httpx's __init__ imports its command-line tool (click, pygments, rich.syntax) when click is
# installed; that is ~20 ms of start-up for a CLI we never call. A None entry makes that
# optional import fail, which httpx handles (``httpx.main`` then explains how to install it).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

_WHERE = {
    "client": ("DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "MAX_BULK", "MAX_LIMIT", "SendKitClient"),
    "errors": (
        "AuthError",
        "BadResponse",
        "Conflict",
        "InsecureBaseURL",
        "NotFound",
        "OutcomeUnknown",
        "RateLimited",
        "SendKitError",
        "ServerError",
        "TransportError",
        "ValidationFailed",
    ),
    "error_mapping": ("parse_error",),
    "models": ("Account", "BulkResult", "Lead", "LeadInput", "Membership", "Page", "Workspace"),
    "retry": ("RetryInfo", "parse_retry_after"),
    "rows": ("LeadRow", "RowPage"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}
__all__ = [  # noqa: RUF022 (grouped by module, as _WHERE)
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "MAX_BULK",
    "MAX_LIMIT",
    "SendKitClient",
    "AuthError",
    "BadResponse",
    "Conflict",
    "InsecureBaseURL",
    "NotFound",
    "OutcomeUnknown",
    "RateLimited",
    "SendKitError",
    "ServerError",
    "TransportError",
    "ValidationFailed",
    "parse_error",
    "Account",
    "BulkResult",
    "Lead",
    "LeadInput",
    "Membership",
    "Page",
    "Workspace",
    "RetryInfo",
    "parse_retry_after",
    "LeadRow",
    "RowPage",
]

if TYPE_CHECKING:
    from .client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, MAX_BULK, MAX_LIMIT, SendKitClient
    from .error_mapping import parse_error
    from .errors import (
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
    )
    from .models import Account, BulkResult, Lead, LeadInput, Membership, Page, Workspace
    from .retry import RetryInfo, parse_retry_after
    from .rows import LeadRow, RowPage


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

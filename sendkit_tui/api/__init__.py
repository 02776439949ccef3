"""The SendKit API client: async httpx, pydantic v2 models, one error hierarchy.

Free of Textual (tests/test_layers.py checks it); see DESIGN.md §2-§4.
"""

from .client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, MAX_BULK, MAX_LIMIT, SendKitClient
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
    parse_error,
)
from .models import Account, BulkResult, Lead, LeadInput, Membership, Page, Workspace
from .retry import RetryInfo, parse_retry_after

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
    "Membership",
    "NotFound",
    "OutcomeUnknown",
    "Page",
    "RateLimited",
    "RetryInfo",
    "SendKitClient",
    "SendKitError",
    "ServerError",
    "TransportError",
    "ValidationFailed",
    "Workspace",
    "parse_error",
    "parse_retry_after",
]

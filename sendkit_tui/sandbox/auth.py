"""API keys: the workspace key (one workspace) and the platform key (all workspaces)."""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sendkit_tui.sandbox.wire import ApiError, error_a

PLATFORM = "platform"
WORKSPACE = "workspace"


@dataclass(frozen=True)
class Keys:
    workspace_key: str
    platform_key: str
    workspace_ids: Sequence[str]  # the first is the workspace key's workspace

    @property
    def key_workspace(self) -> str:
        return self.workspace_ids[0]


def _unauthorized(message: str) -> ApiError:
    return ApiError(error_a(401, message, headers={"WWW-Authenticate": "Bearer"}))


def presented_key(headers: Mapping[str, str], *, bearer: bool = True) -> str:
    """The key from ``X-Api-Key`` and/or ``Authorization: Bearer``; both must agree.

    With ``bearer=False`` (the x-api-key-only dialect) Authorization is not looked at.
    """
    api_key = headers.get("x-api-key", "").strip()
    authorization = headers.get("authorization", "").strip() if bearer else ""
    bearer_key = ""
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise _unauthorized("The Authorization header must be 'Bearer <API key>'.")
        bearer_key = value.strip()
    if api_key and bearer_key and not hmac.compare_digest(api_key.encode(), bearer_key.encode()):
        raise _unauthorized("X-Api-Key and Authorization carry different API keys.")
    key = api_key or bearer_key
    if not key:
        raise _unauthorized("Missing API key. Send it in the X-Api-Key header.")
    return key


def authenticate(headers: Mapping[str, str], keys: Keys, *, bearer: bool = True) -> str:
    """``"platform"`` or ``"workspace"``, or ApiError 401."""
    key = presented_key(headers, bearer=bearer).encode()
    if hmac.compare_digest(key, keys.platform_key.encode()):
        return PLATFORM
    if hmac.compare_digest(key, keys.workspace_key.encode()):
        return WORKSPACE
    raise _unauthorized("Invalid API key.")


def workspace_for(kind: str, headers: Mapping[str, str], keys: Keys) -> str:
    """The workspace a workspace-scoped request acts on (400/403 as ApiError)."""
    wanted = headers.get("x-workspace-id", "").strip()
    if kind == PLATFORM:
        if not wanted:
            raise ApiError(error_a(400, "X-Workspace-Id header is required with a platform key"))
        if wanted not in keys.workspace_ids:
            raise ApiError(error_a(403, "You are not a member of this workspace"))
        return wanted
    if wanted and wanted != keys.key_workspace:
        raise ApiError(error_a(403, "This API key does not have access to that workspace"))
    return keys.key_workspace

"""What the app has learnt about each SendKit server, so the next request fits it.

The SendKit docs leave open which auth header works, the list's paging form, whether
``GET /v1/leads/{id}`` exists, and how PATCH reads ``null``, ``phone`` and ``tags``.
``sendkit-tui doctor`` (and later the client, after a save that did not take) writes down
what it found; the doctor and the client read it back.

One JSON file, ``server-traits.json`` in ``platformdirs.user_data_path("sendkit-tui")``,
0600, written atomically (``files.atomic_write_private``)::

    {"schema": 1, "servers": {"https://api.sendkit.ai": {
        "": {"auth_headers": "x-api-key", ...},           # the server as a whole
        "665a1b2c3d4e5f6a7b8c9d0e": {"phone_key": "phoneNumber", ...}}}}

Entries are keyed by base URL (scheme and host lowercased, no trailing ``/`` or ``/v1``)
and by workspace: the ``X-Workspace-Id`` the app sends, or ``""`` for a workspace key.
``load`` returns a workspace's entry over the server's. Only the names and values in
``TRAITS`` are kept; anything else in the file is ignored. ``TraitsStore`` never raises:
a corrupt file is kept as ``server-traits.json.corrupt`` and treated as empty; a failed
write returns False and sets ``last_error``. Nothing that looks like an API key is stored.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sendkit_tui.identity import APP_NAME, KEY_LIKE
from sendkit_tui.storage.files import atomic_write_private

TRAITS_FILE = "server-traits.json"
SCHEMA = 1
SERVER_WIDE = ""

# name -> the values it may take (``bool``/``int``: any value of that type).
TRAITS: dict[str, tuple[Any, ...] | type] = {
    "auth_headers": ("either", "x-api-key", "bearer", "both-only"),  # what authenticates alone
    "list_paging": ("cursor", "page"),
    "list_projection": ("full", "partial"),  # whether list items carry custom fields, phone
    "single_lead_get": bool,
    "error_shape": ("A", "B", "other"),  # the envelope of a 404 for an unknown lead
    "create_status": int,
    "custom_null": ("deletes", "ignored", "stored"),  # a custom field sent as null in PATCH
    "custom_empty": ("deletes", "stored"),  # a custom field sent as "" in PATCH
    # The four below are domain.adapt's traits, fed to adapt_patch.
    "custom_field_delete": ("null", "empty_string", "unsupported"),
    "custom_fields_patch": ("merge", "replace"),
    "phone_key": ("phone", "phoneNumber", "none"),
    "tags_patch": ("replace", "merge"),
}
ADAPT_TRAITS = ("custom_field_delete", "custom_fields_patch", "phone_key", "tags_patch")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def valid(name: str, value: Any) -> bool:
    allowed = TRAITS.get(name)
    if allowed is None:
        return False
    if allowed is bool:
        return isinstance(value, bool)
    if allowed is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(allowed, tuple) and value in allowed


@dataclass
class ServerTraits:
    """What is known about one server (and workspace); ``None``: not known yet."""

    auth_headers: str | None = None
    list_paging: str | None = None
    list_projection: str | None = None
    single_lead_get: bool | None = None
    error_shape: str | None = None
    create_status: int | None = None
    custom_null: str | None = None
    custom_empty: str | None = None
    custom_field_delete: str | None = None
    custom_fields_patch: str | None = None
    phone_key: str | None = None
    tags_patch: str | None = None
    updated_at: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # trait -> "doctor", "write-probe", …

    @property
    def known(self) -> dict[str, Any]:
        """The traits with a value, trait -> value."""
        return {name: getattr(self, name) for name in TRAITS if getattr(self, name) is not None}

    def adaptations(self) -> dict[str, str]:
        """The traits ``domain.adapt.adapt_patch`` takes."""
        return {k: v for k, v in self.known.items() if k in ADAPT_TRAITS}

    @classmethod
    def from_dict(cls, data: Any) -> ServerTraits:
        """Only valid names and values are taken; anything else is ignored."""
        if not isinstance(data, dict):
            return cls()
        values = {k: v for k, v in data.items() if valid(k, v)}
        traits = cls(**values)
        if isinstance(data.get("updated_at"), str):
            traits.updated_at = data["updated_at"]
        sources = data.get("sources")
        if isinstance(sources, dict):
            traits.sources = {
                k: v for k, v in sources.items() if k in values and isinstance(v, str)
            }
        return traits

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.known)
        if self.updated_at:
            out["updated_at"] = self.updated_at
        sources = {k: v for k, v in self.sources.items() if k in out}
        if sources:
            out["sources"] = sources
        return out


def server_key(base_url: str) -> str:
    """The base URL as the file keys it: ``https://api.sendkit.ai``, ``http://127.0.0.1:8765``."""
    parts = urlsplit(base_url.strip())
    path = parts.path.rstrip("/")
    path = path[: -len("/v1")] if path.endswith("/v1") else path
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"


class TraitsStore:
    def __init__(self, path: Path | None = None) -> None:
        self._path = Path(path) if path is not None else None
        self.last_error: str | None = None

    @property
    def path(self) -> Path:
        if self._path is not None:
            return self._path
        import platformdirs

        return platformdirs.user_data_path(APP_NAME, appauthor=False) / TRAITS_FILE

    # -- reading -----------------------------------------------------------------------------

    def _read(self) -> dict[str, dict[str, Any]]:
        """``servers`` from the file; ``{}`` if it is missing, unreadable or corrupt."""
        path = self.path
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as error:
            self.last_error = f"Could not read {path} ({error.strerror or type(error).__name__})."
            return {}
        try:
            document = json.loads(raw.decode("utf-8"))
            servers = document["servers"]
            if not isinstance(servers, dict) or document.get("schema") != SCHEMA:
                raise ValueError("not a server traits file of this version")
        except (ValueError, KeyError, TypeError, UnicodeError):
            self.last_error = f"{path} was unreadable; it was kept as {path.name}.corrupt."
            with contextlib.suppress(OSError):
                os.replace(path, path.with_name(path.name + ".corrupt"))
            return {}
        return {k: v for k, v in servers.items() if isinstance(k, str) and isinstance(v, dict)}

    def load(self, base_url: str, workspace_id: str | None = None) -> ServerTraits:
        """What is known for this server and workspace (the workspace's entry wins)."""
        entries = self._read().get(server_key(base_url), {})
        wide = ServerTraits.from_dict(entries.get(SERVER_WIDE))
        if not workspace_id:
            return wide
        own = ServerTraits.from_dict(entries.get(workspace_id))
        merged = ServerTraits.from_dict({**wide.to_dict(), **own.to_dict()})
        merged.sources = {**wide.sources, **own.sources}
        merged.updated_at = max(filter(None, (wide.updated_at, own.updated_at)), default=None)
        return merged

    # -- writing -----------------------------------------------------------------------------

    def update(
        self,
        base_url: str,
        workspace_id: str | None = None,
        *,
        source: str = "doctor",
        **values: Any,
    ) -> bool:
        """Record ``values`` (trait -> value; ``None`` forgets one) for this server/workspace.

        Unknown names or invalid values raise ``ValueError`` (a programming error, not a
        file problem). Returns False, with ``last_error``, if the file could not be written.
        """
        for name, value in values.items():
            if value is not None and not valid(name, value):
                raise ValueError(f"{name}={value!r} is not a server trait")
        key = server_key(base_url)
        if KEY_LIKE.search(key) or (workspace_id and KEY_LIKE.search(workspace_id)):
            self.last_error = "Not saved: the server address looks like it holds an API key."
            return False
        servers = self._read()
        entries = servers.setdefault(key, {})
        slot = workspace_id or SERVER_WIDE
        traits = ServerTraits.from_dict(entries.get(slot))
        for name, value in values.items():
            setattr(traits, name, value)
            if value is None:
                traits.sources.pop(name, None)
            else:
                traits.sources[name] = source
        traits.updated_at = _now()
        entries[slot] = traits.to_dict()
        return self._write(servers)

    def forget(self, base_url: str) -> bool:
        """Drop everything known about this server."""
        servers = self._read()
        if servers.pop(server_key(base_url), None) is None:
            return True
        return self._write(servers)

    def _write(self, servers: dict[str, dict[str, Any]]) -> bool:
        document = {"schema": SCHEMA, "servers": servers}
        try:
            atomic_write_private(self.path, json.dumps(document, indent=1, sort_keys=True))
        except OSError as error:
            reason = error.strerror or type(error).__name__
            self.last_error = f"Could not write {self.path} ({reason})."
            return False
        self.last_error = None
        return True

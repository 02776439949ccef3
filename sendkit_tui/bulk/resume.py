"""Resume state of an import: a small JSON file (0600, atomic) saved before and after each chunk.

The state belongs to one import *against one place*: it is keyed on

- the **target**: the base URL and the workspace (for a platform key, the ``X-Workspace-Id``;
  for a workspace key, the key itself names the workspace, so a digest of it stands in; the key
  is never written), and
- the **file content** (sha256 of its bytes), the mapping, the profile (the file name), plus
  the options and a digest of the rows that would be sent (inside the file).

Its name is ``<file key>-<target key>.json`` under the state directory, so an interrupted
import against one server is never resumed against another: a run against a new target finds
no state of its own and starts from the first row, and says so when the same file has saved
progress elsewhere (that progress is kept for a run against its own target). The file records
how many chunks are done, which chunk was in flight and the counts the server confirmed so far;
it is deleted when a run completes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sendkit_tui.bulk.mapping import mapping_fingerprint
from sendkit_tui.bulk.rows import PreparedRow
from sendkit_tui.domain.rules import key_kind
from sendkit_tui.identity import APP_NAME
from sendkit_tui.storage.files import atomic_write_private

STATE_VERSION = 2


@dataclass(frozen=True)
class Target:
    """Where the rows go: a base URL and a workspace."""

    base_url: str
    workspace_id: str | None = None
    key_digest: str = ""  # sha256 of a workspace key (never the key); "" with a platform key

    @classmethod
    def of(cls, base_url: str, workspace_id: str | None, key: str | None) -> Target:
        parts = urlsplit(base_url.strip())
        url = f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"
        if key and key_kind(key) != "platform":
            # A workspace key is bound to one workspace: the key identifies it.
            digest = hashlib.sha256(f"{APP_NAME} workspace key\n{key.strip()}".encode())
            return cls(url, None, digest.hexdigest())
        return cls(url, (workspace_id or "").strip() or None)

    @classmethod
    def of_client(cls, client: Any) -> Target:
        """From a client's public attributes (base URL, workspace id); no key digest."""
        return cls.of(str(getattr(client, "base_url", "")), getattr(client, "workspace_id", None),
                      None)  # fmt: skip

    @property
    def ident(self) -> str:
        text = f"{self.base_url}\n{self.workspace_id or ''}\n{self.key_digest}"
        return hashlib.sha256(text.encode()).hexdigest()

    def describe(self) -> str:
        if self.workspace_id:
            return f"workspace {self.workspace_id} at {self.base_url}"
        if self.key_digest:
            return f"the API key's workspace at {self.base_url}"
        return self.base_url

    def as_state(self) -> dict[str, Any]:
        return {"id": self.ident, "baseUrl": self.base_url, "workspaceId": self.workspace_id,
                "shown": self.describe()}  # fmt: skip


def state_dir() -> Path:
    import platformdirs

    return platformdirs.user_state_path(APP_NAME, appauthor=False) / "imports"


def state_path_for(
    source_sha256: str, mapping: dict[int, str], profile: str, target: Target
) -> Path:
    """Where the resume state of this file, mapping and profile against ``target`` lives."""
    file_key = hashlib.sha256(
        f"{source_sha256}\n{mapping_fingerprint(mapping)}\n{profile}".encode()
    ).hexdigest()[:24]
    return state_dir() / f"{file_key}-{target.ident[:16]}.json"


def rows_digest(rows: Sequence[PreparedRow]) -> str:
    """sha256 over what would be sent: changes with the file, the mapping and the validation."""
    digest = hashlib.sha256()
    for row in rows:
        payload = [row.line_no, row.lead if row.ok else None]
        digest.update(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def fingerprint(
    rows: Sequence[PreparedRow],
    *,
    source_sha256: str | None,
    mapping: dict[int, str] | None,
    skip_duplicates: bool,
    data_cleanup: bool,
    tag: str | None,
    chunk_size: int,
    target: Target | None = None,
) -> dict[str, Any]:
    return {
        "version": STATE_VERSION,
        "sourceSha256": source_sha256,
        "mapping": {str(k): v for k, v in sorted((mapping or {}).items())},
        "rowsSha256": rows_digest(rows),
        "options": {
            "skipDuplicates": skip_duplicates,
            "dataCleanup": data_cleanup,
            "tag": tag,
            "chunkSize": chunk_size,
        },
        "target": target.ident if target is not None else None,
    }


def _read(path: Path) -> dict[str, Any] | None:
    try:
        state = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def load_state(
    state_path: Path | None, fingerprint: dict[str, Any], here: str = "this server"
) -> tuple[dict[str, Any] | None, list[str]]:
    """``(state, notes)``: the saved state when it belongs to this same import and target.

    The notes say why an import starts from the first row although progress of the same file
    was saved: in this state file for another target, or next to it for another target.
    """
    if state_path is None:
        return None, []
    state = _read(Path(state_path))
    if state is not None and isinstance(state.get("chunksDone"), int):
        same = {k: state.get(k) for k in fingerprint if k != "target"} == {
            k: v for k, v in fingerprint.items() if k != "target"
        }
        if same and state.get("target") == fingerprint.get("target"):
            return state, []
        if same:
            return None, [_fresh(state, here)]
    notes = [_fresh(other, here) for other in _siblings(Path(state_path), fingerprint)]
    return None, notes


def _siblings(state_path: Path, fingerprint: dict[str, Any]) -> list[dict[str, Any]]:
    """Saved states of the same file and mapping against other targets."""
    file_key = state_path.stem.split("-", 1)[0]
    found = []
    with contextlib.suppress(OSError):
        for path in sorted(state_path.parent.glob(f"{file_key}-*.json")):
            if path == state_path:
                continue
            state = _read(path)
            if state and state.get("sourceSha256") == fingerprint.get("sourceSha256"):
                found.append(state)
    return found


def _fresh(state: dict[str, Any], here: str) -> str:
    where = (state.get("targetShown") or "another server or workspace") if state else ""
    done = state.get("chunksDone", 0) if state else 0
    return (
        f"An earlier run of this import stopped after {done} chunk(s) against {where}; that "
        f"progress does not apply to {here}, so this import starts from the first row (the "
        "saved progress is kept for a run against its own server and workspace)."
    )


def save_state(state_path: Path | None, fingerprint: dict[str, Any], **extra: Any) -> None:
    if state_path is None:
        return
    atomic_write_private(Path(state_path), json.dumps({**fingerprint, **extra}, indent=1))


def clear_state(state_path: Path | None) -> None:
    if state_path is not None:
        with contextlib.suppress(OSError):
            Path(state_path).unlink()

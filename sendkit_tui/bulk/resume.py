"""Resume state of an import: a small JSON file (0600, atomic) saved before and after each chunk.

It records what identifies the import (the file's sha256, the mapping, the options, a digest of
the rows), how many chunks are done, which chunk was in flight and the counts so far. A run of
the same import finds it and skips the chunks already done; it is deleted when a run completes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sendkit_tui.bulk.mapping import mapping_fingerprint
from sendkit_tui.bulk.rows import PreparedRow
from sendkit_tui.identity import APP_NAME
from sendkit_tui.storage.files import atomic_write_private

STATE_VERSION = 1


def state_path_for(source_sha256: str, mapping: dict[int, str], profile: str) -> Path:
    """Where an import's resume state lives (per file, mapping and profile)."""
    import platformdirs

    key = hashlib.sha256(
        f"{source_sha256}\n{mapping_fingerprint(mapping)}\n{profile}".encode()
    ).hexdigest()[:24]
    base = platformdirs.user_state_path(APP_NAME, appauthor=False)
    return base / "imports" / f"{key}.json"


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
    }


def load_state(state_path: Path | None, fingerprint: dict[str, Any]) -> dict[str, Any] | None:
    """The saved state when it belongs to this same import, else None."""
    if state_path is None:
        return None
    try:
        state = json.loads(Path(state_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict):
        return None
    if {k: state.get(k) for k in fingerprint} != fingerprint:
        return None
    if not isinstance(state.get("chunksDone"), int):
        return None
    return state


def save_state(state_path: Path | None, fingerprint: dict[str, Any], **extra: Any) -> None:
    if state_path is None:
        return
    atomic_write_private(Path(state_path), json.dumps({**fingerprint, **extra}, indent=1))


def clear_state(state_path: Path | None) -> None:
    if state_path is not None:
        with contextlib.suppress(OSError):
            Path(state_path).unlink()

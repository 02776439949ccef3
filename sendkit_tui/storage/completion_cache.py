"""The completion vocabulary of each workspace, on disk, so completion works offline.

One JSON file per server and workspace in ``platformdirs.user_data_path("sendkit-tui") /
"completion"``, named by a digest (``CacheScope.ident``): of the server (as
``server_traits.server_key`` writes it) and the workspace id, or, for a workspace key (which
names its workspace itself), a digest of the key, never the key. 0600, written atomically
(``files.atomic_write_private``)::

    {"schema": 1, "vocabulary": {...Vocabulary.to_dict()...},
     "walk": {"top": "2026-11-20T12:00:00.000Z", "resume": "cursor or null",
              "resume_page": null, "complete": false, "walked_at": "..."}}

The vocabulary is bounded by ``domain/completion.py`` (terms per kind); a file over
``MAX_BYTES`` is not read. ``CompletionCache`` never raises: a file that is not JSON or not
of this shape is renamed ``*.corrupt`` (like drafts) and the cache starts empty, with
``last_error`` set; a failed write returns False.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sendkit_tui.domain.completion import Vocabulary
from sendkit_tui.domain.rules import key_kind
from sendkit_tui.identity import APP_NAME, KEY_LIKE
from sendkit_tui.storage.files import atomic_write_private
from sendkit_tui.storage.server_traits import server_key

CACHE_DIR = "completion"
SCHEMA = 1
MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class CacheScope:
    """Whose leads a vocabulary holds: a server and a workspace."""

    base_url: str
    workspace_id: str | None = None
    key_digest: str = ""  # sha256 of a workspace key; "" with a platform key

    @classmethod
    def of(cls, base_url: str, workspace_id: str | None, key: str | None) -> CacheScope:
        if key and key_kind(key) != "platform":
            digest = hashlib.sha256(f"{APP_NAME} workspace key\n{key.strip()}".encode())
            return cls(server_key(base_url), None, digest.hexdigest())
        return cls(server_key(base_url), (workspace_id or "").strip() or None)

    @property
    def ident(self) -> str:
        text = f"completion\n{self.base_url}\n{self.workspace_id or ''}\n{self.key_digest}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class WalkState:
    """Where the background walk of the workspace's leads (newest first) stands.

    ``top``: the ``createdAt`` of the newest lead when the last walk from the top began; a
    walk from the top stops at leads not newer than that. ``resume`` / ``resume_page``: where
    an unfinished walk into older leads goes on. ``complete``: a walk reached the end."""

    top: str | None = None
    resume: str | None = None
    resume_page: int | None = None
    complete: bool = False
    walked_at: str | None = None

    @classmethod
    def from_dict(cls, data: Any) -> WalkState:
        if not isinstance(data, dict):
            raise ValueError("'walk' is not an object")
        state = cls()
        for name in ("top", "resume", "walked_at"):
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"'walk.{name}' is not text")
            setattr(state, name, value)
        page = data.get("resume_page")
        if page is not None and (not isinstance(page, int) or isinstance(page, bool)):
            raise ValueError("'walk.resume_page' is not a number")
        state.resume_page = page
        state.complete = data.get("complete") is True
        return state


@dataclass
class CachedCompletion:
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    walk: WalkState = field(default_factory=WalkState)


class CompletionCache:
    def __init__(self, directory: Path | None = None) -> None:
        self._directory = Path(directory) if directory is not None else None
        self.last_error: str | None = None

    @property
    def directory(self) -> Path:
        if self._directory is not None:
            return self._directory
        import platformdirs

        return platformdirs.user_data_path(APP_NAME, appauthor=False) / CACHE_DIR

    def path(self, scope: CacheScope) -> Path:
        return self.directory / f"{scope.ident}.json"

    def load(self, scope: CacheScope) -> CachedCompletion:
        """The cached vocabulary of ``scope``; empty when missing, unreadable or corrupt."""
        path = self.path(scope)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ValueError("too big")
            raw = path.read_bytes()
        except FileNotFoundError:
            return CachedCompletion()
        except OSError as error:
            self.last_error = f"Could not read {path} ({error.strerror or type(error).__name__})."
            return CachedCompletion()
        except ValueError:
            return self._set_aside(path)
        try:
            document = json.loads(raw.decode("utf-8"))
            if not isinstance(document, dict) or document.get("schema") != SCHEMA:
                raise ValueError("not a completion cache of this version")
            return CachedCompletion(
                Vocabulary.from_dict(document.get("vocabulary")),
                WalkState.from_dict(document.get("walk", {})),
            )
        except (ValueError, TypeError, UnicodeError, RecursionError):
            return self._set_aside(path)

    def _set_aside(self, path: Path) -> CachedCompletion:
        self.last_error = f"{path} was unreadable; it was kept as {path.name}.corrupt."
        with contextlib.suppress(OSError):
            os.replace(path, path.with_name(path.name + ".corrupt"))
        return CachedCompletion()

    def save(self, scope: CacheScope, cached: CachedCompletion) -> bool:
        """Write ``cached`` for ``scope``; False with ``last_error`` on failure."""
        return self.write(scope, snapshot(cached))

    def write(self, scope: CacheScope, document: dict[str, Any]) -> bool:
        """Write a ``snapshot`` (safe on a thread while the vocabulary goes on learning)."""
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        if KEY_LIKE.search(text):  # the vocabulary drops such terms; a cursor might not
            self.last_error = "Not saved: the completion cache would hold key-shaped text."
            return False
        try:
            atomic_write_private(self.path(scope), text)
        except OSError as error:
            self.last_error = f"Could not write {self.path(scope)} ({error.strerror or error})."
            return False
        self.last_error = None
        return True


def snapshot(cached: CachedCompletion) -> dict[str, Any]:
    """``cached`` as plain JSON data, taken now."""
    return {
        "schema": SCHEMA,
        "vocabulary": cached.vocabulary.to_dict(),
        "walk": asdict(cached.walk),
    }

"""Drafts: what a create or edit form holds, on disk, so nothing typed is ever lost.

One JSON file per draft, ``<id>.json``, in ``platformdirs.user_data_path("sendkit-tui") /
"drafts"`` (not a temp or cache dir, which the OS may clean). Files are 0600 in a 0700
directory and written atomically (``fsutil``). A draft is kept through errors, 401s, timeouts,
crashes and quits; the screens delete it only after a confirmed 2xx or an explicit discard.

``DraftStore`` never raises: ``save`` returns False and sets ``last_error``. Reading checks
every field's type (``draft_check``): a file that is not JSON, or holds a field of the wrong
type, is renamed to ``*.corrupt`` (0600, next to the drafts), never offered again, and leaves a
plain note for the UI in ``set_aside`` (``take_set_aside_notes``). A file written by a newer
version (``schema`` above ours) is skipped and left in place for that version. ``save`` writes
only drafts that would read back, and never one whose strings look like a SendKit key.

A draft records the base URL, workspace and profile it was typed for; ``for_connection``
splits drafts into those of the open connection and foreign ones, with a note
(``draft_origin``), so a draft is never sent to another server or workspace silently.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sendkit_tui.identity import APP_NAME, KEY_LIKE
from sendkit_tui.storage.draft import Draft as Draft  # re-exported: the public name
from sendkit_tui.storage.draft import now_stamp
from sendkit_tui.storage.draft_check import SetAside, draft_problem
from sendkit_tui.storage.draft_origin import DraftScope, DraftsFor, split_drafts
from sendkit_tui.storage.files import PRIVATE_FILE_MODE, atomic_write_private

_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def holds_api_key(value: Any) -> bool:
    """True when any string in ``value`` (keys of dicts included) looks like a SendKit key."""
    if isinstance(value, str):
        return bool(KEY_LIKE.search(value))
    if isinstance(value, dict):
        return any(holds_api_key(k) or holds_api_key(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds_api_key(v) for v in value)
    return False


class DraftStore:
    SCHEMA_VERSION = 1

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = Path(directory) if directory is not None else None
        self.last_error: str | None = None
        self.set_aside: list[SetAside] = []  # files met by reads and not used, oldest first

    @property
    def directory(self) -> Path:
        if self._directory is not None:
            return self._directory
        import platformdirs

        return platformdirs.user_data_path(APP_NAME, appauthor=False) / "drafts"

    def _path(self, draft_id: str) -> Path | None:
        if not isinstance(draft_id, str) or not _SAFE_ID.fullmatch(draft_id):
            return None
        return self.directory / f"{draft_id}.json"

    # -- writing -----------------------------------------------------------------------------

    def save(self, draft: Draft) -> bool:
        """Write ``draft`` (updating ``updated_at``); False with ``last_error`` on failure."""
        try:
            return self._save(draft)
        except Exception as error:  # a draft save must never take the app down
            self.last_error = f"Could not save the draft ({type(error).__name__})."
            return False

    def _save(self, draft: Draft) -> bool:
        path = self._path(draft.id)
        if path is None:
            self.last_error = "The draft has an invalid id, so it was not saved."
            return False
        record = asdict(draft)
        problem = draft_problem(record)
        if problem is not None:
            self.last_error = f"The draft was not saved: {problem}."
            return False
        if holds_api_key(record):
            self.last_error = (
                "The draft was not saved because a field looks like an API key (sk_…); "
                "API keys are never written to drafts."
            )
            return False
        previous = draft.updated_at
        draft.updated_at = record["updated_at"] = now_stamp()
        document = {"schema": self.SCHEMA_VERSION, **record}
        try:
            text = json.dumps(document, ensure_ascii=False, indent=1)
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: escaped JSON still round-trips
            data = json.dumps(document, ensure_ascii=True, indent=1).encode("ascii")
        except (TypeError, ValueError) as error:
            draft.updated_at = previous
            self.last_error = f"The draft holds a value that cannot be saved ({error})."
            return False
        try:
            atomic_write_private(path, data)
        except OSError as error:
            draft.updated_at = previous
            reason = error.strerror or type(error).__name__
            self.last_error = f"Could not write the draft file {path} ({reason})."
            return False
        self.last_error = None
        return True

    def delete(self, draft_id: str) -> bool:
        """Remove a draft; True when it is gone (a missing draft is fine)."""
        path = self._path(draft_id)
        if path is None:
            return True
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            self.last_error = f"Could not delete the draft file {path} ({error.strerror})."
            return False
        return True

    # -- reading -----------------------------------------------------------------------------

    def get(self, draft_id: str) -> Draft | None:
        path = self._path(draft_id)
        if path is None:
            return None
        return self._read(path)

    def load_all(self, *, profile: str | None = None) -> list[Draft]:
        """Every readable draft (of ``profile`` if given), newest first; never raises."""
        try:
            paths = sorted(self.directory.glob("*.json"))
        except OSError:
            return []
        drafts = [d for d in map(self._read, paths) if d is not None]
        if profile is not None:
            drafts = [d for d in drafts if d.profile == profile]
        drafts.sort(key=_sort_key, reverse=True)
        return drafts

    def take_set_aside_notes(self) -> list[str]:
        """The notes of files set aside since the last call (for a toast), then forgets them."""
        notes = [item.note for item in self.set_aside]
        self.set_aside.clear()
        return notes

    def for_connection(
        self, base_url: str, workspace_id: str | None, profile: str, *, skip_empty: bool = True
    ) -> DraftsFor:
        """This profile's drafts (not empty ones, unless asked), split into those typed for
        ``base_url`` and ``workspace_id`` and the foreign ones, each with a plain note."""
        drafts = self.load_all(profile=profile)
        if skip_empty:
            drafts = [d for d in drafts if not d.is_empty()]
        return split_drafts(drafts, DraftScope(base_url, workspace_id, profile))

    def _read(self, path: Path) -> Draft | None:
        """The draft in ``path``; a file that is not one is moved aside as ``*.corrupt``."""
        try:
            document = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            return None
        except OSError:
            return None  # unreadable right now (permissions, a directory): leave it alone
        except ValueError:  # not UTF-8, not JSON
            self._set_aside(path, "it is not a JSON text")
            return None
        if not isinstance(document, dict):
            self._set_aside(path, "it is not a JSON object")
            return None
        schema = document.get("schema")
        if type(schema) is int and schema > self.SCHEMA_VERSION:
            return None  # from a newer version of the app: leave it for that version
        if type(schema) is not int or schema != self.SCHEMA_VERSION:
            self._set_aside(path, "its 'schema' is not one this version knows")
            return None
        if not _SAFE_ID.fullmatch(path.stem):
            self._set_aside(path, "its file name is not a draft id")
            return None
        data = {k: v for k, v in document.items() if k in _FIELDS}
        data["id"] = path.stem  # the file name is the id
        problem = draft_problem(data)
        if problem is not None:
            self._set_aside(path, problem)
            return None
        return Draft(**data)

    def _set_aside(self, path: Path, reason: str) -> None:
        moved = path.with_name(path.name + ".corrupt")
        target: Path | None = moved
        try:
            os.replace(path, moved)
        except OSError:
            target = None
        else:
            with contextlib.suppress(OSError):
                os.chmod(moved, PRIVATE_FILE_MODE)
        if all(item.path != path for item in self.set_aside):
            self.set_aside.append(SetAside(path, target, reason))
        return None


_FIELDS = {f.name for f in fields(Draft)}


def _sort_key(draft: Draft) -> tuple[float, str]:
    try:
        stamp = datetime.fromisoformat(draft.updated_at)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        return (stamp.timestamp(), draft.id)
    except (TypeError, ValueError):
        return (0.0, draft.id)

"""Each lead's local history: what a save changed, old → new, when, from which screen.

One JSON file per server, workspace and lead in ``platformdirs.user_data_path("sendkit-tui")
/ "history"``, named by a digest of the three (so a lead id never becomes a path), 0600 in a
0700 directory, written atomically (``files.atomic_write_private``)::

    {"schema": 1, "server": "https://api.sendkit.ai", "workspace": "", "lead": "665a…",
     "entries": [{"id": "…", "at": "2026-11-30T06:20:00+00:00", "source": "edit",
                  "patch": {…}, "before": {…}, "after": {…}, "undoes": null, "masked": false}]}

``before`` and ``after`` hold only the fields the patch touched, in request shape (a custom
field that did not exist is absent from ``customFields``). Bounded: the last ``MAX_ENTRIES``
entries per lead and ``MAX_LEADS`` lead files (the least recently written are dropped).
Nothing key-shaped (``identity.KEY_LIKE``) is written: such text is masked and the entry
marked ``masked`` (it cannot be undone). ``HistoryStore`` never raises: a file that is not
JSON or holds a wrong type is renamed ``*.corrupt`` and a plain note is left in ``set_aside``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from sendkit_tui.domain.merge import Clash, clashes, rebase_patch
from sendkit_tui.domain.patch import LIST_FIELD, MAP_FIELD, build_patch
from sendkit_tui.identity import APP_NAME, KEY_LIKE
from sendkit_tui.storage.files import PRIVATE_FILE_MODE, atomic_write_private
from sendkit_tui.storage.history_check import ENTRY_KEYS, SCHEMA, history_problem
from sendkit_tui.storage.server_traits import server_key

MAX_ENTRIES = 50
MAX_LEADS = 2_000
SOURCES = ("edit", "create", "bulk", "undo")
MASK = "sk_…(hidden)"


@dataclass(frozen=True)
class Change:
    """One touched field: ``"jobTitle"``, ``"tags"`` or ``"customFields.plan"``."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    source: str  # one of SOURCES
    patch: dict[str, Any]
    before: dict[str, Any]
    after: dict[str, Any]
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    id: str = field(default_factory=lambda: uuid4().hex)
    undoes: str | None = None  # the id of the entry an undo reversed
    masked: bool = False  # key-shaped text was not stored: cannot be undone

    def changes(self) -> list[Change]:
        """Old → new per touched field, in the patch's order."""
        out: list[Change] = []
        for key in self.patch:
            if key == MAP_FIELD:
                old = self.before.get(MAP_FIELD) or {}
                new = self.after.get(MAP_FIELD) or {}
                for name in self.patch[MAP_FIELD] or {}:
                    if old.get(name) != new.get(name):
                        out.append(Change(f"{MAP_FIELD}.{name}", old.get(name), new.get(name)))
            elif self.before.get(key) != self.after.get(key):
                out.append(Change(key, self.before.get(key), self.after.get(key)))
        return out

    def undo_patch(self) -> dict[str, Any]:
        """The PATCH that puts back what this save changed: ``build_patch(after, before)``."""
        return build_patch(self.after, self.before)

    def when(self) -> datetime:
        try:
            stamp = datetime.fromisoformat(self.at)
        except ValueError:
            return datetime.fromtimestamp(0, UTC)
        return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def touched(lead: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``lead`` (request shape) that ``patch`` touches; absent keys stay absent
    in ``customFields``, a standard field without a value is ``None``."""
    out: dict[str, Any] = {}
    for key, value in patch.items():
        if key == MAP_FIELD:
            have = lead.get(MAP_FIELD) or {}
            out[MAP_FIELD] = {k: have[k] for k in value or {} if have.get(k) is not None}
        elif key == LIST_FIELD:
            out[key] = list(lead.get(key) or [])
        else:
            out[key] = None if lead.get(key) in (None, "") else lead.get(key)
    return out


def make_entry(
    source: str,
    patch: dict[str, Any],
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    undoes: str | None = None,
) -> HistoryEntry | None:
    """An entry for a save of ``patch`` that took ``before`` to ``after`` (whole leads,
    request shape), or None when it changed nothing (an undo is always recorded, so the
    next ctrl+z goes on to the save before it)."""
    entry = HistoryEntry(source, dict(patch), touched(before, patch), touched(after, patch))
    if not entry.changes() and undoes is None:
        return None
    raw = {"patch": entry.patch, "before": entry.before, "after": entry.after}
    masked = _holds_key(raw)
    if masked:
        raw = _mask(raw)
    return HistoryEntry(source, **raw, at=entry.at, id=entry.id, undoes=undoes, masked=masked)


def undo_target(entries: list[HistoryEntry]) -> HistoryEntry | None:
    """The save ctrl+z would undo: the newest entry that is neither an undo nor undone.

    A create ends the search (undoing it would mean deleting the lead)."""
    undone: set[str] = set()
    for entry in reversed(entries):
        if entry.undoes is not None:
            undone.add(entry.undoes)
            continue
        if entry.id in undone:
            continue
        return None if entry.source == "create" else entry
    return None


def fit_undo(
    entry: HistoryEntry, theirs: dict[str, Any], *, keep_theirs: bool = False
) -> tuple[dict[str, Any], list[Clash]]:
    """The undo of ``entry`` laid over the server's copy now (request shape), and the fields
    someone changed since that save that the undo would overwrite.

    Tags: the save's additions and removals reversed onto ``theirs`` (a tag someone added
    since stays); when ``theirs`` still has the list the save left, the list from before it
    is sent as it was, order included. With ``keep_theirs`` the clashing fields are left out.
    """
    undo = entry.undo_patch()
    fitted = rebase_patch(entry.after, undo, theirs, keep_theirs=keep_theirs)
    if LIST_FIELD in undo and list(theirs.get(LIST_FIELD) or []) == entry.after.get(LIST_FIELD):
        fitted[LIST_FIELD] = undo[LIST_FIELD]
    return _not_held(fitted, theirs), clashes(entry.after, fitted, theirs)


def _not_held(patch: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """``patch`` without the values ``theirs`` already holds (someone undid them already)."""
    out: dict[str, Any] = {}
    for key, value in patch.items():
        if key == MAP_FIELD and MAP_FIELD in theirs:
            have = theirs.get(MAP_FIELD) or {}
            rest = {k: v for k, v in (value or {}).items() if not _held(have.get(k), v)}
            if rest:
                out[key] = rest
        elif key in (LIST_FIELD, MAP_FIELD) or not _held(theirs.get(key, object()), value):
            out[key] = value  # tags were fitted already; a field theirs lacks is sent
    return out


def _held(have: Any, want: Any) -> bool:
    return have == want or (have in (None, "") and want in (None, ""))


class HistoryStore:
    def __init__(self, directory: Path | None = None) -> None:
        self._directory = Path(directory) if directory is not None else None
        self.last_error: str | None = None
        self.set_aside: list[str] = []  # plain notes about files moved aside

    @property
    def directory(self) -> Path:
        if self._directory is not None:
            return self._directory
        import platformdirs

        return platformdirs.user_data_path(APP_NAME, appauthor=False) / "history"

    def _path(self, base_url: str, workspace_id: str | None, lead_id: str) -> Path:
        name = "\n".join((server_key(base_url), workspace_id or "", lead_id))
        return self.directory / f"{hashlib.sha256(name.encode()).hexdigest()[:40]}.json"

    def load(self, base_url: str, workspace_id: str | None, lead_id: str) -> list[HistoryEntry]:
        """This lead's entries, oldest first; never raises."""
        path = self._path(base_url, workspace_id, lead_id)
        try:
            document = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            return []
        except OSError:
            return []
        except ValueError:
            self._set_aside(path, "it is not a JSON text")
            return []
        problem = history_problem(document, SOURCES)
        if problem is not None:
            self._set_aside(path, problem)
            return []
        entries = [HistoryEntry(**{k: item[k] for k in ENTRY_KEYS}) for item in document["entries"]]
        same = (document.get("server"), document.get("workspace"), document.get("lead"))
        if same != (server_key(base_url), workspace_id or "", lead_id):
            return []  # another lead's file under the same digest: never shown here
        return entries

    def add(
        self, base_url: str, workspace_id: str | None, lead_id: str, entry: HistoryEntry
    ) -> bool:
        """Append ``entry`` (the oldest dropped beyond ``MAX_ENTRIES``); False on failure."""
        try:
            return self._add(base_url, workspace_id, lead_id, entry)
        except Exception as error:  # the history must never take a save down with it
            self.last_error = (
                f"Could not record the change in the history ({type(error).__name__})."
            )
            return False

    def _add(
        self, base_url: str, workspace_id: str | None, lead_id: str, entry: HistoryEntry
    ) -> bool:
        if KEY_LIKE.search(f"{base_url} {workspace_id or ''} {lead_id}"):
            self.last_error = "Not recorded: the lead's address looks like it holds an API key."
            return False
        path = self._path(base_url, workspace_id, lead_id)
        new_file = not path.exists()
        entries = [*self.load(base_url, workspace_id, lead_id), entry][-MAX_ENTRIES:]
        document = {
            "schema": SCHEMA,
            "server": server_key(base_url),
            "workspace": workspace_id or "",
            "lead": lead_id,
            "entries": [asdict(e) for e in entries],
        }
        try:
            data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        except (TypeError, ValueError, UnicodeEncodeError):
            data = json.dumps(document, ensure_ascii=True, default=str).encode("ascii")
        try:
            atomic_write_private(path, data)
        except OSError as error:
            self.last_error = f"Could not write {path} ({error.strerror or type(error).__name__})."
            return False
        self.last_error = None
        if new_file:
            self._prune()
        return True

    def take_set_aside_notes(self) -> list[str]:
        notes, self.set_aside = self.set_aside, []
        return notes

    def _prune(self) -> None:
        """Keep the ``MAX_LEADS`` most recently written lead files."""
        try:
            files = sorted(self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime)
        except OSError:
            return
        for old in files[: max(0, len(files) - MAX_LEADS)]:
            with contextlib.suppress(OSError):
                old.unlink()

    def _set_aside(self, path: Path, reason: str) -> None:
        moved = path.with_name(path.name + ".corrupt")
        try:
            os.replace(path, moved)
        except OSError:
            note = f"The history file {path} is unreadable ({reason}); it is ignored."
        else:
            with contextlib.suppress(OSError):
                os.chmod(moved, PRIVATE_FILE_MODE)
            note = f"The history file {path.name} was unreadable ({reason}); kept as {moved}."
        self.set_aside.append(note)


def _holds_key(value: Any) -> bool:
    if isinstance(value, str):
        return bool(KEY_LIKE.search(value))
    if isinstance(value, dict):
        return any(_holds_key(k) or _holds_key(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_key(v) for v in value)
    return False


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return KEY_LIKE.sub(MASK, value)
    if isinstance(value, dict):
        return {_mask(k): _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value

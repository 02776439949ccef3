"""The bulk-edit journal: one append-only JSON-lines file (0600) per server and workspace.

The first line names the batch: its id, the target (``resume.Target``: base URL and
workspace, or a digest of a workspace key, never the key), the operation (or, for an undo,
the changes it takes back), the filters it was chosen with and the lead ids. Then one line
per event, flushed as it happens:

- ``{"s": id, "before": …}`` before a PATCH is sent: what the lead had (the first one for an
  id wins, so a lead whose PATCH may have landed before a crash keeps its true "before");
- ``{"d": id, "patch": … | null}`` when its PATCH was answered (null: nothing to change);
- ``{"f": id, "error": "…"}`` when it failed (a later ``d`` for the same id supersedes it);
- ``{"end": "complete" | "cancelled"}`` when a run stops on its own terms.

A file without an ``end`` line after its last run is an interrupted batch: the next start
offers to resume it. Lines are small, so 10,000 leads cost a few hundred kilobytes, and a
crash can at worst cut the last line, which is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendkit_tui.bulk.resume import Target
from sendkit_tui.domain.bulk_edit import BulkOp, Change
from sendkit_tui.identity import APP_NAME

JOURNAL_VERSION = 1


def journal_dir() -> Path:
    import platformdirs

    return platformdirs.user_state_path(APP_NAME, appauthor=False) / "edits"


def journal_path(target: Target, folder: Path | None = None) -> Path:
    """Where the batch against ``target`` is journaled (one batch per server and workspace)."""
    return (folder or journal_dir()) / f"edit-{target.ident[:16]}.jsonl"


@dataclass
class Batch:
    """A batch as the journal tells it: what to do, to whom, and what happened so far."""

    batch_id: str
    target: str  # Target.ident
    target_shown: str
    ids: list[str]
    op: BulkOp | None = None  # None for an undo batch
    undo_of: str | None = None
    undo_changes: dict[str, Change] = field(default_factory=dict)
    undo_what: str = ""  # what the undone batch did, for titles
    filters: dict[str, Any] = field(default_factory=dict)
    before: dict[str, dict[str, Any]] = field(default_factory=dict)
    done: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    ended: str | None = None

    @property
    def is_undo(self) -> bool:
        return self.undo_of is not None

    def describe(self) -> str:
        if self.op is not None:
            return self.op.describe()
        return f"undo ({self.undo_what or 'batch ' + str(self.undo_of)})"

    def pending(self, *, retry_failed: bool = True) -> list[str]:
        """Ids not answered yet, in the batch's order (failed ones too, by default)."""
        return [
            i for i in self.ids if i not in self.done and (retry_failed or i not in self.failed)
        ]

    def changes(self) -> list[Change]:
        """What to take back on undo: every lead a PATCH was sent to (or may have reached)."""
        out = []
        for lead_id in self.ids:
            before = self.before.get(lead_id)
            if before is None:
                continue
            patch = self.done.get(lead_id)
            sent = self._sent.get(lead_id) if patch is None else patch
            if sent:
                out.append(Change(lead_id, before, sent))
        return out

    _sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # patch of each "s" line


class Journal:
    """Appends a batch's events to its file; ``open_new`` starts a batch, ``reopen`` resumes."""

    def __init__(self, path: Path, batch: Batch) -> None:
        self.path = path
        self.batch = batch
        self._file: Any = None

    @classmethod
    def open_new(cls, path: Path | None, batch: Batch) -> Journal:
        journal = cls(path or Path(os.devnull), batch)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with contextlib.suppress(OSError):
                path.unlink()
        journal._write(_header(batch))
        return journal

    @classmethod
    def reopen(cls, path: Path, batch: Batch) -> Journal:
        return cls(path, batch)

    def _write(self, record: dict[str, Any]) -> None:
        if self.path == Path(os.devnull):
            return
        if self._file is None:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            self._file = os.fdopen(fd, "a", encoding="utf-8")
        self._file.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._file.flush()  # a killed process loses nothing it wrote; the OS keeps it

    def sending(self, lead_id: str, before: dict[str, Any], patch: dict[str, Any]) -> None:
        if lead_id not in self.batch.before:
            self.batch.before[lead_id] = before
            self.batch._sent[lead_id] = patch
        self._write({"s": lead_id, "before": before, "patch": patch})

    def answered(self, lead_id: str, patch: dict[str, Any] | None) -> None:
        self.batch.done[lead_id] = patch
        self.batch.failed.pop(lead_id, None)
        self._write({"d": lead_id, "patch": patch})

    def failed(self, lead_id: str, reason: str) -> None:
        self.batch.failed[lead_id] = reason
        self._write({"f": lead_id, "error": reason})

    def end(self, how: str) -> None:
        self.batch.ended = how
        self._write({"end": how})
        self.close()

    def close(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None


def new_batch(
    target: Target,
    ids: list[str],
    *,
    op: BulkOp | None = None,
    undo_of: Batch | None = None,
    filters: dict[str, Any] | None = None,
) -> Batch:
    changes = {c.lead_id: c for c in undo_of.changes()} if undo_of is not None else {}
    return Batch(
        batch_id=secrets.token_hex(4),
        target=target.ident,
        target_shown=target.describe(),
        ids=list(ids),
        op=op,
        undo_of=undo_of.batch_id if undo_of is not None else None,
        undo_changes=changes,
        undo_what=undo_of.describe() if undo_of is not None else "",
        filters=dict(filters or {}),
    )


def _header(batch: Batch) -> dict[str, Any]:
    return {
        "version": JOURNAL_VERSION,
        "batch": batch.batch_id,
        "target": batch.target,
        "targetShown": batch.target_shown,
        "op": batch.op.to_state() if batch.op is not None else None,
        "undoOf": batch.undo_of,
        "undoChanges": [c.to_state() for c in batch.undo_changes.values()],
        "undoWhat": batch.undo_what,
        "filters": batch.filters,
        "ids": batch.ids,
    }


def load_batch(path: Path | None, target: Target) -> Batch | None:
    """The batch journaled for ``target``; None when there is none, or it is unreadable or
    belongs elsewhere (a file is only ever read for its own server and workspace)."""
    if path is None:
        return None
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return None
    try:
        head = json.loads(lines[0])
        if head.get("version") != JOURNAL_VERSION or head.get("target") != target.ident:
            return None
        batch = Batch(
            batch_id=str(head["batch"]),
            target=str(head["target"]),
            target_shown=str(head.get("targetShown") or target.describe()),
            ids=[str(i) for i in head["ids"]],
            op=BulkOp.from_state(head["op"]) if head.get("op") else None,
            undo_of=head.get("undoOf"),
            undo_changes={
                c.lead_id: c for c in map(Change.from_state, head.get("undoChanges") or [])
            },
            undo_what=str(head.get("undoWhat") or ""),
            filters=dict(head.get("filters") or {}),
        )
    except (IndexError, ValueError, KeyError, TypeError, AttributeError):
        return None
    for line in lines[1:]:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line cut by a crash
        if not isinstance(record, dict):
            continue
        if "s" in record and record["s"] not in batch.before:
            batch.before[record["s"]] = record.get("before") or {}
            batch._sent[record["s"]] = record.get("patch") or {}
        elif "d" in record:
            batch.done[record["d"]] = record.get("patch")
            batch.failed.pop(record["d"], None)
        elif "f" in record:
            batch.failed[record["f"]] = str(record.get("error") or "")
        elif "end" in record:
            batch.ended = str(record["end"])
        if "s" in record or "d" in record or "f" in record:
            batch.ended = None  # a later run of the same batch
    return batch


def clear_batch(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            Path(path).unlink()

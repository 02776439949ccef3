"""The async import runner: prepared rows → ``POST /v1/leads/bulk`` in chunks. No Textual.

Reliability (issue 7):

- Rows with client-side errors are never sent; they are failures with their reason.
- The client already retries what is safe (connect errors, 429, 503 + Retry-After). When a
  chunk's outcome is *ambiguous* (``OutcomeUnknown``: the request left and no answer came, or
  an ambiguous ``ServerError``), the SAME chunk is re-sent. In skip-duplicates mode it is re-sent
  with ``skipDuplicates: true``, so rows the lost attempt imported come back as *skipped*, never
  duplicated; in update-existing mode the re-send is an update by email, which is idempotent.
  A chunk that still fails stops the run: its rows (and the unsent ones) are reported, never
  dropped, and the state file lets the same import be resumed.
- Resume (``resume.py``): before and after each chunk a small state file records how far the
  import got. A run of the same import skips the done chunks; the chunk that was in flight when
  the run stopped is re-sent (with the same skip rule as above).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendkit_tui.api.errors import (
    AuthError,
    BadResponse,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    SendKitError,
    ServerError,
    TransportError,
    ValidationFailed,
)
from sendkit_tui.bulk.resume import clear_state, fingerprint, load_state, save_state
from sendkit_tui.bulk.rows import MAX_CHUNK, PreparedRow, chunks

RESEND_ATTEMPTS = 2  # re-sends of one chunk after an ambiguous or transport failure
RESEND_DELAY = 1.0  # seconds before a re-send (doubled each time)
RESUME_STRATEGY = (
    "A chunk whose outcome was unknown was sent again with skipDuplicates, so rows the lost "
    "attempt imported were skipped, not duplicated."
)

Progress = Callable[[int, int], Any]


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[tuple[int | None, str]] = field(default_factory=list)  # (line_no, reason)
    chunks_done: int = 0
    resumed_from: int = 0  # chunks already done by an earlier run when this one started
    chunks_total: int = 0
    rows_total: int = 0  # every prepared row, valid or not
    rows_to_send: int = 0  # rows without client-side errors
    not_sent: int = 0  # rows in chunks after the one that stopped the run
    resent_chunks: list[int] = field(default_factory=list)  # 1-based chunk numbers re-sent
    complete: bool = True
    stopped_reason: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.imported + self.updated + self.skipped + self.failed

    def to_state(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "skipped": self.skipped,
            "failed": self.failed,
            "failures": [list(f) for f in self.failures],
            "resentChunks": list(self.resent_chunks),
        }


class ImportAborted(Exception):
    """A fatal error (key refused, workspace missing, …); ``report`` holds what was done."""

    def __init__(self, error: BaseException, report: ImportReport) -> None:
        super().__init__(str(error))
        self.error = error
        self.report = report


async def _maybe_await(value: Any) -> None:
    if inspect.isawaitable(value):
        await value


def _resendable(error: SendKitError) -> bool:
    """Worth sending the same chunk again (with skipDuplicates in skip mode)."""
    if isinstance(error, AuthError | NotFound | ValidationFailed):
        return False
    if isinstance(error, TransportError):  # incl. OutcomeUnknown
        return True
    if isinstance(error, ServerError | RateLimited):
        return True
    return isinstance(error, BadResponse) and error.ambiguous


def _fatal(error: SendKitError) -> bool:
    """The next chunks would fail the same way: stop the whole run."""
    return isinstance(error, AuthError | NotFound)


async def run_import(
    client: Any,
    rows: Sequence[PreparedRow],
    *,
    skip_duplicates: bool = True,
    data_cleanup: bool = True,
    tag: str | None = None,
    chunk_size: int = MAX_CHUNK,
    progress: Progress | None = None,
    state_path: Path | None = None,
    source_sha256: str | None = None,
    mapping: dict[int, str] | None = None,
    resend_attempts: int = RESEND_ATTEMPTS,
    resend_delay: float = RESEND_DELAY,
) -> ImportReport:
    """Send the valid ``rows`` in chunks; returns the report (``complete`` False if stopped).

    ``progress(sent, total)`` is called (sync or async) with rows handled so far out of the
    rows to send, once at the start and after each chunk. Raises ``ImportAborted`` on a fatal
    error (key refused, workspace not found); the state file is kept for a resume.
    """
    chunk_size = max(1, min(chunk_size, MAX_CHUNK))
    report = ImportReport(rows_total=len(rows))
    valid = [row for row in rows if row.ok]
    for row in rows:
        if not row.ok:
            report.failed += 1
            report.failures.append((row.line_no, "; ".join(row.errors)))
    client_failures = len(report.failures)
    report.rows_to_send = len(valid)
    batches = list(chunks(valid, chunk_size))
    report.chunks_total = len(batches)
    key = fingerprint(
        rows,
        source_sha256=source_sha256,
        mapping=mapping,
        skip_duplicates=skip_duplicates,
        data_cleanup=data_cleanup,
        tag=tag,
        chunk_size=chunk_size,
    )

    start = 0
    in_flight_before: int | None = None
    state = load_state(state_path, key)
    if state is not None:
        start = max(0, min(state["chunksDone"], len(batches)))
        counts = state.get("counts") or {}
        report.imported = int(counts.get("imported", 0))
        report.updated = int(counts.get("updated", 0))
        report.skipped = int(counts.get("skipped", 0))
        report.failed += int(counts.get("failed", 0))
        report.failures.extend(
            (f[0], f[1]) for f in counts.get("failures", []) if isinstance(f, list) and len(f) == 2
        )
        report.resent_chunks = [int(n) for n in counts.get("resentChunks", [])]
        in_flight_before = state.get("inFlight")
        report.resumed_from = start
        report.chunks_done = start
        if start:
            report.notes.append(f"Resumed after {start} of {len(batches)} chunks already done.")

    def server_counts() -> dict[str, Any]:
        snapshot = report.to_state()
        snapshot["failed"] = report.failed - client_failures
        snapshot["failures"] = [list(f) for f in report.failures[client_failures:]]
        return snapshot

    sent = sum(len(b) for b in batches[:start])
    if progress is not None:
        await _maybe_await(progress(sent, len(valid)))

    for index in range(start, len(batches)):
        batch = batches[index]
        number = index + 1
        save_state(state_path, key, chunksDone=index, inFlight=number, counts=server_counts())
        # A chunk that may have reached the server in an earlier run is re-sent like a resend.
        uncertain = in_flight_before == number
        if uncertain:
            report.resent_chunks.append(number)
        try:
            result = await _send_chunk(
                client,
                batch,
                number=number,
                skip_duplicates=skip_duplicates,
                data_cleanup=data_cleanup,
                tag=tag,
                report=report,
                resend_attempts=resend_attempts,
                resend_delay=resend_delay,
            )
        except SendKitError as error:
            reason = f"Not imported (chunk {number} of {len(batches)} failed): {error}"
            if _fatal(error):
                report.complete = False
                report.stopped_reason = str(error)
                report.not_sent = sum(len(b) for b in batches[index:])
                raise ImportAborted(error, report) from error
            for row in batch:
                report.failures.append((row.line_no, reason))
            report.failed += len(batch)
            report.complete = False
            report.stopped_reason = str(error)
            report.not_sent = sum(len(b) for b in batches[index + 1 :])
            report.notes.append(
                f"Chunk {number} of {len(batches)} failed after re-sending it; the import "
                "stopped there. Run it again to resume: rows already imported will be skipped."
            )
            return report
        _apply_result(report, batch, result)
        report.chunks_done = number
        sent += len(batch)
        save_state(state_path, key, chunksDone=number, inFlight=None, counts=server_counts())
        if progress is not None:
            await _maybe_await(progress(sent, len(valid)))

    if report.resent_chunks:
        if skip_duplicates:
            report.notes.append(
                RESUME_STRATEGY
                + " Chunks re-sent: "
                + ", ".join(map(str, sorted(set(report.resent_chunks))))
                + "; some of their skipped rows may be rows imported by the lost attempt."
            )
        else:
            report.notes.append(
                "A chunk whose outcome was unknown was sent again; in update mode that re-send "
                "updates by email, so nothing was duplicated (rows it had created count as "
                "updated). Chunks re-sent: "
                + ", ".join(map(str, sorted(set(report.resent_chunks))))
                + "."
            )
    clear_state(state_path)
    return report


async def _send_chunk(
    client: Any,
    batch: list[PreparedRow],
    *,
    number: int,
    skip_duplicates: bool,
    data_cleanup: bool,
    tag: str | None,
    report: ImportReport,
    resend_attempts: int,
    resend_delay: float,
) -> Any:
    leads = [row.lead for row in batch]
    attempt = 0
    while True:
        try:
            return await client.bulk_create(
                leads, skip_duplicates=skip_duplicates, data_cleanup=data_cleanup, tag=tag
            )
        except SendKitError as error:
            if attempt >= resend_attempts or not _resendable(error):
                raise
            attempt += 1
            maybe_done = isinstance(error, OutcomeUnknown) or error.ambiguous
            if (maybe_done or getattr(error, "sent", False)) and number not in report.resent_chunks:
                report.resent_chunks.append(number)
            wait = error.retry_after if error.retry_after else resend_delay * 2 ** (attempt - 1)
            await asyncio.sleep(min(wait, 30.0))


def _apply_result(report: ImportReport, batch: list[PreparedRow], result: Any) -> None:
    report.imported += result.imported
    report.updated += result.updated
    report.skipped += result.skipped
    report.failed += result.failed
    # Map bulk errors [{email, error}] back to line numbers, in order, by normalised email.
    by_email: dict[str, list[int]] = {}
    for row in batch:
        email = str(row.lead.get("email", "")).strip().lower()
        by_email.setdefault(email, []).append(row.line_no)
    mapped = 0
    for item in result.errors:
        email = item.get("email") if isinstance(item, dict) else None
        reason = item.get("error") if isinstance(item, dict) else None
        reason = str(reason or "Rejected by SendKit.")
        key = str(email or "").strip().lower()
        lines = by_email.get(key)
        line_no = lines.pop(0) if lines else None
        if line_no is None and email:
            reason = f"{email}: {reason}"
        report.failures.append((line_no, reason))
        mapped += 1
    missing = result.failed - mapped
    if missing > 0:
        report.notes.append(
            f"SendKit counted {missing} more failed rows than it described; their lines are "
            "not known."
        )

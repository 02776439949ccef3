"""The async import runner: prepared rows → ``POST /v1/leads/bulk`` in chunks. No Textual.

Reliability:

- Rows with client-side errors are never sent; they are failures with their reason.
- The client already retries what is safe (connect errors, 429, 503 + Retry-After). When a
  chunk's outcome is *ambiguous* (``OutcomeUnknown``: the request left and no answer came, or
  an ambiguous ``ServerError``), the SAME chunk is re-sent. In skip-duplicates mode it is re-sent
  with ``skipDuplicates: true``, so rows the lost attempt imported come back as *skipped*, never
  duplicated; in update-existing mode the re-send is an update by email, which is idempotent.
  A chunk that still fails stops the run: its rows (and the unsent ones) are reported, never
  dropped, and the state file lets the same import be resumed.
- Counts are what a server confirmed. A chunk whose answer accounts for fewer rows than were
  sent is not counted at all (it stops the run, to be re-sent on resume). ``unaccounted`` is
  every row neither confirmed by the server nor refused before sending; ``complete`` is true
  only when it is 0.
- Resume (``resume.py``): the state is keyed on the target (base URL + workspace) and the file,
  so progress made against one server is never taken for progress on another. A run of the
  same import against the same target skips the done chunks; the chunk that was in flight when
  the run stopped is re-sent (with the same skip rule as above).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Sequence
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
from sendkit_tui.bulk.report import ImportAborted, ImportReport, ShortAnswer
from sendkit_tui.bulk.resume import Target, clear_state, fingerprint, load_state, save_state
from sendkit_tui.bulk.rows import MAX_CHUNK, PreparedRow, chunks
from sendkit_tui.domain.wording import explain

RESEND_ATTEMPTS = 2  # re-sends of one chunk after an ambiguous or transport failure
RESEND_DELAY = 1.0  # seconds before a re-send (doubled each time)
RESUME_STRATEGY = (
    "A chunk whose outcome was unknown was sent again with skipDuplicates, so rows the lost "
    "attempt imported were skipped, not duplicated."
)

Progress = Callable[[int, int], Any]


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
    target: Target | None = None,
    resend_attempts: int = RESEND_ATTEMPTS,
    resend_delay: float | None = None,
) -> ImportReport:
    """Send the valid ``rows`` in chunks; returns the report (``complete`` False if stopped).

    ``progress(sent, total)`` is called (sync or async) with rows handled so far out of the
    rows to send, once at the start and after each chunk. ``target`` names where the rows go
    (``Target.of(base_url, workspace_id, key)``; by default the client's base URL and workspace)
    and is part of the resume key. Raises ``ImportAborted`` on a fatal error (key refused,
    workspace not found); the state file is kept for a resume.
    """
    delay = RESEND_DELAY if resend_delay is None else resend_delay
    chunk_size = max(1, min(chunk_size, MAX_CHUNK))
    target = target or Target.of_client(client)
    report = ImportReport(rows_total=len(rows), target=target.describe())
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
        target=target,
    )

    start = 0
    in_flight_before: int | None = None
    state, notes = load_state(state_path, key, here=target.describe())
    report.notes.extend(notes)
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
            report.notes.append(
                f"Resumed after {start} of {len(batches)} chunks already done against "
                f"{target.describe()} (their counts were confirmed by it in the earlier run)."
            )

    def server_counts() -> dict[str, Any]:
        snapshot = report.to_state()
        snapshot["failed"] = report.failed - client_failures
        snapshot["failures"] = [list(f) for f in report.failures[client_failures:]]
        return snapshot

    def save(**extra: Any) -> None:
        save_state(state_path, key, targetShown=target.describe(), counts=server_counts(), **extra)

    sent = sum(len(b) for b in batches[:start])
    if progress is not None:
        await _maybe_await(progress(sent, len(valid)))

    for index in range(start, len(batches)):
        batch = batches[index]
        number = index + 1
        save(chunksDone=index, inFlight=number)
        # A chunk that may have reached the server in an earlier run is re-sent like a resend.
        if in_flight_before == number:
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
                resend_delay=delay,
            )
            _check_counts(result, len(batch), number, len(batches))
        except SendKitError as error:
            report.complete = False
            report.stopped_reason = explain(error)
            if _fatal(error):
                report.not_sent = sum(len(b) for b in batches[index:])
                raise ImportAborted(error, report) from error
            reason = f"Not confirmed (chunk {number} of {len(batches)} failed): {explain(error)}"
            report.failures.extend((row.line_no, reason) for row in batch)
            report.unconfirmed = len(batch)
            report.not_sent = sum(len(b) for b in batches[index + 1 :])
            report.notes.append(
                f"Chunk {number} of {len(batches)} failed after re-sending it; the import "
                "stopped there. Run it again to resume: rows already imported will be skipped."
            )
            return report
        _apply_result(report, batch, result)
        report.chunks_done = number
        sent += len(batch)
        save(chunksDone=number, inFlight=None)
        if progress is not None:
            await _maybe_await(progress(sent, len(valid)))

    if report.resent_chunks:
        chunks_text = ", ".join(map(str, sorted(set(report.resent_chunks))))
        if skip_duplicates:
            report.notes.append(
                f"{RESUME_STRATEGY} Chunks re-sent: {chunks_text}; some of their skipped rows may "
                "be rows imported by the lost attempt."
            )
        else:
            report.notes.append(
                "A chunk whose outcome was unknown was sent again; in update mode that re-send "
                "updates by email, so nothing was duplicated (rows it had created count as "
                f"updated). Chunks re-sent: {chunks_text}."
            )
    if report.unaccounted:
        report.complete = False
        report.stopped_reason = report.stopped_reason or (
            f"SendKit did not confirm {report.unaccounted:,} of the {report.rows_total:,} rows."
        )
        return report  # keep the state: a resume re-sends nothing twice
    clear_state(state_path)
    return report


def _check_counts(result: Any, size: int, number: int, total: int) -> None:
    """Raise ShortAnswer when the answer accounts for fewer rows than the chunk held."""
    counted = result.imported + result.updated + result.skipped + result.failed
    if counted < size:
        raise ShortAnswer(
            f"SendKit's answer to chunk {number} of {total} accounts for {counted:,} of its "
            f"{size:,} rows, so none of them is counted as imported"
        )


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
        named = item.get("email") if isinstance(item, dict) else None
        given = item.get("error") if isinstance(item, dict) else None
        reason = str(given or "Rejected by SendKit.")
        key = str(named or "").strip().lower()
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

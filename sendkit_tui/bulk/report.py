"""An import's outcome: the counts a server confirmed, and what they say to the user.

``summary_lines`` is what the CLI prints and the TUI shows, in plain lines: the counts are
what a server confirmed; rows it did not confirm are named as such, and "accounted for" is
said only when every row is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sendkit_tui.api.errors import SendKitError


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0  # refused before sending + refused by the server
    failures: list[tuple[int | None, str]] = field(default_factory=list)  # (line_no, reason)
    chunks_done: int = 0
    resumed_from: int = 0  # chunks already done by an earlier run when this one started
    chunks_total: int = 0
    rows_total: int = 0  # every prepared row, valid or not
    rows_to_send: int = 0  # rows without client-side errors
    not_sent: int = 0  # rows in chunks after the one that stopped the run
    unconfirmed: int = 0  # rows sent whose outcome no answer confirmed
    resent_chunks: list[int] = field(default_factory=list)  # 1-based chunk numbers re-sent
    complete: bool = True
    stopped_reason: str | None = None
    notes: list[str] = field(default_factory=list)
    target: str = ""  # where the rows went, as shown to the user

    @property
    def processed(self) -> int:
        return self.imported + self.updated + self.skipped + self.failed

    @property
    def unaccounted(self) -> int:
        """Rows neither confirmed by the server nor refused before sending."""
        return max(0, self.rows_total - self.processed)

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


class ShortAnswer(SendKitError):
    """A bulk answer that accounts for fewer rows than the chunk held."""


def summary_lines(report: Any) -> list[str]:
    lines = [
        f"Imported {report.imported:,} · updated {report.updated:,} · "
        f"skipped {report.skipped:,} · failed {report.failed:,}"
    ]
    refused = report.rows_total - report.rows_to_send
    if report.unaccounted:
        parts = []
        if report.unconfirmed:
            parts.append(f"{report.unconfirmed:,} sent but not confirmed")
        if report.not_sent:
            parts.append(f"{report.not_sent:,} not sent")
        rest = report.unaccounted - report.unconfirmed - report.not_sent
        if rest > 0:
            parts.append(f"{rest:,} not confirmed")
        lines.append(
            f"NOT COMPLETE: {report.unaccounted:,} of {report.rows_total:,} rows are not "
            f"accounted for ({'; '.join(parts)}). Run the same import again to resume; rows "
            "already imported will not be duplicated."
        )
    else:
        where = f" by {report.target}" if report.target else ""
        lines.append(
            f"All {report.rows_total:,} rows accounted for (counts confirmed{where}"
            + (f"; {refused:,} had errors and were not sent" if refused else "")
            + ")."
        )
    lines.extend(report.notes)
    return lines

"""What an import report says to the user, in plain lines (the CLI prints them, the TUI shows them).

The counts are what a server confirmed; rows it did not confirm are named as such, and
"accounted for" is said only when every row is.
"""

from __future__ import annotations

from typing import Any


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

"""The failed-rows CSV: the rows that did not make it, with why, ready to fix and re-import."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from sendkit_tui.bulk.headers_known import ERROR_COLUMN
from sendkit_tui.storage.files import atomic_write_private


def failed_rows_csv(
    path: Path | str,
    headers: Sequence[str],
    failures: Sequence[tuple[int, Sequence[str], str]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    """Write ``failures`` (line_no, original row, reason) as a CSV to fix and re-import.

    Original columns plus an ``error`` column (skipped by the mapping guess on re-import),
    sorted by line, UTF-8 (with a BOM when the source had one), the source's delimiter.
    The file holds lead data, so it is written private (0600) and atomically.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    names = list(headers)
    if ERROR_COLUMN in (h.strip().lower() for h in names):
        error_index = [h.strip().lower() for h in names].index(ERROR_COLUMN)
    else:
        error_index = len(names)
        names.append(ERROR_COLUMN)
    writer.writerow(names)
    for _line_no, cells, reason in sorted(failures, key=lambda f: f[0]):
        row = list(cells[: len(headers)]) + [""] * max(0, len(headers) - len(cells))
        if error_index < len(row):
            row[error_index] = reason
        else:
            row.append(reason)
        writer.writerow(row)
    text = out.getvalue()
    path = Path(path)
    atomic_write_private(path, ("\ufeff" if bom else "") + text)
    return path


def write_failures(
    out: Path,
    headers: Sequence[str],
    cells_by_line: dict[int, list[str]],
    failures: Sequence[tuple[int | None, str]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> list[str]:
    """Write the failures whose line is known to ``out``; returns the reasons of the others."""
    items = []
    unknown = []
    for line_no, reason in failures:
        if line_no is not None and line_no in cells_by_line:
            items.append((line_no, cells_by_line[line_no], reason))
        else:
            unknown.append(reason)
    failed_rows_csv(out, headers, items, delimiter=delimiter, bom=bom)
    return unknown

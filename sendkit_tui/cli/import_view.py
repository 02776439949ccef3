"""What ``sendkit-tui import`` prints: the file, the mapping, a preview, the report.

Every line goes through ``sanitize``: file contents and server text are data, so an escape
sequence in a CSV header or cell is shown (``\\x1b``), never run. Values from the file are cut
to one line and clipped (``cell``). Plain text only: no markup is interpreted anywhere.
"""

from __future__ import annotations

import sys
from typing import Any

from sendkit_tui.bulk import csv_read
from sendkit_tui.bulk import mapping as bulk_mapping
from sendkit_tui.bulk import rows as bulk_rows
from sendkit_tui.bulk.report import summary_lines
from sendkit_tui.domain.text import clip, sanitize

PREVIEW_ROWS = 5


def say(text: str = "") -> None:
    print(sanitize(text), flush=True)


def err(text: str = "") -> None:
    print(sanitize(text), file=sys.stderr, flush=True)


def cell(value: Any, limit: int = 40) -> str:
    """One CSV-derived value on one line: controls made visible, then clipped."""
    text = ";".join(map(str, value)) if isinstance(value, list) else str(value)
    return clip(sanitize(text, single_line=True), limit)


def print_file(name: str, data: csv_read.CsvData, guess: bulk_mapping.Guess) -> None:
    say(f"{cell(name, 80)}: {len(data.rows):,} rows, {data.encoding_note}, "
        f"delimiter {data.delimiter!r}")  # fmt: skip
    if data.preamble_lines:
        say(f"Skipped {data.preamble_lines} lines before the header (LinkedIn's “Notes:”).")
    if guess.layout:
        say(f"Looks like: {guess.layout} export; columns mapped for it.")


def print_mapping(headers: list[str], guess: bulk_mapping.Guess, mapping: dict[int, str]) -> None:
    say("Columns:")
    names = [cell(h) for h in headers]
    width = max(len(n) for n in names)
    for index, name in enumerate(names):
        target = mapping.get(index, bulk_mapping.SKIP)
        line = f"  {name:<{width}}  →  {cell(bulk_mapping.describe_target(target), 60)}"
        note = guess.notes.get(index) if guess.mapping.get(index) == target else None
        if note and target != bulk_mapping.NOISE:
            line += f"  ({cell(note, 120)})"
        say(line)
    noise = [i for i in guess.noise if mapping.get(i) == bulk_mapping.NOISE]
    if noise:
        listed = ", ".join(f"{cell(headers[i], 30)} ({cell(guess.notes.get(i, ''), 40)})"
                           for i in noise)  # fmt: skip
        say(f"Skipped as not lead data: {listed}. Keep one as a custom field with "
            "--keep-column NAME.")  # fmt: skip


def print_preview(rows: list[bulk_rows.PreparedRow]) -> None:
    say(f"Preview (first {min(PREVIEW_ROWS, len(rows))} rows):")
    for row in rows[:PREVIEW_ROWS]:
        fields = ", ".join(f"{cell(k, 30)}={cell(v)}" for k, v in row.lead.items())
        mark = "ok " if row.ok else "ERR"
        say(f"  {mark} line {row.line_no}: {fields or '(empty)'}")
        for problem in row.errors:
            say(f"        ! {cell(problem, 200)}")


def print_report(report: Any) -> None:
    for line in summary_lines(report):
        say(line)

"""Mapped CSV rows → leads in the flat shape ``POST /v1/leads/bulk`` takes, validated.

Rows with problems are never sent; each keeps its line number and original cells for the
failed-rows file. ``chunks`` cuts the rows into requests of at most 5,000 (the bulk limit).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sendkit_tui.bulk.cells import unprotect
from sendkit_tui.bulk.csv_read import CsvData
from sendkit_tui.bulk.mapping import CUSTOM_PREFIX, SKIP
from sendkit_tui.domain import rules

MAX_CHUNK = 5_000
_TAG_SPLIT = re.compile(r"[;|]")


@dataclass
class PreparedRow:
    line_no: int
    lead: dict[str, Any]  # flat, as bulk expects: standard keys + custom keys (+ tags list)
    errors: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # the original row, for the failed-rows CSV

    @property
    def ok(self) -> bool:
        return not self.errors


def split_tags(value: str) -> list[str]:
    """A Tags cell → tags: split on commas when the cell has one (a tag cannot hold a comma;
    the export joins with commas), else on semicolons or ``|``."""
    parts = value.split(",") if "," in value else _TAG_SPLIT.split(value)
    return [t for t in (p.strip() for p in parts) if t]


def build_rows(data: CsvData, mapping: dict[int, str]) -> list[PreparedRow]:
    line_nos = data.line_nos or list(range(2, len(data.rows) + 2))
    return [
        build_row(line_no, cells, data.headers, mapping)
        for line_no, cells in zip(line_nos, data.rows, strict=True)
    ]


def build_row(
    line_no: int, cells: list[str], headers: Sequence[str], mapping: dict[int, str]
) -> PreparedRow:
    lead: dict[str, Any] = {}
    errors: list[str] = []
    extra = [c for c in cells[len(headers) :] if c.strip()]
    if extra:
        errors.append(
            f"The row has {len(cells)} cells but the header has {len(headers)} columns "
            "(a delimiter or quote is probably out of place)."
        )
    custom: dict[str, str] = {}
    for index, target in mapping.items():
        if target == SKIP or index >= len(cells):
            continue
        value = unprotect(cells[index]).strip()
        if not value:
            continue  # empty cells are omitted
        if target.startswith(CUSTOM_PREFIX):
            key = target[len(CUSTOM_PREFIX) :].strip()
            problem = rules.check_custom_key(key) or rules.check_custom_value(value)
            if problem:
                errors.append(f"{key or headers[index]}: {problem}")
            custom[key] = value
            lead[key] = value
        elif target == "tags":
            tags = rules.normalize_tags(split_tags(value))
            problem = rules.check_tags(tags)
            if problem:
                errors.append(problem)
            if tags:
                lead["tags"] = tags
        else:
            problem = rules.check_field(target, value)
            if problem:
                errors.append(problem)
            lead[target] = value
    if "email" not in lead:
        errors.insert(0, rules.check_email(None) or "Email is required.")
    if len(custom) > rules.MAX_CUSTOM_FIELDS:
        errors.append(f"At most {rules.MAX_CUSTOM_FIELDS} custom fields.")
    clash = [k for k in custom if k in rules.REQUEST_FIELDS]
    if clash:
        errors.append(f"A custom field cannot be named {clash[0]!r}; map that column to the field.")
    return PreparedRow(line_no=line_no, lead=lead, errors=errors, cells=list(cells))


def chunks(rows: Sequence[Any], size: int = MAX_CHUNK) -> Iterator[list[Any]]:
    """Consecutive slices of at most ``size`` (capped at 5,000, the bulk limit)."""
    if size < 1:
        raise ValueError("The chunk size must be at least 1.")
    size = min(size, MAX_CHUNK)
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])

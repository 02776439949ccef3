"""Export the leads matching the list's filters to CSV, page by page (no Textual).

Every cell goes through ``cells.protect`` (CSV injection), and the file is created 0600.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from sendkit_tui.bulk.cells import protect

COLUMNS = (
    ("email", "email"),
    ("firstName", "first_name"),
    ("lastName", "last_name"),
    ("companyName", "company_name"),
    ("jobTitle", "job_title"),
    ("phone", "phone_number"),
    ("linkedinUrl", "linkedin_url"),
    ("city", "city"),
    ("state", "state"),
    ("country", "country"),
    ("tags", "tags"),
    ("customFields", "custom_fields"),
    ("createdAt", "created_at"),
    ("id", "id"),
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)  # the CSV import splits tags on ";"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _private_text(path: Path) -> TextIO:
    """``path`` opened for writing, created 0600: an export holds lead data."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return open(fd, "w", newline="", encoding="utf-8")


async def export_leads(
    client: Any,
    path: Path,
    *,
    search: str | None = None,
    tags: list[str] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> int:
    """Write every matching lead to ``path``; returns how many. Written to a temp file
    first, so an interrupted export never leaves a half file under the final name."""
    partial = path.with_name(path.name + ".partial")
    count = 0
    try:
        with _private_text(partial) as handle:
            writer = csv.writer(handle)
            writer.writerow([name for name, _attr in COLUMNS])
            async for page in client.iter_pages(search=search, tags=tags, limit=100):
                for lead in page.items:
                    writer.writerow(
                        [protect(_cell(getattr(lead, attr, None))) for _n, attr in COLUMNS]
                    )
                count += len(page.items)
                if progress is not None:
                    progress(count, page.total)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count

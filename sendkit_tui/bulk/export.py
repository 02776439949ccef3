"""Export the leads matching the list's filters to CSV, page by page (no Textual)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    text = str(value)
    # Spreadsheet apps run cells that start with these as formulas: neutralise them.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not text[1:2].isdigit() else text


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
        with partial.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([name for name, _attr in COLUMNS])
            async for page in client.iter_pages(search=search, tags=tags, limit=100):
                for lead in page.items:
                    writer.writerow([_cell(getattr(lead, attr, None)) for _n, attr in COLUMNS])
                count += len(page.items)
                if progress is not None:
                    progress(count, page.total)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count

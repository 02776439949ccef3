"""Export the leads matching the list's filters to CSV, in a layout the importer reads back.

The file (UTF-8, comma-separated, created 0600: it holds lead data):

- ``email, firstName, lastName, companyName, jobTitle, phone, linkedinUrl, city, state,
  country`` — the request-shape names, which the importer maps to the same fields;
- ``tags`` — comma-joined (a tag cannot contain a comma). A lone tag that holds ``;`` or ``|``
  is written with a trailing comma, so the importer's "split on commas when there is one, else
  on semicolons" rule reads it back as one tag;
- ``custom:<name>`` — one column per custom field found in the export, sorted by name
  (``custom:Budget``); the importer maps such a column to that custom field;
- ``id, createdAt`` — for reference; the importer skips them (server-made values).

Every cell goes through ``cells.protect`` (CSV injection). The leads are spooled to a private
temporary file first (the custom-field columns are known only at the end), and the CSV is
written under a temporary name and renamed, so an interrupted export never leaves a half file.

When the list's projection lacks phone, LinkedIn URL or custom fields (the documented list
omits them), each such lead is read in full with ``GET /v1/leads/{id}``; when that route is not
there, the export goes on without them and says so in ``notes``.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from sendkit_tui.api.errors import SendKitError
from sendkit_tui.api.models import Lead, custom_value_text
from sendkit_tui.bulk.cells import protect
from sendkit_tui.bulk.headers_known import CUSTOM_HEADER_PREFIX

STANDARD_COLUMNS = (
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
)
TAIL_COLUMNS = (("id", "id"), ("createdAt", "created_at"))
LIST_MISSING = ("phone_number", "linkedin_url", "custom_fields")  # not in the documented list
FETCH_CONCURRENCY = 8


def tags_cell(tags: list[str] | None) -> str:
    """Tags comma-joined, read back as the same list by ``rows.split_tags``."""
    items = [str(t) for t in tags or []]
    text = ",".join(items)
    if len(items) == 1 and any(sep in text for sep in ";|"):
        text += ","
    return text


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _row(lead: Lead, custom_keys: list[str]) -> list[str]:
    custom = lead.custom_fields or {}
    cells = [_text(getattr(lead, attr)) for _name, attr in STANDARD_COLUMNS]
    cells.append(tags_cell(lead.tags))
    cells.extend(custom_value_text(custom[k]) if k in custom else "" for k in custom_keys)
    cells.extend(_text(getattr(lead, attr)) for _name, attr in TAIL_COLUMNS)
    return [protect(cell) for cell in cells]


def header(custom_keys: list[str]) -> list[str]:
    names = [name for name, _attr in STANDARD_COLUMNS] + ["tags"]
    names += [CUSTOM_HEADER_PREFIX + key for key in custom_keys]
    names += [name for name, _attr in TAIL_COLUMNS]
    return [protect(name) for name in names]


def _private_text(path: Path) -> TextIO:
    """``path`` opened for writing, created 0600: an export holds lead data."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return open(fd, "w", newline="", encoding="utf-8")


class _Completer:
    """Reads a lead in full when the list left fields out, until the server says it cannot."""

    def __init__(self, client: Any, notes: list[str] | None) -> None:
        self.client = client
        self.notes = notes
        self.available = True
        self.gate = asyncio.Semaphore(FETCH_CONCURRENCY)

    async def complete(self, leads: list[Lead]) -> list[Lead]:
        needed = [i for i, lead in enumerate(leads) if self._partial(lead)]
        if not needed or not self.available:
            return leads
        full = await asyncio.gather(*(self._get(leads[i]) for i in needed))
        out = list(leads)
        for i, lead in zip(needed, full, strict=True):
            out[i] = lead
        return out

    @staticmethod
    def _partial(lead: Lead) -> bool:
        return any(name not in lead.model_fields_set for name in LIST_MISSING)

    async def _get(self, lead: Lead) -> Lead:
        async with self.gate:
            if not self.available:
                return lead
            try:
                fresh: Lead = await self.client.get_lead(lead.id)
                return fresh
            except SendKitError as error:
                if self.available and self.notes is not None:
                    self.notes.append(
                        "The server's list leaves out phone, LinkedIn URL and custom fields, "
                        f"and reading a lead in full failed ({error}); those columns are empty "
                        "where the list did not carry them."
                    )
                self.available = False
                return lead


async def export_leads(
    client: Any,
    path: Path,
    *,
    search: str | None = None,
    tags: list[str] | None = None,
    email_verified: bool | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    notes: list[str] | None = None,
) -> int:
    """Write every matching lead to ``path``; returns how many. ``notes`` (when given) gets a
    sentence for anything the file could not hold."""
    partial = path.with_name(path.name + ".partial")
    completer = _Completer(client, notes)
    keys: dict[str, None] = {}
    count = 0
    spool_fd, spool_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".jsonl",
                                            dir=path.parent)  # fmt: skip
    try:
        with open(spool_fd, "w+", encoding="utf-8") as spool:
            async for page in client.iter_pages(
                search=search, tags=tags, email_verified=email_verified, limit=100
            ):
                for lead in await completer.complete(list(page.items)):
                    keys.update(dict.fromkeys(lead.custom_fields or {}))
                    spool.write(lead.model_dump_json(by_alias=True) + "\n")
                count += len(page.items)
                if progress is not None:
                    progress(count, page.total)
            custom_keys = sorted(keys, key=lambda k: (k.casefold(), k))
            spool.seek(0)
            with _private_text(partial) as handle:
                writer = csv.writer(handle)
                writer.writerow(header(custom_keys))
                for line in spool:
                    writer.writerow(_row(Lead.model_validate(json.loads(line)), custom_keys))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
        Path(spool_name).unlink(missing_ok=True)
    return count

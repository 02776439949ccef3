"""Mapped CSV rows → leads in the flat shape ``POST /v1/leads/bulk`` takes, validated.

Emails, phones and LinkedIn URLs are cleaned with ``domain/clean.py``, the form's rules (phones
read in the row's country, else ``default_region``), unless ``clean=False`` (``--no-cleanup``
and the app's own exports: values as SendKit stored them). The rules check what is sent.

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
from sendkit_tui.bulk.headers_known import (
    CHOICE_FIELDS,
    LABEL_COLUMN,
    LABELLED_VALUE,
    MOBILE,
    OTHER,
    WORK,
    custom_name,
    kind_of,
)
from sendkit_tui.bulk.mapping import CUSTOM_PREFIX, NOISE, SKIP
from sendkit_tui.domain import rules
from sendkit_tui.domain.clean import DEFAULT_REGION, clean_values

MAX_CHUNK = 5_000
_TAG_SPLIT = re.compile(r"[;|]|:::")
GOOGLE_SYSTEM_GROUPS = {"* mycontacts", "* my contacts", "* starred", "* other contacts"}


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
    the export joins with commas), else on semicolons, ``|`` or Google's `` ::: ``. Google
    Contacts' own groups (``* myContacts``, ``* starred``) are not tags and are left out."""
    parts = value.split(",") if "," in value else _TAG_SPLIT.split(value)
    tags = (p.strip() for p in parts)
    return [t for t in tags if t and t.casefold() not in GOOGLE_SYSTEM_GROUPS]


# target → [(column, kind from the header, column whose cell says the kind)]
Choices = dict[str, list[tuple[int, str, int | None]]]
_PREFERENCE = {MOBILE: 0, WORK: 1, OTHER: 2}


def plan_choices(headers: Sequence[str], mapping: dict[int, str]) -> Choices:
    """The email and phone fields fed by several columns, with what says each one's kind."""
    labels: dict[tuple[str, str], int] = {}
    for index, header in enumerate(headers):
        match = LABEL_COLUMN.match(header.strip())
        if match:
            labels.setdefault((match.group(1).lower().replace("-", ""), match.group(2)), index)
    choices: Choices = {}
    for target in CHOICE_FIELDS:
        columns = [i for i, t in sorted(mapping.items()) if t == target and i < len(headers)]
        if len(columns) < 2:
            continue
        found = []
        for index in columns:
            match = LABELLED_VALUE.match(headers[index].strip())
            label = None
            if match:
                label = labels.get((match.group(1).lower().replace("-", ""), match.group(2)))
            found.append((index, kind_of(headers[index]), label))
        choices[target] = found
    return choices


def _choose(target: str, cells: list[str], found: list[tuple[int, str, int | None]]) -> list[int]:
    """The filled columns of one row, best first: for phone mobile, then work, then the rest."""
    filled = []
    for order, (index, kind, label) in enumerate(found):
        if index >= len(cells) or not unprotect(cells[index]).strip():
            continue
        if label is not None and label < len(cells) and cells[label].strip():
            kind = kind_of(cells[label])
        rank = _PREFERENCE[kind] if target == "phone" else 0
        filled.append((rank, order, index))
    return [index for _rank, _order, index in sorted(filled)]


def build_rows(
    data: CsvData,
    mapping: dict[int, str],
    *,
    clean: bool = True,
    default_region: str = DEFAULT_REGION,
) -> list[PreparedRow]:
    line_nos = data.line_nos or list(range(2, len(data.rows) + 2))
    choices = plan_choices(data.headers, mapping)
    region = default_region if clean else None
    return [
        build_row(line_no, cells, data.headers, mapping, choices, clean_region=region)
        for line_no, cells in zip(line_nos, data.rows, strict=True)
    ]


def build_row(
    line_no: int,
    cells: list[str],
    headers: Sequence[str],
    mapping: dict[int, str],
    choices: Choices | None = None,
    *,
    clean_region: str | None = DEFAULT_REGION,
) -> PreparedRow:
    """One row; ``clean_region`` None sends values as they are, else cleans them (phones read
    in the row's country, else that region)."""
    if choices is None:
        choices = plan_choices(headers, mapping)
    mapping = dict(mapping)
    for target, found in choices.items():  # the best filled column feeds the field …
        chosen = _choose(target, cells, found)
        best: int | None = chosen[0] if chosen else None
        for index, _kind, _label in found:
            if index != best:  # … the other filled ones are kept as custom fields
                mapping[index] = (
                    CUSTOM_PREFIX + custom_name(headers[index]) if index in chosen[1:] else SKIP
                )
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
        if target in (SKIP, NOISE) or index >= len(cells):
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
            lead[target] = value
    if clean_region is not None:
        lead.update(clean_values(lead, default_region=clean_region))
    for name in rules.STANDARD_FIELDS:
        problem = rules.check_field(name, lead[name]) if name in lead else None
        if problem:
            errors.append(problem)
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

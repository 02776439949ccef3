"""Which column goes to which lead field: the guess, the user's overrides, the checks.

A mapping is ``{column index: target}`` where target is a request-shape field (``email``,
``firstName``, …, ``tags``), ``custom:<Name>`` (a custom field, sent flat as bulk expects) or
``skip``. What headers mean is in ``headers_known.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sendkit_tui.bulk.csv_read import ImportProblem
from sendkit_tui.bulk.headers_known import (
    CUSTOM_HEADER_PREFIX,
    ERROR_COLUMN,
    SERVER_MADE,
    SYNONYMS,
    norm,
)
from sendkit_tui.domain import rules

SKIP = "skip"
CUSTOM_PREFIX = "custom:"
TARGETS: tuple[str, ...] = (*rules.STANDARD_FIELDS, "tags")

_LOOKUP: dict[str, str] = {norm(s): target for target, syns in SYNONYMS.items() for s in syns}
_LOOKUP.update({norm(t): t for t in TARGETS})


def guess_target(header: str) -> str:
    key = norm(header)
    if key == ERROR_COLUMN:
        return SKIP  # the column our failed-rows CSV adds; skipped when that file is re-imported
    if key in SERVER_MADE:
        return SKIP  # an export's id and createdAt: the server makes them
    text = header.strip()
    if text.lower().startswith(CUSTOM_HEADER_PREFIX) and text[len(CUSTOM_HEADER_PREFIX) :].strip():
        return CUSTOM_PREFIX + text[len(CUSTOM_HEADER_PREFIX) :].strip()  # an export's column
    return _LOOKUP.get(key) or CUSTOM_PREFIX + text


def guess_mapping(headers: Sequence[str]) -> dict[int, str]:
    """Column index → target. A second column for the same field becomes a custom field."""
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        target = guess_target(header)
        if target in TARGETS:
            if target in used:
                target = CUSTOM_PREFIX + header.strip()
            used.add(target)
        mapping[index] = target
    return mapping


def parse_target(text: str, header: str = "") -> str:
    """A user's target spelling (``email``, ``First name``, ``custom:Plan``, ``skip``)."""
    value = text.strip()
    if value.lower() in (SKIP, "ignore", "none", "-"):
        return SKIP
    if value.lower() == "custom":
        return CUSTOM_PREFIX + header.strip()
    if value.lower().startswith(CUSTOM_PREFIX):
        name = value[len(CUSTOM_PREFIX) :].strip()
        problem = rules.check_custom_key(name)
        if problem:
            raise ImportProblem(problem)
        return CUSTOM_PREFIX + name
    target = _LOOKUP.get(norm(value))
    if target is None:
        choices = ", ".join((*TARGETS, "custom:<Name>", SKIP))
        raise ImportProblem(f"Unknown field {value!r}; use one of {choices}.")
    return target


def apply_overrides(
    headers: Sequence[str], mapping: dict[int, str], specs: Sequence[str]
) -> dict[int, str]:
    """Apply ``"Header=field"`` overrides (header matched case-insensitively) to ``mapping``."""
    result = dict(mapping)
    for spec in specs:
        header, sep, target = spec.partition("=")
        if not sep:
            raise ImportProblem(f'--map {spec!r} should look like "Header=field".')
        index = column_index(headers, header)
        result[index] = parse_target(target, headers[index])
    check_mapping(headers, result)
    return result


def column_index(headers: Sequence[str], name: str) -> int:
    """The first column whose header is ``name`` (case-insensitive), else ImportProblem."""
    matches = [i for i, h in enumerate(headers) if h.strip().lower() == name.strip().lower()]
    if not matches:
        raise ImportProblem(
            f"There is no column {name.strip()!r}; the columns are "
            + ", ".join(repr(h) for h in headers)
            + "."
        )
    return matches[0]


def check_mapping(headers: Sequence[str], mapping: dict[int, str]) -> None:
    """Raise ImportProblem when no column is email or two columns share a standard field."""
    seen: dict[str, int] = {}
    for index, target in sorted(mapping.items()):
        if target == SKIP:
            continue
        if target in seen:
            raise ImportProblem(
                f"Columns {headers[seen[target]]!r} and {headers[index]!r} are both mapped to "
                f"{describe_target(target)}; map one of them elsewhere or skip it."
            )
        seen[target] = index
    if "email" not in seen:
        raise ImportProblem('No column is mapped to email; add --map "<your email column>=email".')


def describe_target(target: str) -> str:
    if target == SKIP:
        return "(skipped)"
    if target.startswith(CUSTOM_PREFIX):
        return f"custom field {target[len(CUSTOM_PREFIX) :]!r}"
    return rules.FIELD_LABELS.get(target, target)


def mapping_fingerprint(mapping: dict[int, str]) -> str:
    return json.dumps({str(k): v for k, v in sorted(mapping.items())}, sort_keys=True)

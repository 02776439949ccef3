"""Which column goes to which lead field: the guess, the user's overrides, the checks.

A mapping is ``{column index: target}`` where target is a request-shape field (``email``,
``firstName``, …, ``tags``), ``custom:<Name>`` (a custom field, sent flat as bulk expects),
``skip``, or ``noise`` (a record id, owner or date column: skipped unless the user keeps it).
What headers mean, and the layouts of other tools' exports, are in ``headers_known.py``.

Email and phone may come from several columns (Outlook has three e-mail and a dozen phone
columns): per row the best filled one is used (see ``rows.py``) and the other filled ones are
kept as custom fields. Any other field mapped twice is an error the user must resolve.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sendkit_tui.bulk.cells import unprotect
from sendkit_tui.bulk.csv_read import ImportProblem
from sendkit_tui.bulk.headers_known import (
    CHOICE_FIELDS,
    CUSTOM_HEADER_PREFIX,
    ERROR_COLUMN,
    LABEL_COLUMN,
    LAYOUT_TARGETS,
    SYNONYMS,
    custom_name,
    detect_layout,
    noise_reason,
    norm,
)
from sendkit_tui.domain import rules

SKIP = "skip"
NOISE = "noise"
CUSTOM_PREFIX = "custom:"
TARGETS: tuple[str, ...] = (*rules.STANDARD_FIELDS, "tags")
FULL_NAMES = {norm(h) for h in ("name", "full name", "contact name", "display name")}

_LOOKUP: dict[str, str] = {norm(s): target for target, syns in SYNONYMS.items() for s in syns}
_LOOKUP.update({norm(t): t for t in TARGETS})


@dataclass
class Guess:
    """The guessed mapping, the tool the file looks like, and a note per column worth one."""

    mapping: dict[int, str]
    layout: str | None = None
    notes: dict[int, str] = field(default_factory=dict)

    @property
    def noise(self) -> list[int]:
        return [i for i, target in sorted(self.mapping.items()) if target == NOISE]


def guess_target(header: str) -> str:
    """What one header means on its own (no layout, no other columns)."""
    key = norm(header)
    text = header.strip()
    if key == ERROR_COLUMN:
        return SKIP  # the column our failed-rows CSV adds; skipped when that file is re-imported
    if text.lower().startswith(CUSTOM_HEADER_PREFIX) and text[len(CUSTOM_HEADER_PREFIX) :].strip():
        return CUSTOM_PREFIX + text[len(CUSTOM_HEADER_PREFIX) :].strip()  # an export's column
    if key in _LOOKUP:
        return _LOOKUP[key]
    if LABEL_COLUMN.match(text) or noise_reason(text):
        return NOISE
    return CUSTOM_PREFIX + custom_name(text)


def guess(headers: Sequence[str], keep: Sequence[str] = ()) -> Guess:
    """The mapping for ``headers``; the columns named in ``keep`` are kept even if noise."""
    layout = detect_layout(list(headers))
    special = LAYOUT_TARGETS.get(layout or "", {})
    result = Guess(mapping={}, layout=layout)
    for index, header in enumerate(headers):
        key = norm(header)
        if key in special:
            result.mapping[index], result.notes[index] = special[key]
            continue
        target = result.mapping[index] = guess_target(header)
        if target == NOISE:
            label = LABEL_COLUMN.match(header.strip())
            result.notes[index] = "says which kind the value next to it is" if label else (
                noise_reason(header) or "not lead data"
            )  # fmt: skip
    _resolve_doubles(headers, result)
    for name in keep:
        index = column_index(headers, name)
        result.mapping[index] = CUSTOM_PREFIX + custom_name(headers[index])
        result.notes.pop(index, None)
    return result


def _resolve_doubles(headers: Sequence[str], result: Guess) -> None:
    """A standard field on two columns: email/phone become a choice, others a custom field."""
    mapping, notes = result.mapping, result.notes
    by_target: dict[str, list[int]] = {}
    for index, target in sorted(mapping.items()):
        if target in TARGETS:
            by_target.setdefault(target, []).append(index)
    for target, indices in by_target.items():
        if len(indices) < 2:
            continue
        if target in CHOICE_FIELDS:
            rule = "the mobile one, else work, else the first filled" if target == "phone" else (
                "the first filled one"
            )  # fmt: skip
            for index in indices:
                notes[index] = (
                    f"one of {len(indices)} {target} columns: per row {rule}; other filled "
                    "ones become custom fields"
                )
            continue
        # A bare "Title" next to "Job Title" (Outlook) is an honorific: the specific one wins.
        plain = [i for i in indices if target == "jobTitle" and norm(headers[i]) == "title"]
        keep = next((i for i in indices if i not in plain), indices[0])
        for index in indices:
            if index != keep:
                mapping[index] = CUSTOM_PREFIX + custom_name(headers[index])
                notes[index] = f"{headers[keep].strip()!r} is the {rules.FIELD_LABELS[target]}"
    first, last = "firstName" in by_target, "lastName" in by_target
    for index, header in enumerate(headers):
        if not (first and last and norm(header) in FULL_NAMES):
            continue
        if mapping[index].startswith(CUSTOM_PREFIX):
            mapping[index] = NOISE
            notes[index] = "the full name; the first and last name columns are imported"


def guess_mapping(headers: Sequence[str]) -> dict[int, str]:
    """Column index → target (see ``guess``)."""
    return guess(headers).mapping


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
    """Raise ImportProblem when no column is email or two columns share a single field."""
    seen: dict[str, int] = {}
    for index, target in sorted(mapping.items()):
        if target in (SKIP, NOISE):
            continue
        if target in seen and target not in CHOICE_FIELDS:
            raise ImportProblem(
                f"Columns {headers[seen[target]]!r} and {headers[index]!r} are both mapped to "
                f"{describe_target(target)}; map one of them elsewhere or skip it."
            )
        seen.setdefault(target, index)
    if "email" not in seen:
        raise ImportProblem('No column is mapped to email; add --map "<your email column>=email".')


def describe_target(target: str) -> str:
    if target == SKIP:
        return "(skipped)"
    if target == NOISE:
        return "(skipped: a record id, owner or date)"
    if target.startswith(CUSTOM_PREFIX):
        return f"custom field {target[len(CUSTOM_PREFIX) :]!r}"
    return rules.FIELD_LABELS.get(target, target)


def lead_fields() -> list[tuple[str, str]]:
    """Every field a column can feed, as ``(target, label)``: the request fields of
    ``POST /v1/leads`` (``customFields`` aside: that is ``custom:<Name>``)."""
    return [(target, rules.FIELD_LABELS[target]) for target in TARGETS]


def custom_target(name: str) -> str:
    """``custom:<name>`` for a custom-field name, or ImportProblem when the name is unusable."""
    text = name.strip()
    problem = rules.check_custom_key(text)
    if problem:
        raise ImportProblem(problem)
    if text in rules.REQUEST_FIELDS:
        raise ImportProblem(f"A custom field cannot be named {text!r}; map the column to it.")
    return CUSTOM_PREFIX + text


def clashes(mapping: dict[int, str]) -> dict[str, list[int]]:
    """Fields fed by more than one column where only one may (not email or phone, which
    take the best filled column per row): target → the columns, in order."""
    by_target: dict[str, list[int]] = {}
    for index, target in sorted(mapping.items()):
        if target in TARGETS and target not in CHOICE_FIELDS:
            by_target.setdefault(target, []).append(index)
    return {target: columns for target, columns in by_target.items() if len(columns) > 1}


def samples(rows: Sequence[Sequence[str]], index: int, count: int = 3) -> list[str]:
    """Up to ``count`` different filled values of one column, from the first rows."""
    found: list[str] = []
    for row in rows[:200]:
        value = unprotect(row[index]).strip() if index < len(row) else ""
        if value and value not in found:
            found.append(value)
            if len(found) == count:
                break
    return found


def mapping_fingerprint(mapping: dict[int, str]) -> str:
    return json.dumps({str(k): v for k, v in sorted(mapping.items())}, sort_keys=True)

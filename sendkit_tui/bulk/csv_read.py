"""CSV import, the pure part: read a CSV, guess the column mapping, validate rows, chunk them.

No Textual and no network. The async runner that sends the chunks is ``import_run.py``;
the shell command is ``import_cli.py``.

A mapping is ``{column index: target}`` where target is a request-shape field (``email``,
``firstName``, …, ``tags``), ``custom:<Name>`` (a custom field, sent flat as bulk expects) or
``skip``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendkit_tui.domain import rules
from sendkit_tui.storage.files import atomic_write_private

MAX_CHUNK = 5_000
SKIP = "skip"
CUSTOM_PREFIX = "custom:"
ERROR_COLUMN = "error"
TARGETS: tuple[str, ...] = (*rules.STANDARD_FIELDS, "tags")
_TAG_SPLIT = re.compile(r"[;|]")

# Normalised header (lowercase, no spaces/underscores/hyphens/dots) → target field.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "email_address"),
    "firstName": ("first name", "firstname", "given name", "forename", "first"),
    "lastName": ("last name", "lastname", "surname", "family name", "last"),
    "companyName": ("company", "company name", "organization", "organisation", "org", "employer"),
    "jobTitle": ("title", "job title", "position", "role", "job"),
    "phone": ("phone", "phone number", "mobile", "mobile phone", "telephone", "tel", "cell"),
    "linkedinUrl": ("linkedin", "linkedin url", "linkedin profile", "linkedin profile url"),
    "city": ("city", "town"),
    "state": ("state", "region", "province", "county"),
    "country": ("country", "country name"),
    "tags": ("tags", "tag", "labels", "label"),
}


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-.]+", "", header.strip().lower())


_LOOKUP: dict[str, str] = {_norm(s): target for target, syns in _SYNONYMS.items() for s in syns}
_LOOKUP.update({_norm(t): t for t in TARGETS})


class ImportProblem(Exception):
    """A file that cannot be imported as it is; ``str()`` is one user-facing sentence."""


@dataclass
class CsvData:
    headers: list[str]
    rows: list[list[str]]  # raw cells, as read (may be shorter or longer than headers)
    delimiter: str
    encoding_note: str  # "UTF-8" or "UTF-8 with BOM"
    line_nos: list[int] = field(default_factory=list)  # 1-based line where each row starts
    sha256: str = ""  # of the file's bytes

    @property
    def bom(self) -> bool:
        return "BOM" in self.encoding_note


@dataclass
class PreparedRow:
    line_no: int
    lead: dict[str, Any]  # flat, as bulk expects: standard keys + custom keys (+ tags list)
    errors: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # the original row, for the failed-rows CSV

    @property
    def ok(self) -> bool:
        return not self.errors


# -- reading -----------------------------------------------------------------------------------


def read_csv(path: Path | str) -> CsvData:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ImportProblem(f"Could not read {path}: {reason}.") from None
    return parse_csv_bytes(raw, name=str(path))


def parse_csv_bytes(raw: bytes, *, name: str = "The file") -> CsvData:
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        raise ImportProblem(
            f"{name} is not UTF-8 text: byte 0x{byte:02X} on line {line} (byte offset "
            f'{error.start}) cannot be decoded; save the file as UTF-8 ("CSV UTF-8" in Excel) '
            "and try again."
        ) from None
    if not text.strip():
        raise ImportProblem(f"{name} is empty: it needs a header line and at least one row.")
    if "\x00" in text:
        raise ImportProblem(f"{name} contains NUL bytes, so it is not a text CSV file.")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    headers: list[str] | None = None
    rows: list[list[str]] = []
    line_nos: list[int] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in record):
                continue  # blank line
            if headers is None:
                headers = [h.strip() or f"Column {i + 1}" for i, h in enumerate(record)]
                continue
            rows.append(record)
            line_nos.append(start)
    except csv.Error as error:
        raise ImportProblem(
            f"{name} is not valid CSV near line {reader.line_num}: {error}."
        ) from None
    if headers is None:
        raise ImportProblem(f"{name} is empty: it needs a header line and at least one row.")
    if not rows:
        raise ImportProblem(f"{name} has a header line but no rows to import.")
    return CsvData(
        headers=headers,
        rows=rows,
        delimiter=delimiter,
        encoding_note="UTF-8 with BOM" if bom else "UTF-8",
        line_nos=line_nos,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def sniff_delimiter(text: str) -> str:
    """``;`` when the header line has more semicolons than commas outside quotes, else ``,``."""
    commas = semis = 0
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in "\r\n":
                break
            if ch == ",":
                commas += 1
            elif ch == ";":
                semis += 1
    return ";" if semis > commas else ","


# -- mapping -----------------------------------------------------------------------------------


def guess_target(header: str) -> str:
    key = _norm(header)
    if key == ERROR_COLUMN:
        return SKIP  # the column our failed-rows CSV adds; skipped when that file is re-imported
    return _LOOKUP.get(key) or CUSTOM_PREFIX + header.strip()


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
    target = _LOOKUP.get(_norm(value))
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
        matches = [i for i, h in enumerate(headers) if h.strip().lower() == header.strip().lower()]
        if not matches:
            raise ImportProblem(
                f"There is no column {header.strip()!r}; the columns are "
                + ", ".join(repr(h) for h in headers)
                + "."
            )
        result[matches[0]] = parse_target(target, headers[matches[0]])
    check_mapping(headers, result)
    return result


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


# -- rows --------------------------------------------------------------------------------------


def split_tags(value: str) -> list[str]:
    return [t for t in (p.strip() for p in _TAG_SPLIT.split(value)) if t]


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
        raw = cells[index]
        value = raw.strip()
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


# -- failed rows -------------------------------------------------------------------------------


def failed_rows_csv(
    path: Path | str,
    headers: Sequence[str],
    failures: Sequence[tuple[int, Sequence[str], str]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    """Write ``failures`` (line_no, original row, reason) as a CSV to fix and re-import.

    Original columns plus an ``error`` column (skipped by ``guess_mapping`` on re-import),
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

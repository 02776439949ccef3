"""Reading a CSV file for import: encoding, delimiter, header line, rows with line numbers.

No Textual and no network. What the columns mean is ``mapping.py``; turning rows into leads
is ``rows.py``; sending them is ``runner.py``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path


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
    preamble_lines: int = 0  # lines skipped before the header (LinkedIn's "Notes:")

    @property
    def bom(self) -> bool:
        return "BOM" in self.encoding_note


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
    skipped, text = split_preamble(text)
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
            line_nos.append(start + skipped)
    except csv.Error as error:
        raise ImportProblem(
            f"{name} is not valid CSV near line {reader.line_num + skipped}: {error}."
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
        preamble_lines=skipped,
    )


def split_preamble(text: str) -> tuple[int, str]:
    """``(lines skipped, rest)``: LinkedIn's Connections.csv starts with a ``Notes:`` line and a
    quoted note, then a blank line, then the header. Any other text is returned whole."""
    lines = io.StringIO(text, newline="").readlines()  # split like csv.reader counts lines
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or not lines[start].lstrip('" ').lower().startswith("notes:"):
        return 0, text
    quoted = False
    for number in range(start, len(lines)):
        line = lines[number]
        if not quoted and number > start and not line.strip():
            return number + 1, "".join(lines[number + 1 :])
        if line.count('"') % 2:
            quoted = not quoted
    return 0, text


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

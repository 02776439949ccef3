"""vCard text → properties, as Apple Contacts, Google Contacts and Outlook write it.

Reads vCard 2.1, 3.0 and 4.0: folded lines (a line starting with a space or tab continues the
one before), quoted-printable values with their soft line breaks (Outlook's 2.1 and 3.0
exports), ``CHARSET``, bare 2.1 parameters (``TEL;CELL;VOICE:``), ``TYPE=a,b`` and quoted
4.0 parameter values, group prefixes (Apple's ``item1.URL`` with ``item1.X-ABLabel``) and
backslash escapes. Only the first card of a file is read; ``card_count`` says how many there
were. No Textual, no I/O.
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass, field

_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass
class Prop:
    name: str  # upper case, group removed
    params: dict[str, list[str]]  # upper-case names; TYPE values lower case
    value: str  # decoded; structured values still hold their escaped ';'
    group: str = ""

    @property
    def types(self) -> set[str]:
        return set(self.params.get("TYPE", []))

    def parts(self) -> list[str]:
        """A structured value (N, ADR, ORG) split on its unescaped semicolons, unescaped."""
        return [unescape(p) for p in re.split(r"(?<!\\);", self.value)]

    @property
    def text(self) -> str:
        return unescape(self.value)


@dataclass
class Card:
    version: str = ""
    props: list[Prop] = field(default_factory=list)
    card_count: int = 1
    labels: dict[str, str] = field(default_factory=dict)  # Apple's item group → X-ABLabel

    def all(self, name: str) -> list[Prop]:
        return [p for p in self.props if p.name == name]

    def first(self, name: str) -> Prop | None:
        found = self.all(name)
        return found[0] if found else None


def looks_like_vcard(text: str) -> bool:
    return bool(_BEGIN.search(text))


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(ch)
    return "".join(out).strip()


def _logical_lines(text: str) -> list[str]:
    """Unfolded lines; a quoted-printable value ending in ``=`` goes on on the next line."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[str] = []
    for line in raw:
        if lines and line[:1] in (" ", "\t"):
            lines[-1] += line[1:]
        elif lines and _continues_qp(lines[-1]):
            lines[-1] = lines[-1][:-1] + line
        else:
            lines.append(line)
    return lines


def _continues_qp(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head and line.endswith("=")


def _split_name(line: str) -> tuple[str, str] | None:
    """``NAME;PARAMS`` and the value, split at the first ':' outside double quotes."""
    quoted = False
    for index, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return line[:index], line[index + 1 :]
    return None


def _params(pieces: list[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for piece in pieces:
        if "=" in piece:
            key, value = piece.split("=", 1)
        else:  # vCard 2.1: a bare type (``TEL;CELL;VOICE``)
            key, value = "TYPE", piece
        key = key.strip().upper()
        values = [v.strip().strip('"') for v in value.strip().strip('"').split(",")]
        if key == "TYPE":
            values = [v.lower() for v in values]
        params.setdefault(key, []).extend(v for v in values if v)
    return params


def _decode(value: str, params: dict[str, list[str]]) -> str:
    encoding = {v.upper() for v in params.get("ENCODING", [])}
    if "QUOTED-PRINTABLE" not in encoding:
        return value
    charset = (params.get("CHARSET") or ["utf-8"])[0]
    data = quopri.decodestring(value.encode("ascii", "replace"))
    try:
        return data.decode(charset, "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


def parse_vcard(text: str) -> Card:
    """The first card in ``text`` (call ``looks_like_vcard`` first)."""
    card = Card(card_count=len(_BEGIN.findall(text)))
    inside = False
    for line in _logical_lines(text):
        split = _split_name(line.strip("\ufeff"))
        if split is None:
            continue
        head, value = split
        pieces = head.split(";")
        name = pieces[0].strip()
        group, _, name = name.rpartition(".")
        name = name.upper()
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if card.props or inside:
                break  # the second card: only the first is read
            inside = True
            continue
        if name == "END" and value.strip().upper() == "VCARD":
            break
        params = _params(pieces[1:])
        decoded = _decode(value, params)
        if name == "VERSION":
            card.version = decoded.strip()
        elif name == "X-ABLABEL":
            card.labels[group.lower()] = unescape(decoded).strip("_$!<>").lower()
        else:
            card.props.append(Prop(name, params, decoded, group.lower()))
    return card

"""Custom fields as text, one ``name: value`` per line (the grid's bulk mode).

``format_fields`` writes them; ``parse_fields`` reads them back with the grid's rules
(names trimmed, non-empty, unique) and says what is wrong line by line, so nothing is
applied until every line is right.
"""

from __future__ import annotations

from collections.abc import Mapping

from sendkit_tui.domain.rules import check_custom_key, check_custom_value


def format_fields(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{key}: {value}" for key, value in fields.items())


def parse_fields(text: str) -> tuple[dict[str, str], list[str]]:
    """``(fields, problems)``: problems name their line ("line 3: …"); blank lines are skipped.

    The first ``:`` splits a line, so a value may hold colons (a URL, a time); one space
    after it is not part of the value.
    """
    fields: dict[str, str] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon:
            problems.append(f"line {number}: no ':' (write name: value)")
            continue
        value = value[1:] if value.startswith(" ") else value
        key = name.strip()
        problem = check_custom_key(key, list(fields)) or check_custom_value(value)
        if problem:
            problems.append(f"line {number}: {problem}")
            continue
        fields[key] = value
    return fields, problems

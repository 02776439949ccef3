"""CSV injection: the one rule export applies to every cell, and its exact inverse on import.

Spreadsheet apps run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and tab
or carriage return can hide such a start; so does a leading digit *not* (``=1+cmd|' /C
calc'!A0`` starts with ``=``). Following the OWASP "CSV Injection" advice, export prefixes every
such cell with a single quote, which spreadsheets show as text and never evaluate. (The
``defusedcsv`` package escapes ``|`` too and leaves tab and CR alone, and has no inverse, so the
rule is written here and tested.)

The importer reads the app's own export back losslessly: it strips **one** leading quote from
a cell that is exactly what ``protect`` produces, that is one or more quotes followed by one of
those characters. Every other cell is read as it is. To keep that inverse exact, ``protect``
also quotes a value that already starts with quotes before such a character (``'=x`` is written
``''=x`` and reads back as ``'=x``).
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PROTECTED = re.compile(r"'*[=+\-@\t\r]")


def protect(text: str) -> str:
    """``text`` safe to open in a spreadsheet: a quote before a formula-looking start."""
    return "'" + text if _PROTECTED.match(text) else text


def unprotect(cell: str) -> str:
    """The inverse of ``protect`` for cells it produced; other cells are returned unchanged."""
    return cell[1:] if cell.startswith("'") and _PROTECTED.match(cell) else cell

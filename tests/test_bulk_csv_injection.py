"""Export applies the OWASP CSV-injection rule to every cell; import reads it back exactly.

Regression tests for issue 13 item 16: ``=1+cmd|' /C calc'!A0`` (a digit after ``=``) and tag
cells were written as they were, and the export file was not private.
"""

from __future__ import annotations

import csv
import stat

from hypothesis import given
from hypothesis import strategies as st

from sendkit_tui.api import SendKitClient
from sendkit_tui.bulk.export import export_leads

# OWASP "CSV Injection": cells must not start with these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PAYLOAD = "=1+cmd|' /C calc'!A0"
HOSTILE = {
    "email": "formula@inject.example",
    "firstName": PAYLOAD,
    "lastName": "+SUM(1,2)",
    "companyName": "-2+3+cmd|' /C calc'!A0",
    "jobTitle": "@SUM(1)",
    "city": "\t=1+1",
    "state": "\r=1+1",
    "country": "'=already quoted",
    "tags": ["=1+2", "@evil", "fine"],
}


async def export_to(sandbox, path, **filters):
    async with SendKitClient(sandbox.api_key, base_url=sandbox.url) as client:
        return await export_leads(client, path, **filters)


async def test_every_exported_cell_is_safe_and_the_file_is_private(sandbox, tmp_path):
    sandbox.add_leads([HOSTILE, {"email": "plain@inject.example", "tags": ["-minus-first"]}])
    out = tmp_path / "export.csv"
    assert await export_to(sandbox, out, search="inject.example") == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    for row in table:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), f"unsafe cell {cell!r}"
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    (hostile,) = [r for r in rows if r["email"] == "formula@inject.example"]
    assert hostile["firstName"] == "'" + PAYLOAD
    assert hostile["city"] == "'\t=1+1" and hostile["state"] == "'\r=1+1"
    assert hostile["country"] == "''=already quoted"
    assert hostile["tags"].startswith("'=1+2")
    (plain,) = [r for r in rows if r["email"] == "plain@inject.example"]
    assert plain["tags"] == "'-minus-first"


def test_the_rule_on_its_own():
    from sendkit_tui.bulk.cells import FORMULA_STARTS as RULE_STARTS
    from sendkit_tui.bulk.cells import protect, unprotect

    assert set(RULE_STARTS) == set(FORMULA_STARTS)
    assert protect(PAYLOAD) == "'" + PAYLOAD
    for start in FORMULA_STARTS:
        assert protect(start + "x") == "'" + start + "x"
    assert protect("'=x") == "''=x"  # so the inverse stays exact
    assert protect("Acme") == "Acme" and protect("it's") == "it's" and protect("") == ""
    assert protect("1+1") == "1+1"
    # Import strips the quote only from cells protect produced.
    assert unprotect("'" + PAYLOAD) == PAYLOAD
    assert unprotect("''=x") == "'=x"
    for cell in ("'hello", "'", "'1+1", "it's", "=raw", ""):
        assert unprotect(cell) == cell


@given(st.text())
def test_protect_is_safe_and_unprotect_inverts_it(text):
    from sendkit_tui.bulk.cells import protect, unprotect

    cell = protect(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert unprotect(cell) == text


def test_import_reads_protected_cells_back():
    from sendkit_tui.bulk import csv_read
    from sendkit_tui.bulk import mapping as bulk_mapping
    from sendkit_tui.bulk import rows as bulk_rows
    from sendkit_tui.bulk.cells import protect

    headers = ["email", "firstName", "country", "jobTitle"]
    data = csv_read.CsvData(
        headers=headers,
        rows=[["a@x.io", protect(PAYLOAD), protect("'=already"), "'not a formula"]],
        delimiter=",",
        encoding_note="UTF-8",
        line_nos=[2],
    )
    (row,) = bulk_rows.build_rows(data, bulk_mapping.guess_mapping(headers))
    assert row.lead["firstName"] == PAYLOAD
    assert row.lead["country"] == "'=already"
    assert row.lead["jobTitle"] == "'not a formula"  # a quote the export did not add stays

"""LeadRow / RowPage: list pages read without pydantic, and the full Lead on demand."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sendkit_tui.api import LeadRow, SendKitClient
from sendkit_tui.api.models import Lead


def test_a_row_keeps_the_item_and_the_columns_it_shows():
    raw = {
        "_id": "665d",
        "email": "ann@acme.io",
        "firstName": "Ann",
        "lastName": "Lee",
        "companyName": "Acme",
        "jobTitle": "CTO",
        "tags": ["vip", "q4"],
        "createdAt": "2026-11-20T10:00:00Z",
        "updatedAt": "2026-11-21T10:00:00Z",
        "customFields": {"seats": 5},
        "somethingNew": True,
    }
    row = LeadRow.from_item(raw)
    assert (row.id, row.email, row.name, row.company, row.title) == (
        "665d",
        "ann@acme.io",
        "Ann Lee",
        "Acme",
        "CTO",
    )
    assert (row.tags, row.created, row.updated_at) == ("vip, q4", "2026-11-20", raw["updatedAt"])
    lead = row.to_lead()
    assert isinstance(lead, Lead) and lead.custom_fields == {"seats": 5}
    assert lead.model_extra == {"somethingNew": True}


def test_odd_values_show_as_text_or_nothing():
    row = LeadRow.from_item({"_id": 7, "email": "x@y.io", "firstName": 12, "tags": "vip"})
    assert (row.id, row.name, row.tags, row.company) == ("7", "12", "", "")


@pytest.mark.parametrize(
    "item", [[], "x", {"email": "x@y.io"}, {"_id": "1"}, {"_id": "", "email": "a@b.io"}]
)
def test_an_item_without_id_or_email_is_refused(item):
    with pytest.raises(ValueError):
        LeadRow.from_item(item)


def test_a_saved_lead_becomes_the_same_row():
    lead = Lead.model_validate({"_id": "1", "email": "a@b.io", "firstName": "A", "tags": ["t"]})
    row = LeadRow.from_lead(lead)
    assert (row.id, row.name, row.tags) == ("1", "A", "t")
    assert row.to_lead() == lead


async def test_list_lead_rows_reads_the_same_page_as_list_leads(sandbox):
    async with SendKitClient(sandbox.api_key, base_url=sandbox.url) as client:
        rows = await client.list_lead_rows(limit=10)
        page = await client.list_leads(limit=10)
    assert [r.id for r in rows.rows] == [lead.id for lead in page.items]
    assert (rows.total, rows.has_more, rows.next_cursor) == (
        page.total,
        page.has_more,
        page.next_cursor,
    )


def test_the_api_package_loads_without_pydantic_or_httpx_cli():
    code = (
        "import sys, sendkit_tui.api\n"
        "print(sorted(m for m in ('pydantic', 'click', 'pygments') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

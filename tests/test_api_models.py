"""Models of sendkit_tui.api: aliases, extras, request/response shapes, both pagination forms."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sendkit_tui.api import Account, BulkResult, Lead, LeadInput, Page, Workspace

FULL_LEAD = {
    "_id": "665d4e5f6a7b8c9d0e1f2a3b",
    "email": "jane@acme.com",
    "firstName": "Jane",
    "lastName": "Doe",
    "companyName": "Acme",
    "jobTitle": "CTO",
    "phoneNumber": "+1 555 0100",
    "linkedinUrl": "https://www.linkedin.com/in/jane",
    "city": "Austin",
    "state": "TX",
    "country": "US",
    "tags": ["vip"],
    "customFields": {"plan": "pro"},
    "emailVerified": False,
    "emailVerificationResult": None,
    "userId": "u1",
    "workspaceId": "w1",
    "createdAt": "2025-06-10T10:30:00.000Z",
    "updatedAt": "2025-06-10T10:30:00.000Z",
}
LIST_ROW = {
    "_id": "665d4e5f6a7b8c9d0e1f2a3c",
    "email": "bob@acme.com",
    "firstName": "Bob",
    "lastName": None,
    "companyName": "Acme",
    "jobTitle": "CEO",
    "tags": [],
    "emailVerified": True,
    "emailVerificationResult": "deliverable",
    "segProtected": True,
    "segProvider": "proofpoint",
    "city": None,
    "state": None,
    "country": "US",
    "createdAt": "2025-06-10T10:30:00.000Z",
}


def test_lead_reads_camel_case_and_exposes_snake_case():
    lead = Lead.model_validate(FULL_LEAD)
    assert lead.id == FULL_LEAD["_id"]
    assert lead.first_name == "Jane"
    assert lead.phone_number == "+1 555 0100"
    assert lead.custom_fields == {"plan": "pro"}
    assert lead.email_verified is False
    assert lead.created_at == "2025-06-10T10:30:00.000Z"


def test_lead_can_be_built_by_attribute_name():
    lead = Lead(id="abc", email="a@b.co", first_name="A")
    assert lead.id == "abc" and lead.first_name == "A"


def test_unknown_fields_are_kept_and_dumped_back():
    lead = Lead.model_validate(LIST_ROW)
    dumped = lead.model_dump(by_alias=True)
    assert dumped["segProtected"] is True
    assert dumped["segProvider"] == "proofpoint"
    assert dumped["_id"] == LIST_ROW["_id"]
    assert dumped["emailVerificationResult"] == "deliverable"


def test_only_id_and_email_are_required():
    Lead.model_validate({"_id": "x", "email": "a@b.co"})
    with pytest.raises(ValidationError):
        Lead.model_validate({"_id": "x"})
    with pytest.raises(ValidationError):
        Lead.model_validate({"email": "a@b.co"})


def test_null_tags_and_custom_fields_and_odd_custom_values_are_tolerated():
    lead = Lead.model_validate({"_id": "x", "email": "a@b.co", "tags": None, "customFields": None})
    assert lead.tags is None and lead.custom_fields is None
    odd = {"n": 5, "f": 1.5, "b": True, "none": None, "obj": {"a": 1}, "s": "text"}
    lead = Lead.model_validate({"_id": "x", "email": "a@b.co", "customFields": odd})
    assert lead.custom_fields == odd  # kept as given


def test_numbers_where_text_is_expected_become_text():
    lead = Lead.model_validate({"_id": 12, "email": "a@b.co", "phoneNumber": 5550100})
    assert lead.id == "12" and lead.phone_number == "5550100"


def test_known_fields_of_a_full_copy():
    lead = Lead.model_validate(FULL_LEAD)
    assert lead.known_fields() == {
        "email",
        "firstName",
        "lastName",
        "companyName",
        "jobTitle",
        "phone",
        "linkedinUrl",
        "city",
        "state",
        "country",
        "tags",
        "customFields",
    }


def test_known_fields_of_a_list_row_leave_out_what_it_did_not_carry():
    known = Lead.model_validate(LIST_ROW).known_fields()
    assert "customFields" not in known
    assert "phone" not in known
    assert "linkedinUrl" not in known
    assert {"email", "firstName", "lastName", "city", "tags"} <= known


def test_to_request_dict_is_the_request_shape_restricted_to_known_fields():
    lead = Lead.model_validate(LIST_ROW)
    assert lead.to_request_dict() == {
        "email": "bob@acme.com",
        "firstName": "Bob",
        "lastName": None,
        "companyName": "Acme",
        "jobTitle": "CEO",
        "tags": [],
        "city": None,
        "state": None,
        "country": "US",
    }


def test_to_request_dict_maps_phone_number_to_phone_and_stringifies_custom_values():
    data = dict(FULL_LEAD, customFields={"n": 5, "b": False, "none": None, "s": "x", "l": [1]})
    body = Lead.model_validate(data).to_request_dict()
    assert body["phone"] == "+1 555 0100"
    assert "phoneNumber" not in body
    assert body["customFields"] == {"n": "5", "b": "false", "none": "", "s": "x", "l": "[1]"}
    assert set(body) <= {
        "email",
        "firstName",
        "lastName",
        "companyName",
        "jobTitle",
        "phone",
        "linkedinUrl",
        "city",
        "state",
        "country",
        "tags",
        "customFields",
    }


def test_to_request_dict_returns_copies():
    lead = Lead.model_validate(FULL_LEAD)
    body = lead.to_request_dict()
    body["tags"].append("changed")
    body["customFields"]["plan"] = "changed"
    assert lead.tags == ["vip"] and lead.custom_fields == {"plan": "pro"}


def test_lead_input_body_uses_request_names_and_drops_none():
    lead = LeadInput(email="a@b.co", first_name="A", phone="+1 555", custom_fields={"k": "v"})
    assert lead.to_body() == {
        "email": "a@b.co",
        "firstName": "A",
        "phone": "+1 555",
        "customFields": {"k": "v"},
    }


def test_lead_input_from_request_dict_round_trips():
    data = {
        "email": "a@b.co",
        "firstName": "A",
        "lastName": "B",
        "companyName": "C",
        "jobTitle": "D",
        "phone": "1",
        "linkedinUrl": "https://x.io/in/a",
        "city": "E",
        "state": "F",
        "country": "G",
        "tags": ["t"],
        "customFields": {"k": "v"},
    }
    assert LeadInput.from_request_dict(data).to_body() == data


def test_lead_input_refuses_response_only_names():
    with pytest.raises(ValidationError):
        LeadInput.from_request_dict({"email": "a@b.co", "phoneNumber": "1"})
    with pytest.raises(ValidationError):
        LeadInput.from_request_dict({"firstName": "no email"})


def test_workspace_and_account():
    ws = Workspace.model_validate(
        {
            "id": "665a1b2c3d4e5f6a7b8c9d0e",
            "name": "My Sales Team",
            "ownerId": "664f",
            "memberCount": 3,
            "usage": {"totalLeads": 2500},
            "createdAt": "2025-06-01T10:30:00.000Z",
            "plan": "extra kept",
        }
    )
    assert ws.owner_id == "664f" and ws.member_count == 3 and ws.usage == {"totalLeads": 2500}
    assert ws.model_dump(by_alias=True)["plan"] == "extra kept"
    assert Workspace.model_validate({"id": "w", "name": "n"}).usage is None
    account = Account.model_validate(
        {
            "id": "u1",
            "name": "John Doe",
            "email": "user@example.com",
            "image": "x.png",
            "tier": "starter",
            "workspaces": [{"workspaceId": "w1", "role": "owner", "joinedAt": "2024-12-25"}],
        }
    )
    assert account.workspaces[0].workspace_id == "w1"
    assert account.workspaces[0].role == "owner"
    assert account.tier == "starter"


def test_page_from_the_newer_cursor_form():
    page = Page.from_parts([], {"limit": 25, "total": 2, "hasMore": True, "nextCursor": "abc"})
    assert (page.has_more, page.next_cursor, page.total, page.limit) == (True, "abc", 2, 25)
    assert page.page is None and page.pages is None


def test_page_from_the_older_page_form():
    page = Page.from_parts([], {"page": 1, "limit": 25, "total": 60, "pages": 3})
    assert page.has_more is True and page.next_cursor is None
    last = Page.from_parts([], {"page": 3, "limit": 25, "total": 60, "pages": 3})
    assert last.has_more is False


def test_page_has_more_false_wins_over_a_cursor():
    page = Page.from_parts([], {"hasMore": False, "nextCursor": "665d"})
    assert page.has_more is False


def test_page_without_pagination_has_no_more():
    assert Page.from_parts([], None).has_more is False


@pytest.mark.parametrize(
    "pagination",
    [{"hasMore": "yes"}, {"page": "1", "pages": 2}, {"total": 1.5}, {"nextCursor": ["x"]}],
)
def test_page_rejects_wrongly_typed_pagination(pagination):
    with pytest.raises(ValueError):
        Page.from_parts([], pagination)


def test_bulk_result():
    result = BulkResult.model_validate(
        {
            "imported": 180,
            "updated": 0,
            "skipped": 15,
            "failed": 5,
            "importedLeadIds": ["a", "b"],
            "errors": [{"email": "not-an-email", "error": "Invalid email format"}],
        }
    )
    assert result.imported == 180 and result.failed == 5
    assert result.imported_lead_ids == ["a", "b"]
    assert result.errors[0]["error"] == "Invalid email format"
    assert BulkResult.model_validate({}).imported_lead_ids == []

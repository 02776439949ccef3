"""Two people edit one lead: tags merge, clashing fields are named, nothing is dropped silently.

The "other instance" is a plain HTTP PATCH to the same sandbox while the edit screen is open.
"""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendkit_tui.domain.merge import clashes, merge_tags, rebase_patch
from sendkit_tui.ui.dialogs.confirm import ConfirmScreen
from tests.typing_support import burst
from tests.ui_support import open_app, requests_to, settle
from tests.ui_support import open_lead_by_keys as open_lead

BASE = {
    "email": "two@people.io",
    "firstName": "Old",
    "jobTitle": "Engineer",
    "tags": ["alpha", "beta"],
    "customFields": {"plan": "free"},
}

TAGS = st.lists(
    st.sampled_from(["a", "b", "c", "d", "e", "F", "f"]), unique_by=str.casefold, max_size=5
)


@settings(derandomize=True, max_examples=200)
@given(TAGS, TAGS, TAGS)
def test_merge_keeps_their_additions_and_applies_ours(base, ours, theirs):
    merged = merge_tags(base, ours, theirs)
    fold = str.casefold
    removed = {fold(t) for t in base} - {fold(t) for t in ours}
    added = {fold(t) for t in ours} - {fold(t) for t in base}
    kept = {fold(t) for t in theirs} - removed
    assert {fold(t) for t in merged} == kept | added
    assert len({fold(t) for t in merged}) == len(merged)  # no duplicates by case


def test_clashes_only_where_both_sides_changed_a_field_differently():
    base = {"jobTitle": "Engineer", "city": "Oslo", "customFields": {"plan": "free"}}
    theirs = {"jobTitle": "CTO", "city": "Oslo", "customFields": {"plan": "pro"}}
    patch = {"jobTitle": "VP", "city": "Bergen", "customFields": {"plan": "pro"}}
    assert [(c.field, c.theirs, c.mine) for c in clashes(base, patch, theirs)] == [
        ("jobTitle", "CTO", "VP")
    ]
    assert rebase_patch(base, patch, theirs, keep_theirs=True) == {
        "city": "Bergen",
        "customFields": {"plan": "pro"},
    }


def test_a_field_the_fresh_copy_does_not_carry_is_not_a_clash():
    base = {"jobTitle": "Engineer", "customFields": {"plan": "free"}}
    theirs = {"jobTitle": "Engineer"}  # a list row: no custom fields
    assert clashes(base, {"customFields": {"plan": "pro"}}, theirs) == []


def other_instance(sandbox, lead_id: str, body: dict) -> None:
    response = httpx.patch(
        f"{sandbox.url}/v1/leads/{lead_id}", json=body, headers={"X-Api-Key": sandbox.api_key}
    )
    response.raise_for_status()


@pytest.mark.parametrize("docs_only", [False, True], ids=["full-api", "docs-only"])
async def test_a_tag_someone_added_meanwhile_is_kept(sandbox, tmp_path, docs_only):
    sandbox.set_docs_only(docs_only)
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        other_instance(sandbox, lead_id, {"tags": ["alpha", "beta", "gamma"]})
        screen.form.tags.add("vip")
        screen.model.remove_tag("beta")
        burst(app, "ctrl+s")
        await settle(pilot)
        assert sandbox.get_lead(lead_id)["tags"] == ["alpha", "gamma", "vip"]
        assert not isinstance(app.screen, ConfirmScreen)  # tags merge: nothing to ask


async def test_a_field_both_changed_is_named_with_both_values_and_theirs_can_win(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        other_instance(sandbox, lead_id, {"jobTitle": "CTO"})
        screen.form.box("jobTitle").value = "VP"
        screen.form.box("city").value = "Bergen"
        sandbox.clear_requests()
        burst(app, "ctrl+s")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "Job title: theirs 'CTO', yours 'VP'" in question.question
        burst(app, "escape")  # keep theirs
        await settle(pilot)
        assert [r.body for r in requests_to(sandbox, "PATCH")] == [{"city": "Bergen"}]
        stored = sandbox.get_lead(lead_id)
        assert (stored["jobTitle"], stored["city"]) == ("CTO", "Bergen")
        assert screen.form.box("jobTitle").value == "CTO"

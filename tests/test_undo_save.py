"""Undoing a save: the inverse PATCH restores every field the save touched.

Property tests run the undo (``make_entry`` → ``fit_undo``) against a model of the server,
in the default reading and in the ``empty-deletes`` dialect. Pilot tests drive the real app
against the real sandbox, keys typed in bursts.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendkit_tui.domain.adapt import CUSTOM_FIELD_DELETE, adapt_patch
from sendkit_tui.domain.patch import apply_patch, build_patch
from sendkit_tui.sandbox.dialects import EMPTY_DELETES, patch_in_dialect
from sendkit_tui.storage.history import HistoryStore, fit_undo, make_entry, touched
from sendkit_tui.storage.server_traits import TraitsStore
from sendkit_tui.ui.dialogs.confirm import ConfirmScreen
from sendkit_tui.ui.dialogs.history import UndoReviewScreen
from tests.typing_support import burst
from tests.ui_support import open_app, requests_to, settle
from tests.ui_support import open_lead_by_keys as open_lead

# -- property: undo restores every touched field ---------------------------------------------

TEXT = st.one_of(st.none(), st.just(""), st.sampled_from(["Ann", "Bob", "x y", "ünï"]))
TAGS = st.lists(st.sampled_from(["a", "b", "c", "D", "d", "vip"]), unique_by=str.casefold)
FIELDS = st.dictionaries(
    st.sampled_from(["plan", "seats", "old", "new", "Budget"]),
    st.sampled_from(["free", "pro", "3", "v1", " spaced "]),
    max_size=4,
)
LEADS = st.fixed_dictionaries(
    {"firstName": TEXT, "jobTitle": TEXT, "city": TEXT, "tags": TAGS, "customFields": FIELDS}
)


def server_reading(dialect: str | None):
    """How a PATCH lands: the default merge rules, or the sandbox's dialect of them."""
    if dialect is None:
        return apply_patch
    adapted = {CUSTOM_FIELD_DELETE: "empty_string"}  # what the app learns on that server

    def land(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
        wire = adapt_patch(patch, adapted, current)
        return patch_in_dialect(frozenset({dialect}), current, wire, apply_patch)

    return land


# Left out on purpose: null-ignored and null-stored cannot delete a custom field at all, and
# tags-merge cannot remove a tag, so an undo that must take back a field or tag the save
# added cannot restore it there; the save's verification says so next to the field instead
# (tests/test_verify.py, tests/test_honest_saves.py). phone-number-only is a key rename that
# adapt_patch covers the same way for a save and its undo.
@pytest.mark.parametrize("dialect", [None, EMPTY_DELETES], ids=["default", "empty-deletes"])
@settings(derandomize=True, max_examples=300, deadline=None)
@given(before=LEADS, after=LEADS)
def test_undo_restores_every_field_the_save_touched(dialect, before, after):
    land = server_reading(dialect)
    patch = build_patch(before, after)
    saved = land(before, patch)
    entry = make_entry("edit", patch, before, saved)
    if entry is None:
        assert touched(saved, patch) == touched(before, patch)
        return
    undo, found = fit_undo(entry, saved)
    assert found == []  # nobody changed the lead since: nothing to ask
    assert undo == entry.undo_patch() == build_patch(entry.after, entry.before)
    restored = land(saved, undo)
    assert touched(restored, patch) == touched(before, patch)
    # Fields the save did not touch are left as they were.
    for key in set(before) - set(patch):
        assert restored.get(key) == before.get(key)
    if "customFields" not in patch:
        assert restored.get("customFields", {}) == before["customFields"]


@settings(derandomize=True, max_examples=200, deadline=None)
@given(before=LEADS, after=LEADS, theirs=LEADS)
def test_a_field_changed_since_the_save_is_a_clash_unless_it_already_holds_the_old_value(
    before, after, theirs
):
    patch = build_patch(before, after)
    saved = apply_patch(before, patch)
    entry = make_entry("edit", patch, before, saved)
    if entry is None:
        return
    now = apply_patch(saved, build_patch(saved, theirs))  # someone else's edit since
    undo, found = fit_undo(entry, now)
    for clash in found:
        key = clash.field.split(".", 1)[-1]
        held = (now.get("customFields") or {}) if "." in clash.field else now
        assert held.get(key) == clash.theirs
    kept, none = fit_undo(entry, now, keep_theirs=True)
    assert none == []
    # Keeping theirs: no clashing field is sent; every other touched field is restored.
    restored = apply_patch(now, kept)
    names = {c.field for c in found}
    for key in set(patch) - {"tags", "customFields"} - names:
        assert (restored.get(key) or None) == (before.get(key) or None)
    for name in patch.get("customFields") or {}:
        if f"customFields.{name}" not in names:
            assert restored["customFields"].get(name) == before["customFields"].get(name)


def test_a_rename_is_undone_as_both_keys():
    before = {"customFields": {"old": "v1", "plan": "free"}}
    after = {"customFields": {"new": "v1", "plan": "free"}}
    patch = build_patch(before, after)
    assert patch == {"customFields": {"new": "v1", "old": None}}
    entry = make_entry("edit", patch, before, apply_patch(before, patch))
    assert entry is not None
    assert entry.undo_patch() == {"customFields": {"old": "v1", "new": None}}


# -- pilot: the real app against the real sandbox -------------------------------------------

BASE = {
    "email": "undo@example.io",
    "firstName": "Ann",
    "jobTitle": "Engineer",
    "tags": ["alpha", "beta", "gamma"],
    "customFields": {"plan": "free", "seats": "3"},
}


def other_instance(sandbox, lead_id: str, body: dict[str, Any]) -> None:
    response = httpx.patch(
        f"{sandbox.url}/v1/leads/{lead_id}", json=body, headers={"X-Api-Key": sandbox.api_key}
    )
    response.raise_for_status()


def status_text(screen) -> str:
    return str(screen.status.render())


async def edit_and_save(app, pilot, screen) -> None:
    """Tags: +vip, -beta; the custom field 'seats' renamed 'users'; then ctrl+s."""
    burst(app, "ctrl+t", "=vip", "enter")
    await settle(pilot)
    screen.set_focus(screen.query_one("#tag-chips"))
    burst(app, "right", "delete")  # beta
    await settle(pilot)
    screen.set_focus(screen.form.grid.table)
    burst(app, "down", "enter", "shift+tab", "ctrl+u", "=users", "enter", "ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize(
    "sandbox", [(), (EMPTY_DELETES,)], ids=["default", EMPTY_DELETES], indirect=True
)
async def test_undo_after_a_tag_edit_and_a_rename_restores_both_keys(sandbox, tmp_path):
    if EMPTY_DELETES in sandbox.dialects:  # as learnt by doctor --write-probe or a save
        TraitsStore().update(sandbox.url, None, source="save", custom_field_delete="empty_string")
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        await edit_and_save(app, pilot, screen)
        stored = sandbox.get_lead(lead_id)
        assert stored["customFields"] == {"plan": "free", "users": "3"}
        assert stored["tags"] == ["alpha", "gamma", "vip"]
        sandbox.clear_requests()
        burst(app, "ctrl+z")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, UndoReviewScreen)
        heading = str(review.query_one("#undo-heading").render())
        assert heading.startswith("Undo the save of ")
        assert heading.endswith(": Tags, custom field 'seats' renamed 'users'")
        assert review.patch == {
            "tags": ["alpha", "beta", "gamma"],
            "customFields": {"seats": "3", "users": None},
        }
        burst(app, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        stored = sandbox.get_lead(lead_id)
        assert stored["customFields"] == {"plan": "free", "seats": "3"}  # both keys back
        assert stored["tags"] == ["alpha", "beta", "gamma"]
        assert len(requests_to(sandbox, "PATCH")) == 1
        assert screen.model.custom_fields() == {"plan": "free", "seats": "3"}
        assert screen.model.patch() == {}  # the form shows the lead as it is now
        assert "Undone" in status_text(screen)
        sources = [e.source for e in HistoryStore().load(sandbox.url, None, lead_id)]
        assert sources == ["edit", "undo"]


async def test_ctrl_z_in_one_burst_with_the_confirmation(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("firstName").value = "Zed"
        burst(app, "ctrl+s")
        await settle(pilot)
        assert sandbox.get_lead(lead_id)["firstName"] == "Zed"
        burst(app, "ctrl+z", "ctrl+s", "tab", "=Smith")  # undo, confirm, type on
        await settle(pilot)
        assert sandbox.get_lead(lead_id)["firstName"] == "Ann"
        assert screen.form.box("firstName").value == "Ann"
        assert screen.form.box("lastName").value == "Smith"  # typed during the undo: kept
        assert screen.model.patch() == {"lastName": "Smith"}


async def test_a_field_someone_changed_since_the_save_is_named_and_theirs_can_stay(
    sandbox, tmp_path
):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("firstName").value = "Zed"
        screen.form.box("jobTitle").value = "CTO"
        burst(app, "ctrl+s")
        await settle(pilot)
        assert sandbox.get_lead(lead_id)["jobTitle"] == "CTO"
        other_instance(sandbox, lead_id, {"jobTitle": "VP", "tags": ["alpha", "new"]})
        sandbox.clear_requests()
        burst(app, "ctrl+z", "ctrl+s")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "Job title is now 'VP' (the undo sets 'Engineer')" in question.question
        assert "First name" not in question.question
        burst(app, "escape")  # keep theirs
        await settle(pilot)
        assert [r.body for r in requests_to(sandbox, "PATCH")] == [{"firstName": "Ann"}]
        stored = sandbox.get_lead(lead_id)
        assert (stored["firstName"], stored["jobTitle"]) == ("Ann", "VP")
        assert stored["tags"] == ["alpha", "new"]
        assert screen.form.box("jobTitle").value == "VP"


async def test_undo_anyway_overwrites_their_change(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("jobTitle").value = "CTO"
        burst(app, "ctrl+s")
        await settle(pilot)
        other_instance(sandbox, lead_id, {"jobTitle": "VP"})
        burst(app, "ctrl+z", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        burst(app, "y")
        await settle(pilot)
        assert sandbox.get_lead(lead_id)["jobTitle"] == "Engineer"


async def test_the_history_file_offers_a_save_from_an_earlier_run(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("city").value = "Oslo"
        burst(app, "ctrl+s")
        await settle(pilot)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        burst(app, "ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, UndoReviewScreen)
        assert app.screen.patch == {"city": None}
        burst(app, "ctrl+s")
        await settle(pilot)
        assert sandbox.get_lead(lead_id)["city"] in (None, "")


async def test_unsaved_changes_are_undone_first_and_block_undoing_the_save(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("city").value = "Oslo"
        burst(app, "ctrl+s")
        await settle(pilot)
        burst(app, "ctrl+t", "=hot", "enter", "ctrl+z")  # the unsaved tag goes first
        await settle(pilot)
        assert screen.model.tags() == ["alpha", "beta", "gamma"]
        assert not isinstance(app.screen, UndoReviewScreen)
        screen.form.box("jobTitle").value = "Typed"
        burst(app, "ctrl+z")
        await settle(pilot)
        assert not isinstance(app.screen, UndoReviewScreen)
        assert "first save (ctrl+s) or discard" in status_text(screen)


async def test_undo_in_docs_only_mode(sandbox, tmp_path):
    sandbox.set_docs_only(True)
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        burst(app, "ctrl+t", "=vip", "enter", "ctrl+g", "=budget", "enter", "=9k", "enter")
        screen.form.box("jobTitle").value = "CTO"
        burst(app, "ctrl+s")
        await settle(pilot)
        stored = sandbox.get_lead(lead_id)
        assert stored["customFields"]["budget"] == "9k" and "vip" in stored["tags"]
        burst(app, "ctrl+z", "ctrl+s")
        await settle(pilot)
        stored = sandbox.get_lead(lead_id)
        assert stored["jobTitle"] == "Engineer"
        assert stored["tags"] == ["alpha", "beta", "gamma"]
        assert stored["customFields"] == {"plan": "free", "seats": "3"}


async def test_the_palette_command_undoes_the_last_save(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("city").value = "Oslo"
        burst(app, "ctrl+s")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Undo last save" in titles and "Lead history" in titles
        await screen.action_undo_save()
        assert isinstance(app.screen, UndoReviewScreen)


async def test_a_save_someone_already_reverted_sends_nothing_and_counts_as_undone(
    sandbox, tmp_path
):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("city").value = "Oslo"
        burst(app, "ctrl+s")
        await settle(pilot)
        other_instance(sandbox, lead_id, {"city": None})
        sandbox.clear_requests()
        burst(app, "ctrl+z", "ctrl+s")
        await settle(pilot)
        assert requests_to(sandbox, "PATCH") == []
        assert "already holds those values" in status_text(screen)
        assert [e.source for e in HistoryStore().load(sandbox.url, None, lead_id)] == [
            "edit",
            "undo",
        ]
        burst(app, "ctrl+z")
        await settle(pilot)
        assert status_text(screen).startswith("Nothing to undo.")


async def test_an_undo_that_fails_says_so_and_ctrl_z_tries_again(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("city").value = "Oslo"
        burst(app, "ctrl+s")
        await settle(pilot)
        sandbox.inject("status", method="PATCH", path="/v1/leads", status=400)
        burst(app, "ctrl+z", "ctrl+s")
        await settle(pilot)
        assert "The undo was not sent" in str(screen.banner.render())
        assert sandbox.get_lead(lead_id)["city"] == "Oslo"
        burst(app, "ctrl+z", "ctrl+s")
        await settle(pilot)
        assert sandbox.get_lead(lead_id)["city"] in (None, "")

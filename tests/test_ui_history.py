"""f2 on the edit form: the lead's history, newest first, each change old → new."""

from __future__ import annotations

from textual.widgets import Static

from sendkit_tui.storage.history import HistoryStore
from sendkit_tui.ui.dialogs.history import HistoryScreen
from sendkit_tui.ui.screens.edit_lead import EditLeadScreen
from tests.typing_support import burst
from tests.ui_support import open_app, settle
from tests.ui_support import open_lead_by_keys as open_lead

BASE = {
    "email": "history@example.io",
    "firstName": "Ann",
    "jobTitle": "Engineer",
    "tags": ["alpha"],
    "customFields": {"plan": "free"},
}


def entry_texts(dialog: HistoryScreen) -> list[str]:
    """Per entry, newest first: its heading line, then one line per change."""
    when = [str(s.render()) for s in dialog.query(".history-when").results(Static)]
    changes = [str(s.render()) for s in dialog.query(".history-changes").results(Static)]
    return [f"{w}\n{c}" for w, c in zip(when, changes, strict=True)]


async def test_the_dialog_after_two_saves_newest_first_old_to_new(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("city").value = "Oslo"
        burst(app, "ctrl+s")
        await settle(pilot)
        screen.form.box("jobTitle").value = "CTO"
        burst(app, "ctrl+t", "=vip", "enter", "ctrl+s")
        await settle(pilot)
        burst(app, "f2")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HistoryScreen)
        newest, oldest = entry_texts(dialog)
        assert newest.splitlines()[1:] == ["Job title: 'Engineer' → 'CTO'", "Tags: +vip"]
        assert newest.splitlines()[0].endswith("· edit form")
        assert oldest.splitlines()[1:] == ["City: (none) → 'Oslo'"]
        stamps = [text.split(" · ")[0] for text in (newest, oldest)]
        assert stamps == sorted(stamps, reverse=True)


async def test_keys_typed_around_f2_land_in_the_form(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        burst(app, "end", "=ab", "f2", "escape", "=cd", "f2")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)  # the second f2 opened it again
        burst(app, "f2", "=e")  # f2 closes it too
        await settle(pilot)
        assert app.screen is screen
        assert screen.form.box("firstName").value == "Annabcde"


async def test_an_empty_history_and_the_create_entry(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await open_lead(app, pilot, lead_id)
        burst(app, "f2")
        await settle(pilot)
        assert "No saves of this lead are recorded here yet." in str(
            app.screen.query_one("#history-list Static").render()
        )
        burst(app, "escape", "escape")  # the dialog, then the form
        await settle(pilot)
        burst(app, "n", "=new@lead.io", "tab", "=Neo", "ctrl+s")
        await settle(pilot)
        (created,) = sandbox.find_leads("new@lead.io")
        (entry,) = HistoryStore().load(sandbox.url, None, created["_id"])
        assert entry.source == "create"
        assert {c.field: c.after for c in entry.changes()} == {
            "email": "new@lead.io",
            "firstName": "Neo",
        }


async def test_values_are_shown_as_data_not_markup(sandbox, tmp_path):
    (lead_id,) = sandbox.add_leads([BASE])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_lead(app, pilot, lead_id)
        screen.form.box("jobTitle").value = "[bold red]boss[/]"
        burst(app, "ctrl+s")
        await settle(pilot)
        assert isinstance(screen, EditLeadScreen)
        burst(app, "f2")
        await settle(pilot)
        (text,) = entry_texts(app.screen)
        assert "'[bold red]boss[/]'" in text


def test_a_rename_reads_as_one_line_and_other_changes_as_old_to_new():
    from sendkit_tui.domain.patch import apply_patch, build_patch
    from sendkit_tui.storage.history import make_entry
    from sendkit_tui.ui.dialogs.history import lines_and_labels, summary

    before = {"city": "Oslo", "tags": ["a", "b"], "customFields": {"seats": "3", "x": "1"}}
    after = {"city": "", "tags": ["a", "vip"], "customFields": {"users": "3", "x": "2"}}
    patch = build_patch(before, after)
    entry = make_entry("edit", patch, before, apply_patch(before, patch))
    lines, _ = lines_and_labels(entry)
    assert lines == [
        "City: 'Oslo' → (none)",
        "Tags: +vip -b",
        "Custom field 'seats' renamed 'users' ('3')",
        "Custom field 'x': '1' → '2'",
    ]
    short = summary(entry)
    assert short.startswith("City, Tags, custom field 'seats' renamed 'users', custom")
    assert short.endswith("…") and len(short) <= 60

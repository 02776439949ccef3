"""Completion from the workspace in the TUI, against the real sandbox (ui/completion.py).

The background walk is on here (the other tests turn it off) and starts at once.
"""

from __future__ import annotations

import pytest

from sendkit_tui.sandbox import SandboxServer
from sendkit_tui.ui import completion as service
from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from tests.conftest import TEST_WORKSPACE_KEY
from tests.typing_support import burst
from tests.ui_support import open_app, requests_to, settle

KNOWN = [
    {
        "email": f"known{n}@zephyr.example",
        "companyName": "Zephyr Dynamics",
        "jobTitle": "Quartermaster General",
        "city": "Zanzibar City",
        "tags": ["zeta-partner", "zulu"],
        "customFields": {"zone": "zone-north", "zfield": "zvalue"},
    }
    for n in range(3)
]


@pytest.fixture(autouse=True)
def walk_at_once(monkeypatch):
    monkeypatch.setenv("SENDKIT_WORKSPACE_WALK", "1")
    monkeypatch.setattr(service, "WALK_AFTER", 0.0)
    monkeypatch.setattr(service, "PAUSE", 0.0)


async def walked(app, pilot) -> service.Completion:
    """Wait (bounded, no sleeping) until the walk has read the workspace and stopped."""
    found = service.completion_for(app)
    for _ in range(200):
        await settle(pilot)
        if found.walked_pages and not found.walking:
            return found
    raise AssertionError("the walk never ran")


async def new_lead(app, pilot) -> CreateLeadScreen:
    burst(app, "n")
    await settle(pilot)
    assert isinstance(app.screen, CreateLeadScreen)
    return app.screen


# Company → (tab) title → phone; tags; a custom field: typed with → taking each completion.
KEYS = (
    "=z@z.io", "tab", "tab", "tab", "=Zep", "right", "tab", "=Qu", "right", "tab",
    "tab", "tab", "=Zan", "right", "tab", "tab", "tab",
    "=zeta", "right", "enter", "=ZULU", "right", "enter",
    "ctrl+g", "=zo", "right", "enter", "=zone-n", "right", "enter",
)  # fmt: skip


def typed_form(screen: CreateLeadScreen) -> tuple:
    form = screen.form
    model = form.sync()
    return (
        form.box("companyName").value,
        form.box("jobTitle").value,
        form.box("city").value,
        [tag for _, tag in model.tag_entries()],
        [(key, value) for _, key, value, _ in model.rows()],
    )


WANTED = (
    "Zephyr Dynamics",
    "Quartermaster General",
    "Zanzibar City",
    ["zeta-partner", "zulu"],
    [("zone", "zone-north")],
)


async def test_walk_then_right_arrow_takes_completions_in_a_burst_as_when_slow(sandbox, tmp_path):
    sandbox.add_leads(KNOWN)
    async with open_app(sandbox, tmp_path / "fast") as (app, pilot):
        await walked(app, pilot)
        screen = await new_lead(app, pilot)
        burst(app, *KEYS)
        await settle(pilot)
        fast = typed_form(screen)
    async with open_app(sandbox, tmp_path / "slow") as (app, pilot):
        await walked(app, pilot)
        screen = await new_lead(app, pilot)
        for token in KEYS:  # one key at a time, the app idle in between
            for key in [token] if not token.startswith("=") else token[1:]:
                await pilot.press(key)
        slow = typed_form(screen)
    assert fast == slow == WANTED


async def test_what_completion_offers_and_tab_keeps_what_was_typed(sandbox, tmp_path):
    sandbox.add_leads(KNOWN)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        found = await walked(app, pilot)
        assert found.suggest("tags", "Zeta Partner") == "zeta-partner"  # case and spacing
        assert found.suggest("customFields", "zf") == "zfield"
        assert found.value_for("zfield", "zv") == "zvalue"
        screen = await new_lead(app, pilot)
        burst(app, "tab", "tab", "tab", "=Zep", "tab", "=Quarter")
        await settle(pilot)
        assert screen.form.box("companyName").value == "Zep"  # tab does not take it
        title = screen.form.box("jobTitle").input
        assert title.value == "Quarter"
        assert title.suggester is not None
        assert await title.suggester.get_suggestion("Quarter") == "Quartermaster General"
        # The tag box names the workspace's spelling of a tag typed in another spacing.
        screen.set_focus(screen.form.tags.input)
        burst(app, "=Zeta Partner")
        await settle(pilot)
        assert "zeta-partner" in screen.form.tags.query_one(".tag-hint").render().plain
        burst(app, "right", "enter")
        await settle(pilot)
        assert [tag for _, tag in screen.model.tag_entries()] == ["zeta-partner"]


async def test_no_request_is_sent_per_keystroke(sandbox, tmp_path):
    sandbox.add_leads(KNOWN)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await walked(app, pilot)
        assert requests_to(sandbox, "GET", "/v1/leads")  # the walk read the workspace
        screen = await new_lead(app, pilot)
        sandbox.clear_requests()
        burst(app, *KEYS)
        await settle(pilot)
        assert typed_form(screen) == WANTED
        # At most the one look-up of the email typed (the duplicate check, once typing pauses
        # for 0.35 s: a loaded machine can pause that long mid-burst); nothing per keystroke.
        others = [r for r in sandbox.requests if r.query.get("search") != "z@z.io"]
        assert others == [] and len(sandbox.requests) <= 1


async def test_completion_from_the_cache_with_the_server_stopped(tmp_path):
    server = SandboxServer(api_key=TEST_WORKSPACE_KEY, seed=3).start()
    try:
        server.add_leads(KNOWN)
        async with open_app(server, tmp_path) as (app, pilot):
            await walked(app, pilot)
    finally:
        server.stop()
    async with open_app(server, tmp_path) as (app, pilot):
        screen = await new_lead(app, pilot)
        burst(app, *KEYS)
        await settle(pilot)
        assert typed_form(screen) == WANTED
        assert service.completion_for(app).walked_pages == 0  # nothing could be read


@pytest.mark.parametrize("sandbox", ["docs-only"], indirect=True)
async def test_docs_only_list_and_saved_leads_teach_custom_fields(sandbox, tmp_path):
    sandbox.add_leads(KNOWN)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        found = await walked(app, pilot)
        assert found.suggest("companyName", "zep") == "Zephyr Dynamics"
        assert found.suggest("tags", "zet") == "zeta-partner"
        assert found.suggest("customFields", "zo") is None  # the list does not carry them
        await new_lead(app, pilot)
        burst(app, "=d@docs.io", "ctrl+g", "=budget", "enter", "=40k", "enter", "ctrl+s")
        await settle(pilot)
        assert requests_to(sandbox, "POST")
        assert found.suggest("customFields", "bu") == "budget"  # learnt from the save
        assert found.value_for("budget", "4") == "40k"

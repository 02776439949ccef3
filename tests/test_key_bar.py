"""The key bar: the screen's keys from the first frame, whole keys only, clickable."""

from __future__ import annotations

from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.widgets.key_bar import KeyBar
from tests.ui_support import make_app, open_app, settle


def bar(app) -> KeyBar:
    return app.screen.query_one(KeyBar)


async def test_the_first_frame_already_shows_the_lists_keys(sandbox, tmp_path):
    """Textual's footer filled itself in after the first frame; the bar draws with it."""
    app = make_app(sandbox, tmp_path)
    seen: list[list[str]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        # The very first refresh of the list screen: no pause, no settling.
        await pilot.pause(0)
        seen.append([key.key for key in bar(app).shown])
        await settle(pilot)
    assert "n" in seen[0] and "ctrl+q" in seen[0]


async def test_keys_that_do_not_fit_are_left_out_whole_and_the_palette_stays(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path, size=(50, 20)) as (app, pilot):
        await pilot.press("n")
        await settle(pilot)
        shown = bar(app).shown
        assert shown[-1].key == "ctrl+p" and shown[-1].end <= 50
        assert all(item.end <= 50 for item in shown)
        line = str(bar(app).render())
        for item in shown[:-1]:  # every key drawn whole: its key and its description
            assert item.description in line[item.start : item.end]
        assert len(shown) < len({b.description for b in CreateLeadScreen.BINDINGS if b.show})


async def test_the_bar_follows_focus_and_a_click_presses_the_key(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path) as (app, pilot):
        new = next(item for item in bar(app).shown if item.key == "n")
        await pilot.click(KeyBar, offset=(new.start + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, CreateLeadScreen)
        keys = [item.key for item in bar(app).shown]
        assert "ctrl+s" in keys and "n" not in keys

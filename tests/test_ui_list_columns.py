"""The leads list's columns follow the width and the content; the footer keeps its essentials."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from sendkit_tui.ui.widgets.key_bar import KeyBar
from sendkit_tui.ui.widgets.lead_columns import COLUMNS, fit, layout
from tests.ui_support import open_app

CONTENT = {"email": 38, "name": 17, "company": 22, "title": 25, "tags": 31, "created": 10}


def test_email_gets_what_it_needs_first_and_lower_columns_are_dropped():
    widths = layout(78, CONTENT).widths
    assert list(widths) == ["mark", "email", "name", "company"]
    assert widths["email"] == 38 and widths["name"] == 17  # whole, not squeezed
    assert layout(78, CONTENT).total <= 78


def test_wide_terminal_shows_every_column_whole():
    widths = layout(198, CONTENT).widths
    assert list(widths) == ["mark", *(column.name for column in COLUMNS)]
    assert all(widths[name] >= need for name, need in CONTENT.items())


def test_a_very_long_email_is_capped_until_there_is_room():
    content = {**CONTENT, "email": 90}
    assert layout(100, content).widths["email"] == 40
    assert layout(400, content).widths["email"] == 90


@given(st.integers(0, 300), st.dictionaries(st.sampled_from(list(CONTENT)), st.integers(0, 200)))
def test_columns_fit_the_width_and_are_never_below_their_minimum(width, content):
    shown = layout(width, content)
    names = [column.name for column, _w in shown.columns]
    assert names[:2] == ["mark", "email"]
    assert names[1:] == [column.name for column in COLUMNS][: len(names) - 1]  # a prefix
    if len(names) > 2:
        assert shown.total <= width
    assert all(w >= column.minimum for column, w in shown.columns)


@given(st.text(max_size=60), st.integers(0, 40))
def test_fit_is_exact_and_never_draws_a_lone_ellipsis_in_nothing(text, width):
    cell = fit(text, width)
    assert cell_len(cell) == max(0, width)


def footer_keys(app) -> list[str]:
    return [key.key for key in app.screen.query_one(KeyBar).shown]


async def test_at_80_columns_the_footer_keeps_the_essential_keys(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path, size=(80, 24)) as (app, pilot):
        keys = footer_keys(app)
        essential = ["enter", "n", "slash", "t", "ctrl+q", "question_mark"]
        assert keys[: len(essential)] == essential, keys  # first, so they always fit
        assert keys[-1] == "ctrl+p"  # the palette key keeps its place at the right
        assert not {"x", "i", "b", "p"} <= set(keys)  # not room for everything at 80
        assert max(k.end for k in app.screen.query_one(KeyBar).shown) <= 80
        await pilot.press("question_mark")
        await pilot.pause()
        from sendkit_tui.ui.dialogs.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        ids = {row.binding_id for row in app.screen.rows}
        assert {"leads.export", "leads.refresh", "leads.import", "leads.delete"} <= ids


async def test_a_wide_terminal_shows_every_key_and_the_columns_follow_a_resize(sandbox, tmp_path):
    async with open_app(sandbox, tmp_path, size=(200, 50)) as (app, pilot):
        keys = footer_keys(app)
        assert {"x", "r", "i", "question_mark", "ctrl+q"} <= set(keys)
        assert "created" in app.screen.table.widths
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "created" not in app.screen.table.widths
        assert "x" not in footer_keys(app)

"""Hostile text in every widget that shows lead data: shown literally, never obeyed.

A fixed corpus (markup, ANSI/OSC sequences, bidi overrides, NUL/DEL/C1 controls, very long
and wide strings) plus hypothesis-generated text goes into list cells, form inputs, the
custom-field grid, tags, the banner, toasts and the review view. Each test asserts that the
app is still running, that what a widget renders is ``safe_text.sanitize(value)`` (markup
not parsed, controls made visible), and that no raw ESC, control or bidi character reaches
the exported screenshot.
"""

# ruff: noqa: RUF001
from __future__ import annotations

import asyncio
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.widgets import Static

from sendkit_tui.domain.text import clip, sanitize
from sendkit_tui.ui.dialogs.review import ReviewScreen
from sendkit_tui.ui.screens.create_lead import CreateLeadScreen
from sendkit_tui.ui.screens.edit_lead import EditLeadScreen
from sendkit_tui.ui.screens.leads import LeadsScreen
from tests.ui_support import fill, open_app, settle

CORPUS = [
    "[bold]x",
    "[/",
    "[@click=app.quit]x[/]",
    '[link="http://evil"]x',
    "\x1b]52;c;aGVsbG8=\x07",
    "\x1b[2J",
    "a\u202eb",
    "iso\u2066late\u2069d",
    "nul\x00x",
    "del\x7fx",
    "c1\x85\x9b\x9dx",
    "bell\x07back\x08cr\rtab\tend",
    "multi\nline",
    "👩‍👩‍👧 漢字 ｗｉｄｅ 🎉",
    "x" * 1000,  # the longest value SendKit stores
    "[" * 300 + "]" * 300,
]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI + "]")


INPUT_BUG = (
    "bug: textual Input renders its value verbatim, so control/ESC/bidi characters typed or "
    "loaded from the server into a form field reach the terminal (widgets/field.py FieldBox "
    "uses a plain Input)"
)


# What Rich does not strip on its own (it drops BEL, BS, CR, VT, FF).
LEAKS_THROUGH_INPUT = re.compile(r"[\x00-\x06\x0e-\x1f\x7f-\x9f" + BIDI + "]")


def input_cases() -> list[Any]:
    return [pytest.param(v, id=str(i)) for i, v in enumerate(CORPUS)]


def line(value: str) -> str:
    return sanitize(value, single_line=True)


def assert_screen_is_inert(app: Any) -> None:
    """No raw ESC, control or bidi character in anything the terminal would show."""
    assert app.is_running
    svg = app.export_screenshot()
    found = RAW_CONTROL.findall(svg.replace("\n", "").replace("\t", ""))
    assert not found, f"raw characters in the screenshot: {sorted(set(found))!r}"


def assert_fitted(cell: str, text: str, width: int) -> None:
    """A list cell shows ``text`` in exactly ``width`` cells, cut with "…" if it is wider."""
    assert cell_len(cell) == width
    if cell_len(text) <= width:
        assert cell == text + " " * (width - cell_len(text))
    else:
        assert cell.endswith("…") and text.startswith(cell[:-1].rstrip(" "))


def rendered(widget: Any) -> str:
    return str(widget.render())


def record_notifications(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What reaches Textual's own notify (after the app's notify has done its work)."""
    from textual.app import App

    seen: list[dict[str, Any]] = []
    original = App.notify

    def notify(self: Any, message: str, *args: Any, **kwargs: Any) -> Any:
        seen.append({"message": message, **kwargs})
        return original(self, message, *args, **kwargs)

    monkeypatch.setattr(App, "notify", notify)
    return seen


async def open_edit(app: Any, pilot: Any, lead_id: str) -> EditLeadScreen:
    listing = app.screen
    assert isinstance(listing, LeadsScreen)
    listing.table.move_cursor(row=listing.table.get_row_index(lead_id))
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, EditLeadScreen)
    return screen


def grid_index(grid: Any, key: str) -> int:
    return next(i for i, row in enumerate(grid.model.rows()) if row[1] == key)


def lead_of(i: int, value: str) -> dict[str, Any]:
    return {
        "email": f"hostile{i}@example.io",
        "firstName": value,
        "companyName": value,
        "jobTitle": value,
        "tags": [value[:40] or "t"],
        "customFields": {value[:60] or "k": value},
    }


# -- list cells ---------------------------------------------------------------------------


async def check_list_cells(sandbox: Any, tmp_path: Any, values: list[str]) -> None:
    ids = sandbox.add_leads([lead_of(i, v) for i, v in enumerate(values)])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, LeadsScreen)
        for lead_id, value in zip(ids, values, strict=True):
            row = screen.table.get_row(lead_id)
            widths = screen.table.widths  # the columns this width shows
            assert {"email", "name", "company", "title"} <= widths.keys()
            assert_fitted(row[2], line(value), widths["name"])
            assert_fitted(row[3], line(value), widths["company"])
            assert_fitted(row[4], line(value), widths["title"])
            if "tags" in widths:
                assert_fitted(row[5], line(value[:40] or "t"), widths["tags"])
        for lead_id in ids[:3]:  # scroll the hostile rows into view
            screen.table.move_cursor(row=screen.table.get_row_index(lead_id))
            await settle(pilot)
            assert_screen_is_inert(app)


async def test_list_cells_show_the_corpus_literally(sandbox, tmp_path):
    await check_list_cells(sandbox, tmp_path, CORPUS)


# -- create form inputs ---------------------------------------------------------------------


async def check_form_inputs(sandbox: Any, tmp_path: Any, value: str) -> None:
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateLeadScreen)
        fill(form, {"email": "ok@example.io", "firstName": value, "companyName": value})
        form.form.grid.key_input.value = value[:60]
        await settle(pilot)
        assert form.form.box("firstName").value == value  # kept exactly as typed
        assert_screen_is_inert(app)
        await pilot.press("ctrl+s")  # validation messages or a save: either way inert
        await settle(pilot)
        assert_screen_is_inert(app)


@pytest.mark.parametrize("value", input_cases())
async def test_create_form_inputs_are_inert(sandbox, tmp_path, value):
    await check_form_inputs(sandbox, tmp_path, value)


# -- grid keys/values, tags, review ---------------------------------------------------------


async def check_edit_screen(sandbox: Any, tmp_path: Any, value: str) -> None:
    key = value[:60] or "k"
    tag = value[:40] or "t"
    (lead_id,) = sandbox.add_leads(
        [
            {
                "email": "grid@example.io",
                "firstName": "Grid",
                "tags": [tag],
                "customFields": {key: value, "plain": "x"},
            }
        ]
    )
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_edit(app, pilot, lead_id)
        grid = screen.form.grid
        cells = {
            str(row[1].plain): str(row[2].plain)
            for row in map(grid.table.get_row_at, range(grid.table.row_count))
        }
        assert cells.get(clip(line(key), 24)) == clip(line(value), 200)
        chips = rendered(screen.form.tags.query_one("#tag-chips"))
        assert (
            line(tag).replace(" ", "\u00a0") in chips
            or clip(line(tag).replace(" ", "\u00a0"), 30)[:10] in chips
        )
        assert not RAW_CONTROL.search(chips)
        assert_screen_is_inert(app)

        grid.model.set_custom_value(grid_index(grid, "plain"), value)
        grid.refresh_view()
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        for static in review.query(Static):
            assert not RAW_CONTROL.search(rendered(static))
        body = review.query_one("#review-body").text
        assert not RAW_CONTROL.search(body.replace("\n", ""))
        assert_screen_is_inert(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


@pytest.mark.parametrize("value", CORPUS, ids=range(len(CORPUS)))
async def test_grid_tags_and_review_are_inert(sandbox, tmp_path, value):
    await check_edit_screen(sandbox, tmp_path, value)


# -- banner ---------------------------------------------------------------------------------


async def check_banner(sandbox: Any, tmp_path: Any, value: str) -> None:
    sandbox.inject(
        "json",
        method="POST",
        status=500,
        body={"success": False, "error": {"code": "INTERNAL_ERROR", "message": value}},
    )
    async with open_app(sandbox, tmp_path) as (app, pilot):
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        fill(form, {"email": "banner@example.io"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.banner.display
        shown = rendered(form.banner)
        assert not RAW_CONTROL.search(shown.replace("\n", ""))
        assert form.banner.message == sanitize(form.banner.message)
        # The client drops private-use characters from server messages (api/parsing.py).
        kept = "".join(ch for ch in value if unicodedata.category(ch) != "Co")
        probe = line(kept)[:20].strip()
        if probe and "\n" not in value:
            assert probe in form.banner.message or "\\x" in probe or "<U+" in probe
        assert_screen_is_inert(app)


@pytest.mark.parametrize("value", CORPUS, ids=range(len(CORPUS)))
async def test_banner_shows_hostile_server_messages_literally(sandbox, tmp_path, value):
    await check_banner(sandbox, tmp_path, value)


# -- toasts ---------------------------------------------------------------------------------


TOAST_BUG = (
    "bug: a server email with ESC/bidi/NUL/DEL reaches the terminal, through the read-only "
    "email Input of the edit screen and through the 'Saved …' toast"
)


@pytest.mark.parametrize(
    "value",
    [
        "[bold]x",
        "\x1b[2J",
        "a\u202eb",
        "nul\x00x",
        "del\x7fx",
    ],
)
async def test_save_toast_with_a_hostile_server_email_is_inert(
    sandbox, tmp_path, monkeypatch, value
):
    """The server's copy of a lead's email is untrusted: the "Saved …" toast shows it."""
    (lead_id,) = sandbox.add_leads([{"email": f"{value}@example.io", "firstName": "T"}])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        said = record_notifications(app, monkeypatch)
        screen = await open_edit(app, pilot, lead_id)
        fill(screen, {"firstName": "Toasted"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert said and all(n.get("markup") is False for n in said)
        assert_screen_is_inert(app)


async def test_toast_text_is_sanitised(sandbox, tmp_path, monkeypatch):
    value = "\x1b[2Ja\u202eb"
    (lead_id,) = sandbox.add_leads([{"email": f"{value}@example.io", "firstName": "T"}])
    async with open_app(sandbox, tmp_path) as (app, pilot):
        said = record_notifications(app, monkeypatch)
        screen = await open_edit(app, pilot, lead_id)
        fill(screen, {"firstName": "Toasted"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert said
        for note in said:
            assert not RAW_CONTROL.search(note["message"])


# -- hypothesis -----------------------------------------------------------------------------

RAW_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(list("[]/@=\"'\\\x1b\x07\x00\x7f\x85\x9b\u202e\u2066\n\t")),
    ),
    min_size=1,
    max_size=60,
)
# SendKit refuses commas in tags and blank names/keys; the Input bug has its own xfails.
HOSTILE_TEXT = RAW_TEXT.map(lambda t: t.replace(",", ";")).filter(
    lambda t: t.strip() and t == t.strip()
)
SERVER_TEXT = RAW_TEXT.map(lambda t: t.replace(",", ";")).filter(
    lambda t: t.strip() and t == t.strip()
)
FEW = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    derandomize=True,  # the same examples every run: CI never meets a new input by chance
)


@FEW
@given(values=st.lists(SERVER_TEXT, min_size=1, max_size=4))
def test_hypothesis_list_cells(sandbox_server, values):
    sandbox_server.reset(seed=25)
    with tempfile.TemporaryDirectory() as fresh:
        asyncio.run(check_list_cells(sandbox_server, Path(fresh), values))


@FEW
@given(value=HOSTILE_TEXT)
def test_hypothesis_form_inputs(sandbox_server, value):
    sandbox_server.reset(seed=25)
    with tempfile.TemporaryDirectory() as fresh:
        asyncio.run(check_form_inputs(sandbox_server, Path(fresh), value))


@FEW
@given(value=SERVER_TEXT)
def test_hypothesis_grid_tags_and_review(sandbox_server, value):
    sandbox_server.reset(seed=25)
    with tempfile.TemporaryDirectory() as fresh:
        asyncio.run(check_edit_screen(sandbox_server, Path(fresh), value))


@FEW
@given(value=SERVER_TEXT)
def test_hypothesis_banner(sandbox_server, value):
    sandbox_server.reset(seed=25)
    with tempfile.TemporaryDirectory() as fresh:
        asyncio.run(check_banner(sandbox_server, Path(fresh), value))

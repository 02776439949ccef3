"""Saved views: kept per profile in the config, opened from the palette or ``--view NAME``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import sendkit_tui.cli.entry as entry
from sendkit_tui.storage.config import Config, config_path, load_config, save_config
from sendkit_tui.storage.views import SavedView
from sendkit_tui.ui.dialogs.view_name import ViewNameScreen
from tests.ui_support import make_app, settle

HOSTILE = 'Event [b]leads[/b] "q"'
COMMENTED = """# my settings, by hand
theme = "nord"  # the dark one

[profiles.test]
workspace_id = "ws_1"  # Acme
"""


def test_views_survive_a_round_trip_and_a_theme_save(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED)
    config = load_config(path)
    config.profile("test").views[HOSTILE] = SavedView("acme", ["vip", "x y"], True)
    config.profile("other").views["plain"] = SavedView(tags=["a"])
    save_config(config, path)
    config = load_config(path)
    config.theme = "gruvbox"  # what the app does when the theme changes
    save_config(config, path)
    again = load_config(path)
    assert again.warning is None
    assert again.profiles["test"].views == {HOSTILE: SavedView("acme", ["vip", "x y"], True)}
    assert again.profiles["other"].views == {"plain": SavedView(None, ["a"], None)}
    text = path.read_text()
    assert "# my settings, by hand" in text and "# Acme" in text and 'theme = "gruvbox"' in text


def test_a_view_of_the_wrong_type_is_ignored_and_said(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[profiles.test.views.a]\ntags = "vip"\nemail_verified = "yes"\n')
    config = load_config(path)
    assert config.profiles["test"].views == {"a": SavedView()}
    assert "profiles.test.views.a.tags" in (config.warning or "")


def test_a_key_typed_as_a_search_is_not_written(tmp_path: Path) -> None:
    config = Config()
    config.profile("test").views["oops"] = SavedView(search="sk_live_" + "a1b2c3d4e5f6g7h8")
    with pytest.raises(ValueError, match="API key"):
        save_config(config, tmp_path / "config.toml")


async def run_palette(pilot: Any, *keys: str) -> None:
    await pilot.press("ctrl+p", *keys, "enter")
    await settle(pilot)


async def test_opening_a_view_from_the_palette_sets_the_filters_and_reloads(sandbox, tmp_path):
    app = make_app(sandbox, tmp_path)
    app.config.profile("test").views[HOSTILE] = SavedView("", ["vip"], True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        everyone = screen.pages.row_count
        sandbox.clear_requests()
        await run_palette(pilot, *"open view")
        assert screen.query_one("#tag-filter").value == "vip"
        assert screen.query_one("#search").value == ""
        assert screen.email_verified is True
        lists = [r for r in sandbox.requests if r.method == "GET" and r.path == "/v1/leads"]
        assert len(lists) == 1  # one reload, not one more per box after the debounce
        assert lists[0].query["tags"] == "vip" and lists[0].query["emailVerified"] == "true"
        assert screen.rows and all("vip" in row.tags for row in screen.rows)
        assert all(row.raw["emailVerified"] is True for row in screen.rows)
        assert screen.pages.row_count < everyone
        assert app.focused is screen.table
        assert "verified emails only" in str(screen.status.render())


async def test_save_view_from_the_palette_writes_the_current_filters(sandbox, tmp_path):
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"acme", "enter", "t", *"vip, smb", "enter")
        await settle(pilot)
        await run_palette(pilot, *"save view")
        assert isinstance(app.screen, ViewNameScreen)
        await pilot.press(*HOSTILE, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ViewNameScreen)
    saved = load_config(config_path()).profiles["test"].views
    assert saved == {HOSTILE: SavedView("acme", ["vip", "smb"], None)}


async def test_the_name_dialog_shows_names_as_text_and_escape_cancels(sandbox, tmp_path):
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t", *"[red]x", "enter")
        await settle(pilot)
        await run_palette(pilot, *"save view")
        text = str(app.screen.query_one(".dialog-text").render())
        assert "tags [red]x" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ViewNameScreen)
    assert not config_path().exists()


def write_view(name: str, view: SavedView, profile: str = "default") -> None:
    config = Config()
    config.profile(profile).views[name] = view
    save_config(config)


def test_cli_unknown_view_is_one_sentence_and_exit_2(capsys, monkeypatch) -> None:
    monkeypatch.delenv("SENDKIT_API_KEY", raising=False)
    write_view("Event leads", SavedView(tags=["vip"]))
    assert entry.main(["--base-url", "http://127.0.0.1:9", "--view", "Nope"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and '"Nope"' in err and "Event leads" in err


def test_cli_view_opens_the_list_with_its_filters(monkeypatch) -> None:
    monkeypatch.delenv("SENDKIT_API_KEY", raising=False)
    view = SavedView("acme", ["vip"], False)
    write_view("Event leads", view, profile="work")
    seen: dict[str, Any] = {}

    def run_tui(base_url: str, profile: str, view: SavedView | None = None) -> int:
        app = entry.make_tui(base_url, profile, {"SENDKIT_API_KEY": "sk_" + "x" * 30}, view=view)
        seen.update(view=view, start=app.start_view, first_page=app.first_page)
        return 0

    monkeypatch.setattr(entry, "run_tui", run_tui)
    args = ["--base-url", "http://127.0.0.1:9", "--profile", "work", "--view", "Event leads"]
    assert entry.main(args) == 0
    assert seen == {"view": view, "start": view, "first_page": None}  # no unfiltered prefetch


async def test_a_start_view_loads_the_list_filtered(sandbox, tmp_path):
    app = make_app(sandbox, tmp_path)
    app.start_view = SavedView(None, ["vip"], None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#tag-filter").value == "vip"
        lists = [r for r in sandbox.requests if r.path == "/v1/leads"]
        assert lists and all(r.query.get("tags") == "vip" for r in lists)
        assert screen.rows and all("vip" in row.tags for row in screen.rows)

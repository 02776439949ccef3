"""What start-up leaves out until it is needed, and puts back: the subcommands' parsers, the
garbage collector, the forms' stylesheet; and the title bar drawn by one widget."""

from __future__ import annotations

import gc

import pytest
from textual.command import CommandPalette

from sendkit_tui.cli import entry
from sendkit_tui.ui import warm_up
from sendkit_tui.ui.styles import FORMS_CSS
from sendkit_tui.ui.widgets.title_bar import TitleBar
from tests.typing_support import burst
from tests.ui_support import open_app, settle

# -- the command line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "command", "demo"),
    [
        ([], None, False),
        (["--demo"], None, True),
        (["--profile", "import"], None, False),  # a profile named like a command
        (["--base-url", "http://127.0.0.1:9", "doctor"], "doctor", False),
        (["import", "leads.csv", "--dry-run"], "import", False),
        (["auth", "status"], "auth", False),
    ],
)
def test_the_light_parse_reads_what_the_full_parser_reads(argv, command, demo) -> None:
    args = entry.parse_args(argv)
    full = entry.build_parser().parse_args(argv)
    assert args.command == full.command == command
    assert args.demo == full.demo == demo
    assert args.profile == full.profile


def test_help_still_lists_every_command(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        entry.parse_args(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in ("sandbox", "import", "doctor", "auth"):
        assert command in out


def test_a_typo_is_refused_as_before(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        entry.parse_args(["--dmeo"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --dmeo" in capsys.readouterr().err


# -- the garbage collector ---------------------------------------------------------


@pytest.fixture
def collector_restored(monkeypatch):
    monkeypatch.setattr(warm_up, "_frozen", False)  # this process may have settled already
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def test_settled_start_turns_the_collector_back_on(collector_restored) -> None:
    entry.pause_collection()
    assert not gc.isenabled()
    warm_up.settled_start()
    assert gc.isenabled()


async def test_the_collector_is_back_on_even_if_no_page_ever_shows(
    sandbox, tmp_path, monkeypatch, collector_restored
) -> None:
    """No key: the login screen, no first page, no warm-up. The app's own timer still
    ends the pause."""
    monkeypatch.setattr(warm_up, "LATEST", 0.05)
    monkeypatch.setattr("sendkit_tui.ui.app.LATEST", 0.05)
    entry.pause_collection()
    async with open_app(sandbox, tmp_path, credential=False) as (_app, pilot):
        for _ in range(100):  # bounded: the timer is due after 0.05 s
            if gc.isenabled():
                break
            await pilot.pause(0.01)
        assert gc.isenabled()


# -- the forms' stylesheet ----------------------------------------------------------


async def test_the_forms_stylesheet_is_added_when_a_form_opens(sandbox, tmp_path) -> None:
    async with open_app(sandbox, tmp_path) as (app, pilot):
        spare = app.take_spare("create")  # no form composed ahead: the list alone
        if spare is not None:
            await spare.remove()
        edit = app.take_spare("edit")
        if edit is not None:
            await edit.remove()
        assert not app.stylesheet.has_source(str(FORMS_CSS))
        burst(app, "n")
        await settle(pilot)
        assert app.stylesheet.has_source(str(FORMS_CSS))
        form = app.screen.form  # forms.tcss: "LeadForm { padding: 0 2 }"
        assert (form.styles.padding.left, form.styles.padding.right) == (2, 2)


# -- the title bar ------------------------------------------------------------------


async def test_the_title_bar_follows_the_titles_and_opens_the_palette(sandbox, tmp_path) -> None:
    async with open_app(sandbox, tmp_path) as (app, pilot):
        bar = app.screen.query_one(TitleBar)
        assert "SendKit" in bar.render().plain
        app.sub_title = "Elsewhere · key: test"
        await settle(pilot)
        assert bar.render().plain.strip().endswith("SendKit — Elsewhere · key: test")
        burst(app, "n")
        await settle(pilot)
        assert app.screen.query_one(TitleBar).render().plain.strip().endswith("New lead")
        await pilot.click(TitleBar, offset=(1, 0))
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)


async def test_a_long_title_is_cut_with_an_ellipsis(sandbox, tmp_path) -> None:
    async with open_app(sandbox, tmp_path, size=(40, 20)) as (app, pilot):
        app.sub_title = "a workspace with a very long name indeed"
        await settle(pilot)
        text = app.screen.query_one(TitleBar).render().plain
        assert len(text) <= 40 and text.rstrip().endswith("…")


# -- the warm-up thread -------------------------------------------------------------


def run_warm_up(monkeypatch, busy) -> list[str]:
    """``warm_up`` with the imports recorded (in order) instead of done; waits for it."""
    import importlib
    import threading

    imported: list[str] = []
    finished = threading.Event()
    monkeypatch.setattr(importlib, "import_module", imported.append)
    warm_up.warm_up(lambda: "client", lambda result: finished.set(), busy=busy)
    assert finished.wait(10)
    return imported


def test_the_warm_up_waits_while_a_form_opens(monkeypatch) -> None:
    monkeypatch.setattr(warm_up, "YIELD", 0.001)
    asked: list[bool] = []

    def busy() -> bool:  # a form opening for the first five looks, then done
        asked.append(len(asked) < 5)
        return asked[-1]

    imported = run_warm_up(monkeypatch, busy)
    assert imported == [*warm_up.FORM_MODULES, *warm_up.API_MODULES, *warm_up.REQUEST_MODULES]
    assert asked[:6] == [True] * 5 + [False]  # it looked again until the form was open


def test_the_warm_up_does_not_wait_for_ever(monkeypatch) -> None:
    monkeypatch.setattr(warm_up, "YIELD", 0.001)
    monkeypatch.setattr(warm_up, "MAX_WAIT", 0.05)
    imported = run_warm_up(monkeypatch, lambda: True)  # forms opened one after another
    assert imported == [*warm_up.FORM_MODULES, *warm_up.API_MODULES, *warm_up.REQUEST_MODULES]


def run_fresh(code: str, sandbox) -> list[str]:
    """Run ``code`` in a fresh Python process with the sandbox's URL and key as arguments;
    the JSON list it prints last."""
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code, sandbox.url, sandbox.api_key],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


FIRST_REQUEST = """
import asyncio, json, sys
from sendkit_tui.api.client import SendKitClient
from sendkit_tui.ui.warm_up import API_MODULES, REQUEST_MODULES
for name in (*API_MODULES, *REQUEST_MODULES):  # as the warm-up thread does
    __import__(name)
async def main():
    client = SendKitClient(sys.argv[2], base_url=sys.argv[1])
    before = set(sys.modules)
    await client.list_leads(limit=1)
    print(json.dumps(sorted(set(sys.modules) - before)))
    await client.aclose()
asyncio.run(main())
"""


def test_the_warm_up_imports_what_the_first_request_needs(sandbox) -> None:
    """After the warm-up's imports, the first request on the event loop imports nothing (it
    imported httpcore's async backend there: 24 ms in the middle of a search being typed)."""
    assert run_fresh(FIRST_REQUEST, sandbox) == []


async def test_the_app_says_when_a_form_is_being_opened(sandbox, tmp_path, monkeypatch) -> None:
    seen: list[bool] = []
    async with open_app(sandbox, tmp_path) as (app, pilot):
        from sendkit_tui.ui.screens.create_lead import CreateLeadScreen

        mounted = CreateLeadScreen.on_mount

        def on_mount(self) -> None:
            seen.append(app.opening_form())
            mounted(self)

        monkeypatch.setattr(CreateLeadScreen, "on_mount", on_mount)
        for kind in ("create", "edit"):
            spare = app.take_spare(kind)
            if spare is not None:
                await spare.remove()
        assert not app.opening_form()
        burst(app, "n")
        await settle(pilot)
        assert seen == [True] and not app.opening_form()


FIRST_FRAME = """
import json, os, sys
from sendkit_tui.cli.entry import make_tui
from sendkit_tui.ui.app import SendKitApp
loaded = []
def after_first_page(self):  # the first frame with leads is out: what is loaded by now?
    loaded.extend(sorted(sys.modules))
    self.exit()
SendKitApp._after_first_page = after_first_page
env = {"SENDKIT_API_KEY": sys.argv[2], "SENDKIT_BASE_URL": sys.argv[1]}
app = make_tui(sys.argv[1], "test", env)
app.run(headless=True, size=(120, 40))
print(json.dumps(loaded))
"""

# Loaded later (on a thread after the first frame, or when first used), never before it.
NOT_AT_START = (
    "httpx",
    "pydantic",
    "keyring",
    "hashlib",
    "starlette",
    "uvicorn",
    "sendkit_tui.api.client",
    "sendkit_tui.api.models",
    "sendkit_tui.storage.keyring_store",
    "sendkit_tui.ui.dialogs.drafts",
    "sendkit_tui.ui.screens.create_lead",
    "sendkit_tui.ui.screens.edit_lead",
)


def test_the_first_frame_loads_only_what_it_draws(sandbox) -> None:
    """Every module loaded before the list's first frame is time the user waits for it: the
    forms, httpx, the models and the keyring wait until that frame is out."""
    loaded = set(run_fresh(FIRST_FRAME, sandbox))
    assert "sendkit_tui.ui.screens.leads" in loaded  # it did get to the first frame
    assert sorted(name for name in NOT_AT_START if name in loaded) == []

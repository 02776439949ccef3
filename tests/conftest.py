"""Shared fixtures: private folders per test; one real sandbox server per test session
(per worker process under pytest-xdist, on a free loopback port), reset before each test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from sendkit_tui.sandbox import SandboxServer

# Property tests check behaviour, not speed: no per-example time limit. Hypothesis's default
# (200 ms) failed on CI machines under load when an example was the first to load a library's
# data (phonenumbers loads a region's metadata on first use).
settings.register_profile("sendkit", deadline=None)
settings.load_profile("sendkit")

# UI helpers and fixtures (memory_keyring, …) for every test module.
pytest_plugins = ["tests.ui_support"]

# Fake keys shaped like real ones: "sk_" + 48 hex (workspace), "sk_user_" + 48 hex (platform).
TEST_WORKSPACE_KEY = "sk_" + "5a7e1e57" * 6
TEST_PLATFORM_KEY = "sk_user_" + "0ca1f00d" * 6
TEST_SEED = 25


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own home and XDG folders, so no test reads or writes the real
    config, drafts, credentials or import state, nor another test's (tests run in parallel
    worker processes; subprocesses inherit these variables)."""
    root = tmp_path_factory.mktemp("dirs")
    for name, folder in [
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ]:
        monkeypatch.setenv(name, str(root / folder))
    # No background walk of the workspace for completion: it would add list requests to
    # every UI test's sandbox log (tests/test_ui_completion.py turns it on).
    monkeypatch.setenv("SENDKIT_WORKSPACE_WALK", "0")


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """The sandbox on a loopback port, started once for the whole session."""
    from sendkit_tui.sandbox import SandboxServer

    server = SandboxServer(
        api_key=TEST_WORKSPACE_KEY, platform_key=TEST_PLATFORM_KEY, seed=TEST_SEED
    ).start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer, request: pytest.FixtureRequest) -> SandboxServer:
    """The session's sandbox, wiped and reseeded so every test starts from the same state.

    Parametrize it indirectly to play dialects (``sendkit_tui.sandbox.DIALECTS``)::

        @pytest.mark.parametrize("sandbox", [(), ("null-ignored",)], indirect=True)

    A string param is one dialect; the next test's reset plays none again.
    """
    sandbox_server.reset(seed=TEST_SEED)
    dialects = getattr(request, "param", ())
    if dialects:
        sandbox_server.set_dialects([dialects] if isinstance(dialects, str) else dialects)
    return sandbox_server

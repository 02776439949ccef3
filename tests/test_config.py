"""config.py: TOML round trip, private atomic writes, corrupt files, the no-key guard."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from sendkit_tui.storage.config import (
    Config,
    ProfileConfig,
    config_from_dict,
    config_path,
    config_to_toml,
    load_config,
    looks_like_api_key,
    save_config,
)
from sendkit_tui.storage.files import atomic_write_private

FAKE_KEY = "sk_user_" + "c0ffee" * 8


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sample() -> Config:
    config = Config(base_url="http://127.0.0.1:8080", theme="nord")
    config.keymap["leads.new"] = "ctrl+n"
    config.profile("default").workspace_id = "ws_1"
    config.profile("work team").workspace_name = 'Acme "EU" \\ Ltd'
    return config


def test_config_path_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert config_path() == tmp_path / "config" / "sendkit-tui" / "config.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    assert config_path() == tmp_path / "elsewhere" / "sendkit-tui" / "config.toml"


def test_missing_file_gives_defaults() -> None:
    config = load_config()
    assert config == Config()
    assert config.warning is None


def test_round_trip_and_private_modes(tmp_path: Path) -> None:
    save_config(sample())
    path = config_path()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    loaded = load_config()
    assert loaded == sample()
    assert loaded.warning is None
    assert list(path.parent.iterdir()) == [path]  # no temp file left behind


def test_file_layout() -> None:
    text = config_to_toml(sample())
    data = tomllib.loads(text)
    assert data == {
        "base_url": "http://127.0.0.1:8080",
        "theme": "nord",
        "keymap": {"leads.new": "ctrl+n"},
        "profiles": {
            "default": {"workspace_id": "ws_1"},
            "work team": {"workspace_name": 'Acme "EU" \\ Ltd'},
        },
    }
    assert "[profiles.default]" in text
    assert '"leads.new" = "ctrl+n"' in text


def test_empty_config_is_valid_toml() -> None:
    assert tomllib.loads(config_to_toml(Config())) == {}


def test_profile_gets_or_creates() -> None:
    config = Config()
    entry = config.profile("x")
    assert entry == ProfileConfig()
    assert config.profile("x") is entry


def test_warning_is_not_saved(tmp_path: Path) -> None:
    config = Config(theme="nord", warning="something")
    save_config(config)
    assert "something" not in config_path().read_text()
    assert load_config().warning is None


@pytest.mark.parametrize(
    "content",
    [b"base_url = ", b"\xff\xfe not utf-8", b"[profiles\n", b"theme = 'a'\ntheme = 'b'\n"],
)
def test_corrupt_file_gives_defaults_and_a_warning(content: bytes) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    config = load_config()
    assert config.base_url is None and config.profiles == {}
    assert config.warning is not None
    assert str(path) in config.warning
    assert config.warning.endswith(".") and "\n" not in config.warning


def test_unreadable_path_gives_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "dir.toml"
    path.mkdir()
    config = load_config(path)
    assert config.warning and "it is a directory" in config.warning


def test_wrong_types_are_ignored_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('base_url = 5\ntheme = "nord"\nkeymap = 3\n[profiles]\nx = 1\n')
    config = load_config(path)
    assert config.theme == "nord" and config.base_url is None
    assert config.warning and "base_url" in config.warning and "keymap" in config.warning


def test_saving_over_a_corrupt_file_keeps_a_copy() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("this is [not toml")
    config = load_config()
    config.theme = "nord"
    save_config(config)
    assert load_config().theme == "nord"
    assert path.with_name("config.toml.corrupt").read_text() == "this is [not toml"


def test_unknown_keys_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('future = true\ntheme = "x"\n[profiles.a]\nworkspace_id = "w"\nmore = 1\n')
    config = load_config(path)
    assert config.theme == "x" and config.profile("a").workspace_id == "w"
    assert config.warning is None


HAND_WRITTEN = """\
# My SendKit settings.
theme = "textual-dark"  # dark at night
future_option = [1, 2]

[keymap]
# n is too easy to hit
"leads.new" = "ctrl+n"
"leads.mystery" = 7

[profiles.work]
workspace_name = "Acme"
workspace_id = "ws_old"  # the EU one
colour = "teal"

[plugins.extra]
enabled = true
"""


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_theme_change_keeps_comments_order_and_unknown_keys() -> None:
    path = write_config(HAND_WRITTEN)
    config = load_config()
    config.theme = "nord"
    save_config(config)
    assert path.read_text() == HAND_WRITTEN.replace(
        'theme = "textual-dark"  # dark', 'theme = "nord"  # dark'
    )
    assert load_config().theme == "nord"


def test_remembering_a_workspace_keeps_the_rest_of_the_file() -> None:
    path = write_config(HAND_WRITTEN)
    config = load_config()
    work = config.profile("work")
    work.workspace_id, work.workspace_name = "ws_new", None  # the name is not known yet
    config.profile("home").workspace_id = "ws_home"
    save_config(config)
    text = path.read_text()
    assert 'workspace_name = "Acme"' not in text  # a stale name would label the new workspace
    assert 'workspace_id = "ws_new"  # the EU one' in text
    assert text.startswith(HAND_WRITTEN.split("[profiles.work]")[0])
    # The new profile joins its siblings; the unknown table keeps its place after them.
    assert text.index("[profiles.work]") < text.index("[profiles.home]")
    assert text.index("[profiles.home]") < text.index("[plugins.extra]")
    data = tomllib.loads(text)
    assert data["profiles"]["work"] == {"workspace_id": "ws_new", "colour": "teal"}
    assert data["plugins"] == {"extra": {"enabled": True}}
    assert data["keymap"]["leads.mystery"] == 7  # ignored on load (wrong type), still there


def test_settings_added_elsewhere_since_loading_survive_a_save() -> None:
    path = write_config('theme = "nord"\n')
    config = load_config()
    path.write_text('theme = "nord"\n\n[profiles.cli]\nworkspace_id = "ws_cli"\n')
    config.theme = "dracula"
    save_config(config)
    assert load_config().profile("cli").workspace_id == "ws_cli"
    assert load_config().theme == "dracula"


def test_a_layout_tomlkit_would_edit_wrongly_is_written_plainly() -> None:
    # Dotted keys then an inline table: a new [profiles.b] header placed at the end of the
    # file would pull the inline keymap into it. The data must still mean what we meant.
    original = 'profiles.default.workspace_id = "a"\nkeymap = { "leads.new" = "n" }\n'
    path = write_config(original)
    config = load_config()
    config.profile("b").workspace_id = "w2"
    save_config(config)
    assert tomllib.loads(path.read_text()) == {
        "profiles": {"default": {"workspace_id": "a"}, "b": {"workspace_id": "w2"}},
        "keymap": {"leads.new": "n"},
    }


@pytest.mark.parametrize(
    "change",
    [
        lambda c: setattr(c, "theme", FAKE_KEY),
        lambda c: setattr(c.profile("work"), "workspace_name", f"Acme {FAKE_KEY}"),
        lambda c: c.keymap.__setitem__(FAKE_KEY, "ctrl+n"),
        lambda c: c.profile(FAKE_KEY),
    ],
)
def test_the_key_guard_refuses_and_leaves_the_file_as_it_was(change) -> None:
    path = write_config(HAND_WRITTEN)
    config = load_config()
    change(config)
    with pytest.raises(ValueError) as info:
        save_config(config)
    assert FAKE_KEY not in str(info.value)
    assert path.read_text() == HAND_WRITTEN
    assert list(path.parent.iterdir()) == [path]


@pytest.mark.parametrize(
    "config",
    [
        Config(base_url=FAKE_KEY),
        Config(theme=f"nord {FAKE_KEY}"),
        Config(keymap={"leads.new": FAKE_KEY}),
        Config(keymap={FAKE_KEY: "ctrl+n"}),
        Config(profiles={FAKE_KEY: ProfileConfig()}),
        Config(profiles={"a": ProfileConfig(workspace_name="sk_" + "a" * 12)}),
    ],
)
def test_refuses_to_save_a_key(config: Config) -> None:
    with pytest.raises(ValueError) as info:
        save_config(config)
    assert FAKE_KEY not in str(info.value)
    assert not config_path().exists()


def test_key_guard_boundaries() -> None:
    # One pattern for config and drafts (sendkit_tui.identity.KEY_LIKE).
    assert looks_like_api_key("sk_" + "a" * 12)
    assert not looks_like_api_key("sk_" + "a" * 11)
    assert not looks_like_api_key("task_description_long")
    assert not looks_like_api_key("textual-dark")


def test_save_is_atomic(monkeypatch: pytest.MonkeyPatch) -> None:
    save_config(sample())
    before = config_path().read_bytes()

    def crash(*args: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        save_config(Config(theme="other"))
    assert config_path().read_bytes() == before
    assert list(config_path().parent.iterdir()) == [config_path()]


def test_existing_app_dir_is_tightened(tmp_path: Path) -> None:
    directory = tmp_path / "config" / "sendkit-tui"
    directory.mkdir(parents=True, mode=0o755)
    os.chmod(directory, 0o755)
    save_config(Config(theme="x"))
    assert mode(directory) == 0o700


def test_foreign_existing_dir_is_left_alone(tmp_path: Path) -> None:
    directory = tmp_path / "shared"
    directory.mkdir()
    os.chmod(directory, 0o755)
    atomic_write_private(directory / "f", "x")
    assert mode(directory) == 0o755
    assert mode(directory / "f") == 0o600


# Text TOML can hold: anything but lone surrogates (hypothesis never makes those by default).
texts = st.text(max_size=40)


@given(
    base_url=st.none() | texts,
    theme=st.none() | texts,
    keymap=st.dictionaries(texts, texts, max_size=4),
    profiles=st.dictionaries(
        texts,
        st.builds(ProfileConfig, workspace_id=st.none() | texts, workspace_name=st.none() | texts),
        max_size=4,
    ),
)
@example(base_url=None, theme=None, keymap={"0\n": ""}, profiles={"0\n": ProfileConfig()})
@settings(max_examples=300)
def test_round_trip_property(
    base_url: str | None,
    theme: str | None,
    keymap: dict[str, str],
    profiles: dict[str, ProfileConfig],
) -> None:
    config = Config(base_url=base_url, theme=theme, keymap=keymap, profiles=profiles)
    assume(not looks_like_api_key(config_to_toml_safe_text(config)))
    parsed, ignored = config_from_dict(tomllib.loads(config_to_toml(config)))
    assert ignored == []
    assert parsed == config


def config_to_toml_safe_text(config: Config) -> str:
    """Every string in ``config`` joined with newlines, for the key-guard assumption."""
    parts = [config.base_url or "", config.theme or ""]
    parts += [*config.keymap.keys(), *config.keymap.values()]
    for name, entry in config.profiles.items():
        parts += [name, entry.workspace_id or "", entry.workspace_name or ""]
    return "\n".join(parts)

"""Settings in ``config.toml`` under ``platformdirs.user_config_path("sendkit-tui")``.

Layout::

    base_url = "https://api.sendkit.ai"
    theme = "textual-dark"
    default_region = "GB"   # how phones without +country code are read (default US)
    detail_pane = true      # the leads list's detail pane (p) is shown

    [keymap]
    "leads.new" = "ctrl+n"

    [profiles.default]
    workspace_id = "ws_123"
    workspace_name = "Acme"

    [profiles.default.views."Event leads"]   # saved views: see storage/views.py
    tags = ["vip"]

The file never holds an API key: ``save_config`` refuses any string that looks like one.
Reading never raises: a missing file gives the defaults, an unreadable or corrupt one gives the
defaults plus ``Config.warning``. Writing is atomic and private (0600, via ``files``); a
corrupt file about to be replaced is kept next to it as ``config.toml.corrupt``. Saving edits
the file in place with tomlkit: the user's comments, order and the keys this version does not
know (or ignored for a wrong type) survive.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendkit_tui.identity import APP_NAME, KEY_LIKE
from sendkit_tui.storage.files import atomic_write_private
from sendkit_tui.storage.views import (
    NewTable,
    SavedView,
    child_table,
    merge_views,
    view_strings,
    views_from_dict,
)

CONFIG_FILE_NAME = "config.toml"

# ``sk_`` and at least ten more key characters (longer than 12 in all), not inside a word.
_KEY_LIKE = KEY_LIKE


def config_dir() -> Path:
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def config_path() -> Path:
    """Where the settings live; computed on each call so XDG changes take effect."""
    return config_dir() / CONFIG_FILE_NAME


@dataclass
class ProfileConfig:
    workspace_id: str | None = None
    workspace_name: str | None = None
    views: dict[str, SavedView] = field(default_factory=dict)  # name -> filters


@dataclass
class Config:
    base_url: str | None = None
    theme: str | None = None
    default_region: str | None = None  # phone region when a lead's country names none ("GB")
    detail_pane: bool | None = None  # the list's detail pane shown (p); None: never toggled
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys
    profiles: dict[str, ProfileConfig] = field(default_factory=dict)
    warning: str | None = None  # set by load_config for an unreadable file; never saved

    def profile(self, name: str) -> ProfileConfig:
        """The settings of profile ``name``, created empty if it has none yet."""
        entry = self.profiles.get(name)
        if entry is None:
            entry = self.profiles[name] = ProfileConfig()
        return entry


# -- reading -------------------------------------------------------------------------------


def load_config(path: Path | None = None) -> Config:
    """The settings at ``path`` (default ``config_path()``); never raises."""
    path = Path(path) if path is not None else config_path()
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return Config()
    except Exception as error:
        return Config(warning=_unreadable(path, _os_reason(error)))
    try:
        data = tomllib.loads(text)
    except Exception as error:
        return Config(warning=_unreadable(path, _toml_reason(error)))
    config, ignored = config_from_dict(data)
    if ignored:
        names = ", ".join(ignored[:5]) + (", …" if len(ignored) > 5 else "")
        config.warning = f"Some settings in {path} have the wrong type and were ignored: {names}."
    return config


def config_from_dict(data: dict[str, Any]) -> tuple[Config, list[str]]:
    """A ``Config`` from parsed TOML, and the dotted names of entries that were ignored."""
    config = Config()
    ignored: list[str] = []
    for name in ("base_url", "theme", "default_region"):
        value = data.get(name)
        if isinstance(value, str):
            setattr(config, name, value)
        elif value is not None:
            ignored.append(name)
    detail_pane = data.get("detail_pane")
    if isinstance(detail_pane, bool):
        config.detail_pane = detail_pane
    elif detail_pane is not None:
        ignored.append("detail_pane")
    keymap = data.get("keymap", {})
    if isinstance(keymap, dict):
        for binding, keys in keymap.items():
            if isinstance(keys, str):
                config.keymap[binding] = keys
            else:
                ignored.append(f"keymap.{binding}")
    else:
        ignored.append("keymap")
    profiles = data.get("profiles", {})
    if isinstance(profiles, dict):
        for name, table in profiles.items():
            if not isinstance(table, dict):
                ignored.append(f"profiles.{name}")
                continue
            entry = config.profile(name)
            for attr in ("workspace_id", "workspace_name"):
                value = table.get(attr)
                if isinstance(value, str):
                    setattr(entry, attr, value)
                elif value is not None:
                    ignored.append(f"profiles.{name}.{attr}")
            entry.views = views_from_dict(table.get("views"), f"profiles.{name}.views", ignored)
    else:
        ignored.append("profiles")
    return config, ignored


def _unreadable(path: Path, reason: str) -> str:
    return f"Could not read the settings file {path} ({reason}), so default settings are in use."


def _os_reason(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(error, IsADirectoryError):
        return "it is a directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return type(error).__name__


def _toml_reason(error: Exception) -> str:
    message = str(error).splitlines()[0] if str(error) else ""
    return f"invalid TOML: {message[:120]}" if message else "invalid TOML"


# -- writing -------------------------------------------------------------------------------

Table = MutableMapping[str, Any]


def save_config(config: Config, path: Path | None = None) -> None:
    """Write ``config`` atomically with mode 0600. Raises ValueError for a key-like value.

    The file's comments, order and the keys this version does not know are kept.
    """
    path = Path(path) if path is not None else config_path()
    existing, corrupt = _existing_text(path)
    text = config_to_toml(config, existing)
    if corrupt:
        with contextlib.suppress(OSError):
            os.replace(path, path.with_name(path.name + ".corrupt"))
    atomic_write_private(path, text)


def config_to_toml(config: Config, existing: str = "") -> str:
    """The TOML text for ``config`` (``warning`` is not saved), written into ``existing``.

    ``existing`` must be valid TOML. Its comments, order and unknown keys stay; a setting
    ``config`` holds replaces the one in the text. Should tomlkit's edit not read back
    exactly as intended, the same data is written plainly (values kept, comments lost).
    """
    import tomlkit

    _check_strings(config)
    intended: Table = tomllib.loads(existing)
    _merge(intended, config, lambda _super: {})
    document = tomlkit.parse(existing)
    _merge(document, config, lambda is_super: tomlkit.table(is_super_table=is_super))
    text = document.as_string()
    try:
        if tomllib.loads(text) == intended:
            return text
    except tomllib.TOMLDecodeError:
        pass
    return tomlkit.dumps(intended)


def _merge(root: Table, config: Config, new_table: NewTable) -> None:
    """Put what ``config`` holds into ``root``; leave everything else as it is."""
    for name in ("base_url", "theme", "default_region"):
        _set(root, name, getattr(config, name))
    if config.detail_pane is not None:
        root["detail_pane"] = config.detail_pane
    if config.keymap:
        keymap = child_table(root, "keymap", new_table, is_super=False)
        for binding, keys in config.keymap.items():
            keymap[binding] = keys
    if config.profiles:
        profiles = child_table(root, "profiles", new_table, is_super=True)
        for name, entry in config.profiles.items():
            table = child_table(profiles, name, new_table, is_super=False)
            for attr in ("workspace_id", "workspace_name"):
                _set(table, attr, getattr(entry, attr))
            merge_views(table, entry.views, new_table)


def _set(table: Table, name: str, value: str | None) -> None:
    """Set a text setting; None removes it (a value of another type was ignored: keep it)."""
    if value is not None:
        table[name] = value
    elif isinstance(table.get(name), str):
        del table[name]


def _existing_text(path: Path) -> tuple[str, bool]:
    """The file's text if it is TOML both parsers read, else ``""``; and whether it is corrupt."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return "", False
    except Exception:
        return "", True
    try:
        import tomlkit

        tomllib.loads(text)
        tomlkit.parse(text)
    except Exception:
        return "", True
    return text, False


def looks_like_api_key(text: str) -> bool:
    return bool(_KEY_LIKE.search(text))


def _check_strings(config: Config) -> None:
    """Every name and value ``config`` would write is text TOML can hold, and no API key."""
    for name in ("base_url", "theme", "default_region"):
        value = getattr(config, name)
        if value is not None:
            _check(value, name)
    for binding, keys in config.keymap.items():
        _check(binding, "a key binding name")
        _check(keys, f"keymap.{binding}")
    for name, entry in config.profiles.items():
        _check(name, "a profile name")
        for attr in ("workspace_id", "workspace_name"):
            value = getattr(entry, attr)
            if value is not None:
                _check(value, f"profiles.{name}.{attr}")
        for view_name, view in entry.views.items():
            for text, where in view_strings(view_name, view):
                _check(text, f"profiles.{name}.{where}" if where.startswith("views") else where)


def _check(value: object, where: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"The setting {where} must be text, not {type(value).__name__}.")
    if looks_like_api_key(value):
        raise ValueError(
            f"Refusing to write {where} to the settings file: it looks like an API key, "
            "and keys belong in the system keyring."
        )
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ValueError(f"The setting {where} contains a character TOML cannot hold.")

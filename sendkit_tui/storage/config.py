"""Settings in ``config.toml`` under ``platformdirs.user_config_path("sendkit-tui")``.

Layout::

    base_url = "https://api.sendkit.ai"
    theme = "textual-dark"

    [keymap]
    "leads.new" = "ctrl+n"

    [profiles.default]
    workspace_id = "ws_123"
    workspace_name = "Acme"

The file never holds an API key: ``save_config`` refuses any string that looks like one.
Reading never raises: a missing file gives the defaults, an unreadable or corrupt one gives the
defaults plus ``Config.warning``. Writing is atomic and private (0600, via ``fsutil``); a
corrupt file about to be replaced is kept next to it as ``config.toml.corrupt``. Keys this
version does not know are dropped when the file is saved.
"""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendkit_tui.identity import APP_NAME, KEY_LIKE
from sendkit_tui.storage.files import atomic_write_private

CONFIG_FILE_NAME = "config.toml"

# ``sk_`` and at least ten more key characters (longer than 12 in all), not inside a word.
_KEY_LIKE = KEY_LIKE
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


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


@dataclass
class Config:
    base_url: str | None = None
    theme: str | None = None
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
    for name in ("base_url", "theme"):
        value = data.get(name)
        if isinstance(value, str):
            setattr(config, name, value)
        elif value is not None:
            ignored.append(name)
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


def save_config(config: Config, path: Path | None = None) -> None:
    """Write ``config`` atomically with mode 0600. Raises ValueError for a key-like value."""
    path = Path(path) if path is not None else config_path()
    text = config_to_toml(config)
    _keep_corrupt_copy(path)
    atomic_write_private(path, text)


def config_to_toml(config: Config) -> str:
    """The TOML text for ``config`` (``warning`` is not saved)."""
    lines: list[str] = []
    for name in ("base_url", "theme"):
        value = getattr(config, name)
        if value is not None:
            lines.append(f"{name} = {_string(value, name)}")
    if config.keymap:
        lines += ["", "[keymap]"]
        for binding, keys in config.keymap.items():
            lines.append(f"{_key(binding)} = {_string(keys, f'keymap.{binding}')}")
    for name, entry in config.profiles.items():
        values = [(a, getattr(entry, a)) for a in ("workspace_id", "workspace_name")]
        values = [(a, v) for a, v in values if v is not None]
        lines += ["", f"[profiles.{_key(name)}]"]
        for attr, value in values:
            lines.append(f"{attr} = {_string(value, f'profiles.{name}.{attr}')}")
    return "\n".join(lines).lstrip("\n") + "\n"


def looks_like_api_key(text: str) -> bool:
    return bool(_KEY_LIKE.search(text))


def _key(name: str) -> str:
    if _BARE_KEY.fullmatch(name) and not looks_like_api_key(name):
        return name
    return _string(name, "a table or key name")


def _string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"The setting {where} must be text, not {type(value).__name__}.")
    if looks_like_api_key(value):
        raise ValueError(
            f"Refusing to write {where} to the settings file: it looks like an API key, "
            "and keys belong in the system keyring."
        )
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"The setting {where} contains a character TOML cannot hold.")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _keep_corrupt_copy(path: Path) -> None:
    """Before replacing a file that does not parse, keep it as ``<name>.corrupt``."""
    try:
        tomllib.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return
    except Exception:
        with contextlib.suppress(OSError):
            os.replace(path, path.with_name(path.name + ".corrupt"))

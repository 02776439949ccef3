"""Saved views: a named search, tag filter and ``emailVerified`` filter, per profile.

In ``config.toml`` (see ``storage/config.py``)::

    [profiles.default.views."Event leads"]
    search = "acme"
    tags = ["vip", "webinar"]
    email_verified = true

A view's name is the user's text (any characters TOML can hold); it is data wherever it is
shown. An entry of the wrong type is ignored on reading and left as it is on writing.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Table = MutableMapping[str, Any]
NewTable = Callable[[bool], Table]  # is_super_table -> an empty table


@dataclass
class SavedView:
    search: str | None = None
    tags: list[str] = field(default_factory=list)
    email_verified: bool | None = None

    def filters(self) -> dict[str, Any]:
        """The list filters, as ``SendKitClient.list_leads`` takes them."""
        return {
            "search": self.search or None,
            "tags": list(self.tags) or None,
            "email_verified": self.email_verified,
        }

    def describe(self) -> str:
        """'search "acme" · tags vip, webinar · verified emails only' (or 'every lead')."""
        parts = [f'search "{self.search}"'] if self.search else []
        if self.tags:
            parts.append("tags " + ", ".join(self.tags))
        if self.email_verified is not None:
            parts.append("verified emails only" if self.email_verified else "unverified emails")
        return " · ".join(parts) or "every lead"


def views_from_dict(data: Any, where: str, ignored: list[str]) -> dict[str, SavedView]:
    """The views in ``data`` (a profile's ``views`` table); wrong types go to ``ignored``."""
    views: dict[str, SavedView] = {}
    if data is None:
        return views
    if not isinstance(data, dict):
        ignored.append(where)
        return views
    for name, table in data.items():
        if not isinstance(table, dict):
            ignored.append(f"{where}.{name}")
            continue
        view = views[name] = SavedView()
        search, tags, verified = (table.get(k) for k in ("search", "tags", "email_verified"))
        if isinstance(search, str):
            view.search = search
        elif search is not None:
            ignored.append(f"{where}.{name}.search")
        if isinstance(tags, list) and all(isinstance(tag, str) for tag in tags):
            view.tags = list(tags)
        elif tags is not None:
            ignored.append(f"{where}.{name}.tags")
        if isinstance(verified, bool):
            view.email_verified = verified
        elif verified is not None:
            ignored.append(f"{where}.{name}.email_verified")
    return views


def merge_views(profile: Table, views: dict[str, SavedView], new_table: NewTable) -> None:
    """Write ``views`` into a profile's table, keeping what else the file holds."""
    if not views:
        return
    table = child_table(profile, "views", new_table, is_super=True)
    for name, view in views.items():
        entry = child_table(table, name, new_table, is_super=False)
        values: dict[str, Any] = {
            "search": view.search or None,
            "tags": list(view.tags) or None,
            "email_verified": view.email_verified,
        }
        for key, value in values.items():
            if value is not None:
                entry[key] = value
            elif key in entry and isinstance(entry[key], (str, list, bool)):
                del entry[key]


def view_strings(name: str, view: SavedView) -> list[tuple[str, str]]:
    """Every text a view would write, with where it goes (for the config's checks)."""
    where = f"views.{name}"
    texts = [(name, "a view name")]
    if view.search:
        texts.append((view.search, f"{where}.search"))
    texts += [(tag, f"{where}.tags") for tag in view.tags]
    return texts


def child_table(parent: Table, name: str, new_table: NewTable, *, is_super: bool) -> Table:
    """``parent[name]`` if it is a table, else a new empty one put there (config and views)."""
    current = parent.get(name)
    if isinstance(current, MutableMapping):
        return current
    parent[name] = new_table(is_super)
    found = parent[name]
    assert isinstance(found, MutableMapping)
    return found

"""Saving over someone else's edit: a three-way view of baseline, ours and theirs.

``baseline`` is the copy the user started from, ``patch`` what the user changed (from
``build_patch``), ``theirs`` the freshest copy on the server (request shape). Tags are sent
as our additions and removals applied to their list, so a tag someone else added meanwhile
is kept; fields both sides changed to different values are clashes the user decides on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sendkit_tui.domain.patch import LIST_FIELD, MAP_FIELD


def _fold(tag: Any) -> str:
    return str(tag).strip().casefold()


def merge_tags(baseline: list[Any], ours: list[Any], theirs: list[Any]) -> list[str]:
    """Our additions and removals (against ``baseline``) applied to ``theirs``."""
    base = {_fold(t) for t in baseline}
    mine = {_fold(t) for t in ours}
    removed = base - mine
    out = [str(t) for t in theirs if _fold(t) not in removed]
    have = {_fold(t) for t in out}
    for tag in ours:
        if _fold(tag) not in base and _fold(tag) not in have:
            out.append(str(tag))
            have.add(_fold(tag))
    return out


@dataclass(frozen=True)
class Clash:
    """A field both sides changed, to different values."""

    field: str  # "jobTitle" or "customFields.budget"
    theirs: Any
    mine: Any


def _same(a: Any, b: Any) -> bool:
    return ((a in (None, "")) and (b in (None, ""))) or a == b


def clashes(
    baseline: Mapping[str, Any], patch: Mapping[str, Any], theirs: Mapping[str, Any]
) -> list[Clash]:
    """Fields in ``patch`` that ``theirs`` also changed since ``baseline``, differently.

    Only fields ``theirs`` carries are judged (a list row may lack custom fields)."""
    found: list[Clash] = []
    for key, mine in patch.items():
        if key == LIST_FIELD or key not in theirs:
            continue  # tags merge (see merge_tags); a field not carried cannot be judged
        if key == MAP_FIELD:
            base_map = baseline.get(MAP_FIELD) or {}
            their_map = theirs.get(MAP_FIELD) or {}
            for name, value in (mine or {}).items():
                before, now = base_map.get(name), their_map.get(name)
                if not _same(before, now) and not _same(now, value):
                    found.append(Clash(f"{MAP_FIELD}.{name}", now, value))
            continue
        before, now = baseline.get(key), theirs.get(key)
        if not _same(before, now) and not _same(now, mine):
            found.append(Clash(key, now, mine))
    return found


def rebase_patch(
    baseline: Mapping[str, Any],
    patch: Mapping[str, Any],
    theirs: Mapping[str, Any],
    *,
    keep_theirs: bool = False,
) -> dict[str, Any]:
    """``patch`` made to fit ``theirs``: tags merged (left out when theirs already match);
    with ``keep_theirs`` the clashing fields are left out too."""
    out: dict[str, Any] = {k: (dict(v) if k == MAP_FIELD else v) for k, v in patch.items()}
    if LIST_FIELD in out and LIST_FIELD in theirs:
        merged = merge_tags(
            list(baseline.get(LIST_FIELD) or []),
            list(out[LIST_FIELD] or []),
            list(theirs.get(LIST_FIELD) or []),
        )
        if [_fold(t) for t in merged] == [_fold(t) for t in theirs.get(LIST_FIELD) or []]:
            del out[LIST_FIELD]
        else:
            out[LIST_FIELD] = merged
    if keep_theirs:
        for clash in clashes(baseline, out, theirs):
            if clash.field.startswith(f"{MAP_FIELD}."):
                out[MAP_FIELD].pop(clash.field.split(".", 1)[1], None)
            else:
                out.pop(clash.field, None)
        if MAP_FIELD in out and not out[MAP_FIELD]:
            del out[MAP_FIELD]
    return out

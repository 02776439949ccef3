"""A lead's tags as changes to a baseline list: which original tags were removed, which added.

Tags are a set for change detection, compared without regard to case (as ``rules.check_tag``
dedupes them): the list sent is always the baseline order minus the removed tags plus the added
ones at the end. So a reorder alone is no change, and a removed tag that is put back returns to
its original place with its original spelling. Adding ``"VIP"`` after removing ``"vip"`` is that
same restore (a change of case alone cannot be expressed).

Because the changes are kept as removals and additions rather than as a list, they can be laid
over a fresher copy of the lead (``rebased``): a tag someone else added stays, a tag the user
removed stays removed, and a tag the user added that the server now has is no longer an addition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sendkit_tui.domain.rules import MAX_TAGS, check_tag, normalize_tag, normalize_tags

TAG_SEPARATORS = re.compile(r"[,;]")
"""Typed or pasted text is split into tags on commas and semicolons."""


def fold(tag: str) -> str:
    """The identity of a tag: two spellings that fold the same are the same tag."""
    return normalize_tag(tag).casefold()


@dataclass
class TagChanges:
    """The baseline tags (``base``), the folds of those removed, and the tags added, in order.

    Kept true by every method: ``removed`` only holds folds of ``base`` tags, and ``added`` holds
    no tag whose fold is in ``base`` nor two tags with the same fold.
    """

    base: list[str] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    added: list[str] = field(default_factory=list)

    def copy(self) -> TagChanges:
        return TagChanges(list(self.base), set(self.removed), list(self.added))

    def _base_folds(self) -> set[str]:
        return {fold(t) for t in self.base}

    def current(self) -> list[str]:
        """The list to send: baseline order minus removed tags, then added tags."""
        kept = [t for t in self.base if fold(t) not in self.removed]
        return kept + self.added

    @property
    def changed(self) -> bool:
        """Whether the tags differ from the baseline as a set."""
        return bool(self.removed or self.added)

    def entries(self) -> list[tuple[str, str]]:
        """``(marker, tag)`` per chip: ``' '`` kept, ``'-'`` removed, ``'+'`` added.

        Removed tags stay at their original positions (so a restore does not move the chip);
        added tags follow the baseline ones.
        """
        shown = [("-" if fold(t) in self.removed else " ", t) for t in self.base]
        return shown + [("+", t) for t in self.added]

    def check(self, text: str) -> str | None:
        """Why ``text`` cannot be added now (None: it can)."""
        problem = check_tag(text, self.current())
        new = fold(text) not in self._base_folds()
        if problem is None and new and len(self.current()) >= MAX_TAGS:
            problem = f"At most {MAX_TAGS} tags."
        return problem

    def add(self, text: str) -> str | None:
        """Add one tag, or put back a removed original; returns the problem when refused."""
        problem = self.check(text)
        if problem is not None:
            return problem
        key = fold(text)
        if key in self._base_folds():
            self.removed.discard(key)
        else:
            self.added.append(normalize_tag(text))
        return None

    def add_text(self, text: str) -> list[tuple[str, str]]:
        """Add every tag in ``"hot, q4; vip"``; returns ``(piece, problem)`` for those refused.

        Empty pieces (``"a,,b"``, a trailing comma) are skipped without a problem.
        """
        refused: list[tuple[str, str]] = []
        for piece in TAG_SEPARATORS.split(text):
            if not piece.strip():
                continue
            problem = self.add(piece)
            if problem is not None:
                refused.append((piece.strip(), problem))
        return refused

    def find(self, tag: str) -> str | None:
        """The tag shown (kept, added or removed) that ``tag`` names, in its shown spelling."""
        key = fold(tag)
        for _, shown in self.entries():
            if fold(shown) == key:
                return shown
        return None

    def remove(self, tag: str) -> bool:
        """Remove a current tag; an added one disappears, an original one is marked removed."""
        key = fold(tag)
        for index, added in enumerate(self.added):
            if fold(added) == key:
                del self.added[index]
                return True
        if key in self._base_folds() and key not in self.removed:
            self.removed.add(key)
            return True
        return False

    def restore(self, tag: str) -> bool:
        """Put a removed original back at its original place; False if it was not removed."""
        key = fold(tag)
        if key in self.removed:
            self.removed.discard(key)
            return True
        return False

    def set_all(self, tags: Iterable[str]) -> None:
        """Make ``tags`` the current set (trimmed, deduplicated).

        Their order is not kept: tags already there keep their places and new ones are added
        in the order given, so a reorder alone changes nothing.
        """
        wanted = normalize_tags(tags)
        folds = {fold(t) for t in wanted}
        base = self._base_folds()
        self.removed = base - folds
        kept = [t for t in self.added if fold(t) in folds]
        known = {fold(t) for t in kept} | base
        self.added = kept + [t for t in wanted if fold(t) not in known]

    def rebased(self, base: Iterable[str]) -> TagChanges:
        """The same removals and additions laid over a fresher baseline list."""
        fresh = TagChanges(list(base))
        folds = fresh._base_folds()
        fresh.removed = self.removed & folds
        fresh.added = [t for t in self.added if fold(t) not in folds]
        return fresh

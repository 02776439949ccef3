"""What the workspace's leads say, as completions for the form's boxes.

``Vocabulary`` learns from leads in request or response shape (list items, create and PATCH
answers): tags, custom-field keys, the values of keys that have few distinct values, and the
company, job title, city, state and country. It suggests, for what is typed, the term that
starts with it (case-insensitively), the most frequent first, then the most recently seen.

Counts are sightings: a lead seen twice counts twice (the app learns each lead once per
walk of the workspace; a lead saved again is seen again). Every kind holds a bounded number
of terms; the rarest, oldest are dropped first. A custom field's values are kept only while
the key has at most ``MAX_VALUES_PER_KEY`` distinct values: a key with more (an email, a
date) is free text, and its values are forgotten for good.

Pure: no I/O, no Textual. ``to_dict``/``from_dict`` give the JSON the cache stores.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sendkit_tui.identity import KEY_LIKE

TAGS = "tags"
CUSTOM_KEYS = "customFields"
FIELDS: tuple[str, ...] = ("companyName", "jobTitle", "city", "state", "country")
"""Standard fields whose values repeat across leads (names, emails and phones do not)."""

MAX_VALUES_PER_KEY = 20
MAX_TERMS = 2_000  # per kind
MAX_TERM_LEN = 200
MAX_VALUE_KINDS = 300  # custom keys whose values are kept
SCAN = 64  # matches ranked one by one; more: see ``Kind.best_with_prefix``
SCHEMA = 1

_SPACING = re.compile(r"[\s\-_]+")


def value_kind(key: str) -> str:
    """The kind that holds the values of custom field ``key``."""
    return f"{CUSTOM_KEYS}.{key.strip()}"


def spelling_key(text: str) -> str:
    """``text`` without case and spacing: "Decision Maker", "decision-maker" → "decisionmaker"."""
    return _SPACING.sub("", text.casefold())


@dataclass(slots=True)
class Term:
    spelling: str
    count: int
    last: int  # the vocabulary's sighting number when last seen (higher: more recent)

    @property
    def rank(self) -> tuple[int, int]:
        return (self.count, self.last)


class Kind:
    """The terms of one kind, with a sorted index of their casefolded spellings."""

    __slots__ = ("_index", "_ranked", "terms")

    def __init__(self) -> None:
        self.terms: dict[str, Term] = {}  # exact spelling -> term
        self._index: list[tuple[str, str]] | None = None  # (casefold, spelling), sorted
        self._ranked: list[Term] | None = None  # best first

    def add(self, spelling: str, seen: int, count: int = 1) -> None:
        term = self.terms.get(spelling)
        if term is None:
            self.terms[spelling] = Term(spelling, count, seen)
            self._index = None
        else:
            term.count += count
            term.last = max(term.last, seen)
        self._ranked = None

    def trim(self, limit: int) -> None:
        """At most ``limit`` terms: over it, the rarest and oldest tenth go at once (so a
        walk past the bound sorts now and then, not on every lead)."""
        if len(self.terms) > limit:
            keep = sorted(self.terms.values(), key=lambda t: t.rank, reverse=True)
            keep = keep[: limit - limit // 10]
            self.terms = {t.spelling: t for t in keep}
            self._index = self._ranked = None

    def index(self) -> list[tuple[str, str]]:
        if self._index is None:
            self._index = sorted((s.casefold(), s) for s in self.terms)
        return self._index

    def best_with_prefix(self, typed: str) -> Term | None:
        """The highest-ranked term whose casefolded spelling starts with ``typed``.

        A few matches (a longer prefix) are ranked from the sorted index; many (one or two
        letters) are found by going down the terms best first, where one soon matches: a
        lookup stays well under a millisecond with thousands of terms."""
        folded = typed.casefold()
        index = self.index()
        low = bisect_left(index, (folded, ""))
        high = bisect_left(index, (folded + "\U0010ffff", ""), low)
        if high - low <= SCAN:
            found = (self.terms[index[at][1]] for at in range(low, high))
            return max(found, key=lambda t: t.rank, default=None)
        if self._ranked is None:
            self._ranked = sorted(self.terms.values(), key=lambda t: t.rank, reverse=True)
        return next((t for t in self._ranked if t.spelling.casefold().startswith(folded)), None)


class Vocabulary:
    """Terms per kind (``TAGS``, ``CUSTOM_KEYS``, a field name, ``value_kind(key)``)."""

    def __init__(self) -> None:
        self.kinds: dict[str, Kind] = {}
        self.open_keys: set[str] = set()  # custom keys with too many values to suggest
        self.seen = 0  # sightings so far: the recency clock

    def __len__(self) -> int:
        return sum(len(kind.terms) for kind in self.kinds.values())

    # -- learning ----------------------------------------------------------------------------

    def learn(self, kind: str, text: Any) -> None:
        """One sighting of ``text`` as a ``kind`` (blank or non-text values are ignored)."""
        if not isinstance(text, str):
            return
        spelling = text.strip()
        if not spelling or len(spelling) > MAX_TERM_LEN or KEY_LIKE.search(spelling):
            return  # nothing key-shaped is kept (the cache is a file)
        self.seen += 1
        self._kind(kind).add(spelling, self.seen)

    def learn_lead(self, lead: Mapping[str, Any]) -> None:
        """Everything a lead (request or response shape) says; unknown shapes are ignored."""
        for field in FIELDS:
            self.learn(field, lead.get(field))
        tags = lead.get(TAGS)
        if isinstance(tags, list):
            for tag in tags:
                self.learn(TAGS, tag)
        custom = lead.get(CUSTOM_KEYS)
        if isinstance(custom, Mapping):
            for key, value in custom.items():
                if isinstance(key, str) and key.strip():
                    self.learn(CUSTOM_KEYS, key)
                    self._learn_value(key.strip(), value)
        self._trim()

    def learn_leads(self, leads: Iterable[Mapping[str, Any]]) -> None:
        for lead in leads:
            if isinstance(lead, Mapping):
                self.learn_lead(lead)

    def _learn_value(self, key: str, value: Any) -> None:
        if key in self.open_keys or not isinstance(value, str):
            return
        kind = value_kind(key)
        if kind not in self.kinds and self._value_kinds() >= MAX_VALUE_KINDS:
            return
        self.learn(kind, value)
        if len(self.kinds.get(kind, Kind()).terms) > MAX_VALUES_PER_KEY:
            self.open_keys.add(key)  # free text (an email, a date): no value suggestions
            del self.kinds[kind]

    def _value_kinds(self) -> int:
        prefix = f"{CUSTOM_KEYS}."
        return sum(1 for name in self.kinds if name.startswith(prefix))

    def _kind(self, name: str) -> Kind:
        kind = self.kinds.get(name)
        if kind is None:
            kind = self.kinds[name] = Kind()
        return kind

    def _trim(self) -> None:
        for kind in self.kinds.values():
            kind.trim(MAX_TERMS)

    # -- suggesting --------------------------------------------------------------------------

    def suggest(self, kind: str, typed: str) -> str | None:
        """The completion of ``typed``: the best term that starts with it (any case) and is
        not already exactly what is typed; else, for tags, the known spelling of a tag that
        differs only by case or spacing. None when there is nothing to offer."""
        if not typed.strip():
            return None
        found = self.kinds.get(kind)
        if found is None:
            return None
        term = found.best_with_prefix(typed)
        if term is not None and term.spelling != typed:
            return term.spelling
        if kind == TAGS:
            return self.known_tag(typed)
        return None

    def known_tag(self, typed: str) -> str | None:
        """The usual spelling of a known tag that differs from ``typed`` only by case or
        spacing ("VIP" → "vip", "decision maker" → "decision-maker"); None if none differs."""
        wanted = spelling_key(typed)
        if not wanted:
            return None
        best: Term | None = None
        for term in self.kinds.get(TAGS, Kind()).terms.values():
            if spelling_key(term.spelling) == wanted and (best is None or term.rank > best.rank):
                best = term
        if best is None or best.spelling == typed.strip():
            return None
        return best.spelling

    def value_for(self, key: str, typed: str) -> str | None:
        """The completion of a value typed for custom field ``key`` (its known spelling
        when the key is typed in another case)."""
        key = key.strip()
        if not key:
            return None
        if value_kind(key) not in self.kinds:
            known = self.kinds.get(CUSTOM_KEYS)
            term = known.best_with_prefix(key) if known else None
            if term is None or term.spelling.casefold() != key.casefold():
                return None
            key = term.spelling
        return self.suggest(value_kind(key), typed)

    # -- storing -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "seen": self.seen,
            "open_keys": sorted(self.open_keys),
            "kinds": {
                name: [[t.spelling, t.count, t.last] for t in kind.terms.values()]
                for name, kind in sorted(self.kinds.items())
                if kind.terms
            },
        }

    @classmethod
    def from_dict(cls, data: Any) -> Vocabulary:
        """Reads what ``to_dict`` wrote; anything malformed raises ``ValueError``."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ValueError("not a vocabulary of this version")
        vocabulary = cls()
        seen, kinds, open_keys = data.get("seen"), data.get("kinds"), data.get("open_keys")
        if not isinstance(seen, int) or not isinstance(kinds, dict):
            raise ValueError("a vocabulary needs 'seen' and 'kinds'")
        if not isinstance(open_keys, list) or not all(isinstance(k, str) for k in open_keys):
            raise ValueError("'open_keys' is not a list of names")
        vocabulary.seen, vocabulary.open_keys = seen, set(open_keys)
        for name, terms in kinds.items():
            if not isinstance(name, str) or not isinstance(terms, list):
                raise ValueError("a kind is not a list of terms")
            kind = vocabulary._kind(name)
            for item in terms:
                if not (
                    isinstance(item, list)
                    and len(item) == 3
                    and isinstance(item[0], str)
                    and 0 < len(item[0].strip()) <= MAX_TERM_LEN
                    and all(isinstance(n, int) and n >= 0 for n in item[1:])
                ):
                    raise ValueError("a term is not [spelling, count, last]")
                kind.add(item[0], item[2], item[1])
        vocabulary._trim()
        return vocabulary

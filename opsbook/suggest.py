"""“Did you mean …?”: the known name closest to one that is almost right.

Editors type what they see on the page (a title such as 售后服务专员, an alias,
or a traditional-script form) where an id is expected, or mistype an id. Every
candidate is indexed under its id, titles and aliases, folded (lower case,
traditional → simplified, no spaces or hyphens), so that an exact title match
wins and a near miss is found by edit similarity.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache

_NOISE = re.compile(r"[\s_\-·・]+")


@cache
def _t2s():
    try:
        from opencc import OpenCC
    except ImportError:  # pragma: no cover - opencc is a dependency; fold less without it
        return None
    return OpenCC("t2s")


def fold(text: str) -> str:
    """Lower case, simplified script, no separators: what two spellings of one name share."""
    converter = _t2s()
    text = converter.convert(text) if converter else text
    return _NOISE.sub("", text.casefold())


class Index:
    """Names (ids, titles, aliases) → the id they stand for."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}  # folded name -> id
        self.ids: list[str] = []

    def add(self, ident: str, *names: str | None) -> None:
        self.ids.append(ident)
        for name in (ident, *names):
            if isinstance(name, str) and name.strip():
                self._ids.setdefault(fold(name), ident)

    def extend(self, entries: Iterable[tuple[str, Iterable[str | None]]]) -> Index:
        for ident, names in entries:
            self.add(ident, *names)
        return self

    def __contains__(self, ident: object) -> bool:
        return ident in self.ids

    def suggest(self, typed: str, limit: int = 3) -> list[str]:
        """Ids the user may have meant, best first (empty when nothing is close)."""
        if not isinstance(typed, str) or not typed.strip():
            return []
        key = fold(typed)
        if key in self._ids:
            exact = self._ids[key]
            return [] if exact == typed else [exact]
        close = difflib.get_close_matches(key, list(self._ids), n=limit * 3, cutoff=0.6)
        # a name that contains the typed text (or the reverse) is a strong hint for short Chinese titles
        contains = [k for k in self._ids if len(key) >= 2 and (key in k or k in key) and len(k) >= 2]
        found = dict.fromkeys(self._ids[k] for k in [*close, *contains])
        found.pop(typed, None)
        return list(found)[:limit]

"""Expected/actual texts in words: a finding's :class:`~checker.finding.Text` rendered in a language.

Parameters hold ids and values; this module turns them into what a reader
expects: step ids (``step``, ``pred``, ``other``, and a deadline anchored on a
step) become the step's title, role ids (``roles``) the roles' titles, an
``amount`` with its ``unit`` a duration in words, lists are joined. The words
themselves come from the ``report`` catalogue.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

import polars as pl

from checker.finding import Finding, Text
from opsbook.i18n import tr
from opsbook.model import Handbook

_STEP_PARAMS = ("step", "pred", "other")
_JOIN = {"zh": "、", "en": ", "}


@dataclass(frozen=True)
class Names:
    """Titles of the handbook's steps, obligations, processes and roles (ids when unknown)."""

    steps: dict[tuple[str, str], str] = field(default_factory=dict)
    processes: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    # unknown activity label -> (label to use, process, step): checker.suggest's did-you-mean
    suggestions: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, handbook: Handbook | None, lang: str = "zh") -> Names:
        """Titles as the handbook gives them; in English, a process's or role's ``title_en`` where it has one."""
        if handbook is None:
            return cls()
        steps = {(p.id, s.id): s.title for p in handbook.processes for s in p.steps}
        steps |= {(p.id, o.id): o.title for p in handbook.processes for o in p.obligations}

        def title(thing) -> str:
            return (lang == "en" and thing.title_en) or thing.title

        return cls(steps, {p.id: title(p) for p in handbook.processes}, {r.id: title(r) for r in handbook.roles})

    def step(self, process: str | None, step: str | None) -> str | None:
        return self.steps.get((process or "", step or ""), step)


def join(items, lang: str) -> str:
    """Items as a list in the language's way: 甲、乙 / a, b."""
    return _JOIN[lang].join(str(i) for i in items)


def duration(amount: int, unit: str, lang: str) -> str:
    return tr("report", f"unit.{unit}", lang, count=int(amount))


# Parameters ``render`` converts (ids to titles, lists, durations, plural counts, did-you-mean hints) or
# that choose the words: part of a text's shape. Any other text parameter is shown as it is.
_SHAPING = frozenset({*_STEP_PARAMS, "roles", "people", "unit", "amount", "anchor_kind", "anchor", "count", "label"})
SHAPES_KEPT = 1 << 14


class Wording:
    """``render`` for many findings: a text's words are made once per *shape* (the text with each parameter
    shown as it is replaced by a slot, and the finding's process), then each text fills its shape's slots.

    Texts of one rule and step mostly differ only in such parameters (a due time, a period's dates), so a
    log with millions of findings renders a few hundred shapes, not a million texts. Same words as
    ``render``: a slot is marked by NUL characters around a random token drawn for each ``Wording``, which
    no parameter of a log written before the run can hold.
    """

    def __init__(self, lang: str, names: Names):
        self.lang, self.names = lang, names
        self._shapes: dict[tuple, list[str]] = {}
        token = secrets.token_hex(8)
        self._mark = f"\x00{token}%s\x00"
        self._slot = re.compile(f"\x00{token}([^\x00]+)\x00")

    def __call__(self, text: Text, process: str | None) -> str:
        shown, slots = {}, []
        for name, value in text.params:
            if name in _SHAPING or not isinstance(value, str):
                slots.append((name, value))
            else:
                shown[name] = value
                slots.append((name, self._mark % name))
        key = (text.id, tuple(slots), process)
        pieces = self._shapes.get(key)
        if pieces is None:
            if len(self._shapes) >= SHAPES_KEPT:
                self._shapes.clear()
            words = render(Text(text.id, key[1]), Finding("", "", "", "", process=process), self.lang, self.names)
            pieces = self._shapes[key] = self._slot.split(words)  # odd pieces name a slot
        if len(pieces) == 1:
            return pieces[0]
        return "".join(shown[piece] if i % 2 else piece for i, piece in enumerate(pieces))


def render(text: Text, finding: Finding, lang: str, names: Names) -> str:
    params = dict(text.params)
    hint = names.suggestions.get(params.get("label")) if text.id == "actual.unknown-label" else None
    if hint is not None:
        label, process, step = hint
        title = names.step(process, step)
        text = Text("actual.did-you-mean" if title != label else "actual.did-you-mean-label")
        params.update(suggestion=label, **({"step": title} if title != label else {}))
    for name in _STEP_PARAMS:
        if name in params:
            params[name] = names.step(finding.process, params[name])
    if "roles" in params:
        roles = params["roles"] or ()
        shown = [names.roles.get(r) or tr("report", "role.not-in-handbook", lang, role=r) for r in roles]
        params["roles"] = _JOIN[lang].join(shown) or tr("report", "none", lang)
    if "people" in params:
        params["people"] = _JOIN[lang].join(params["people"] or ()) or tr("report", "none-recorded", lang)
    if "unit" in params:
        params["duration"] = duration(params.pop("amount"), params.pop("unit"), lang)
    if "anchor_kind" in params:
        kind, ref = params.pop("anchor_kind"), params["anchor"]
        if kind == "case_start":
            params["anchor"] = tr("report", "anchor.case-start", lang)
        elif kind == "step":
            params["anchor"] = names.step(finding.process, ref)
    count = params.pop("count", None)
    return tr("report", text.id, lang, count=count, **params)


_UNITS = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))


def lateness_shown(seconds: pl.Expr) -> pl.Expr:
    """``seconds`` cut to the two largest units ``lateness_words`` shows (0 for on time): the same words
    for far fewer distinct values, so that a report makes them once per value (checker.reports.jsonlines)."""
    step = pl.lit(1, pl.Int64)
    for (_, size), (_, finer) in reversed(list(zip(_UNITS, _UNITS[1:], strict=False))):
        step = pl.when(seconds >= size).then(pl.lit(finer, pl.Int64)).otherwise(step)
    return pl.when(seconds <= 0).then(pl.lit(0, pl.Int64)).otherwise(seconds - seconds % step)


def lateness_words(seconds: int | None, lang: str) -> str:
    """ "迟了 2天3小时" / "2 d 3 h late": the largest unit and the next one, when not zero."""
    if seconds is None:
        return ""
    if seconds <= 0:
        return tr("report", "lateness.on-time", lang)
    parts, rest = [], seconds
    for unit, size in _UNITS:
        n, rest = divmod(rest, size)
        if n or parts:
            parts.append((n, unit))
        if len(parts) == 2:
            break
    words = [tr("report", f"lateness.{unit}", lang, count=n) for n, unit in parts if n]
    duration = words[0] if len(words) == 1 else tr("report", "lateness.pair", lang, first=words[0], second=words[1])
    return tr("report", "lateness.late", lang, duration=duration)

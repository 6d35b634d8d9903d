"""Misspelt activity labels, as people type them: a homophone, a traditional character, a stray note.

Each label of the handbook gets a few fixed variants that record nothing in the
handbook; the unknown-activity deviation (C111) writes one of them. Fixed
variants keep the number of distinct unknown labels small, so one warning per
label gathers many events, as in real logs.
"""

from __future__ import annotations

from opsbook.model import Handbook

from .rand import Stream

# Simplified → a homophone or the traditional form people slip into.
_SLIPS = {
    "订": "定",
    "签": "簽",
    "审": "審",
    "认": "認",
    "购": "購",
    "书": "書",
    "记": "記",
    "录": "錄",
    "进": "進",
    "户": "戶",
    "报": "報",
    "续": "續",
    "结": "節",
    "验": "驗",
    "访": "訪",
    "会": "會",
}
_NOTES = ("（补录）", "-重复", "(草稿)")


class Typos:
    def __init__(self, handbook: Handbook) -> None:
        known = set(handbook.activity_index())
        self.variants: dict[str, tuple[str, ...]] = {}
        for label in sorted(known):
            options = []
            slip = next((c for c in label if c in _SLIPS), None)
            if slip:
                options.append(label.replace(slip, _SLIPS[slip], 1))
            options.append(label + _NOTES[len(label) % len(_NOTES)])
            if len(label) > 3:
                options.append(label[:2] + " " + label[2:])
            self.variants[label] = tuple(o for o in dict.fromkeys(options) if o not in known and o.strip() == o)

    def pick(self, label: str, rs: Stream) -> str | None:
        options = self.variants.get(label)
        return rs.pick(options) if options else None

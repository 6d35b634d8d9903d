"""The traditional-Chinese edition (zh-Hant): the same manual converted by OpenCC.

Staff who read traditional characters get the whole manual in them, with
Taiwan phrasing where OpenCC has it (``s2twp``: 软件 → 軟體, 信息 → 資訊). The
edition is built from the same pages after the simplified one, into
``<site>/zh-Hant/``, and each edition links to the other from the header's
language menu. URLs, anchors and ids are ASCII and stay the same, so a link
into one edition works in the other with ``zh-Hant/`` added or removed; search
already folds both scripts.
"""

from __future__ import annotations

from functools import cache

from opencc import OpenCC

HANT = "zh-Hant"
FOLDER = "zh-Hant"  # the edition's folder inside the simplified site
CONVERSION = "s2twp"


@cache
def _converter() -> OpenCC:
    return OpenCC(CONVERSION)


def convert(text: str) -> str:
    """``text`` in traditional characters with Taiwan phrasing."""
    return _converter().convert(text) if text else text


def alternates(edition: str | None) -> list[dict]:
    """The theme's language menu (``extra.alternate``): links relative to this edition's root."""
    here_hant = edition == HANT
    return [
        {"name": "简体中文", "link": "../" if here_hant else "./", "lang": "zh"},
        {"name": "繁體中文", "link": "./" if here_hant else f"{FOLDER}/", "lang": HANT},
    ]

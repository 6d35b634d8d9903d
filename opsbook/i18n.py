"""Every sentence a person reads, from gettext catalogues (zh first, en).

Catalogues are ordinary gettext ``.po`` files, one per *domain*, under
``opsbook/locale/<lang>/LC_MESSAGES/<domain>.po``, read with Babel (no compile
step). Message ids are symbolic (``check.no-events``), so both languages are
translations of the same id and a test can prove neither misses one. Texts use
named placeholders (``{case}``, ``{count}``); plural forms come from the
catalogue's ``msgid_plural`` entries, chosen by the ``count`` parameter, never by
concatenation in code.

Domains: ``cli`` (command-line messages and errors), ``validate`` (the
validator's problem messages), ``report`` (checker reports and finding texts),
``site`` (strings of the generated manual).
"""

from __future__ import annotations

import gettext
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGS = ("zh", "en")
DEFAULT = "zh"
LOCALE_DIR = Path(__file__).with_name("locale")


class MissingMessage(KeyError):
    """A message id that a catalogue does not have: a bug, caught by the catalogue tests."""


@dataclass(frozen=True)
class _Catalogue:
    texts: dict[str, str | tuple[str, ...]]
    plural: object  # callable n -> index


@cache
def _catalogue(domain: str, lang: str) -> _Catalogue:
    from babel.messages.pofile import read_po  # imported on first use: start-up stays light

    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=None, domain=domain)
    texts: dict[str, str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        texts[key] = tuple(message.string) if isinstance(message.string, tuple | list) else message.string
    return _Catalogue(texts, gettext.c2py(catalog.plural_expr or "(n != 1)"))


def language(lang: str | None = None) -> str:
    """The language to use: the one given, else ``OPSBOOK_LANG``, else Chinese."""
    chosen = (lang or os.environ.get("OPSBOOK_LANG") or DEFAULT).split("_")[0].split("-")[0].lower()
    return chosen if chosen in LANGS else DEFAULT


def message_ids(domain: str, lang: str) -> set[str]:
    return set(_catalogue(domain, lang).texts)


def tr(domain: str, msgid: str, lang: str | None = None, /, count: int | None = None, **params: object) -> str:
    """The text of ``msgid`` in ``lang``, its ``{placeholders}`` filled from ``params`` (and ``count``)."""
    catalogue = _catalogue(domain, language(lang))
    try:
        text = catalogue.texts[msgid]
    except KeyError:
        raise MissingMessage(f"{domain}:{msgid} ({language(lang)})") from None
    if isinstance(text, tuple):
        index = catalogue.plural(0 if count is None else count)
        text = text[min(index, len(text) - 1)]
    if count is not None:
        params["count"] = count
    return text.format_map(params) if params else text


def translator(domain: str, lang: str | None = None):
    """``tr`` bound to a domain and language: ``t = translator("report", "en"); t("report.title")``."""
    chosen = language(lang)

    def t(msgid: str, /, count: int | None = None, **params: object) -> str:
        return tr(domain, msgid, chosen, count=count, **params)

    return t

"""Report wording from the ``report`` catalogue: labels by short name, severities, lateness in words.

Writers and templates say ``L.title`` or ``L["rows_read"]``: the name maps to the
symbolic id ``label.title`` / ``label.rows-read`` of
``opsbook/locale/<lang>/LC_MESSAGES/report.po``, so every word a report shows
comes from the catalogue, and a missing id fails loudly (``MissingMessage``).
Counted labels are called: ``L("total", count=n)`` picks the catalogue's plural.
"""

from __future__ import annotations

from functools import cache

from opsbook.i18n import MissingMessage, tr

_UNITS = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))


def msgid(name: str) -> str:
    """``rows_read`` → ``label.rows-read``; names with a dot (``severity.warning``) are ids already."""
    return name if "." in name else "label." + name.replace("_", "-")


class Labels:
    """The report's labels in one language (``L.name``, ``L["name"]``, ``L("name", count=n)``)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, name: str) -> str:
        return tr("report", msgid(name), self.lang)

    def __getattr__(self, name: str) -> str:
        try:  # an AttributeError, so hasattr() and Jinja's lookups work as on any object
            return self[name]
        except MissingMessage:
            raise AttributeError(name) from None

    def __call__(self, name: str, /, count: int | None = None, **params: object) -> str:
        return tr("report", msgid(name), self.lang, count=count, **params)

    def get(self, name: str, default: str | None = None) -> str | None:
        try:
            return self[name]
        except MissingMessage:
            return default

    def severity_word(self, severity: str) -> str:
        return self.get(f"severity.{severity}", severity)

    def yes_no(self, value: bool) -> str:
        return self["yes" if value else "no"]


@cache
def labels(lang: str) -> Labels:
    return Labels(lang)


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

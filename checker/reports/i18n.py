"""Report wording from the ``report`` catalogue: labels by short name, severities, lateness in words.

Writers and templates say ``L.title`` or ``L["rows_read"]``: the name maps to the
symbolic id ``label.title`` / ``label.rows-read`` of
``opsbook/locale/<lang>/LC_MESSAGES/report.po``, so every word a report shows
comes from the catalogue, and a missing id fails loudly (``MissingMessage``).
Counted labels are called: ``L("total", count=n)`` picks the catalogue's plural.
"""

from __future__ import annotations

from functools import cache

from checker.texts import lateness_words  # noqa: F401  (the writers' import)
from opsbook.i18n import MissingMessage, tr


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

"""Validation problems: one small immutable value each, and the table of codes.

Codes never change meaning once published; the table feeds the editors'
reference in the manual.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

from .i18n import tr
from .terminal import printable

ERROR = "error"
WARNING = "warning"

# code: (severity, short name); what each means is in the validate catalogue (code.<CODE>)
CODES: dict[str, tuple[str, str]] = {
    "Y001": (ERROR, "yaml-syntax"),
    "Y002": (ERROR, "duplicate-key"),
    "Y003": (ERROR, "yaml-alias"),
    "Y004": (ERROR, "unreadable"),
    "Y005": (ERROR, "too-large"),
    "S001": (ERROR, "missing-field"),
    "S002": (ERROR, "unknown-field"),
    "S003": (ERROR, "wrong-type"),
    "S004": (ERROR, "invalid-value"),
    "X001": (ERROR, "unknown-role"),
    "X002": (ERROR, "unknown-step"),
    "X003": (ERROR, "unknown-form"),
    "X004": (ERROR, "unknown-attribute"),
    "X005": (ERROR, "unknown-source"),
    "X006": (ERROR, "duplicate-id"),
    "X007": (ERROR, "duplicate-activity"),
    "X008": (ERROR, "reporting-cycle"),
    "X009": (ERROR, "step-cycle"),
    "X010": (ERROR, "anchor-order"),
    "X011": (ERROR, "no-final-step"),
    "X012": (ERROR, "file-name"),
    "X013": (ERROR, "inconsistent-counts"),
    "X014": (ERROR, "bad-setting"),
    "X015": (ERROR, "unknown-term"),
    "X016": (ERROR, "confirm-scope"),
    "X017": (ERROR, "reserved-id"),
    "W001": (WARNING, "orphan-role"),
    "W002": (WARNING, "unused-form"),
    "W003": (WARNING, "no-schema-comment"),
}


class Msg(NamedTuple):
    """A parameter that is itself a catalogue message (a kind of thing, a type name), rendered with the rest."""

    msgid: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, msgid: str, /, **params: object) -> Msg:
        return cls(msgid, tuple(sorted(params.items())))


def _words(params: dict, lang: str | None) -> dict:
    return {k: tr("validate", v.msgid, lang, **dict(v.params)) if isinstance(v, Msg) else v for k, v in params.items()}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place. Sorted by file, line, column, code.

    The message is a catalogue id with parameters (domain ``validate``), rendered
    in the reader's language: the code and the place are the same in every
    language, the words are not.
    """

    file: str
    line: int
    column: int
    code: str
    msgid: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, file: str, line: int, column: int, code: str, msgid: str, /, **params: object) -> Problem:
        return cls(file, line, column, code, msgid, tuple(sorted(params.items())))

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    @property
    def message(self) -> str:
        return self.render()

    def render(self, lang: str | None = None) -> str:
        params = dict(self.params)
        suggested = params.pop("suggest", ())
        hint = ""
        if suggested:
            names = tr("validate", "list-sep", lang).join(suggested)
            hint = tr("validate", "did-you-mean", lang, names=names)
        return tr("validate", self.msgid, lang, hint=hint, **_words(params, lang))

    def with_message(self, msgid: str, **params: object) -> Problem:
        return replace(self, msgid=msgid, params=tuple(sorted({**dict(self.params), **params}.items())))

    def line_text(self, lang: str | None = None) -> str:
        """``file:line:column: CODE message``, with no control character of the data (``opsbook.terminal``)."""
        return printable(f"{self.file}:{self.line}:{self.column}: {self.code} {self.render(lang)}")

    def __str__(self) -> str:
        return self.line_text()

    def to_dict(self, lang: str | None = None) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "name": CODES[self.code][1],
            "message": self.render(lang),
            "message_id": self.msgid,
            "params": {k: list(v) if type(v) is tuple else v for k, v in _words(dict(self.params), lang).items()},
        }


def meaning(code: str, lang: str | None = None) -> str:
    """What a code means, for the editors' reference (from the catalogue)."""
    return tr("validate", f"code.{code}", lang)

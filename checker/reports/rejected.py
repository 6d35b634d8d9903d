"""Why a row was rejected, in the report's language.

The readers, ``admit`` and the pipeline still word their reasons in English
(``Rejected.reason``). Until they give a catalogue id with parameters, as
findings do, this table reads the reasons they write back into an id and its
parameters (``reject.*`` in the report catalogue), with process and step
titles. A reason no pattern knows is shown as written, never dropped; a test
checks that every reason of the bundled sample is known.
"""

from __future__ import annotations

import re

from checker.events import Rejected
from checker.texts import Names
from opsbook.i18n import MissingMessage, tr

PATTERNS: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern, re.S), msgid)
    for pattern, msgid in (
        (r"no activity", "reject.no-activity"),
        (r"no timestamp", "reject.no-timestamp"),
        (r"unreadable timestamp '(?P<value>.*)'", "reject.unreadable-timestamp"),
        (
            r"'(?P<label>.*)' records a step of (?P<process>[^/\s]+)/(?P<step>\S+), which needs a case id",
            "reject.needs-case",
        ),
        (
            r"'(?P<label>.*)' records the obligation (?P<process>[^/\s]+)/(?P<step>\S+), "
            r"which needs a value for '(?P<field>.*)'",
            "reject.needs-value",
        ),
        (r"after the as-of time (?P<as_of>\S+): not part of this audit", "reject.after-as-of"),
    )
)


def known(reason: str) -> bool:
    return any(pattern.fullmatch(reason) for pattern, _ in PATTERNS)


def field_words(field: str, lang: str) -> str:
    """A field of the event model in words (案例编号 / case id); an attribute's own name as it is."""
    try:
        return tr("report", f"field.{field}", lang)
    except MissingMessage:
        return field


def reason_words(rejected: Rejected, lang: str, names: Names) -> str:
    for pattern, msgid in PATTERNS:
        match = pattern.fullmatch(rejected.reason)
        if match:
            params = match.groupdict()
            if "step" in params:
                params["step"] = names.step(params["process"], params["step"])
                params["process"] = names.processes.get(params["process"], params["process"])
            return tr("report", msgid, lang, **params)
    return rejected.reason

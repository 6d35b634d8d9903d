"""``--redact``: stable keyed pseudonyms for the personal data in reports.

With ``--redact`` every report shows, instead of the value itself:

| value | pseudonym |
|---|---|
| a case id, an entity value of a per-entity obligation (e.g. a customer id) | ``C-xxxxxxxx`` |
| a person: a performer, a member of a per-role obligation, a roster name | ``P-xxxxxxxx`` |
| a phone-number-like value inside free text | ``T-xxxxxxxx`` |

Free text (every text parameter of a finding's expected and actual, its key detail, a rejected row's reason)
is scrubbed too: every known case id, entity value and person, and every
phone-like value, is replaced where it occurs.

A pseudonym is the first eight hex digits of HMAC-SHA256(key, kind + value):
the same value and key give the same pseudonym in every report and every run,
so findings stay joinable; without the key a pseudonym can be neither reversed
nor recomputed from a guessed value. There is no default key: ``--redact``
needs ``--redact-key-file`` or the environment variable ``OPSBOOK_REDACT_KEY``.
"""

from __future__ import annotations

import hmac
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import polars as pl

from checker.events import ATTR_PREFIX, Rejected
from checker.finding import Finding, Text
from checker.periods import ORGANISATION
from opsbook.model import Handbook

ENV = "OPSBOOK_REDACT_KEY"
MIN_KEY_BYTES = 16
DIGITS = 16  # 64 bits: a collision among 10 million values has odds of about 3 in a million
PREFIX = {"case": "C", "person": "P", "phone": "T"}

# Digits glued to letters are part of something else (an id, a hash), not a phone number.
_PHONE = (
    r"(?<![0-9A-Za-z_+\-])(?:"
    r"(?:\+|00)\d{1,3}[ .\-]?(?:\(\d{1,4}\)[ .\-]?)?\d{2,4}(?:[ .\-]?\d{2,4}){1,3}"  # +86 138 1234 5678, +1 (555) 123-4567
    r"|1[3-9]\d(?:[ \-]?\d{4}){2}"  # mainland mobile: 13812345678, 138-1234-5678
    r"|\(?0\d{2,3}\)?[ \-]?\d{7,8}"  # mainland landline: 010-12345678, (021) 87654321
    r"|\d{10,15}"  # any other long run of digits
    r")(?![0-9A-Za-z_])"
)
PHONE = re.compile(_PHONE)
# An id-like word: case ids and ASCII person ids are looked up whole, never by substring.
_TOKEN = r"\w+(?:[-./:#@]\w+)*"
_WORDS = re.compile(f"(?P<phone>{_PHONE})|(?P<token>{_TOKEN})")


class RedactKeyError(ValueError):
    """No usable key for --redact: a usage error (exit 2)."""


def load_key(key_file: str | None, environ: Mapping[str, str] = os.environ) -> bytes:
    """The key from ``key_file`` (surrounding whitespace ignored), else from $OPSBOOK_REDACT_KEY."""
    if key_file:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise RedactKeyError(f"{key_file}: cannot read the redaction key: {exc.strerror or exc}") from None
        where = key_file
    elif environ.get(ENV):
        key, where = environ[ENV].strip().encode("utf-8"), ENV
    else:
        raise RedactKeyError(f"--redact needs a key: --redact-key-file FILE or the environment variable {ENV}")
    if len(key) < MIN_KEY_BYTES:
        raise RedactKeyError(
            f"the redaction key in {where} is {len(key)} bytes; use at least {MIN_KEY_BYTES} random bytes "
            "(e.g. openssl rand -hex 32)"
        )
    return key


def from_options(redact: bool, key_file: str | None, environ: Mapping[str, str] = os.environ) -> Redactor | None:
    """The CLI's redactor: None without --redact; a key file without --redact is a mistake."""
    if not redact:
        if key_file:
            raise RedactKeyError("--redact-key-file is only used with --redact")
        return None
    return Redactor(load_key(key_file, environ))


class Redactor:
    def __init__(self, key: bytes):
        if not key:
            raise RedactKeyError("the redaction key is empty")
        self._key = bytes(key)

    def pseudonym(self, kind: str, value: str) -> str:
        if kind == "phone":  # 138-1234-5678 and 13812345678 are one number
            value = re.sub(r"\D", "", value)
        digest = hmac.new(self._key, f"{kind}\0{value}".encode(), "sha256").hexdigest()
        return f"{PREFIX[kind]}-{digest[:DIGITS]}"

    def redact(
        self,
        findings: Iterable[Finding],
        rejected: Iterable[Rejected],
        *,
        handbook: Handbook,
        events: pl.DataFrame | None = None,
        roster: pl.DataFrame | None = None,
        keep_order: bool = False,
    ) -> tuple[list[Finding], tuple[Rejected, ...]]:
        """Findings (re-sorted, as pseudonyms sort differently, unless ``keep_order``) and rejected rows with pseudonyms."""
        findings = list(findings)
        scopes = {(p.id, o.id): o.scope.kind for p in handbook.processes for o in p.obligations}

        def scope_kind(f: Finding) -> str | None:
            kind = scopes.get((f.process, f.step), "organisation" if f.scope == ORGANISATION else "entity")
            return (
                None
                if f.scope is None or kind == "organisation"
                else "person"
                if kind in ("role", "every-role")
                else "case"
            )

        ids, persons = _known(handbook, events, roster)
        for f in findings:
            ids.add(f.case_id)
            persons.update(f.performers)
            if scope_kind(f):
                (persons if scope_kind(f) == "person" else ids).add(f.scope)
        text = _Scrubber(self, ids, persons)
        out = [
            replace(
                f,
                case_id=f.case_id and self.pseudonym("case", f.case_id),
                scope=self.pseudonym(scope_kind(f), f.scope) if scope_kind(f) else f.scope,
                performers=tuple(self.pseudonym("person", p) for p in f.performers),
                detail=f.detail and text(f.detail),
                expected=f.expected and _scrub_text(f.expected, text),
                actual=f.actual and _scrub_text(f.actual, text),
            )
            for f in findings
        ]
        return (out if keep_order else sorted(out, key=Finding.sort_key)), tuple(
            replace(r, reason=text(r.reason)) for r in rejected
        )


def _scrub_text(value: Text, scrub) -> Text:
    """A finding text with every string parameter (and list of strings) scrubbed."""

    def one(v):
        if isinstance(v, str):
            return scrub(v)
        return tuple(one(x) for x in v) if isinstance(v, tuple) else v

    return Text(value.id, tuple((k, one(v)) for k, v in value.params))


def _known(handbook: Handbook, events: pl.DataFrame | None, roster: pl.DataFrame | None) -> tuple[set, set]:
    """Case ids and entity values, and persons, as the log and the roster name them."""
    ids: set = set()
    persons: set = set()
    if events is not None:
        entities = {ATTR_PREFIX + o.scope.entity for p in handbook.processes for o in p.obligations if o.scope.entity}
        for column in ("case_id", *sorted(entities & set(events.columns))):
            ids.update(events[column].drop_nulls().unique())
        persons.update(events["performer"].drop_nulls().unique())
    if roster is not None:
        persons.update(roster["person"].drop_nulls().unique())
    return ids, persons


class _Scrubber:
    """Replaces known values and phone-like values in text, in one pass each, never inside a pseudonym."""

    def __init__(self, redactor: Redactor, ids: set, persons: set):
        self.redactor = redactor
        self.kinds = {v.strip(): "case" for v in ids if v and v.strip()}
        self.kinds |= {v.strip(): "person" for v in persons if v and v.strip()}
        # Names are found anywhere (a Chinese name is glued to the words around it);
        # ids only as whole words, so that a short id such as "7" leaves "17" alone.
        loose = sorted((v for v, k in self.kinds.items() if k == "person" or not re.fullmatch(_TOKEN, v)), key=len)
        alternatives = "|".join(re.escape(v) for v in reversed(loose))
        self.loose = re.compile(f"(?<![0-9A-Za-z_])(?:{alternatives})(?![0-9A-Za-z_])") if loose else None

    def value(self, value: str) -> str:
        kind = self.kinds.get(value.strip(), "case")
        return self.redactor.pseudonym(kind, value)

    def __call__(self, text: str) -> str:
        if self.loose is not None:
            text = self.loose.sub(lambda m: self.value(m[0]), text)
        return _WORDS.sub(self._word, text)

    def _word(self, match: re.Match) -> str:
        word = match[0]
        if word.strip() in self.kinds:
            return self.value(word)
        if match["phone"]:
            return self.redactor.pseudonym("phone", word)
        # A word may end in a number glued to other text, e.g. 电话13812345678.
        return PHONE.sub(lambda m: self.redactor.pseudonym("phone", m[0]), word)

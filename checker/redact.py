"""``--redact``: stable keyed pseudonyms for the personal data in reports.

With ``--redact`` every report shows, instead of the value itself:

| value | pseudonym |
|---|---|
| a case id, an entity value of a per-entity obligation, a customer-id column | ``C-`` + 16 hex digits |
| a person: a performer, a per-role obligation's member, a roster name, a name column | ``P-`` + 16 hex digits |
| a phone number: a phone column, or a phone-like value inside free text | ``T-`` + 16 hex digits |
| a national id: an id-card column, or an id-like value inside free text | ``N-`` + 16 hex digits |

Free text (every data parameter of a finding's expected and actual, the
``detail`` part of its key, a rejected row's reason) is scrubbed by
*matching*, not word by word: every known value is found wherever it is,
glued to Chinese text or not, and so are phone numbers and national ids
(``checker.personal``). Known means: any value of an identity column
(``checker.personal.IDENTITY_COLUMNS``) in any row read, rejected rows included, or a roster
name. The pipeline collects them while it reads (``identity_values``), so they
are all known before a report is written.

Each value has one kind in a run (``KINDS``: a performer who is also a
customer id is a case), so it has one pseudonym in every field: the case id,
the scope, the performers and the texts. A finding's ``key`` is built from the
redacted fields, so it names the pseudonym, and stays stable across runs with
the same key and log.

A pseudonym is the first 16 hex digits of HMAC-SHA256(key, kind + value):
the same value and key give the same pseudonym in every report and every run,
so findings stay joinable; without the key a pseudonym can be neither reversed
nor recomputed from a guessed value. There is no default key: ``--redact``
needs ``--redact-key-file`` or the environment variable ``OPSBOOK_REDACT_KEY``.
"""

from __future__ import annotations

import ast
import hmac
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import polars as pl

from checker.events import Rejected
from checker.finding import Finding, Text
from checker.periods import ORGANISATION
from opsbook.model import Handbook

from .personal import KINDS, phone_digits, without_partial_values
from .scrub import Scrubber

ENV = "OPSBOOK_REDACT_KEY"
MIN_KEY_BYTES = 16
DIGITS = 16  # 64 bits: a collision among 10 million values has odds of about 3 in a million
PREFIX = {"case": "C", "person": "P", "email": "E", "phone": "T", "id": "N"}


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
        if kind == "phone":  # 138-1234-5678, +86 138 1234 5678 and 13812345678 are one number
            value = phone_digits(value) or value
        elif kind == "email":  # Zhao.Li@Example.com and zhao.li@example.com are one address
            value = value.lower()
        elif kind == "id":  # a01234567(8) and A012345678 are one id
            value = re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", value).upper())
        digest = hmac.new(self._key, f"{kind}\0{value}".encode(), "sha256").hexdigest()
        return f"{PREFIX[kind]}-{digest[:DIGITS]}"

    def redact(
        self,
        findings: Iterable[Finding],
        rejected: Iterable[Rejected],
        *,
        handbook: Handbook,
        names: pl.DataFrame | None = None,
        roster: pl.DataFrame | None = None,
        keep_order: bool = False,
    ) -> tuple[list[Finding], tuple[Rejected, ...]]:
        """Findings (re-sorted, as pseudonyms sort differently, unless ``keep_order``) and rejected rows with
        pseudonyms. ``names``: the ``identity_values`` of every row read (the pipeline collects them).
        """
        findings, rejected = list(findings), tuple(rejected)
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

        known = _known(names, roster)
        for f in findings:  # what the findings name is known too, whatever the log said
            known.setdefault(f.case_id, "case")
            known.update((p, "person") for p in f.performers if p not in known)
            if scope_kind(f):
                known.setdefault(f.scope, scope_kind(f))
        known.pop(None, None)
        texts = [r.reason for r in rejected] + [f.detail for f in findings if f.detail]
        texts += [quoted[1] for r in rejected if (quoted := _quoted(r.reason))]
        texts += [v for f in findings for t in (f.expected, f.actual) if t for v in _data(t)]
        text = Scrubber(self.pseudonym, known).prepare(texts)

        def one(value: str, kind: str) -> str:
            return self.pseudonym(known.get(value.strip(), kind), value)

        out = [
            replace(
                f,
                case_id=f.case_id and one(f.case_id, "case"),
                scope=one(f.scope, scope_kind(f)) if scope_kind(f) else f.scope,
                performers=tuple(one(p, "person") for p in f.performers),
                detail=f.detail and text(f.detail),
                expected=f.expected and _scrub_text(f.expected, text),
                actual=f.actual and _scrub_text(f.actual, text),
            )
            for f in findings
        ]
        cut = without_partial_values([r.reason for r in rejected], list(known))
        return (out if keep_order else sorted(out, key=Finding.sort_key)), tuple(
            replace(r, reason=_requoted(cut.get(r.reason, r.reason), text)) for r in rejected
        )


_QUOTED = re.compile(r"(?s)([^'\"]*)(['\"].*)\Z")


def _quoted(reason: str) -> tuple[str, str] | None:
    """(the words before, the value) of a reason ending in a Python-quoted value (readers quote with repr)."""
    found = _QUOTED.match(reason)
    try:
        value = ast.literal_eval(found[2]) if found else None
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return (found[1], value) if isinstance(value, str) else None


def _requoted(reason: str, scrub: Callable[[str], str]) -> str:
    """The reason scrubbed; a quoted value is scrubbed as it was read, not as repr wrote it: repr
    writes a no-break or ideographic space as \\xa0 or \\u3000, and so splits a phone number."""
    quoted = _quoted(reason)
    return scrub(reason) if quoted is None else quoted[0] + repr(scrub(quoted[1]))


# Parameters that name the handbook's own steps, roles and units: rendered as titles, never personal.
_HANDBOOK_PARAMS = frozenset({"step", "pred", "other", "roles", "unit", "anchor_kind"})


def _data(value: Text) -> list[str]:
    """The strings among a text's data parameters: what ``_scrub_text`` would scrub."""
    out: list[str] = []
    _scrub_text(value, lambda s: out.append(s) or s)
    return out


def _scrub_text(value: Text, scrub: Callable[[str], str]) -> Text:
    """A finding text with every string of its data parameters (and lists of strings) scrubbed."""

    def one(name: str, v):
        if name in _HANDBOOK_PARAMS or (name == "anchor" and value.param("anchor_kind") == "step"):
            return v
        if isinstance(v, str):
            return scrub(v)
        return tuple(scrub(x) if isinstance(x, str) else x for x in v) if isinstance(v, tuple) else v

    return Text(value.id, tuple((k, one(k, v)) for k, v in value.params))


def _known(names: pl.DataFrame | None, roster: pl.DataFrame | None) -> dict[str, str]:
    """Value → kind, the later kind of ``KINDS`` winning."""
    frames = [names] if names is not None else []
    if roster is not None:
        frames.append(roster.select(pl.lit("person").alias("kind"), pl.col("person").cast(pl.Utf8).alias("value")))
    if not frames:
        return {}
    rank = {kind: i for i, kind in enumerate(KINDS)}
    table = (
        pl.concat(frames)
        .with_columns(pl.col("value").str.strip_chars())
        .drop_nulls()
        .filter(pl.col("value") != "")
        .with_columns(pl.col("kind").replace_strict(rank, return_dtype=pl.Int32).alias("rank"))
        .sort("rank")
        .unique("value", keep="last")
    )
    return dict(zip(table["value"].to_list(), table["kind"].to_list(), strict=True))

"""What personal data looks like in free text: phone numbers, national ids, and known values.

``checker.redact`` replaces these inside any text, wherever they occur
(glued to Chinese words, behind a ``tel-`` or ``电话`` prefix, between
brackets): the values it knows from the log's identity columns
(``IDENTITY_COLUMNS``, ``identity_values``), and the phone-number, national-id
and e-mail patterns below. Patterns are *found by matching*,
never by splitting the text into words, because Chinese text has no spaces:
in ``回访CUST-7731客户`` the id is glued to the words around it.

Phone numbers (a digit run glued to other digits is never one):

| form | examples |
|---|---|
| mainland mobile, any separators | ``13812345678``, ``138-1234-5678``, ``138.1234.5678``, ``+86 138 1234 5678``, ``0086-138…`` |
| landline with area code | ``010-12345678``, ``(0755) 1234-5678``, ``021 8765 4321``, ``02-2345-6789`` (Taiwan) |
| Taiwan mobile | ``0912-345-678``, ``+886 912 345 678`` |
| Hong Kong | ``+852 2345 6789``, ``9123 4567``, ``91234567`` (8 digits from 3–9) |
| international (E.164) | ``+1 (555) 123-4567``, ``+44 20 7946 0958`` (7–15 digits after ``+`` or ``00``) |
| any other | a run of 10–15 digits standing alone |

Separators may be spaces (also the ideographic space), dots, hyphens and dashes
(also full-width); full-width digits, ``＋`` and brackets count as their ASCII
forms, and one number has one pseudonym however it is written (``phone_digits``).

National ids: the mainland's 18-character resident id (birth date checked, last
character a digit or X), Hong Kong's ``A123456(7)``, Taiwan's ``A123456789``.
E-mail addresses: found whole, the name before ``@`` and the domain.

Known values must be found among up to millions of them: ``candidates`` asks
Polars (an Aho-Corasick automaton) which of them occur in the texts at all, and
only those go into one compiled regex, built as a trie so that matching does
not try each alternative in turn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import polars as pl

from checker.events import ATTR_PREFIX
from opsbook.model import Handbook

# one optional separator between digit groups: also the full-width and typographic ones of Chinese text
_S = r"[ .\-\u00a0\u2010-\u2014\u3000\uff0d\uff0e]?"
_CC = rf"(?:(?:[+\uff0b]|00) ?\d{{1,3}}|[(\uff08][+\uff0b]?\d{{1,3}}[)\uff09]){_S}"  # a country code: +86, 0086, (+852)
_PREFIX = r"(?:(?<![0-9A-Za-z])|(?<=[Tt][Ee][Ll])|(?<=[Ff][Aa][Xx]))"  # tel13812345678 is a phone too
PHONE = re.compile(
    r"(?<![0-9+\uff0b])(?:"
    rf"(?:{_CC})?1[3-9]\d(?:{_S}\d){{8}}"  # mainland mobile
    rf"|(?:{_CC})?09\d\d{_S}\d{{3}}{_S}\d{{3}}"  # Taiwan mobile
    rf"|(?:{_CC})?(?:[(\uff08]0?\d{{2,3}}[)\uff09]|0\d{{1,3}}){_S}\d{{3,4}}{_S}\d{{4}}"  # landline with its area code
    rf"|{_CC}(?:\(\d{{1,4}}\){_S})?\d{{1,4}}(?:{_S}\d{{1,4}}){{1,4}}"  # international, counted below
    rf"|{_PREFIX}(?:[2-9]\d{{3}}[ \-]\d{{4}}|[3-9]\d{{7}}|\d{{10,15}})(?![0-9A-Za-z])"  # Hong Kong, long runs
    r")(?![0-9])"
)
NATIONAL_ID = re.compile(
    r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])(?:[A-Z]{1,2}\d{6}(?:\([0-9A]\)|[0-9A])|[A-Z][1289]\d{8})(?![0-9A-Za-z])"
)
# An e-mail address: found whole, so that neither the name before @ nor the domain is left.
EMAIL = re.compile(
    r"(?<![0-9A-Za-z._%+\-])[0-9A-Za-z._%+\-]+@[0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*\.[A-Za-z]{2,}(?![0-9A-Za-z])"
)
# Attribute columns whose values identify someone, by the column's (or mapped attribute's) name.
# Later kinds win when a value is in several: a customer id that is also a case id stays a case.
IDENTITY_COLUMNS = {
    "person": re.compile(r"(?i)name|姓名|名字|联系人"),
    "email": re.compile(r"(?i)e-?mail|邮箱|邮件"),
    "phone": re.compile(r"(?i)phone|mobile|\btel|fax|电话|手机|座机|传真|联系方式"),
    "id": re.compile(r"(?i)id_?card|passport|national_?id|身份证|证件"),
    "case": re.compile(r"(?i)(customer|client|客户).*(id|no|number|编号|号)"),
}
KINDS = ("person", "email", "phone", "id", "case")  # precedence, lowest first
# Full-width digits, letters and signs (typed with a Chinese input method) and the ideographic space,
# as their ASCII forms: one character for one, so a match in the folded text has the same span in the text.
_FOLD = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def fold(text: str) -> str:
    return text.translate(_FOLD)


MIN_PHONE_DIGITS = 7


def phone_digits(text: str) -> str | None:
    """The number's digits, the mainland's country code implied; None when too short to be a number."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits and signs: the same number
    digits = re.sub(r"[^0-9]", "", text)
    international = text.lstrip("( ").startswith(("+", "00"))
    if text.lstrip("( ").startswith("00"):
        digits = digits[2:]
    if not international and re.fullmatch(r"1[3-9]\d{9}", digits):
        digits = "86" + digits
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


def trie_pattern(values: Iterable[str]) -> str:
    """One regex matching any of ``values``, the longest at a position first, as a trie of characters."""
    trie: dict = {}
    for value in values:
        node = trie
        for char in value:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie) if trie else "(?!)"


def _emit(node: dict) -> str:
    branches = [re.escape(char) + _emit(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def candidates(values: list[str], texts: list[str]) -> list[str]:
    """Those of ``values`` that occur somewhere in ``texts`` (overlaps included), found by Polars."""
    if not values or not texts:
        return []
    found = pl.select(
        pl.Series("text", texts).str.extract_many(pl.lit(pl.Series(values)).implode(), overlapping=True)
    ).to_series()
    return found.explode().drop_nulls().unique().to_list()


_CUT = re.compile(r"…(['\"])\Z")  # a quoted value the reader shortened (checker.readers.normalise)
_TAIL = 16


def without_partial_values(texts: list[str], values: list[str]) -> dict[str, str]:
    """Shortened quotes whose last characters begin a value of ``values``, with those characters removed.

    A reader cuts a long bad value at 80 characters; the cut may fall inside a name (王小|明), and half
    a name is matched by nothing. Only texts that end in a shortened quote are looked at, and the
    values are compared by their first 1..16 characters, in Polars.
    """
    cut = {text: text[: _CUT.search(text).start()] for text in texts if _CUT.search(text)}
    if not cut or not values:
        return {}
    wanted: dict[int, set[str]] = {}
    for body in cut.values():
        for k in range(1, min(_TAIL, len(body)) + 1):
            wanted.setdefault(k, set()).add(body[-k:])
    known = pl.Series(values, dtype=pl.Utf8)
    begun: set[str] = set()
    for k, tails in wanted.items():
        heads = known.filter(known.str.len_chars() > k).str.slice(0, k)
        begun.update(heads.filter(heads.is_in(list(tails))).to_list())
    out = {}
    for text, body in cut.items():
        k = next((k for k in range(min(_TAIL, len(body)), 0, -1) if body[-k:] in begun), 0)
        if k:
            out[text] = body[:-k] + text[len(body) :]
    return out


def identity_columns(columns: Iterable[str], handbook: Handbook) -> dict[str, str]:
    """Column → kind, for the columns of an event table whose values identify a case or a person."""
    entities = {ATTR_PREFIX + o.scope.entity for p in handbook.processes for o in p.obligations if o.scope.entity}
    chosen = {"performer": "person"}
    for column in columns:
        name = column.removeprefix(ATTR_PREFIX)
        for kind in KINDS:
            if column.startswith(ATTR_PREFIX) and IDENTITY_COLUMNS[kind].search(name):
                chosen[column] = kind
        if column in entities:
            chosen[column] = "case"
    chosen["case_id"] = "case"
    return chosen


def identity_values(frame: pl.DataFrame, handbook: Handbook) -> pl.DataFrame:
    """The distinct (kind, value) pairs of ``frame``'s identity columns: vectorised, one column at a time."""
    parts = [
        frame.select(pl.lit(kind).alias("kind"), pl.col(column).cast(pl.Utf8).str.strip_chars().alias("value"))
        .filter(pl.col("value").is_not_null() & (pl.col("value") != ""))
        .unique()
        for column, kind in identity_columns(frame.columns, handbook).items()
        if column in frame.columns
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema={"kind": pl.Utf8, "value": pl.Utf8})

"""What personal data looks like in free text: phone numbers, national ids, and known values.

``checker.redact`` replaces three things inside any text, wherever they occur
(glued to Chinese words, behind a ``tel-`` or ``电话`` prefix, between
brackets): the values it knows from the log's identity columns, and the
phone-number and national-id patterns below. Patterns are *found by matching*,
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

National ids: the mainland's 18-character resident id (birth date checked, last
character a digit or X), Hong Kong's ``A123456(7)``, Taiwan's ``A123456789``.

Known values must be found among up to millions of them: ``candidates`` asks
Polars (an Aho-Corasick automaton) which of them occur in the texts at all, and
only those go into one compiled regex, built as a trie so that matching does
not try each alternative in turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

_S = r"[ .\-\u00a0]?"  # one optional separator between digit groups
_CC = r"(?:(?:\+|00) ?\d{1,3}|\(\+?\d{1,3}\))[ .\-]?"  # a country code: +86, 0086, (+852)
_PREFIX = r"(?:(?<![0-9A-Za-z])|(?<=[Tt][Ee][Ll])|(?<=[Ff][Aa][Xx]))"  # tel13812345678 is a phone too
PHONE = re.compile(
    r"(?<![0-9+])(?:"
    rf"(?:{_CC})?1[3-9]\d(?:{_S}\d){{8}}"  # mainland mobile
    rf"|(?:{_CC})?09\d\d{_S}\d{{3}}{_S}\d{{3}}"  # Taiwan mobile
    rf"|(?:{_CC})?(?:\(0?\d{{2,3}}\)|0\d{{1,3}}){_S}\d{{3,4}}{_S}\d{{4}}"  # landline with its area code
    rf"|{_CC}(?:\(\d{{1,4}}\){_S})?\d{{1,4}}(?:{_S}\d{{1,4}}){{1,4}}"  # international, counted below
    rf"|{_PREFIX}(?:[2-9]\d{{3}}[ \-]\d{{4}}|[3-9]\d{{7}}|\d{{10,15}})(?![0-9A-Za-z])"  # Hong Kong, long runs
    r")(?![0-9])"
)
NATIONAL_ID = re.compile(
    r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])(?:[A-Z]{1,2}\d{6}(?:\([0-9A]\)|[0-9A])|[A-Z][1289]\d{8})(?![0-9A-Za-z])"
)
MIN_PHONE_DIGITS = 7


def phone_digits(text: str) -> str | None:
    """The number's digits, the mainland's country code implied; None when too short to be a number."""
    digits = re.sub(r"\D", "", text)
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

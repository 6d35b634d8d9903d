"""Scrubbing free text for ``--redact``: every known value, e-mail, national id and phone number in
a text replaced by its pseudonym, wherever it stands (``checker.personal`` says what they look like).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .personal import EMAIL, NATIONAL_ID, PHONE, candidates, fold, phone_digits, trie_pattern

# Short ASCII ids ("7", "A-12", "li") are replaced only where they stand alone, so that "17" or
# "link" stay readable; anything longer, or with other characters, is replaced wherever it occurs.
SHORT = 6
_ID_LIKE = re.compile(r"[0-9A-Za-z]+(?:[-._:#@/][0-9A-Za-z]+)*")
_TOKEN = re.compile(r"(?<![0-9A-Za-z\ue000])" + _ID_LIKE.pattern + r"(?![0-9A-Za-z])")
_HELD = re.compile("\ue000(\\d+)\ue001")  # a replacement already made, held while short ids are replaced


class Scrubber:
    """Replaces known values, national ids and phone numbers in text, wherever they occur, in two passes (the one scrubber of --redact: ``checker.redact`` builds it).

    First known values (longest first), national ids and phone numbers, held as numbered marks; then
    short ASCII ids standing alone; then the marks become pseudonyms. Nothing is replaced inside a
    pseudonym, and nothing twice.
    """

    def __init__(self, pseudonym: Callable[[str, str], str], known: dict[str, str]):
        self.pseudonym = pseudonym  # (kind, value) -> pseudonym
        # matched in text folded to ASCII digits, signs and letters (one character for one): the folded
        # value → the value as the log has it, and its kind
        self.known = {fold(v.strip()): (v.strip(), k) for v, k in known.items() if v and v.strip()}
        self.short = {v for v in self.known if len(v) < SHORT and _ID_LIKE.fullmatch(v)}

    def prepare(self, texts: list[str]) -> Callable[[str], str]:
        """The scrubbing function for these texts: only known values that occur in them are compiled."""
        loose = candidates([v for v in self.known if v not in self.short], sorted({fold(t) for t in texts}))
        pattern = re.compile(
            f"(?P<email>{EMAIL.pattern})|(?P<known>{trie_pattern(loose)})"
            f"|(?P<id>{NATIONAL_ID.pattern})|(?P<phone>{PHONE.pattern})"
        )

        def scrub(text: str) -> str:
            held: list[str] = []

            def hold(replacement: str) -> str:
                held.append(replacement)
                return f"\ue000{len(held) - 1}\ue001"

            def first(match: re.Match) -> str | None:
                if match["known"]:
                    return hold(self.pseudonym(*reversed(self.known[match[0]])))
                if match["email"]:
                    return hold(self.pseudonym("email", match[0]))
                if match["id"]:
                    return hold(self.pseudonym("id", match[0]))
                if phone_digits(match[0]) is None:  # too few digits for a number
                    return None
                return hold(self.pseudonym("phone", match[0]))

            text = text.replace("\ue000", "\ufffd").replace("\ue001", "\ufffd")
            out, last = [], 0
            for match in pattern.finditer(fold(text)):  # the spans of the folded text are the text's
                replacement = first(match)
                if replacement is not None:
                    out += [text[last : match.start()], replacement]
                    last = match.end()
            text = "".join([*out, text[last:]])
            if self.short:
                text = _TOKEN.sub(lambda m: self._short_ids(m[0], hold), text)
            return _HELD.sub(lambda m: held[int(m[1])], text)

        return scrub

    def _short_ids(self, token: str, hold: Callable[[str], str]) -> str:
        """Short known ids inside an id-like token, where they stand between separators (A-1 in A-1-B)."""
        parts = re.split(r"([-._:#@/])", token)  # run, separator, run, ...
        out: list[str] = []
        i, runs = 0, (len(parts) + 1) // 2
        while i < runs:
            for j in range(runs - 1, i - 1, -1):
                piece = "".join(parts[2 * i : 2 * j + 1])
                if len(piece) < SHORT and piece in self.short:
                    out.append(hold(self.pseudonym(*reversed(self.known[piece]))))
                    i = j + 1
                    break
            else:
                out.append(parts[2 * i])
                i += 1
            if i < runs:
                out.append(parts[2 * i - 1])
        return "".join(out)

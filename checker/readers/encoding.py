"""A CSV file's encoding, decided from the whole file, and the lines that are not in it.

Chinese offices write logs in UTF-8 (with or without BOM) and in GBK (Excel's
"CSV"); GB18030, GBK's superset, decodes almost any bytes, so a UTF-8 file with
one GBK row read as GB18030 does not fail: it turns every Chinese word into
mojibake (起草合同 → 璧疯崏鍚堝悓) and the checker then reports made-up unknown
activities. So the file is never decoded by trial of the first codec that
does not fail:

- the whole file decodes as UTF-8 → UTF-8 (the common case: one fast pass);
- it begins with a UTF-16 byte order mark → UTF-16; mostly NUL bytes without
  one → refused (give ``--encoding``);
- else each line with non-ASCII bytes is looked at: it is UTF-8 when it decodes
  as UTF-8, else it is taken for GB18030. The file's encoding is the one of
  most such lines (UTF-8 on a tie), and the **other lines are not read**: each
  becomes a marker line, which the reader turns into a rejected row naming the
  line and its byte offset (``UNDECODABLE``). A line that is in neither is
  rejected the same way.

With ``--encoding`` the file is decoded strictly in that codec, and the first
line that is not is an error naming line and byte.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LogError

_CHUNK = 1 << 20
UNDECODABLE = "__undecodable__"  # the raw column holding a marker line's reason (see checker.readers.tabular)
MARK = "\ue0ff"  # a private-use character opening a marker line; never in a decoded line (replaced there)
_MARKED = re.compile(MARK + r"(\d+) (\d+) ([\w-]+)")


@dataclass
class Decision:
    """The codec to transcode from (None: the file is UTF-8 as it is) and the lines not in it."""

    codec: str | None
    auto: bool = True  # detected, not given with --encoding
    skipped: dict[int, int] = field(default_factory=dict)  # line → byte offset of its start

    @property
    def transcode(self) -> bool:
        return self.codec is not None or bool(self.skipped)


def decide(path: Path, encoding: str | None) -> Decision:
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise LogError(path, f"unknown encoding {encoding!r}") from None
        return Decision(None if name in ("utf-8", "utf-8-sig") else name, auto=False)
    if _is_utf8(path):
        return Decision(None)
    with path.open("rb") as handle:
        head = handle.read(_CHUNK)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # unambiguous: read it as such
        return Decision("utf-16", auto=False)
    if head.count(0) * 8 > len(head):  # every other byte NUL: UTF-16 without its mark, not Chinese text
        raise LogError(path, "looks like UTF-16 without a byte order mark; give --encoding utf-16-le (or -be)")
    utf8: dict[int, int] = {}
    other: dict[int, int] = {}
    for number, offset, line in _lines(path):
        if line.isascii():
            continue
        try:
            line.decode("utf-8-sig" if number == 1 else "utf-8")
            utf8[number] = offset
        except UnicodeDecodeError:
            other[number] = offset
    if len(utf8) >= len(other):
        return Decision("utf-8", skipped=other)
    return Decision("gb18030", skipped=utf8)


def transcoded(path: Path, decision: Decision, workdir: str | None) -> Path:
    """The file as a temporary UTF-8 file in ``workdir``; the caller removes it."""
    handle, target = tempfile.mkstemp(prefix="opsbook-utf8-", suffix=".csv", dir=workdir)
    try:
        with os.fdopen(handle, "wb") as out:
            if not decision.auto:
                _strictly(path, decision.codec or "utf-8", out)
                return Path(target)
            if not decision.skipped:  # most often the whole file is in the codec: decoded in chunks, fast
                try:
                    _strictly(path, decision.codec or "utf-8", out)
                    return Path(target)
                except LogError:
                    out.seek(0)
                    out.truncate()
            _by_line(path, decision, out)
    except BaseException:
        Path(target).unlink(missing_ok=True)
        raise
    return Path(target)


def _by_line(path: Path, decision: Decision, out) -> None:
    """Line by line: skipped lines, and lines not in the codec, as marker lines."""
    codec = decision.codec or "utf-8"
    for number, offset, line in _lines(path):
        if number not in decision.skipped:
            try:
                text = line.decode("utf-8-sig" if number == 1 and codec == "utf-8" else codec)
                out.write(text.replace(MARK, "\ufffd").encode("utf-8"))
                continue
            except UnicodeDecodeError:
                pass
        out.write(f"{MARK}{number} {offset} {codec}{_ending(line)}".encode())


def _strictly(path: Path, codec: str, out) -> None:
    """Chunk by chunk in the codec given (any codec, UTF-16 too); the first bytes not in it are an error."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    read = base = 0  # base: where the text being decoded starts (bytes held back from the last chunk first)
    try:
        with path.open("rb") as source:
            while chunk := source.read(_CHUNK):
                base = read - len(decoder.getstate()[0])
                read += len(chunk)
                out.write(decoder.decode(chunk).encode("utf-8"))
            base = read - len(decoder.getstate()[0])
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        raise LogError(path, f"not valid {codec} text at byte {base + exc.start} (give the file's encoding)") from None


def marked(marker: str) -> tuple[int, int, str] | None:
    """(line, byte offset, the file's codec) of a marker line, or None when ``marker`` is none."""
    found = _MARKED.match(marker)
    return (int(found[1]), int(found[2]), found[3]) if found else None


def reason(marker: str) -> str:
    """Why a marker line's row is rejected."""
    line, offset, codec = marked(marker) or (0, 0, "?")
    return f"line {line} (byte {offset}) is not {codec} like the rest of the file: not read"


def _ending(line: bytes) -> str:
    return "\r\n" if line.endswith(b"\r\n") else "\n" if line.endswith(b"\n") else ""


def _lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """(1-based line number, byte offset of its start, its bytes with the line ending)."""
    number, offset = 1, 0
    with path.open("rb") as handle:
        for line in handle:  # binary files split on b"\n" only, in C
            yield number, offset, line
            number += 1
            offset += len(line)


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True

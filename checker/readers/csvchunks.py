"""A large CSV file read in pieces cut at record boundaries, each parsed by Polars on its own.

Polars' streaming CSV reader (``scan_csv(...).collect_batches``) runs ahead of
a slower consumer and holds about half a gigabyte of parsed rows it has not
handed out yet. Reading the bytes ourselves keeps memory at one piece: a piece
ends at a line break that lies outside quotes, which in RFC 4180 CSV is a line
break preceded by an even number of quote characters (an escaped quote is
doubled, so it never changes the parity). Each piece is parsed with the header
in front of it, with the same options as the whole file, and numbered on from
the rows before it. Only files of at least ``MIN_BYTES`` are read this way;
``tests/checker/test_csv_chunks.py`` checks that pieces give the whole file's
rows on awkward files (quoted line breaks, doubled quotes, blank lines, CRLF,
a byte-order mark, no final line break).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

MIN_BYTES = 64 << 20  # smaller files are streamed by Polars: their buffer is small too
_BLOCK = 1 << 20
_MAX_PIECE = 128 << 20  # bytes: a file of few, long lines is not read whole for one piece


def _boundary(data: bytes, quotes_before: int) -> int:
    """The end (after the line break) of the last complete record in ``data``; 0 when there is none.
    ``quotes_before``: the quote characters in the file before ``data``."""
    end = len(data)
    while (cut := data.rfind(b"\n", 0, end)) >= 0:
        if (quotes_before + data.count(b'"', 0, cut)) % 2 == 0:
            return cut + 1
        end = cut
    return 0


def _first_boundary(data: bytes) -> int:
    """The end (after the line break) of the first complete record in ``data``; 0 when there is none."""
    cut = data.find(b"\n")
    while cut >= 0:
        if data.count(b'"', 0, cut) % 2 == 0:
            return cut + 1
        cut = data.find(b"\n", cut + 1)
    return 0


def pieces(source: Path, size: int, block: int = _BLOCK) -> tuple[bytes, Iterator[bytes]]:
    """The header record and the data in pieces of about ``size`` bytes, each ending at a record boundary;
    the file is read ``block`` bytes at a time at least."""
    handle = source.open("rb")
    first = b""
    while not (cut := _first_boundary(first)):  # the header may hold a quoted line break too
        more = handle.read(block)
        if not more:
            handle.close()
            return first, iter(())
        first += more
    header, rest = first[:cut], first[cut:]

    def data() -> Iterator[bytes]:
        nonlocal rest
        quotes = header.count(b'"')
        with handle:
            while True:
                more = handle.read(min(max(size - len(rest), block), _MAX_PIECE))
                if not more:
                    if rest:
                        yield rest
                    return
                rest += more
                if len(rest) < size:
                    continue
                cut = _boundary(rest, quotes)
                if cut:
                    piece, rest = rest[:cut], rest[cut:]
                    quotes += piece.count(b'"')
                    yield piece

    return header, data()


def read_pieces(
    source: Path,
    rows: int,
    row_name: str,
    adjust: Callable[[pl.LazyFrame], pl.LazyFrame] = lambda scan: scan,
    block: int | None = None,
) -> Iterator[pl.DataFrame]:
    """The file's rows in frames of about ``rows`` rows, as ``scan_csv(..., infer_schema=False)`` reads them,
    with the 1-based row number in ``row_name``; ``adjust`` is applied to each piece's frame."""
    block = block or _BLOCK
    with source.open("rb") as handle:
        sample = handle.read(_BLOCK)
    per_row = max(1, len(sample) // max(1, sample.count(b"\n")))
    header, data = pieces(source, min(max(block, rows * per_row), _MAX_PIECE), block)
    seen = 0
    for piece in data:
        frame = pl.read_csv(
            io.BytesIO(header + piece), infer_schema=False, row_index_name=row_name, row_index_offset=seen + 1
        )
        seen += frame.height
        yield adjust(frame.lazy()).collect()

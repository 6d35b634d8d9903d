"""CSV, JSON Lines, Parquet and XLSX files → a raw frame: the file's own columns plus ``ROW``.

``ROW`` is the 1-based data row (the header is not counted), the position used in
event references. CSV and Parquet are streamed in batches with Polars
``scan_*``; Parquet is fastest, being columnar with no text to parse. CSV is read
as text (case ids such as ``007`` keep their zeros). Encoding: decided from the
whole file (``checker.readers.encoding``: UTF-8 with or without BOM, or
GB18030, the superset of the GBK that Chinese Excel writes; lines in the other
one are rejected rows); ``encoding`` overrides. Non-UTF-8 files are transcoded
into a temporary UTF-8 file first.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import polars as pl

from . import csvchunks
from .encoding import MARK, UNDECODABLE, decide, marked, transcoded
from .errors import LogError, first_line
from .limits import OverLimit, check_columns, check_csv_header

ROW = "__row__"
_CHUNK = 1 << 20


def read_csv_raw(path: Path, encoding: str | None = None) -> pl.DataFrame:
    """The whole file at once (for small files such as a roster); see ``stream_csv_raw``.

    A line not in the file's encoding is an error here: a roster row is not skipped."""
    frame = pl.concat(stream_csv_raw(path, encoding, 1 << 20))
    if UNDECODABLE in frame.columns:
        bad = frame.filter(pl.col(UNDECODABLE).is_not_null())
        if bad.height:
            line, offset, codec = marked(bad[UNDECODABLE][0]) or (None, 0, "?")
            message = f"the line (byte {offset}) is not {codec} like the rest of the file; fix it or give --encoding"
            raise LogError(path, message, line=line)
        frame = frame.drop(UNDECODABLE)
    return frame


def stream_csv_raw(path: Path, encoding: str | None, rows: int, workdir: str | None = None) -> Iterator[pl.DataFrame]:
    """``read_csv_raw`` in batches of about ``rows`` rows, never holding the whole file.

    A file that is not UTF-8 is first transcoded into a temporary UTF-8 file in
    ``workdir`` (default: the system's), removed afterwards. Lines not in the
    file's encoding (``checker.readers.encoding``) come as rows whose
    ``UNDECODABLE`` column says why; other rows have it null, and files without
    such lines have no such column.
    """
    decision = decide(path, encoding)
    source = transcoded(path, decision, workdir) if decision.transcode else path
    try:
        check_csv_header(path, source)  # before Polars, which would hold every column of the header
        scan = pl.scan_csv(source, infer_schema=False, row_index_name=ROW, row_index_offset=1)
        marking = decision.auto and decision.transcode
        if marking:
            scan = _mark_undecodable(path, scan)
        if source.stat().st_size >= csvchunks.MIN_BYTES:  # a large file: one piece in memory at a time
            adjust = (lambda piece: _mark_undecodable(path, piece)) if marking else (lambda piece: piece)
            yield from _stream(path, "CSV", scan, rows, pieces=csvchunks.read_pieces(source, rows, ROW, adjust))
        else:
            yield from _stream(path, "CSV", scan, rows)
    except OverLimit:
        raise
    except LogError as error:
        raise _csv_error(path, source, error.message.removeprefix("unreadable CSV: ")) from None
    finally:
        if source != path:
            source.unlink(missing_ok=True)


def _mark_undecodable(path: Path, scan: pl.LazyFrame) -> pl.LazyFrame:
    try:
        columns = [c for c in scan.collect_schema().names() if c != ROW]
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise LogError(path, f"unreadable CSV: {first_line(exc)}") from None
    header = next((c for c in columns if MARK in c), None)
    if header is not None:
        codec = (marked(header[header.index(MARK) :]) or (1, 0, "?"))[2]
        raise LogError(path, f"the header is not {codec} like the rest of the file; give --encoding", line=1)
    _check_unique(path, [*columns, UNDECODABLE])
    found = pl.concat_str([pl.col(c) for c in columns], separator="\n", ignore_nulls=True).str.extract(
        f"({MARK}\\d+ \\d+ [\\w-]+)"
    )
    return scan.with_columns(found.alias(UNDECODABLE))


def _csv_error(path: Path, source: Path, problem: BaseException | str) -> LogError:
    """Polars' reason, with the line where Python's csv module finds the file going wrong (if it does)."""
    reason = problem if isinstance(problem, str) else first_line(problem)
    line, detail = _csv_problem(source)
    return LogError(path, f"unreadable CSV: {reason}" + (f" ({detail})" if detail else ""), line=line)


def _csv_problem(source: Path) -> tuple[int | None, str]:
    """The first line that breaks the table: more fields than the header, a quote never closed, or bytes
    that are not UTF-8. Only called after Polars failed, so its cost does not matter."""
    handle = source.open(encoding="utf-8-sig", errors="strict", newline="")
    start = 1
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            width = len(next(reader, []))
            start = reader.line_num + 1
            for row in reader:
                if len(row) > width:
                    return start, f"line {start} has {len(row)} fields, the header {width}"
                start = reader.line_num + 1
        except csv.Error as exc:
            return start, f"from line {start}: {exc}"
        except UnicodeDecodeError:
            return _bad_utf8_line(source)
    return None, ""


def _bad_utf8_line(source: Path) -> tuple[int | None, str]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    handle = source.open("rb")
    line = 1
    with handle:
        while chunk := handle.read(_CHUNK):
            held = len(decoder.getstate()[0])  # bytes of a character begun in the last chunk come first
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line += chunk.count(b"\n", 0, max(0, exc.start - held))
                return line, f"line {line} is not UTF-8; give the file's encoding, e.g. --encoding gb18030"
            line += chunk.count(b"\n")
    return None, ""


def stream_parquet_raw(path: Path, rows: int) -> Iterator[pl.DataFrame]:
    """A Parquet file's columns plus ``ROW``, in batches of about ``rows`` rows."""
    try:
        columns = pl.scan_parquet(path).collect_schema().names()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise LogError(path, f"unreadable Parquet: {first_line(exc)}") from None
    check_columns(path, len(columns))
    _check_unique(path, columns)
    yield from _stream(path, "Parquet", pl.scan_parquet(path).with_row_index(ROW, offset=1), rows, sliced=True)


def _stream(
    path: Path, kind: str, scan: pl.LazyFrame, rows: int, sliced: bool = False, pieces: Iterator | None = None
) -> Iterator[pl.DataFrame]:
    """``scan`` in batches of about ``rows`` rows. ``sliced`` (a file that knows its row count and reads only the
    row groups a slice needs, i.e. Parquet): one slice at a time, so memory stays one batch; Polars'
    ``collect_batches`` runs the whole query ahead of a slower reader and holds what it has not handed out.
    ``pieces``: the batches, made elsewhere (``csvchunks``); ``scan`` then only names the columns of an empty file."""
    try:
        if pieces is not None:
            batches = pieces
        elif sliced:
            total = scan.select(pl.len()).collect().item()
            batches = (scan.slice(start, rows).collect() for start in range(0, total, rows))
        else:
            batches = iter(scan.collect_batches(chunk_size=rows))
        empty = True
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            empty = False
            yield batch.with_columns(pl.col(ROW).cast(pl.Int64))
        if empty:  # a header without rows still names its columns
            yield scan.head(0).collect().with_columns(pl.col(ROW).cast(pl.Int64))
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise LogError(path, f"unreadable {kind}: {first_line(exc)}") from None


def read_jsonl_raw(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_ndjson(path, infer_schema_length=None)
    except (pl.exceptions.PolarsError, OSError) as exc:
        line, detail = _jsonl_problem(path)
        raise LogError(path, f"unreadable JSON Lines: {detail or first_line(exc)}", line=line) from None
    _check_unique(path, frame.columns)
    return frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))


def _jsonl_problem(path: Path) -> tuple[int | None, str]:
    """The first line that is not a JSON object, and why (only called after Polars failed)."""
    try:
        with path.open(encoding="utf-8-sig", errors="strict") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except ValueError as exc:  # JSONDecodeError
                    return number, f"not JSON ({exc.msg} at column {getattr(exc, 'colno', '?')})"
                if not isinstance(value, dict):
                    return number, f"a JSON {type(value).__name__}, not an object"
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text at byte {exc.start} (JSON Lines must be UTF-8)"
    except OSError:
        pass
    return None, ""


def read_xlsx_raw(path: Path) -> pl.DataFrame:
    """First sheet, first row as header; cells become text (datetimes as local ISO text).

    Fully empty rows (Excel keeps formatted blank rows) are skipped; refs keep the
    sheet's numbering, so ref N is sheet row N + 1.
    """
    import openpyxl  # only needed for Excel input

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (BadZipFile, KeyError, ...) for damaged files
        raise LogError(path, f"unreadable XLSX: {first_line(exc)}") from None
    try:
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):  # the sheet's own claim (e.g. A1:XFD1048576) would pad every row
            sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise LogError(path, "the first sheet is empty")
        check_columns(path, len(header))
        names = [_cell_text(h) or f"column{i}" for i, h in enumerate(header, 1)]
        columns: list[list[str | None]] = [[] for _ in names]
        positions: list[int] = []
        for number, row in enumerate(rows, 1):
            if all(v is None or v == "" for v in row):
                continue
            positions.append(number)
            for i, column in enumerate(columns):
                column.append(_cell_text(row[i]) if i < len(row) else None)
    except LogError:
        raise
    except Exception as exc:
        raise LogError(path, f"unreadable XLSX: {first_line(exc)}") from None
    finally:
        book.close()
    _check_unique(path, names)
    data = {ROW: pl.Series(ROW, positions, dtype=pl.Int64)}
    data.update((n, pl.Series(n, c, dtype=pl.Utf8)) for n, c in zip(names, columns, strict=True))
    return pl.DataFrame(data)


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_unique(path: Path, names: list[str]) -> None:
    seen = set()
    for name in names:
        if name == ROW:  # would clash with the row numbers the reader adds
            raise LogError(path, f"column header {ROW!r} is reserved for row numbers; rename the column")
        if name in seen:
            raise LogError(path, f"duplicate column header {name!r}")
        seen.add(name)

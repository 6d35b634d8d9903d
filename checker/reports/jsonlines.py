"""findings.json's finding lines made column-wise: the same bytes as ``json.dumps(report.entry(f))`` per finding.

A findings-heavy log has millions of findings; making a ``Finding``, its dict
and its JSON line one at a time costs tens of microseconds each. Here each
chunk of the findings table becomes its lines in a few Polars expressions:

- ids, evidence and numbers are encoded by Polars' JSON encoder, which escapes
  exactly as ``json.dumps(..., ensure_ascii=False)`` does (quotes, backslashes,
  control characters; nothing else: tested on random text);
- what needs Python (expected/actual in words, the texts as data, titles, links,
  lateness in words) is made once per distinct value in the chunk, through the
  report's own methods, and joined back.

The keys come in ``json.dumps(..., sort_keys=True)`` order with its ``", "``
and ``": "`` separators. A report with a baseline adds per-finding fields of
the audit trail, so it goes through ``Report.entry`` instead (``lines``
returns None).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import polars as pl

from checker.engine.frames import _text
from checker.findingset import tabled
from checker.report import Report
from checker.texts import lateness_shown, lateness_words

CHUNK = 65_536
MEMO = 100_000  # made values kept from chunk to chunk, at most
_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode
_PLAIN = ("case_id", "clause", "code", "key", "period", "process", "rule", "scope", "severity", "step")
_LISTS = ("event_refs", "performers")
_MADE = ("actual", "expected", "lateness", "lateness_seconds", "process_title", "step_title", "texts", "url")
FIELDS = tuple(sorted((*_PLAIN, *_LISTS, *_MADE)))  # the keys of Report.entry, as json.dumps sorts them


def encoded(column: str | pl.Expr) -> pl.Expr:
    """A string column as JSON text, "null" for null."""
    expr = pl.col(column) if isinstance(column, str) else column
    return pl.struct(expr.alias("v")).struct.json_encode().str.slice(5).str.head(-1)  # {"v":…} -> …


def encoded_list(column: str) -> pl.Expr:
    """A list-of-strings column as JSON text with ``json.dumps``'s ", " between the items."""
    items = pl.col(column).list.eval(encoded(pl.element())).list.join(", ")
    return pl.concat_str([pl.lit("["), items, pl.lit("]")])


def lines(report: Report) -> Iterator[str] | None:
    """Each finding's line of findings.json, in order; None when the report adds per-finding audit fields."""
    made = frames(report)
    return None if made is None else (line for frame in made for line in frame.to_series())


def frames(report: Report) -> Iterator[pl.DataFrame] | None:
    """``lines`` as one-column frames of ``CHUNK`` lines each, for a writer that writes them from Polars
    (turning millions of lines into Python strings and writing them one by one costs more than making them)."""
    if report.audit is not None and report.audit.changes is not None:
        return None
    memo: dict = {}  # made values, kept from chunk to chunk
    return (_chunk(report, chunk, memo) for chunk in tabled(report.findings).frames(CHUNK))


def _chunk(report: Report, chunk: pl.DataFrame, memo: dict) -> pl.DataFrame:
    made = chunk.with_columns(
        *(encoded(c).alias(f"_{c}") for c in _PLAIN),
        *(encoded_list(c).alias(f"_{c}") for c in _LISTS),
        _lateness_seconds=pl.col("lateness_seconds").cast(pl.Utf8).fill_null("null"),
    )
    for name in ("expected", "actual"):
        made = _joined(
            made, [name, f"{name}_params", "process"], f"_{name}", lambda m, p, pr: _words(report, m, p, pr), memo
        )
        made = _joined(made, [name, f"{name}_params"], f"_{name}_data", _data, memo)
    made = _joined(made, ["clause"], "_url", lambda clause: _dumps(report.link(clause)), memo)
    made = _joined(made, ["process"], "_process_title", lambda p: _dumps(report.process_title(p)), memo)
    made = _joined(made, ["process", "step"], "_step_title", lambda p, s: _dumps(report.names.step(p, s)), memo)
    made = made.with_columns(_shown=lateness_shown(pl.col("lateness_seconds")))  # same words, few values
    made = _joined(made, ["_shown"], "_lateness", lambda s: _dumps(lateness_words(s, report.lang)), memo)
    texts = [
        pl.when(pl.col(f"_{name}_data").is_not_null()).then(pl.format('"{}": {}', pl.lit(name), f"_{name}_data"))
        for name in ("actual", "expected")
    ]
    inside = pl.concat_str(texts, separator=", ", ignore_nulls=True).fill_null("")
    made = made.with_columns(_texts=pl.concat_str([pl.lit("{"), inside, pl.lit("}")]))
    parts: list[pl.Expr | str] = []
    for number, field in enumerate(FIELDS):
        parts += [("{" if number == 0 else ", ") + f'"{field}": ', f"_{field}"]
    parts.append("}")
    return made.select(pl.concat_str([pl.lit(p) if i % 2 == 0 else pl.col(p) for i, p in enumerate(parts)]))


def _joined(frame: pl.DataFrame, keys: list[str], name: str, make, memo: dict) -> pl.DataFrame:
    """``frame`` with column ``name``: ``make(*key values)`` computed once per distinct key (``memo`` keeps
    the values made for earlier chunks)."""
    distinct = frame.select(keys).unique(maintain_order=True)
    if len(memo) > MEMO:
        memo.clear()
    values = []
    for row in distinct.iter_rows():
        value = memo.get((name, row), memo)
        if value is memo:
            value = memo[name, row] = make(*row)
        values.append(value)
    mapped = distinct.with_columns(pl.Series(name, values, dtype=pl.Utf8))
    return frame.join(mapped, on=keys, how="left", nulls_equal=True, maintain_order="left")


def _words(report: Report, msgid: str | None, params: str | None, process: str | None) -> str:
    return _dumps(report.text_words(_text(msgid, params), process))


def _data(msgid: str | None, params: str | None) -> str | None:
    text = _text(msgid, params)
    return None if text is None else _dumps(text.to_dict())

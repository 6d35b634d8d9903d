"""Corpus inputs that are too big or too binary to keep as files, made on demand.

A corpus case names its generator in ``case.yaml`` (``generate: name``); the
generator writes into the case's working folder (a log case) or into the
handbook copy (a handbook case).
"""

from __future__ import annotations

import gzip
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

import polars as pl
from openpyxl import Workbook

ROLE_HEADER = "# yaml-language-server: $schema=../../../../schema/role.schema.json\n"
ROLE = "id: clerk\ntitle: 内勤\ndepartment: 销售部\nreports_to: boss\npurpose: 负责起草合同。\nresponsibilities:\n  - id: r1\n    text: 起草合同。\n"
LOG_HEADER = "case_id,activity,timestamp,performer,role\n"
ROWS = [
    ("A1", "起草合同", "2026-03-02 09:00", "p1", "clerk"),
    ("A1", "审批合同", "2026-03-03 10:00", "p2", "boss"),
]
MB = 1 << 20

GENERATORS: dict[str, Callable[[Path], None]] = {}


def generator(fn: Callable[[Path], None]) -> Callable[[Path], None]:
    GENERATORS[fn.__name__] = fn
    return fn


def _csv(rows) -> str:
    return LOG_HEADER + "".join(",".join(row) + "\n" for row in rows)


def _xes(traces: int) -> bytes:
    events = "".join(
        f'<trace><string key="concept:name" value="A{i}"/>'
        f'<event><string key="concept:name" value="起草合同"/>'
        f'<date key="time:timestamp" value="2026-03-02T09:00:00+08:00"/></event></trace>'
        for i in range(traces)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><log xes.version="1.0">{events}</log>'.encode()


# --- handbook cases: ``root`` is the handbook copy -------------------------------------------


@generator
def not_utf8(root: Path) -> None:
    (root / "roles" / "clerk.yaml").write_bytes((ROLE_HEADER + ROLE).encode("gbk"))


@generator
def nul_byte(root: Path) -> None:
    text = ROLE_HEADER + ROLE.replace("    text: 起草合同。", "    text: 起草\x00合同。")
    (root / "roles" / "clerk.yaml").write_bytes(text.encode("utf-8"))


@generator
def too_large(root: Path) -> None:
    padding = ("# " + "x" * 98 + "\n") * 20_000  # 2 MB of comments
    (root / "roles" / "clerk.yaml").write_text(ROLE_HEADER + ROLE + padding, encoding="utf-8")


@generator
def deep_nesting(root: Path) -> None:
    deep = "kpis: " + "[" * 5000 + "]" * 5000 + "\n"
    (root / "roles" / "clerk.yaml").write_text(ROLE_HEADER + ROLE + deep, encoding="utf-8")


@generator
def role_device(root: Path) -> None:
    (root / "roles" / "extra.yaml").symlink_to("/dev/zero")  # endless: reading it would never stop


@generator
def role_fifo(root: Path) -> None:
    os.mkfifo(root / "roles" / "extra.yaml")  # opening it for reading would wait for a writer forever


@generator
def role_folder(root: Path) -> None:
    (root / "roles" / "extra.yaml").mkdir()


# --- log cases: ``work`` is the folder the command runs in -----------------------------------


@generator
def nul_bytes(work: Path) -> None:
    rows = [ROWS[0], ("A1", "审批\x00合同", "2026-03-03 10:00", "p\x002", "boss")]
    (work / "log.csv").write_bytes(_csv(rows).encode("utf-8"))


@generator
def long_field(work: Path) -> None:
    header = LOG_HEADER.rstrip("\n") + ",note\n"
    rows = [
        ",".join(ROWS[0]) + "," + "长" * (MB // 3),  # a 1 MB note no rule needs
        "A1,审批合同," + "9" * MB + ",p2,boss,",  # a 1 MB timestamp
        ",".join(ROWS[1]) + ",",
    ]
    (work / "log.csv").write_text(header + "\n".join(rows) + "\n", encoding="utf-8")


@generator
def gbk(work: Path) -> None:
    (work / "gbk.csv").write_bytes(_csv(ROWS).encode("gbk"))


@generator
def utf16(work: Path) -> None:
    (work / "log.csv").write_bytes(_csv(ROWS).encode("utf-16"))


@generator
def truncated_xes_gz(work: Path) -> None:
    data = gzip.compress(_xes(200), mtime=0)
    (work / "log.xes.gz").write_bytes(data[: len(data) // 2])


@generator
def corrupt_parquet(work: Path) -> None:
    buffer = io.BytesIO()
    pl.DataFrame(ROWS, schema=LOG_HEADER.strip().split(","), orient="row").write_parquet(buffer)
    data = buffer.getvalue()
    (work / "log.parquet").write_bytes(data[: len(data) // 2])  # the footer is gone


@generator
def corrupt_xlsx(work: Path) -> None:
    (work / "log.xlsx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 64)


@generator
def truncated_xlsx(work: Path) -> None:
    book = Workbook()
    book.active.append(["case_id", "activity", "timestamp"])
    for row in ROWS:
        book.active.append(list(row[:3]))
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    (work / "log.xlsx").write_bytes(data[: len(data) // 2])


@generator
def million_columns(work: Path) -> None:
    """9 MB: a header of a million short columns and one row (Polars grew it to 13 GB)."""
    header = ",".join(f"c{i}" for i in range(1_000_000))
    (work / "log.csv").write_text(header + "\n" + "x," * 999_999 + "x\n", encoding="utf-8")


@generator
def xlsx_huge_dimension(work: Path) -> None:
    """5 KB: two real rows, but the sheet's dimension claims A1:XFD1048576 (openpyxl padded every row to it)."""
    book = Workbook()
    book.active.append(list(LOG_HEADER.strip().split(",")))
    for row in ROWS:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    with ZipFile(buffer) as source, ZipFile(work / "log.xlsx", "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', data)
            target.writestr(info, data)


@generator
def xlsx_wide_header(work: Path) -> None:
    """A header with a cell at XFD1: 16,384 columns, more than the bound."""
    book = Workbook()
    book.active.append(list(LOG_HEADER.strip().split(",")))
    book.active.cell(row=1, column=16_384, value="far")
    for row in ROWS:
        book.active.append(list(row))
    book.save(work / "log.xlsx")


# --- encodings (issue 10, §5): a file in one encoding with lines in another ------------------

MIXED = [
    *ROWS,
    ("A2", "起草合同", "2026-03-04 09:00", "p1", "clerk"),
    ("A2", "审批合同", "2026-03-05 10:00", "p2", "boss"),
]


def _mixed(rows, main: str, other: str, odd: set[int]) -> bytes:
    """The log in ``main``, the data rows numbered in ``odd`` (1-based) in ``other``."""
    lines = [LOG_HEADER] + [",".join(r) + "\n" for r in rows]
    return b"".join(line.encode(other if i in odd else main) for i, line in enumerate(lines))


@generator
def utf8_with_a_gbk_row(work: Path) -> None:
    (work / "log.csv").write_bytes(_mixed(MIXED, "utf-8", "gbk", {3}))


@generator
def gbk_with_a_utf8_row(work: Path) -> None:
    (work / "log.csv").write_bytes(_mixed(MIXED, "gbk", "utf-8", {2}))


@generator
def utf8_bom_with_gbk_rows(work: Path) -> None:
    (work / "log.csv").write_bytes(b"\xef\xbb\xbf" + _mixed(MIXED, "utf-8", "gbk", {1, 4}))


@generator
def gbk_with_a_broken_row(work: Path) -> None:
    data = _mixed(MIXED, "gbk", "gbk", set()).split(b"\n")
    data[2] = data[2].replace("审批".encode("gbk"), b"\x81\x20\xff")  # in neither encoding
    (work / "log.csv").write_bytes(b"\n".join(data))


@generator
def utf16_without_bom(work: Path) -> None:
    (work / "log.csv").write_bytes(_csv(ROWS).encode("utf-16-le"))


@generator
def mixed_roster(work: Path) -> None:
    (work / "log.csv").write_text(_csv(ROWS), encoding="utf-8")
    roster = "person,role,from,to\n张三,clerk,2026-03-01,\n".encode() + "李四,boss,2026-03-01,\n".encode("gbk")
    (work / "roster.csv").write_bytes(roster)

"""A large CSV read in pieces cut at record boundaries gives exactly the rows Polars reads from the whole file."""

from __future__ import annotations

import polars as pl
import pytest

from checker.readers import csvchunks, tabular
from checker.readers.tabular import ROW

AWKWARD = {
    "quoted line breaks": 'case_id,activity,note\nC1,签约,"line one\nline two"\nC2,付款,plain\n"C\n3",交房,"x"\n',
    "doubled quotes": 'case_id,activity,note\nC1,签约,"he said ""hi""\nthen left"\nC2,付款,""""\nC3,交房,"a,b"\n',
    "blank lines and CRLF": "case_id,activity,note\r\nC1,签约,a\r\n\r\nC2,付款,b\r\n\r\n\r\nC3,交房,c\r\n",
    "byte-order mark": "\ufeffcase_id,activity,note\nC1,签约,a\nC2,付款,b\n",
    "no final line break": "case_id,activity,note\nC1,签约,a\nC2,付款,b",
    "quoted header": '"case\nid",activity,note\nC1,签约,a\nC2,"付\n款",b\n',
    "header only": "case_id,activity,note\n",
}


def whole(path) -> pl.DataFrame:
    return pl.scan_csv(path, infer_schema=False, row_index_name=ROW, row_index_offset=1).collect()


@pytest.mark.parametrize("name", sorted(AWKWARD))
@pytest.mark.parametrize("block", [1, 3, 8, 64])
def test_pieces_give_the_whole_files_rows(tmp_path, name, block):
    path = tmp_path / "log.csv"
    path.write_bytes(AWKWARD[name].encode("utf-8"))
    rows = list(csvchunks.read_pieces(path, 1, ROW, block=block))
    expected = whole(path)
    got = pl.concat(rows) if rows else expected.clear()
    assert got.columns == expected.columns
    assert got.cast({ROW: pl.Int64}).rows() == expected.cast({ROW: pl.Int64}).rows()
    if name != "header only" and block < 8:
        assert len(rows) > 1  # really in pieces


def test_a_large_log_is_read_in_pieces_with_the_same_rows_and_numbers(tmp_path, monkeypatch):
    body = "".join(f'C{i},签约,"note {i}\nsecond line"\n' if i % 7 == 0 else f"C{i},付款,n{i}\n" for i in range(2000))
    path = tmp_path / "log.csv"
    path.write_text("case_id,activity,note\n" + body, encoding="utf-8")
    streamed = pl.concat(tabular.stream_csv_raw(path, None, 300))
    monkeypatch.setattr(csvchunks, "MIN_BYTES", 0)
    monkeypatch.setattr(csvchunks, "_BLOCK", 256)
    calls = []
    original = csvchunks.read_pieces
    monkeypatch.setattr(csvchunks, "read_pieces", lambda *a, **k: calls.append(1) or original(*a, **k))
    pieced = list(tabular.stream_csv_raw(path, None, 300))
    assert calls and len(pieced) > 3
    assert pl.concat(pieced).equals(streamed)

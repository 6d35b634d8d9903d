"""Log readers: formats, encodings, timestamps, rejections and row accounting."""

from __future__ import annotations

import gzip
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.events import BASE_SCHEMA
from checker.mapping import Mapping
from checker.readers import LogError, read_logs

LOGS = Path(__file__).parent / "fixtures" / "logs"
DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
TZ = ZoneInfo("Asia/Shanghai")
ZH_HEADER = "客户编号,动作,时间,经办人,岗位,付款方式,交房日期,客户等级,备注\n"
ZH_ROWS = "C1,登记,2024-03-05 09:00,张三,置业顾问,按揭,2024-06-30,A,首次到访\nC1,签约,2024/3/6 10:30,李四,经理,按揭,2024-06-30,A,\n"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def read(*paths: Path, mapping: Mapping | None = None, **kw):
    result = read_logs(list(paths), mapping=mapping, tz=TZ, **kw)
    assert result.rows_read == result.events.height + len(result.rejected)
    assert sum(f.rows_read for f in result.files) == result.rows_read
    return result


def assert_contract(events: pl.DataFrame) -> None:
    assert events.columns[: len(BASE_SCHEMA)] == list(BASE_SCHEMA)
    for name, dtype in BASE_SCHEMA.items():
        assert events.schema[name] == dtype, name
    assert all(events.schema[c] == pl.Utf8 for c in events.columns[len(BASE_SCHEMA) :])
    assert events["seq"].to_list() == list(range(events.height))


def test_read_csv_default_columns_and_rejections():
    result = read(LOGS / "sales.csv")
    events = result.events
    assert_contract(events)
    assert events["ref"].to_list() == ["sales.csv:1", "sales.csv:2", "sales.csv:3", "sales.csv:6"]
    assert events["ts"].to_list() == [
        utc(2024, 3, 5, 1),
        utc(2024, 3, 6, 2, 30),
        utc(2024, 3, 5, 6, 30),
        utc(2024, 3, 7, 16),
    ]
    assert events["case_id"].to_list() == ["C1", "C1", "C2", None]  # no case id: kept for the engine to judge
    assert events["attr:payment_method"].to_list() == ["按揭", "按揭", "全款", None]
    assert [r.to_dict() for r in result.rejected] == [
        {"ref": "sales.csv:4", "field": "activity", "reason": "no activity"},
        {"ref": "sales.csv:5", "field": "timestamp", "reason": "unreadable timestamp 'yesterday'"},
        {"ref": "sales.csv:7", "field": "timestamp", "reason": "no timestamp"},
    ]
    (info,) = result.files
    assert (info.format, info.rows_read, info.rows_rejected, len(info.sha256)) == ("csv", 7, 3, 64)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_read_csv_encodings_with_chinese_mapping(tmp_path, encoding):
    path = tmp_path / "台账.csv"
    path.write_bytes((ZH_HEADER + ZH_ROWS).encode(encoding))
    result = read(path, mapping=Mapping.load(LOGS / "zh_mapping.yaml"))
    events = result.events
    assert_contract(events)
    assert events["ref"].to_list() == ["台账.csv:1", "台账.csv:2"]
    assert events["case_id"].to_list() == ["C1", "C1"]
    assert events["activity"].to_list() == ["登记", "签约"]
    assert events["performer"].to_list() == ["张三", "李四"]
    assert events["role"].to_list() == ["置业顾问", "经理"]
    assert events["ts"].to_list() == [utc(2024, 3, 5, 1), utc(2024, 3, 6, 2, 30)]
    assert events["attr:payment_method"].to_list() == ["按揭", "按揭"]
    assert events["attr:handover_date"].to_list() == ["2024-06-30"] * 2
    assert events["attr:备注"].to_list() == ["首次到访", None]  # unmapped columns are kept
    assert "attr:付款方式" not in events.columns


def test_read_csv_encoding_override(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes("activity,timestamp\n审批,2024-03-05\n".encode("gbk"))
    assert read(path, encoding="gbk").events["activity"].to_list() == ["审批"]
    with pytest.raises(LogError, match="log.csv"):
        read(path, encoding="utf-8")
    with pytest.raises(LogError, match="unknown encoding"):
        read(path, encoding="klingon")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05 14:30", utc(2024, 3, 5, 6, 30)),
        ("2024-03-05 14:30:00", utc(2024, 3, 5, 6, 30)),
        ("2024/3/5 14:30:00", utc(2024, 3, 5, 6, 30)),
        ("2024/3/5 14:30", utc(2024, 3, 5, 6, 30)),
        ("2024-03-05", utc(2024, 3, 4, 16)),
        ("2024-03-05T14:30:00", utc(2024, 3, 5, 6, 30)),
        ("2024-03-05T14:30:00.250", utc(2024, 3, 5, 6, 30, 0, 250000)),
        ("2024-03-05T14:30:00Z", utc(2024, 3, 5, 14, 30)),
        ("2024-03-05T14:30:00+08:00", utc(2024, 3, 5, 6, 30)),
        ("2024-03-05T14:30:00.5-05:00", utc(2024, 3, 5, 19, 30, 0, 500000)),
        ("2024-03-05 14:30+0100", utc(2024, 3, 5, 13, 30)),
        (" 2024-03-05 14:30:00 +08:00 ", utc(2024, 3, 5, 6, 30)),
        ("2024-03-05 14:30:00.123456789", utc(2024, 3, 5, 6, 30, 0, 123456)),
    ],
)
def test_read_timestamp_forms(tmp_path, text, expected):
    path = tmp_path / "t.csv"
    path.write_text(f'activity,timestamp\nx,"{text}"\n', encoding="utf-8")
    assert read(path).events["ts"].to_list() == [expected]


@pytest.mark.parametrize(
    "text", ["2024-13-05", "2024-02-30 10:00", "05/03/2024", "14:30", "next week", "2024-03-05 25:00"]
)
def test_read_unreadable_timestamps_are_rejected(tmp_path, text):
    path = tmp_path / "t.csv"
    path.write_text(f"activity,timestamp\nx,{text}\n", encoding="utf-8")
    result = read(path)
    assert result.events.height == 0
    assert [r.to_dict() for r in result.rejected] == [
        {"ref": "t.csv:1", "field": "timestamp", "reason": f"unreadable timestamp {text!r}"}
    ]


def test_read_time_zone_is_the_audits(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("activity,timestamp\nx,2024-07-01 12:00\ny,2024-07-01T12:00:00+08:00\n", encoding="utf-8")
    result = read_logs([path], mapping=None, tz=ZoneInfo("Europe/Berlin"))
    assert result.events["ts"].to_list() == [utc(2024, 7, 1, 10), utc(2024, 7, 1, 4)]


def test_read_long_bad_timestamp_is_truncated(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("activity,timestamp\nx," + "9" * 200 + "\n", encoding="utf-8")
    (rejected,) = read(path).rejected
    assert rejected.reason == "unreadable timestamp '" + "9" * 40 + "…'"  # cut, but never below 40


def test_read_long_bad_timestamp_is_not_cut_inside_a_number(tmp_path):
    """Half a phone number is no longer recognised by --redact: the cut moves back before it."""
    path = tmp_path / "t.csv"
    path.write_text("activity,timestamp\nx," + "回访" * 37 + " 138 1234 5678 ok\n", encoding="utf-8")
    (rejected,) = read(path).rejected
    assert rejected.reason == "unreadable timestamp '" + "回访" * 37 + "…'"


def test_read_blank_rows_are_not_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("activity,timestamp\nx,2024-03-05\n,\n\ny,2024-03-06\n  , \n", encoding="utf-8")
    result = read(path)
    assert result.events["ref"].to_list() == ["t.csv:1", "t.csv:4"]
    assert (result.rejected, result.rows_read) == ([], 2)


def test_read_several_files_continue_seq(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    jan, feb, feb_again = tmp_path / "2024-01.csv", tmp_path / "a" / "log.csv", tmp_path / "b" / "log.csv"
    jan.write_text("activity,timestamp,case_id\nx,2024-01-05,C1\n,2024-01-06,C1\n", encoding="utf-8")
    feb.write_text("activity,timestamp,region\ny,2024-02-05,north\n", encoding="utf-8")
    feb_again.write_text("activity,timestamp\nz,2024-02-06\n", encoding="utf-8")
    result = read(jan, feb, feb_again)
    assert_contract(result.events)
    assert result.events["ref"].to_list() == ["2024-01.csv:1", f"{feb}:1", f"{feb_again}:1"]
    assert result.events["attr:region"].to_list() == [None, "north", None]
    assert [r.ref for r in result.rejected] == ["2024-01.csv:2"]
    assert [(f.path, f.rows_read, f.rows_rejected) for f in result.files] == [
        (str(jan), 2, 1),
        (str(feb), 1, 0),
        (str(feb_again), 1, 0),
    ]


def test_read_id_column_as_ref(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "流水号,activity,timestamp\nA-001,x,2024-03-05\n,y,2024-03-05\nA-003,,2024-03-05\n", encoding="utf-8"
    )
    result = read(path, mapping=Mapping(id="流水号"))
    assert result.events["ref"].to_list() == ["A-001", "t.csv:2"]  # an empty id falls back to the position
    assert [r.ref for r in result.rejected] == ["A-003"]
    assert "attr:流水号" not in result.events.columns


def test_read_jsonl_with_xes_style_names():
    result = read(LOGS / "sales.jsonl")
    events = result.events
    assert_contract(events)
    assert events["ref"].to_list() == ["sales.jsonl:1", "sales.jsonl:2", "sales.jsonl:3"]
    assert events["case_id"].to_list() == ["C1", "C1", "7"]
    assert events["role"].to_list() == ["sales", "boss", None]  # org:group when there is no org:role
    assert events["ts"].to_list() == [utc(2024, 3, 5, 1), utc(2024, 3, 6, 2, 30), utc(2024, 3, 6, 16)]
    assert events["attr:amount"].to_list() == ["1200000", None, None]


def test_read_parquet_native_datetimes(tmp_path):
    path = tmp_path / "log.parquet"
    pl.DataFrame(
        {
            "case:concept:name": ["C1", "C1", "C2"],
            "concept:name": ["a", "b", None],
            "time:timestamp": [datetime(2024, 3, 5, 9), datetime(2024, 3, 5, 10), datetime(2024, 3, 5, 11)],
            "amount": [1.5, 2.0, None],
        }
    ).write_parquet(path)
    result = read(path)
    assert_contract(result.events)
    assert result.events["ts"].to_list() == [utc(2024, 3, 5, 1), utc(2024, 3, 5, 2)]  # naive = local time
    assert result.events["attr:amount"].to_list() == ["1.5", "2.0"]
    assert [r.to_dict() for r in result.rejected] == [
        {"ref": "log.parquet:3", "field": "activity", "reason": "no activity"}
    ]

    aware = tmp_path / "aware.parquet"
    pl.DataFrame({"activity": ["a"], "timestamp": [datetime(2024, 3, 5, 9, tzinfo=UTC)]}).write_parquet(aware)
    assert read(aware).events["ts"].to_list() == [utc(2024, 3, 5, 9)]


def test_read_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["客户编号", "动作", "时间", "经办人", "岗位", "付款方式", "交房日期", "客户等级"])
    sheet.append([1001, "登记", datetime(2024, 3, 5, 9, 0), "张三", "置业顾问", "按揭", datetime(2024, 6, 30), "A"])
    sheet.append([None] * 8)
    sheet.append([1002, "签约", "2024/3/6 10:30", "李四", "经理", "全款", None, 2.5])
    sheet.append([1003, "签约", 45356.5, "李四", "经理", "全款", None, None])
    book.create_sheet("ignored").append(["nothing"])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    result = read(path, mapping=Mapping.load(LOGS / "zh_mapping.yaml"))
    events = result.events
    assert_contract(events)
    assert events["ref"].to_list() == ["台账.xlsx:1", "台账.xlsx:3"]  # sheet row 3 was blank
    assert events["case_id"].to_list() == ["1001", "1002"]
    assert events["ts"].to_list() == [utc(2024, 3, 5, 1), utc(2024, 3, 6, 2, 30)]
    assert events["attr:handover_date"].to_list() == ["2024-06-30 00:00:00", None]
    assert events["attr:customer_tier"].to_list() == ["A", "2.5"]
    assert [r.to_dict() for r in result.rejected] == [
        {"ref": "台账.xlsx:4", "field": "timestamp", "reason": "unreadable timestamp '45356.5'"}
    ]


def check_small_xes(result, name: str) -> None:
    events = result.events
    assert_contract(events)
    assert events["ref"].to_list() == [f"{name}:1", f"{name}:2", f"{name}:3"]
    assert events["case_id"].to_list() == ["C1", "C1", "C2"]
    assert events["activity"].to_list() == ["登记", "签约", "登记"]
    assert events["ts"].to_list() == [utc(2024, 3, 5, 1), utc(2024, 3, 6, 2, 30), utc(2024, 3, 7, 2)]
    assert events["performer"].to_list() == ["zhang", "li", "wang"]
    assert events["role"].to_list() == ["sales", "boss", None]
    assert events["attr:case:payment_method"].to_list() == ["按揭", "按揭", None]
    assert events["attr:note"].to_list() == ["first", None, None]
    assert events["attr:amount"].to_list() == [None, "1200000", None]
    assert not {"attr:nested", "attr:tags", "attr:origin", "attr:case:concept:name"} & set(events.columns)
    assert [r.to_dict() for r in result.rejected] == [
        {"ref": f"{name}:4", "field": "activity", "reason": "no activity"}
    ]


def test_read_xes_and_gzipped_xes(tmp_path):
    check_small_xes(read(LOGS / "small.xes"), "small.xes")
    packed = tmp_path / "small.xes.gz"
    with (LOGS / "small.xes").open("rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)
    result = read(packed)
    check_small_xes(result, "small.xes.gz")
    assert result.files[0].format == "xes.gz"


def test_read_missing_mapped_column_is_an_error(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("动作,时间\nx,2024-03-05\n", encoding="utf-8")
    mapping = Mapping.load(LOGS / "zh_mapping.yaml")
    with pytest.raises(LogError) as caught:
        read(path, mapping=mapping)
    assert caught.value.path == str(path)
    assert "'客户编号' (case_id)" in str(caught.value)
    assert "'付款方式' (attribute payment_method)" in str(caught.value)


def test_read_attribute_name_clash_is_an_error(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("activity,timestamp,付款方式,pay\nx,2024-03-05,按揭,1\n", encoding="utf-8")
    with pytest.raises(LogError, match="attr:pay"):
        read(path, mapping=Mapping.from_flags(attributes=["pay=付款方式"]))


def _gz(data: bytes) -> bytes:
    return gzip.compress(data)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("log.txt", b"activity\n", "unknown log format '.txt'"),
        ("log", b"activity\n", "unknown log format '(no extension)'"),
        ("log.csv", b"", "empty file"),
        ("log.csv", b"case_id,timestamp\nC1,2024-03-05\n", "no activity column"),
        ("log.csv", b"activity,when\nx,2024-03-05\n", "no timestamp column"),
        ("log.csv", b"what,when\nx,2024-03-05\n", "no activity, timestamp columns (expected activity: 'activity'"),
        ("log.csv", b"activity,timestamp\nx,2024-03-05,extra\n", "unreadable CSV"),
        ("log.xes", b"<log><trace><event>", "broken XML"),
        ("log.xes", b"<log><trace></event></trace></log>", "log.xes:1: broken XML"),
        ("log.xes.gz", b"not gzip at all", "unreadable XES"),
        ("log.xes.gz", _gz(b"<log><trace><event></event></trace></log>" * 50)[:40], "log.xes.gz"),
        ("log.parquet", b"PAR1 this is not parquet", "unreadable Parquet"),
        ("log.xlsx", b"PK\x03\x04 not a workbook", "unreadable XLSX"),
        ("log.jsonl", b'{"activity": "x", "timestamp": "2024-03-05"}\n{broken\n', "unreadable JSON Lines"),
    ],
)
def test_read_bad_files_raise_log_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LogError) as caught:
        read(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_read_missing_file_is_an_error(tmp_path):
    with pytest.raises(LogError, match="no such file"):
        read(tmp_path / "nope.csv")


def test_read_header_only_file_is_an_empty_log(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("activity,timestamp\n", encoding="utf-8")
    result = read(path)
    assert_contract(result.events)
    assert (result.events.height, result.rows_read) == (0, 0)


def test_read_no_files():
    result = read()
    assert_contract(result.events)
    assert result.rows_read == 0


_cell = st.text(alphabet='ab ,"\n:-0123456789T', max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(_cell, st.one_of(st.sampled_from(["2024-03-05", "2024/3/5 9:30", "2024-03-05T10:00Z"]), _cell)),
        max_size=12,
    )
)
def test_read_accounts_for_every_row(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("prop") / "p.csv"
    body = "".join('"{}","{}"\n'.format(a.replace('"', '""'), t.replace('"', '""')) for a, t in rows)
    path.write_text("activity,timestamp\n" + body, encoding="utf-8")
    result = read(path)
    refs = result.events["ref"].to_list() + [r.ref for r in result.rejected]
    non_blank = [i for i, (a, t) in enumerate(rows, 1) if a.strip() or t.strip()]
    assert sorted(refs, key=lambda r: int(r.rpartition(":")[2])) == [f"p.csv:{i}" for i in non_blank]


@pytest.mark.skipif(not DATASETS.is_dir(), reason=f"public datasets folder {DATASETS} not present")
@pytest.mark.parametrize(
    ("name", "cases", "events"),
    [
        ("running-example.xes", 6, 42),
        ("helpdesk.xes.gz", 4_580, 21_348),
        ("hiring_log_high.xes.gz", 10_000, 63_869),
        ("receipt.parquet", 1_434, 8_577),
    ],
)
def test_read_public_datasets(name, cases, events):
    result = read(DATASETS / name)
    assert_contract(result.events)
    assert result.rejected == []
    assert result.events.height == events
    assert result.events["case_id"].n_unique() == cases
    assert result.events["case_id"].null_count() == 0
    assert result.events["ts"].null_count() == 0

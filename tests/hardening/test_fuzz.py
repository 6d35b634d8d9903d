"""Property-based fuzzing of the parsers that read outside input (and of deadline arithmetic), on a fixed budget.

Each test runs a fixed number of derandomized examples, so the suite is
repeatable and its run time bounded. The ``@example`` inputs are crashes
fuzzing once found; each is also a corpus case (see corpus/).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker.readers import LogError, parse_timestamps, read_logs
from opsbook.calendar import WorkCalendar
from opsbook.durations import MAX_AMOUNT, UNITS, Duration, shift
from opsbook.loader import load
from opsbook.problems import CODES
from opsbook.yamldoc import load_yaml

from .helpers import make_handbook

TZ = ZoneInfo("Asia/Shanghai")
CALENDAR = WorkCalendar.china()


def budget(n: int):
    return settings(
        max_examples=n,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def scratch():
    folder = Path(tempfile.mkdtemp(prefix="opsbook-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# YAML made of the characters that matter to its grammar, so examples get past the scanner.
YAML_ALPHABET = list("abc01 :-?[]{},&*!|>'\"#%@`\n\t\\=~.") + ["\u3000", "中", "\x00", "\x85", "\ufeff", "\u2028"]
yaml_text = st.one_of(st.text(st.sampled_from(YAML_ALPHABET), max_size=120), st.text(max_size=80))
YAML_CRASHES = [b"=", b"x: !!int abc", b"x: !!bool maybe", b"x: !foo bar", b"? !!int z\n: 1", b"x: " + b"1" * 5000]


def assert_located(problems) -> None:
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.code in CODES, problem
        assert "\n" not in problem.message, problem


@budget(400)
@given(data=st.one_of(st.binary(max_size=200), yaml_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
@example(data=YAML_CRASHES[0])
@example(data=YAML_CRASHES[1])
@example(data=YAML_CRASHES[2])
@example(data=YAML_CRASHES[3])
@example(data=YAML_CRASHES[4])
@example(data=YAML_CRASHES[5])
def test_load_yaml_never_raises(scratch, data):
    path = scratch / "fuzz.yaml"
    path.write_bytes(data)
    doc, problems = load_yaml(path, "fuzz.yaml")
    assert_located(problems)
    assert doc is not None or problems


@pytest.fixture(scope="module")
def handbook_copy(scratch):
    root = make_handbook(scratch / "hb")
    return root, (root / "roles" / "clerk.yaml").read_text(encoding="utf-8")


@budget(120)
@given(text=yaml_text, at=st.integers(min_value=0, max_value=400))
@example(text="\nreports_to: =\n", at=1000)
@example(text="\npurpose: !!python/object/apply:os.system 'ls'\n", at=1000)
def test_load_handbook_never_raises(handbook_copy, text, at):
    root, original = handbook_copy
    at = min(at, len(original))
    spliced = original[:at] + text + original[at:]
    (root / "roles" / "clerk.yaml").write_bytes(spliced.encode("utf-8", "surrogatepass"))
    result = load(root)
    assert_located(result.problems)
    assert (result.handbook is None) == bool(result.errors)


CSV_PIECES = st.sampled_from(
    [",", '"', "\n", "\r\n", " ", "a", "中", "\x00", ";", "case_id", "activity", "timestamp", "performer", "__row__"]
    + ["2024-03-05", "2024-03-05 10:00", "2024/3/5", "T10:00:00", "+08:00", "Z", "-", "9999-99-99", "\ufeff"]
)
csv_text = st.lists(CSV_PIECES, max_size=60).map("".join)


@budget(300)
@given(
    text=st.one_of(csv_text.map(lambda t: "activity,timestamp\n" + t), csv_text, st.text(max_size=100)),
    encoding=st.sampled_from([None, "utf-8", "gbk"]),
)
@example(text="activity,timestamp,__row__\nx,2024-03-05,1\n", encoding=None)
@example(text="activity,timestamp\nx,2024-03-05,extra\n", encoding=None)
def test_read_logs_accounts_for_every_row(scratch, text, encoding):
    path = scratch / "fuzz.csv"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        result = read_logs([path], mapping=None, tz=TZ, encoding=encoding)
    except LogError as error:
        assert "\n" not in str(error) and str(error).startswith(str(path))
        return
    assert result.rows_read == result.events.height + len(result.rejected)
    assert result.events["ref"].n_unique() == result.events.height


@budget(150)
@given(text=st.text(max_size=200))
@example(text='{"activity": "x", "timestamp": "2024-03-05", "__row__": 7}')
def test_read_json_lines_accounts_for_every_row(scratch, text):
    path = scratch / "fuzz.jsonl"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        result = read_logs([path], mapping=None, tz=TZ)
    except LogError:
        return
    assert result.rows_read == result.events.height + len(result.rejected)


duration_text = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[ 0-9+\-]{0,8}(minute|hour|day|week|month|workday|year)s?[ \n]?", fullmatch=True),
)


@budget(1000)
@given(text=duration_text)
@example(text="100000 days")
@example(text="0 days")
@example(text="3 workdays\n")
@example(text="３ days")  # a full-width digit
def test_duration_parse_raises_only_value_error(text):
    try:
        duration = Duration.parse(text)
    except ValueError:
        return
    assert duration.unit in UNITS and 1 <= duration.amount <= MAX_AMOUNT
    assert Duration.parse(str(duration)) == duration


@budget(500)
@given(
    amount=st.integers(min_value=1, max_value=MAX_AMOUNT),
    unit=st.sampled_from(UNITS),
    sign=st.sampled_from([1, -1]),
    instant=st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.just(UTC)),
    zone=st.sampled_from(["Asia/Shanghai", "UTC", "America/New_York", "Pacific/Kiritimati"]),
)
@example(amount=1409, unit="weeks", sign=-1, instant=datetime(28, 1, 1, tzinfo=UTC), zone="Asia/Shanghai")
@example(amount=99_999, unit="months", sign=1, instant=datetime(2026, 1, 1, tzinfo=UTC), zone="UTC")
def test_deadline_shift_raises_only_value_error(amount, unit, sign, instant, zone):
    # CalendarRangeError (a workday outside the calendar's years) is a ValueError too.
    try:
        moved = shift(instant, Duration(amount, unit), sign, calendar=CALENDAR, tz=ZoneInfo(zone))
    except ValueError:
        return
    assert moved.tzinfo is not None and (moved > instant if sign == 1 else moved < instant)


@budget(300)
@given(text=st.one_of(st.text(max_size=40), st.from_regex(r"[0-9]{1,5}[-/][0-9]{1,3}[-/][0-9]{1,3}[ T].{0,12}")))
@example(text="2026-03-08 02:30")
@example(text="9999-12-31T23:59:59-23:59")
def test_time_parser_gives_an_instant_or_nothing(text):
    # --as-of and --from go through the same parser as the log's timestamps.
    value = pl.select(parse_timestamps(pl.lit(text), TZ.key)).item()
    assert value is None or value.tzinfo is not None

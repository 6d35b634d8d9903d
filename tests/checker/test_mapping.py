"""Column mapping: YAML files, CLI flags, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.mapping import Mapping
from checker.readers import LogError

LOGS = Path(__file__).parent / "fixtures" / "logs"


def test_mapping_load_chinese_headers():
    mapping = Mapping.load(LOGS / "zh_mapping.yaml")
    assert (mapping.case_id, mapping.activity, mapping.timestamp, mapping.performer, mapping.role, mapping.id) == (
        "客户编号",
        "动作",
        "时间",
        "经办人",
        "岗位",
        None,
    )
    assert mapping.attributes == (
        ("payment_method", "付款方式"),
        ("handover_date", "交房日期"),
        ("customer_tier", "客户等级"),
    )
    assert mapping.source.endswith("zh_mapping.yaml")
    assert mapping.to_dict()["attributes"]["payment_method"] == "付款方式"


def test_mapping_keeps_header_text_as_written(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("activity: 001\nid: 2024\ntimestamp: yes\n", encoding="utf-8")
    mapping = Mapping.load(path)
    assert (mapping.activity, mapping.id, mapping.timestamp) == ("001", "2024", "yes")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "activity: 动作\nactivty: 动作\n",
            "m.yaml:2: unknown key 'activty' (expected one of: case_id, activity, timestamp, performer, role, id, attributes)",
        ),
        ("activity: 动作\nactivity: 时间\n", "m.yaml:2: key 'activity' given twice"),
        ("activity:\n", "m.yaml:1: 'activity' must name a column header"),
        ("activity: [a, b]\n", "m.yaml:1: 'activity' must name a column header"),
        ("attributes: [付款方式]\n", "m.yaml:1: 'attributes' must map attribute names to column headers"),
        ("attributes:\n  pay: 付款方式\n  pay: 方式\n", "m.yaml:3: attribute 'pay' given twice"),
        ("attributes:\n  pay:\n", "m.yaml:2: 'attributes.pay' must name a column header"),
        ("- activity\n", "m.yaml:1: expected keys such as 'activity: 动作'"),
        ("", "m.yaml: expected keys such as 'activity: 动作'"),
        ("activity: [\n", "m.yaml:2: not valid YAML"),
        ("activity: !!python/object:os.system x\n", "m.yaml:1: 'activity': unsupported YAML tag"),
    ],
)
def test_mapping_errors_name_file_and_key(tmp_path, text, message):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LogError) as caught:
        Mapping.load(path)
    assert str(caught.value).startswith(str(tmp_path))
    assert message in str(caught.value)


def test_mapping_missing_file(tmp_path):
    with pytest.raises(LogError, match="cannot read mapping file"):
        Mapping.load(tmp_path / "nope.yaml")


def test_mapping_from_flags():
    mapping = Mapping.from_flags(
        activity="动作", timestamp="时间", attributes=["payment_method=付款方式", " tier = 客户等级 "]
    )
    assert (mapping.activity, mapping.timestamp, mapping.case_id) == ("动作", "时间", None)
    assert mapping.attributes == (("payment_method", "付款方式"), ("tier", "客户等级"))
    assert Mapping.from_flags(attributes={"a": "甲"}).attributes == (("a", "甲"),)


@pytest.mark.parametrize("spec", ["付款方式", "=付款方式", "pay=", " = "])
def test_mapping_from_flags_bad_attribute(spec):
    with pytest.raises(LogError, match="expected NAME=COLUMN"):
        Mapping.from_flags(attributes=[spec])


def test_mapping_flags_override_file():
    merged = Mapping.load(LOGS / "zh_mapping.yaml").merged(
        Mapping.from_flags(activity="事件", attributes=["payment_method=支付", "x=乙"])
    )
    assert (merged.activity, merged.timestamp) == ("事件", "时间")
    assert dict(merged.attributes) == {
        "payment_method": "支付",
        "handover_date": "交房日期",
        "customer_tier": "客户等级",
        "x": "乙",
    }

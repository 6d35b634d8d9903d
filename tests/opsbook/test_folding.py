"""Chinese text folded over several YAML lines reads as one sentence (no stray space at the fold)."""

from __future__ import annotations

import pytest

from opsbook.yamldoc import load_yaml


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("t: 客户投诉应及时解决，\n  并对结果回访。\n", "客户投诉应及时解决，并对结果回访。"),
        ("t: >\n  折叠文本，\n  第二行。\n", "折叠文本，第二行。\n"),
        ('t: "引号里的文字，\n  续行"\n', "引号里的文字，续行"),
        ("t: 按揭办理\n  Mortgage Processing\n", "按揭办理 Mortgage Processing"),  # not between two Han characters
        ("t: Keep English\n  words apart.\n", "Keep English words apart."),
        ('t: "第9篇 置业顾问岗位职责 1"\n', "第9篇 置业顾问岗位职责 1"),  # spaces typed in a line stay
        ("t: |\n  第一行\n  第二行\n", "第一行\n第二行\n"),  # a literal block keeps its lines
    ],
)
def test_fold(tmp_path, yaml_text, expected):
    path = tmp_path / "t.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    doc, problems = load_yaml(path, "t.yaml")
    assert problems == []
    assert doc.data["t"] == expected


def test_the_shipped_handbook_has_no_space_between_chinese_characters():
    import re
    from pathlib import Path

    from opsbook.loader import load

    handbook = load(Path(__file__).resolve().parents[2]).handbook
    texts = [item.text for role in handbook.roles for item in role.responsibilities]
    texts += [p.purpose for p in handbook.processes]
    stray = [t for t in texts if re.search(r"[\u4e00-\u9fff，。、；：] [\u4e00-\u9fff]", t)]
    assert stray == []

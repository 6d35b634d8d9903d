"""Messages for editors: full-width punctuation at its own place, ids explained, “did you mean”,
schema and cross-reference problems in one run, in Chinese and (with --lang en) English."""

from __future__ import annotations

import pytest

from opsbook.loader import load
from opsbook.problems import CODES, meaning

from .test_validate_fixtures import make_handbook

CLERK = "roles/clerk.yaml"


def problems(root, lang):
    return [f"{p.file}:{p.line}:{p.column}: {p.code} {p.render(lang)}" for p in load(root).problems]


def edit(root, name, old, new):
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "zh", "en"),
    [
        (
            "title: 内勤",
            "title：内勤",
            f"{CLERK}:3:6: Y001 字段 “title” 后面用了全角冒号 “：”；YAML 需要半角冒号加空格 “: ”",
            f"{CLERK}:3:6: Y001 the key 'title' is followed by a full-width colon '：'; "
            "YAML needs an ASCII colon and a space ': '",
        ),
        (
            "    text: 起草合同。",
            "    text：起草合同。",
            f"{CLERK}:9:9: Y001 字段 “text” 后面用了全角冒号 “：”；YAML 需要半角冒号加空格 “: ”",
            f"{CLERK}:9:9: Y001 the key 'text' is followed by a full-width colon '：'; "
            "YAML needs an ASCII colon and a space ': '",
        ),
        (
            "title: 内勤",
            "title: “内勤”",
            f'{CLERK}:3:8: Y001 值用全角引号 “” 括起来了，引号会成为内容的一部分；请改用半角引号 "…" 或不加引号',
            f"{CLERK}:3:8: Y001 the value is wrapped in full-width quotes “”, which become part of the text; "
            'use ASCII quotes "…" or none',
        ),
        (
            "title: 内勤",
            "title: 内勤\naliases: [文员，内务]",
            f"{CLERK}:4:13: Y001 方括号列表中用了全角 “，” 分隔；YAML 列表用半角逗号 “, ” 分隔",
            f"{CLERK}:4:13: Y001 a full-width '，' separates the items of a [ ] list; YAML lists use an ASCII comma ', '",
        ),
        (
            "  - id: r1",
            "\u3000- id: r1",
            f"{CLERK}:8:1: Y001 缩进中有全角空格；YAML 缩进只能用半角空格",
            f"{CLERK}:8:1: Y001 the indentation contains a full-width space; YAML indents with ASCII spaces only",
        ),
    ],
)
def test_fullwidth_punctuation_is_named_at_its_place(tmp_path, old, new, zh, en):
    root = make_handbook(tmp_path)
    edit(root, CLERK, old, new)
    assert problems(root, "zh") == [zh]
    assert problems(root, "en") == [en]


def test_fullwidth_punctuation_inside_text_is_fine(tmp_path):
    root = make_handbook(tmp_path)
    edit(root, CLERK, "purpose: 负责起草合同。", "purpose: |\n  说明：负责起草合同，“三审”制度。\n  title：不是字段")
    edit(root, CLERK, "    text: 起草合同。", "    text: 起草合同：“一式三份”，盖章、存档。")
    assert problems(root, "zh") == []


def test_a_title_where_an_id_belongs_is_explained_with_the_right_id(tmp_path):
    root = make_handbook(tmp_path)
    edit(root, CLERK, "reports_to: boss", "reports_to: 经理")
    found = load(root).problems
    assert [(p.line, p.column, p.code) for p in found] == [(5, 13, "S004")]
    text = found[0].render("zh")
    assert "“经理” 不是编号" in text and "小写英文字母、数字和连字符" in text
    assert text.endswith("；是不是指 boss？")
    assert found[0].render("en").endswith("; did you mean boss?")
    assert "does not match" not in found[0].render("en")  # no regular expression for editors


def test_did_you_mean_folds_traditional_script_and_aliases(tmp_path):
    root = make_handbook(tmp_path)
    edit(root, "roles/boss.yaml", "title: ", "aliases: [銷售經理]\ntitle: ")
    edit(root, CLERK, "reports_to: boss", "reports_to: 销售经理")
    assert load(root).problems[0].render("en").endswith("; did you mean boss?")


def test_unknown_step_and_form_suggest_the_near_id(tmp_path):
    root = make_handbook(tmp_path)
    text = (root / "processes/sale.yaml").read_text(encoding="utf-8")
    step = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("- id:"))
    edit(root, "processes/sale.yaml", "    after: [", f"    after: [{step}x, ")
    messages = [p.render("en") for p in load(root).problems if p.code == "X002"]
    assert messages and messages[0].endswith(f"; did you mean {step}?")


def test_schema_and_cross_reference_problems_in_one_run(tmp_path):
    root = make_handbook(tmp_path)
    edit(root, CLERK, "reports_to: boss", "reports_to: bos\nheadcnt: 3")
    codes = sorted(p.code for p in load(root).problems)
    assert codes == ["S002", "X001"]
    unknown = next(p for p in load(root).problems if p.code == "S002")
    assert unknown.render("zh").startswith("文件顶层 中有未知字段 “headcnt”；允许的字段：")


def test_every_code_has_a_meaning_in_both_languages():
    for code in CODES:
        zh, en = meaning(code, "zh"), meaning(code, "en")
        assert zh and en and zh != en
        assert any("\u4e00" <= c <= "\u9fff" for c in zh)


def test_the_shipped_handbook_suggests_a_role_by_its_chinese_title(tmp_path):
    import shutil
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    root = tmp_path / "hb"
    root.mkdir()
    shutil.copyfile(repo / "handbook.yaml", root / "handbook.yaml")
    for part in ("roles", "processes"):
        shutil.copytree(repo / part, root / part)
    edit(root, "roles/sales-consultant.yaml", "  role: site-supervisor", "  role: 售后服务专员")
    found = [p for p in load(root).problems if p.file == "roles/sales-consultant.yaml"]
    assert [p.code for p in found] == ["S004"]
    assert found[0].render("zh").endswith("；是不是指 after-sales-specialist？")

"""The semantic diff: every kind of change on a fixture pair, per-role lists, renames and moves."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from opsbook.cli import main
from opsbook.diff import compare
from opsbook.loader import load

PAIR = Path(__file__).resolve().parent / "fixtures" / "diff"


@pytest.fixture(scope="module")
def old():
    return load(PAIR / "old").handbook


@pytest.fixture(scope="module")
def new():
    return load(PAIR / "new").handbook


def kinds(diff) -> set[tuple[str, str, str | None]]:
    return {(c.kind, c.subject, c.item) for c in diff.changes}


def test_every_kind_of_change_in_the_fixture_pair(old, new):
    diff = compare(old, new)
    assert kinds(diff) == {
        ("role.added", "auditor", None),
        ("role.removed", "intern", None),
        ("role.renamed", "clerk", None),
        ("item.reworded", "clerk", "r1"),
        ("item.added", "clerk", "r2"),
        ("step.raci", "sale", "draft"),  # intern no longer informed
        ("step.raci", "sale", "approve"),  # auditor informed
        ("step.deadline", "sale", "approve"),
        ("step.controls", "sale", "approve"),  # separate_from dropped
        ("step.added", "sale", "check"),
        ("step.removed", "sale", "archive"),
        ("step.reordered", "sale", "notify"),  # now after check
        ("obligation.cadence", "sale", "daily"),
        ("obligation.added", "sale", "weekly"),
    }


def test_changes_carry_before_and_after(old, new):
    by_key = {(c.kind, c.item): c for c in compare(old, new).changes}
    deadline = by_key[("step.deadline", "approve")]
    assert (deadline.before, deadline.after) == ("「起草合同」后3个工作日内", "「起草合同」后2个工作日内")
    reworded = by_key[("item.reworded", "r1")]
    assert (reworded.before, reworded.after) == ("起草合同。", "起草并核对合同。")
    assert by_key[("step.removed", "archive")].after is None
    assert by_key[("step.added", "check")].before is None
    assert by_key[("step.added", "check")].url == "processes/sale/#step-check"


def test_per_role_lists_hold_only_what_touches_the_role(old, new):
    diff = compare(old, new)
    clerk = {(c.kind, c.item) for c in diff.for_role("clerk")}
    assert clerk == {("role.renamed", None), ("item.reworded", "r1"), ("item.added", "r2"),
                     ("step.reordered", "notify"), ("step.removed", "archive"),
                     ("obligation.cadence", "daily")}  # fmt: skip
    auditor = {(c.kind, c.item) for c in diff.for_role("auditor")}
    # a RACI change touches only the roles whose letters changed; a deadline touches everyone on the step
    assert ("step.raci", "approve") in auditor and ("step.raci", "draft") not in auditor
    assert ("step.deadline", "approve") in auditor
    boss = {(c.kind, c.item) for c in diff.for_role("boss")}
    assert ("step.raci", "approve") not in boss and ("obligation.added", "weekly") in boss
    assert {(c.kind, c.item) for c in diff.for_role("intern")} == {("role.removed", None), ("step.raci", "draft")}


def test_a_handbook_compared_with_itself_has_no_change(new):
    assert compare(new, new).changes == ()


def test_a_role_whose_id_changed_but_not_its_title_is_renamed(old):
    clerk = old.role("clerk")
    moved = dataclasses.replace(clerk, id="sales-clerk")
    roles = tuple(r for r in old.roles if r.id != "clerk") + (moved,)
    processes = tuple(_rename_in_process(p, "clerk", "sales-clerk") for p in old.processes)
    renamed = dataclasses.replace(old, roles=roles, processes=processes, _roles={}, _processes={})
    diff = compare(old, renamed)
    assert kinds(diff) == {("role.renamed", "sales-clerk", None)}


def _rename_in_process(process, before, after):
    def raci(step):
        r = step.raci
        return dataclasses.replace(r, responsible=tuple(after if x == before else x for x in r.responsible))

    steps = tuple(dataclasses.replace(s, raci=raci(s)) for s in process.steps)
    duties = tuple(dataclasses.replace(o, responsible=tuple(after if x == before else x for x in o.responsible),
                                       scope=dataclasses.replace(o.scope, role=after if o.scope.role == before
                                                                 else o.scope.role)) for o in process.obligations)  # fmt: skip
    return dataclasses.replace(process, steps=steps, obligations=duties)


def test_renumbered_items_with_the_same_text_are_no_change(old):
    clerk = old.role("clerk")
    renumbered = dataclasses.replace(clerk, responsibilities=tuple(dataclasses.replace(i, id="r9")
                                                                   for i in clerk.responsibilities))  # fmt: skip
    roles = tuple(renumbered if r.id == "clerk" else r for r in old.roles)
    assert compare(old, dataclasses.replace(old, roles=roles, _roles={}, _processes={})).changes == ()


def test_only_the_step_that_moved_is_reordered(old):
    sale = old.process("sale")
    draft, approve, archive, notify = sale.steps
    moved = dataclasses.replace(sale, steps=(draft, approve, notify, archive))
    handbook = dataclasses.replace(old, processes=(moved,), _roles={}, _processes={})
    assert kinds(compare(old, handbook)) == {("step.reordered", "sale", "archive")}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["diff", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_text_json_and_markdown(capsys):
    code, out, _ = run(capsys, str(PAIR / "old"), str(PAIR / "new"))
    assert code == 1  # differences found, like diff(1)
    assert "[时限变更] 签约 · 「审批合同」" in out and "之前: 「起草合同」后3个工作日内" in out
    code, out, _ = run(capsys, str(PAIR / "old"), str(PAIR / "new"), "--format", "json", "--role", "intern")
    payload = json.loads(out)
    assert {c["kind"] for c in payload["changes"]} == {"role.removed", "step.raci"}
    assert payload["changes"][0]["kind_text"]
    code, out, _ = run(capsys, str(PAIR / "old"), str(PAIR / "new"), "--format", "md", "--lang", "en")
    assert out.startswith("# ") and "| change | where | before | after | roles touched |" in out
    assert "| deadline changed | 签约 · 「审批合同」 |" in out


def test_cli_same_version_exits_0(capsys):
    code, out, _ = run(capsys, str(PAIR / "new"), str(PAIR / "new"))
    assert code == 0 and "没有差别" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["no-such-revision-xyz", str(PAIR / "new")], "no-such-revision-xyz"),
        ([str(PAIR), str(PAIR / "new")], "handbook.yaml"),
        ([str(PAIR / "old"), str(PAIR / "new"), "--role", "nobody"], "nobody"),
        ([str(PAIR / "old"), str(PAIR / "new"), "--out", "/no/such/folder/x.md"], "/no/such/folder/x.md"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err and "Traceback" not in err


HIRING = """\
# yaml-language-server: $schema=../../../../../../schema/process.schema.json
id: hiring
title: 入职
owner: boss
purpose: 新人上岗。
attributes:
  - name: version
    type: string
    description: 确认的版本。
obligations:
  - id: confirm
    title: 确认阅读岗位说明书
    activities: [确认阅读岗位说明书]
    scope: every-role
    cadence: {confirm: {within: 5 workdays, version: version}}
"""


def test_a_new_process_with_a_confirmation_duty_touches_every_role(old, tmp_path):
    import shutil

    shutil.copytree(PAIR / "new", tmp_path / "new")
    (tmp_path / "new" / "processes" / "hiring.yaml").write_text(HIRING, encoding="utf-8")
    result = load(tmp_path / "new")
    assert result.handbook is not None, result.errors
    diff = compare(old, result.handbook)
    added = [c for c in diff.changes if c.kind == "obligation.added" and c.subject == "hiring"]
    assert [c.item for c in added] == ["confirm"]
    assert added[0].roles == ("auditor", "boss", "clerk"), "a duty of every role holder is on every role page"
    assert added[0] in diff.for_role("auditor")

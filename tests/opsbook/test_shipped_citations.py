"""The shipped handbook cites what its sources say: numbers in deadlines and cadences.

A deadline or cadence whose source is a seed document (not the editor) and that is
not marked as an assumption must cite a passage a program can find, and that
passage must state the value. A value marked as an assumption may cite a passage
without the number (it says where the idea came from), but a quotation it gives
must still be in the seed. The seeds live outside the repository
(``../shared/seeds`` or ``$OPSBOOK_SEEDS``); without them the test is skipped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from tests.opsbook.citations import passages, stated

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = [
    os.environ.get("OPSBOOK_SEEDS", ""),
    ROOT.parent / "shared" / "seeds",
    ROOT.parents[1] / "shared" / "seeds",
]
SEEDS = next((Path(c) for c in CANDIDATES if c and (Path(c) / "README.md").is_file()), None)


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def cited_values(root: Path):
    """(where, kind, value, source, assumption) of every number a deadline or cadence states."""
    for path in sorted((root / "processes").glob("*.yaml")):
        process = _yaml(path)
        for step in process.get("steps", []):
            deadline = step.get("deadline")
            if deadline:
                value = deadline.get("within") or deadline.get("before")
                where = f"{path.name}: step {step['id']} deadline"
                yield where, "duration", value, deadline.get("source", {}), deadline.get("assumption")
        for obligation in process.get("obligations", []):
            cadence, where = obligation["cadence"], f"{path.name}: obligation {obligation['id']} cadence"
            src, assumption = obligation.get("source", {}), obligation.get("assumption")
            if "interval" in cadence:
                yield where, "duration", cadence["interval"], src, assumption
            for kind in ("day", "weekday"):
                if kind in cadence.get("due", {}):
                    yield where, kind, str(cadence["due"][kind]), src, assumption


def miscitations(root: Path, seeds: Path) -> list[str]:
    files = {s["id"]: seeds / s["file"] for s in _yaml(root / "handbook.yaml")["sources"] if s.get("file")}
    problems = []
    for where, kind, value, source, assumption in cited_values(root):
        if source.get("doc") not in files:
            continue  # the editor's own value: an assumption by definition
        found = passages(files[source["doc"]].read_text(encoding="utf-8"), str(source.get("section", "")))
        if found and "" in found:
            problems.append(f"{where}: a quotation in '{source['section']}' is not in {source['doc']}")
        elif assumption:
            continue
        elif found is None:
            problems.append(f"{where}: {value} cites '{source['section']}', which cannot be located; quote it in （…）")
        elif not stated(found, kind, value):
            problems.append(f"{where}: {value} is not in the cited passage '{source['section']}'")
    return problems


needs_seeds = pytest.mark.skipif(SEEDS is None, reason="seed documents not found (../shared/seeds or $OPSBOOK_SEEDS)")


@needs_seeds
def test_every_sourced_deadline_and_cadence_is_in_the_passage_it_cites():
    assert miscitations(ROOT, SEEDS) == []


@needs_seeds
def test_a_value_the_cited_clause_does_not_state_is_reported(tmp_path):
    root = tmp_path / "hb"
    (root / "processes").mkdir(parents=True)
    (root / "handbook.yaml").write_text((ROOT / "handbook.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    handover = (ROOT / "processes" / "handover.yaml").read_text(encoding="utf-8")
    assert handover.count("before: 2 weeks") == 1
    (root / "processes" / "handover.yaml").write_text(handover.replace("before: 2 weeks", "before: 3 weeks"), "utf-8")
    (root / "processes" / "reporting.yaml").write_text(
        """id: reporting
obligations:
  - id: quoted-wrongly
    cadence: {every: month, due: {day: 4}}
    source: {doc: seed-004, section: "第14篇（每月8日核对）"}
    assumption: 日期由编者选定。
  - id: nowhere
    cadence: {every: week, due: {weekday: 1}}
    source: {doc: seed-004, section: 第6篇 置业顾问岗位职责 14}
  - id: next-clause
    cadence: {interval: 2 weeks}
    source: {doc: seed-001, section: "3.2.1"}
  - id: worded
    cadence: {every: month, due: {day: 31}}
    source: {doc: seed-004, section: 第4篇（负责编写每周案场总结和月底销售总结）}
""",
        encoding="utf-8",
    )
    assert miscitations(root, SEEDS) == [
        "handover.yaml: step notify-customers deadline: 3 weeks is not in the cited passage '3.2.2'",
        "reporting.yaml: obligation quoted-wrongly cadence: a quotation in '第14篇（每月8日核对）' is not in seed-004",
        "reporting.yaml: obligation nowhere cadence: 1 cites '第6篇 置业顾问岗位职责 14', which cannot be located; quote it in （…）",
        "reporting.yaml: obligation next-clause cadence: 2 weeks is not in the cited passage '3.2.1'",  # 2周 is in 3.2.2
    ]


def _numbers(text: str) -> set[int]:
    """篇 numbers named in a text: 第14篇, 第2、4、6篇, 篇2."""
    found = set()
    for group in re.findall(r"第([\d、]+)篇|篇(\d+)", text):
        found |= {int(n) for n in re.split("、", group[0] or group[1]) if n}
    return found


def out_of_scope(handbook: dict) -> dict[str, tuple[set[int], list[str]]]:
    """Per source: the 篇 numbers and the part-name openings its scope marks as not used."""
    result = {}
    for source in handbook["sources"]:
        parts = source.get("scope", [])
        used = set().union(*(_numbers(p["part"]) for p in parts if p["used"])) if parts else set()
        unused = [p for p in parts if not p["used"]]
        numbers = set().union(*(_numbers(p["part"]) for p in unused)) - used if unused else set()
        openings = [piece.strip()[:5] for p in unused for piece in p["part"].split("；") if not _numbers(piece)]
        result[source["id"]] = (numbers, openings)
    return result


def borrowed_without_assumption(root: Path) -> list[str]:
    scopes = out_of_scope(_yaml(root / "handbook.yaml"))

    def walk(node, where):
        if isinstance(node, dict):
            source = node.get("source")
            if isinstance(source, dict) and source.get("doc") in scopes and not node.get("assumption"):
                numbers, openings = scopes[source["doc"]]
                for piece in str(source.get("section", "")).split("；"):
                    if _numbers(piece) & numbers or any(piece.strip().startswith(o) for o in openings):
                        yield f"{where}: cites '{piece.strip()}', a part the sources page marks as not used"
            for key, value in node.items():
                yield from walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{where}[{i}]")

    files = [root / "handbook.yaml", *sorted(root.glob("roles/*.yaml")), *sorted(root.glob("processes/*.yaml"))]
    return [problem for path in files for problem in walk(_yaml(path), path.name)]


def test_a_citation_of_a_part_out_of_scope_is_an_assumption():
    """Material from other businesses (a car dealer, a manufacturer) is borrowed, never presented as sourced."""
    assert borrowed_without_assumption(ROOT) == []


def test_borrowing_without_saying_so_is_reported(tmp_path):
    root = tmp_path / "hb"
    (root / "roles").mkdir(parents=True)
    (root / "handbook.yaml").write_text((ROOT / "handbook.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "roles" / "r.yaml").write_text(
        """id: r
responsibilities:
  - id: r1
    source: {doc: seed-004, section: "第5篇 销售部岗位职责 3；第6篇 置业顾问岗位职责 1"}
  - id: r2
    source: {doc: seed-001, section: 售后服务部简介 五、3}
  - id: r3
    source: {doc: seed-001, section: 售后服务部简介 五、3}
    assumption: 借自制造企业。
  - id: r4
    source: {doc: seed-004, section: 第13篇 后勤主管岗位职责 5}
""",
        encoding="utf-8",
    )
    assert borrowed_without_assumption(root) == [
        "r.yaml.responsibilities[0]: cites '第5篇 销售部岗位职责 3', a part the sources page marks as not used",
        "r.yaml.responsibilities[1]: cites '售后服务部简介 五、3', a part the sources page marks as not used",
    ]

"""Benchmark of the manual's validate + build time, rerunnable.

Generates a synthetic, schema-valid handbook of N roles and M processes in a
temporary folder, then times ``opsbook validate`` and ``opsbook build`` (as
child processes, wall clock with time.perf_counter) on the shipped handbook and
on the synthetic one, and writes a Markdown table into docs/benchmarks.md
between the markers below.

    .venv/bin/python bench/build_time.py [--roles 300] [--processes 300] [--repeat 1] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from machine import machine
from measure import opsbook_command

REPO = Path(__file__).resolve().parent.parent
START, END = "<!-- build-time:start -->", "<!-- build-time:end -->"
SCHEMA_COMMENT = "# yaml-language-server: $schema="
STEPS_PER_PROCESS = 6

INTRO = """\
# 性能基准 / Benchmarks

How long `opsbook validate` and `opsbook build` take on the shipped handbook and
on a synthetic, schema-valid handbook of a few hundred roles and processes
(generated into a temporary folder by `bench/build_time.py`, never into the
repository). Rerun and refresh the table below with:

```bash
.venv/bin/python bench/build_time.py            # --roles 300 --processes 300 --repeat 1 --out docs/benchmarks.md
```

"""

# Word lists for Chinese-looking titles and texts.
DEPARTMENTS = ["销售部", "市场部", "客服部", "财务部", "营销管理部", "案场", "售后服务部", "策划部"]
AREAS = ["华东", "华南", "华北", "西南", "华中", "东北", "西北", "滨江", "城北", "城南"]
FUNCTIONS = ["销售", "客服", "按揭", "签约", "渠道", "策划", "档案", "回款", "交付", "稽核", "培训", "销控"]
LEVELS = ["专员", "主管", "经理", "助理", "顾问", "组长", "秘书", "总监"]
VERBS = ["登记", "审核", "复核", "汇总", "通知", "归档", "确认", "跟进", "报送", "签署", "核对", "回访"]
OBJECTS = ["客户资料", "认购书", "买卖合同", "按揭材料", "定金收据", "销控表", "对账单", "交付通知", "回访记录"]
PROCESS_KINDS = ["办理", "审批", "管理", "跟进", "核对", "交付"]
DIGITS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """A number written with Chinese digits, e.g. 107 -> 一〇七 (short and unique)."""
    return "".join(DIGITS[int(d)] for d in str(n))


class _NoAliases(yaml.SafeDumper):
    """Anchors and aliases are refused by the validator (Y003): never emit them."""

    def ignore_aliases(self, data):
        return True


def dump(path: Path, schema: str, data: dict) -> None:
    text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"{SCHEMA_COMMENT}{schema}\n{text}", encoding="utf-8")


# --------------------------------------------------------------------------- generation


def generate(root: Path, n_roles: int, n_processes: int, seed: int) -> None:
    """Write handbook.yaml, schema/, roles/ and processes/ of a synthetic handbook into ``root``."""
    rng = random.Random(seed)
    shutil.copytree(REPO / "schema", root / "schema")  # so `../schema/...` comments resolve, as in the repo
    (root / "roles").mkdir()
    (root / "processes").mkdir()

    settings = yaml.safe_load((REPO / "handbook.yaml").read_text(encoding="utf-8"))
    doc_ids = [s["id"] for s in settings["sources"] if s["id"] != "editorial"]
    role_ids = [f"role-{i:04d}" for i in range(n_roles)]
    # The shipped forms and sources, kept; their keepers become generated roles.
    forms = settings["forms"]
    for i, form in enumerate(forms):
        form["keeper"] = role_ids[i % n_roles]
    dump(root / "handbook.yaml", "schema/handbook.schema.json", settings)
    form_ids = [f["id"] for f in forms]

    def source(tag: str) -> dict:
        return {"doc": rng.choice(doc_ids), "section": f"{tag} {rng.randint(1, 20)}"}

    def sentence() -> str:
        return f"负责{rng.choice(OBJECTS)}的{rng.choice(VERBS)}和{rng.choice(VERBS)}，确保{rng.choice(OBJECTS)}准确、完整、及时。"

    for i, rid in enumerate(role_ids):
        title = f"{AREAS[i % len(AREAS)]}{FUNCTIONS[(i // len(AREAS)) % len(FUNCTIONS)]}{LEVELS[i % len(LEVELS)]}{cn_number(i)}"
        role = {
            "id": rid,
            "title": title,
            "title_en": f"Synthetic role {i}",
            "department": rng.choice(DEPARTMENTS),
        }
        if i > 0:  # a reporting tree: each role reports to one of lower index (at most 4 direct reports)
            role["reports_to"] = role_ids[(i - 1) // 4]
        role["purpose"] = f"{title}在{role['department']}中{sentence()}"
        role["responsibilities"] = [
            {"id": f"r{k}", "text": sentence(), "source": source("岗位职责")} for k in range(1, 9)
        ]
        role["kpis"] = [
            {"id": f"k{k}", "text": f"按期完成{rng.choice(OBJECTS)}{rng.choice(VERBS)}。"} for k in (1, 2, 3)
        ]
        role["qualifications"] = [{"id": "q1", "text": "熟悉房地产销售业务及相关法规。"}]
        role["conduct"] = [{"id": "c1", "text": "恪守职业操守，保护客户隐私。"}]
        role["onboarding"] = [
            {
                "id": "o1",
                "topic": f"学习{rng.choice(OBJECTS)}{rng.choice(VERBS)}流程。",
                "due_days": 7,
                "source": {"doc": "editorial"},
                "assumption": "合成数据，仅用于性能基准。",
            }
        ]
        role["sources"] = [source("岗位说明书")]
        dump(root / "roles" / f"{rid}.yaml", "../schema/role.schema.json", role)

    for p in range(n_processes):
        pid = f"process-{p:04d}"
        ptitle = (
            f"{AREAS[p % len(AREAS)]}{rng.choice(OBJECTS)}{PROCESS_KINDS[p % len(PROCESS_KINDS)]}流程{cn_number(p)}"
        )
        steps = []
        for k in range(1, STEPS_PER_PROCESS + 1):
            base = (p * STEPS_PER_PROCESS + k) % n_roles  # walks over every role, so few are orphans
            others = rng.sample(role_ids, k=min(3, n_roles))
            stitle = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}（第{cn_number(k)}步）"
            step: dict = {
                "id": f"s{k}",
                "title": stitle,
                "description": sentence(),
                "activities": [f"{ptitle}·{stitle}"],  # unique in the whole handbook
                "raci": {
                    "responsible": [role_ids[base]],
                    "accountable": others[0],
                    "consulted": [r for r in others[1:2] if r != role_ids[base]],
                    "informed": [r for r in others[2:3] if r != role_ids[base]],
                },
            }
            for key in ("consulted", "informed"):
                if not step["raci"][key]:
                    del step["raci"][key]
            if k > 1:
                step["after"] = [f"s{k - 1}"]
            if k == 2:
                step["deadline"] = {
                    "within": f"{rng.randint(1, 5)} workdays",
                    "from": {"step": "s1"},
                    "source": {"doc": "editorial"},
                    "assumption": "合成数据，仅用于性能基准。",
                }
            if k == STEPS_PER_PROCESS:
                step["final"] = True
            if k == 3:
                step["forms"] = [form_ids[p % len(form_ids)]]
            step["source"] = source("流程")
            steps.append(step)
        process = {
            "id": pid,
            "title": ptitle,
            "title_en": f"Synthetic process {p}",
            "owner": role_ids[p % n_roles],
            "purpose": f"规范{ptitle}的各个环节：{sentence()}",
            "trigger": f"客户提交{rng.choice(OBJECTS)}。",
            "case": {"description": f"一次{ptitle}，从第一步开始到最后一步完成为止。", "id_label": "合同编号"},
            "steps": steps,
            "sources": [source("流程")],
        }
        dump(root / "processes" / f"{pid}.yaml", "../schema/process.schema.json", process)


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    seconds: list[float] = field(default_factory=list)
    maxrss_kb: list[int] = field(default_factory=list)  # RUSAGE_CHILDREN ru_maxrss after the child
    rose: list[bool] = field(default_factory=list)  # whether that child raised the running max


def timed(cmd: list[str], run: Run) -> subprocess.CompletedProcess:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    run.seconds.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run.maxrss_kb.append(after)
    run.rose.append(after > before)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def summary_line(stderr: str) -> str:
    m = re.search(r"(\d+) files checked: (\d+) errors, (\d+) warnings", stderr)
    return f"{m.group(1)} files, {m.group(2)} errors, {m.group(3)} warnings" if m else "?"


# --------------------------------------------------------------------------- report


def fmt_time(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} (min {min(values):.2f})"


def fmt_rss(run: Run) -> str:
    # ru_maxrss of RUSAGE_CHILDREN is the max over all children so far. A child that raised it
    # peaked at exactly the new value; one that did not used at most the value read after it.
    exact = [kb for kb, rose in zip(run.maxrss_kb, run.rose, strict=True) if rose]
    if exact:
        return f"{max(exact) / 1024:.0f}"
    return f"≤ {min(run.maxrss_kb) / 1024:.0f}"


def table(rows: list[tuple[str, str, str, Run, Run]], info: dict[str, str], args, when: str) -> str:
    lines = [
        f"Measured {when} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']}; "
        f"Python {info['python']}, mkdocs {info['mkdocs']}, mkdocs-material {info['mkdocs-material']}, "
        f"opsbook {info['opsbook']}. Repeats: {args.repeat}"
        + (" (median, min in brackets)." if args.repeat > 1 else "."),
        "",
        "| handbook | roles | processes | validate output | validate (s) | build (s) | "
        "peak RSS validate (MiB) | peak RSS build (MiB) |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for name, counts, result, validate, build in rows:
        n_roles, n_processes = counts.split("/")
        lines.append(
            f"| {name} | {n_roles} | {n_processes} | {result} | {fmt_time(validate.seconds)} | "
            f"{fmt_time(build.seconds)} | {fmt_rss(validate)} | {fmt_rss(build)} |"
        )
    lines += [
        "",
        "Times are wall clock (`time.perf_counter`) around each `opsbook validate PATH` and "
        "`opsbook build PATH --site-dir <temporary folder>` child process, interpreter start-up included; "
        "`build` validates again before it renders. "
        "Peak RSS is `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` read after the child: it is the **maximum over all "
        "children so far**, not of that child alone, so a value marked ≤ comes from a child that did not raise it "
        "(it used at most that much). Order: validate shipped, validate synthetic, build shipped, build synthetic. "
        "The synthetic handbook "
        f"(seed {args.seed}) has {STEPS_PER_PROCESS} steps per process with RACI over the generated roles, `after` "
        "chains, a deadline and a final step, the shipped sources and forms, and roles in a reporting tree.",
    ]
    return "\n".join(lines)


def write_report(out: Path, body: str) -> None:
    block = f"{START}\n{body}\n{END}"
    if out.is_file():
        text = out.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            tail = rest.split(END, 1)[1]
            text = f"{head}{block}{tail}"
        else:
            text = text.rstrip("\n") + f"\n\n{block}\n"
    else:
        text = f"{INTRO}{block}\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--roles", type=int, default=300, help="roles in the synthetic handbook (default 300)")
    ap.add_argument("--processes", type=int, default=300, help="processes in the synthetic handbook (default 300)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each command (default 1)")
    ap.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"), help="Markdown file to update")
    ap.add_argument("--seed", type=int, default=1, help="seed of the synthetic handbook (default 1)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = ap.parse_args(argv)
    if args.roles < 1 or args.processes < 1 or args.repeat < 1:
        ap.error("--roles, --processes and --repeat must be at least 1")
    out = args.out if args.out.is_absolute() else REPO / args.out
    opsbook = opsbook_command()

    tmp = Path(tempfile.mkdtemp(prefix="opsbook-bench-"))
    try:
        synthetic = tmp / "handbook"
        synthetic.mkdir()
        print(f"generating {args.roles} roles and {args.processes} processes in {synthetic}", file=sys.stderr)
        generate(synthetic, args.roles, args.processes, args.seed)
        shipped_counts = (
            f"{len(list((REPO / 'roles').glob('*.yaml')))}/{len(list((REPO / 'processes').glob('*.yaml')))}"
        )
        handbooks = [
            ("shipped (repo root)", REPO, shipped_counts),
            ("synthetic", synthetic, f"{args.roles}/{args.processes}"),
        ]
        validate = {name: Run() for name, _, _ in handbooks}
        build = {name: Run() for name, _, _ in handbooks}
        result = dict.fromkeys(validate, "?")
        # Smallest first (every validate, then every build), so that each child is likely to raise the
        # running maximum of ru_maxrss and its peak can be read. A validate with errors stops the run.
        for i in range(args.repeat):
            for name, root, _ in handbooks:
                done = timed([opsbook, "validate", str(root), "--lang", "en"], validate[name])
                result[name] = summary_line(done.stderr)
                print(f"{name}: validate {validate[name].seconds[-1]:.2f}s ({result[name]})", file=sys.stderr)
            for n, (name, root, _) in enumerate(handbooks):
                timed([opsbook, "build", str(root), "--site-dir", str(tmp / f"site-{n}-{i}")], build[name])
                print(f"{name}: build {build[name].seconds[-1]:.2f}s", file=sys.stderr)
        rows = [(name, counts, result[name], validate[name], build[name]) for name, _, counts in handbooks]
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    body = table(rows, machine("mkdocs", "mkdocs-material", "opsbook"), args, when)
    write_report(out, body)
    print(body)
    print(f"\nwritten to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

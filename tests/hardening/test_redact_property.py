"""Property: with --redact, no original identity value appears in any byte of any output.

Random logs: random case ids, staff names, phone numbers in many written forms and national ids,
also glued to Chinese text inside activity labels and unreadable timestamps, a case whose rows
are all rejected, and identity columns no rule needs. Each example runs the real command line in
all five formats; every report byte (every XML part of the workbook), stdout, stderr and the
names of the files written are searched for every value.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from zipfile import ZipFile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.reports import WRITERS
from opsbook.safepath import MARKER

from .helpers import CORPUS, make_handbook, opsbook

KEY = "property-test-key-0123456789abcdef"
EXAMPLES = int(os.environ.get("OPSBOOK_PROPERTY_EXAMPLES", "6"))

# Characters the reports' own wording does not use, so that a name found in a report is a leak.
SURNAMES = "赵钱孙吴郑冯褚卫蒋沈韩杨"
GIVEN = "伟芳娜敏静丽磊洋艳勇杰娟霞"
GLUE = ["回访", "客户", "电话", "联系", "，", "（", "）", " ", "：", "/", "、", "。", "tel-", "Tel:", "手机号", "邮箱"]
FULL_WIDTH = str.maketrans("0123456789+-() ", "０１２３４５６７８９＋－（）\u3000")
SEP = st.sampled_from(["", " ", "-", "."])

case_ids = st.from_regex(r"[A-Z]{2,4}-?[0-9]{4,7}", fullmatch=True)
names = st.builds(
    "".join, st.tuples(st.sampled_from(SURNAMES), st.text(GIVEN, min_size=1, max_size=2))
) | st.from_regex(r"[a-z]{3,5}\.[a-z]{3,5}", fullmatch=True)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


@st.composite
def phones(draw) -> str:
    """A phone number as people write it: mainland, Hong Kong, Taiwan or elsewhere."""
    form = draw(st.sampled_from(["mobile", "landline", "hk", "tw", "intl"]))
    s = draw(SEP)
    if form == "mobile":
        prefix = draw(st.sampled_from(["", "+86 ", "0086-", "+86", "(+86) "]))
        return (
            f"{prefix}1{draw(st.sampled_from('3456789'))}{draw(_digits(1))}{s}{draw(_digits(4))}{s}{draw(_digits(4))}"
        )
    if form == "landline":
        area = draw(st.sampled_from(["010", "021", "0755", "0571"]))
        area = draw(st.sampled_from([area, f"({area})"]))
        return f"{area}{draw(st.sampled_from(['-', ' ', '']))}{draw(_digits(4))}{s}{draw(_digits(4))}"
    if form == "hk":
        first = draw(st.sampled_from("35679"))
        return f"{draw(st.sampled_from(['', '+852 ']))}{first}{draw(_digits(3))}{draw(st.sampled_from([' ', '-']))}{draw(_digits(4))}"
    if form == "tw":
        return f"{draw(st.sampled_from(['09', '+886 9']))}{draw(_digits(2))}{s}{draw(_digits(3))}{s}{draw(_digits(3))}"
    return f"+{draw(st.sampled_from(['1', '44', '61']))} {draw(_digits(3))} {draw(_digits(3))} {draw(_digits(4))}"


@st.composite
def written_phones(draw) -> str:
    """A phone number, sometimes typed with full-width digits and signs (Chinese input methods)."""
    number = draw(phones())
    return number.translate(FULL_WIDTH) if draw(st.integers(0, 4)) == 0 else number


emails = st.from_regex(r"[a-z]{2,6}(\.[a-z]{2,5})?@(qq|163|example)\.(com|cn)", fullmatch=True)


@st.composite
def national_ids(draw) -> str:
    form = draw(st.sampled_from(["cn", "hk", "tw"]))
    letter = draw(st.sampled_from("ABCDEFGHKPRZ"))
    if form == "cn":
        day = f"{draw(st.integers(1950, 2005))}{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}"
        return f"{draw(st.integers(110000, 659999))}{day}{draw(_digits(3))}{draw(st.sampled_from('0123456789X'))}"
    if form == "hk":
        return f"{letter}{draw(_digits(6))}({draw(st.sampled_from('0123456789A'))})"
    return f"{letter}{draw(st.sampled_from('12'))}{draw(_digits(8))}"


@st.composite
def logs(draw) -> dict:
    ids = draw(st.lists(case_ids, min_size=3, max_size=5, unique=True))
    people = draw(st.lists(names, min_size=2, max_size=4, unique=True))
    numbers = draw(st.lists(written_phones(), min_size=3, max_size=5, unique=True))
    cards = draw(st.lists(national_ids(), min_size=1, max_size=3, unique=True))
    mails = draw(st.lists(emails, min_size=1, max_size=2, unique=True))
    values = ids + people + numbers + cards + mails
    texts = []
    for _ in range(draw(st.integers(2, 6))):
        picked = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3))
        glue = draw(st.lists(st.sampled_from(GLUE), min_size=len(picked) + 1, max_size=len(picked) + 1))
        texts.append("".join(g + v for g, v in zip(glue, [*picked, ""], strict=True)))
    return {"ids": ids, "people": people, "phones": numbers, "cards": cards, "mails": mails, "texts": texts}


def write_log(path: Path, log: dict) -> None:
    ids, people, numbers, cards = log["ids"], log["people"], log["phones"], log["cards"]
    header = [
        "case_id",
        "activity",
        "timestamp",
        "performer",
        "role",
        "customer_id",
        "phone",
        "客户姓名",
        "身份证号",
        "邮箱",
    ]
    rows = []
    for i, case in enumerate(ids[1:], 1):  # ids[0]: a case whose every row is rejected
        extra = [case, numbers[i % len(numbers)], people[-1], cards[i % len(cards)], log["mails"][-1]]
        who = people[i % len(people)]
        rows.append([case, "起草合同", f"2026-03-0{i} 09:00", who, "clerk", *extra])
        rows.append([case, "审批合同", f"2026-03-{i + 4:02d} 10:00", who, "boss", *extra])
        rows.append([case, "回访客户", f"2026-03-0{i} 11:00", who, "clerk", *extra])
    only_rejected = [ids[0], numbers[0], people[0], cards[0], log["mails"][0]]
    rows.append([ids[0], "审批合同", f"call {numbers[0]}", people[0], "boss", *only_rejected])
    rows.append([ids[0], "起草合同", "", people[0], "clerk", "", "", "", "", ""])
    for j, text in enumerate(log["texts"]):
        rows.append([ids[1], text, f"2026-03-1{j} 12:00", people[0], "clerk", "", "", "", "", ""])
        rows.append([ids[2], "审批合同", f"{text}", people[1], "boss", "", "", "", "", ""])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])


def every_byte(out: Path) -> str:
    parts = []
    for path in sorted(out.iterdir()):
        parts.append(path.name)
        if path.suffix == ".xlsx":
            with ZipFile(path) as book:
                parts += [name + book.read(name).decode("utf-8") for name in book.namelist()]
        else:
            parts.append(path.read_text(encoding="utf-8-sig"))
    raw = "\n".join(parts)
    # also as read: entities and JSON escapes undone, so that an escaped value is found too
    return raw + html.unescape(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), raw))


def originals(log: dict) -> list[str]:
    """Every value as written, every phone number as its bare digits, every e-mail's name and domain."""
    ascii_phones = [unicodedata.normalize("NFKC", p) for p in log["phones"]]
    bare = [re.sub(r"\D", "", p.split(")", 1)[-1] if p.startswith("(+") else p) for p in ascii_phones]
    parts = [part for mail in log["mails"] for part in mail.split("@") if len(part) >= 4 and "." in part]
    values = log["ids"] + log["people"] + log["phones"] + log["cards"] + log["mails"] + parts
    return values + [b for b in bare if len(b) >= 8]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(logs())
def test_no_identity_value_in_any_output(log):
    with tempfile.TemporaryDirectory(prefix="opsbook-redact-") as tmp:
        tmp = Path(tmp)
        root = make_handbook(tmp)
        shutil.copyfile(CORPUS / "privacy" / "processes" / "visits.yaml", root / "processes" / "visits.yaml")
        write_log(tmp / "log.csv", log)
        (tmp / "key").write_text(KEY, encoding="utf-8")
        args = ["--redact", "--redact-key-file", "key", "--as-of", "2026-03-31 23:59", "--out", "out"]
        proc = opsbook("check", "--handbook", str(root), "log.csv", *args, "--format", ",".join(WRITERS), cwd=tmp)
        assert proc.returncode == 1, proc.stderr
        written = sorted(p.name for p in (tmp / "out").iterdir() if p.name != MARKER)  # the output guard's marker
        assert written == sorted(w.filename for w in WRITERS.values())
        everything = "\n".join([every_byte(tmp / "out"), proc.stdout, proc.stderr])
        leaked = [value for value in originals(log) if value in everything]
        assert leaked == []
        assert re.search(r"\bC-[0-9a-f]{16}\b", everything) and re.search(r"\bT-[0-9a-f]{16}\b", everything)

"""The bundled sample's reports speak one language: no word of the other catalogue, titles instead of ids.

"Words of the other language" are taken from the catalogues themselves: every
English word of four letters or more in the en report and cli catalogues must
be absent from a zh report, and every run of two or more Chinese characters of
the zh catalogues absent from an en report, unless the same run is data (a
title, a label or a name from the handbook or the log).
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from opsbook import i18n
from opsbook.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FORMATS = "text,json,csv,xlsx,html"
HAN = re.compile(r"[\u3400-\u9fff]{2,}")
WORD = re.compile(r"[A-Za-z]{4,}")
# ids, paths, links and flags are notation, not words: file-contract, processes/x/index.html#step-y, --base-url
NOTATION = re.compile(r"[A-Za-z0-9_./#:-]*[-/#.:_][A-Za-z0-9_./#:-]*")


def _catalogue_texts(lang: str) -> list[str]:
    out = []
    for domain in ("report", "cli"):
        for text in i18n._catalogue(domain, lang).texts.values():
            out += list(text) if isinstance(text, tuple) else [text]
    return [re.sub(r"\{[a-z_]+\}", " ", t) for t in out]


def _english_words() -> set[str]:
    words = {w.lower() for t in _catalogue_texts("en") for w in WORD.findall(t)}
    # words that are also data or notation in a zh report: flags, file names, ids, formats
    return words - {"opsbook", "mapping", "roster", "violation", "redact", "rules", "build", "html", "json", "text"}


def _chinese_runs() -> set[str]:
    return {run for t in _catalogue_texts("zh") for run in HAN.findall(t)}


@pytest.fixture(scope="module", params=["zh", "en"])
def sample(request, tmp_path_factory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(f"sample-{request.param}")
    code = main(
        [
            "check", str(EXAMPLES / "sample-log.csv"), "--handbook", str(ROOT),
            "--mapping", str(EXAMPLES / "mapping.yaml"), "--roster", str(EXAMPLES / "roster.csv"),
            "--as-of", "2026-06-30T23:59:00+08:00", "--from", "2026-06-01", "--lang", request.param,
            "--out", str(out), "--format", FORMATS, "-q",
        ]
    )  # fmt: skip
    assert code == 1
    return request.param, out


def _shown(out: Path) -> dict[str, str]:
    """What a reader sees in each format (JSON: the texts in words)."""
    text = (out / "report.txt").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    html = re.sub(r"<script.*?</script>|<style>.*?</style>", "", html, flags=re.S)
    html = _visible(html)
    wb = load_workbook(out / "findings.xlsx")
    sheets = [ws for ws in wb if ws.title not in ("运行信息", "Run")]  # the run's facts as keys and values
    xlsx = " ".join(ws.title for ws in wb) + " ".join(
        str(c.value) for ws in sheets for row in ws.iter_rows() for c in row if c.value is not None
    )
    rows = list(csv.reader(io.StringIO((out / "findings.csv").read_text(encoding="utf-8-sig"))))
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    words = " ".join(str(f[k]) for f in data["findings"] for k in ("expected", "actual") if f[k])
    return {"text": text, "html": html, "xlsx": xlsx, "csv": " ".join(" ".join(r) for r in rows), "json": words}


class _Text(HTMLParser):
    """Text nodes and the attributes people read (title, aria-label, placeholder)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder") and v]

    def handle_data(self, data):
        self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _ids() -> set[str]:
    """The handbook's ids (a step may be called ``register``): data shown beside titles, not words."""
    from opsbook.loader import load

    hb = load(ROOT).handbook
    return {p.id for p in hb.processes} | {s.id for p in hb.processes for s in (*p.steps, *p.obligations)}


def _data_runs() -> set[str]:
    """Chinese runs that are data: the handbook's titles and labels, the sample log and roster."""
    from opsbook.loader import load

    hb = load(ROOT).handbook
    texts = [hb.organisation, *(r.title for r in hb.roles)]
    for p in hb.processes:
        texts += [p.title, *(t for s in (*p.steps, *p.obligations) for t in (s.title, *s.activities))]
    texts += [(EXAMPLES / name).read_text(encoding="utf-8") for name in ("sample-log.csv", "roster.csv")]
    return {run for t in texts for run in HAN.findall(t)}


def test_no_word_of_the_other_language(sample):
    lang, out = sample
    for fmt, shown in _shown(out).items():
        assert "object at 0x" not in shown and "bound method" not in shown, fmt  # a Python repr is no label
        shown = NOTATION.sub(" ", shown)
        if lang == "zh":
            found = sorted({w for w in WORD.findall(shown) if w.lower() in _english_words() - _ids()})
        else:
            data = _data_runs()
            found = sorted({r for r in HAN.findall(shown) if r in _chinese_runs() and r not in data})
        assert not found, f"{lang} {fmt}: {found[:20]}"


def test_titles_not_ids(sample):
    lang, out = sample
    html = (out / "report.html").read_text(encoding="utf-8")
    text = (out / "report.txt").read_text(encoding="utf-8")
    # the complaint case TS-003 has a finding at step "track" of complaint-handling
    process = "投诉处理" if lang == "zh" else "Complaint Handling"  # the process's title_en in English
    assert "跟踪处理过程" in html and process in html  # steps have no English title: the handbook's
    assert 'title="complaint-handling"' in html and 'title="track"' in html
    assert ("流程 " if lang == "zh" else "Process ") + process in text
    assert "Process complaint-handling" not in text and "流程 complaint-handling" not in text
    if lang == "zh":
        assert "步骤 跟踪处理过程" in text


def test_every_rejection_of_the_sample_is_worded_from_the_catalogue(sample):
    from checker.reports.rejected import known

    _, out = sample
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["rejected"] and all(known(r["reason"]) for r in data["rejected"])

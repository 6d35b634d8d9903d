"""Print: `opsbook pdf` makes a role's booklet and the whole manual as PDFs, offline, with Chinese text in them.

Only the sales consultant's booklet and the manual are printed, to keep the run short.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opsbook.safepath import MARKER

from .conftest import CHROMIUM, REPO, _unavailable

pytestmark = pytest.mark.browser

ROLE = "sales-consultant"
HAN = re.compile(r"[\u4e00-\u9fff]")
# Chromium embeds Noto CJK (an OpenType/CFF collection) as Type 3 glyph outlines, which pdffonts lists
# without a name; the font descriptor beside them names the font.
CJK_FONT = re.compile(rb"/FontName /[A-Z]{6}\+Noto(?:Sans|Serif)(?:Mono)?CJK")
PRINT_TIMEOUT = 600


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        _unavailable(f"{name} is missing: install poppler-utils (sudo bash .ci/install-system-deps)")
    return found


def pdf_text(pdftotext: str, pdf: Path) -> str:
    done = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return squeeze(done.stdout)


@pytest.fixture(scope="module")
def printed(built_site, tmp_path_factory):
    """`opsbook pdf --roles sales-consultant` into OPSBOOK_PDF_DIR (to keep them for a look) or a temporary folder."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium (sudo bash .ci/install-system-deps)")
    keep = os.environ.get("OPSBOOK_PDF_DIR")
    out = Path(keep).resolve() if keep else tmp_path_factory.mktemp("pdf")
    command = [sys.executable, "-m", "opsbook", "pdf", "--site-dir", str(built_site), "--out", str(out)]
    command += ["--roles", ROLE]
    env = {**os.environ, "OPSBOOK_CHROMIUM": str(CHROMIUM)}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=PRINT_TIMEOUT, env=env)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr[-4000:]}"
    assert f"roles/{ROLE}.pdf" in done.stderr and "manual.pdf" in done.stderr, done.stderr  # progress lines
    return out


def test_only_the_chosen_booklet_and_the_manual_are_printed(printed):
    assert sorted(p.relative_to(printed).as_posix() for p in printed.rglob("*.pdf")) == [
        "manual.pdf",
        f"roles/{ROLE}.pdf",
    ]
    hidden = [p for p in printed.rglob(".*") if p.name != MARKER]  # the output guard's marker stays
    assert not hidden, "a temporary file was left behind"


def test_role_booklet(printed, handbook, pdftotext):
    pdf = printed / "roles" / f"{ROLE}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdf_text(pdftotext, pdf)
    assert len(HAN.findall(text)) > 2000, "little or no Chinese text (fonts-noto-cjk missing?)"
    role = handbook.role(ROLE)
    assert role.title == "置业顾问" and role.title in text
    assert handbook.organisation in text
    missing = [item.topic for item in role.onboarding if squeeze(item.topic) not in text]
    assert not missing, f"onboarding topics missing from {pdf}: {missing}"
    steps = [
        step.title
        for process in handbook.processes
        for step in process.steps
        if ROLE in (*step.raci.responsible, step.raci.accountable, *step.raci.consulted, *step.raci.informed)
    ]
    assert steps, "the sales consultant takes part in no step"
    missing = [title for title in steps if squeeze(title) not in text]
    assert not missing, f"step titles missing from {pdf}: {missing}"
    assert "按揭" in text and "入职后3天内" in text


def test_manual_pdf(printed, handbook, pdftotext):
    pdf = printed / "manual.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdf_text(pdftotext, pdf)
    missing = [role.title for role in handbook.roles if role.title not in text]
    assert not missing, f"role titles missing from the manual PDF: {missing}"
    missing = [process.title for process in handbook.processes if squeeze(process.title) not in text]
    assert not missing, f"process titles missing from the manual PDF: {missing}"
    assert "协同：" in text, "no lane diagram in the PDF: mermaid did not render before printing"
    assert "flowchart" not in text


@pytest.mark.parametrize("name", [f"roles/{ROLE}.pdf", "manual.pdf"])
def test_pdfs_are_a4_with_embedded_cjk_fonts(printed, name):
    pdf = printed / name
    info = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info, info
    fonts = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows), f"a font is not embedded:\n{fonts}"  # emb sub uni id
    assert CJK_FONT.search(pdf.read_bytes()), f"no Noto CJK font in {pdf}"

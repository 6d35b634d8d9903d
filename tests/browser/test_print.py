"""Print: one PDF per role (its printable page) and one for the whole manual, with Chinese text in them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .helpers import diagrams, html_pages, mermaid_blocks, page_url, site_path

pytestmark = pytest.mark.browser

# Where a role's printable booklet page may live; the role page itself otherwise.
PRINT_PAGES = ("print/roles/{id}/", "roles/{id}/print/", "print/{id}/")
MANUAL_PRINT_PAGES = ("print/", "print_page/")
HAN = re.compile(r"[\u4e00-\u9fff]")
PDF_OPTIONS = {
    "format": "A4",
    "print_background": True,
    "margin": {"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
}


def role_print_page(site, role_id: str) -> str:
    for pattern in PRINT_PAGES:
        path = pattern.format(id=role_id)
        if (site / path / "index.html").is_file():
            return path
    return f"roles/{role_id}/"


def print_pdf(page, site, base: str, path: str, target, printed: dict | None = None) -> Path:
    if printed is not None and path in printed:
        return printed[path]
    page.goto(page_url(base, path))
    if mermaid_blocks(site, path):
        diagrams(page, mermaid_blocks(site, path))
    page.evaluate("document.fonts.ready")
    target.parent.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(target), **PDF_OPTIONS)
    if printed is not None:
        printed[path] = target
    return target


def pdf_text(pdftotext: str, pdf) -> str:
    done = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory):
    """Where the PDFs go: OPSBOOK_PDF_DIR to keep them for a look, else a temporary folder."""
    keep = os.environ.get("OPSBOOK_PDF_DIR")
    return Path(keep).resolve() if keep else tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def printed():
    """Site path → PDF already printed in this module, so the manual reuses the role booklets."""
    return {}


def test_role_booklets(page, site, base_url, handbook, pdf_dir, printed, pdftotext):
    for role in handbook.roles:
        print_pdf(page, site, base_url, role_print_page(site, role.id), pdf_dir / "roles" / f"{role.id}.pdf", printed)
    pdf = pdf_dir / "roles" / "sales-consultant.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = squeeze(pdf_text(pdftotext, pdf))
    assert len(HAN.findall(text)) > 200, "the PDF holds little or no Chinese text (fonts-noto-cjk missing?)"
    assert handbook.role("sales-consultant").title in text
    steps = [
        step.title
        for process in handbook.processes
        for step in process.steps
        if "sales-consultant"
        in (*step.raci.responsible, step.raci.accountable, *step.raci.consulted, *step.raci.informed)
    ]
    assert steps, "the sales consultant carries out no step"
    missing = [title for title in steps if squeeze(title) not in text]
    assert not missing, f"step titles missing from {pdf}: {missing}"


def nav_order(page, base: str, site) -> list[str]:
    """Every page, in the order of the primary navigation, then any page the navigation leaves out."""
    page.goto(page_url(base, ""))
    hrefs = page.eval_on_selector_all(".md-nav--primary a.md-nav__link[href]", "links => links.map(a => a.href)")
    known = html_pages(site)
    ordered = [p for p in dict.fromkeys(site_path(base, h) for h in hrefs) if p in known]
    return ordered + [p for p in known if p not in ordered]


def test_manual_pdf(page, site, base_url, handbook, pdf_dir, printed, pdftotext):
    manual = pdf_dir / "manual.pdf"
    single = next((p for p in MANUAL_PRINT_PAGES if (site / p / "index.html").is_file()), None)
    if single:
        print_pdf(page, site, base_url, single, manual)
    else:  # no print-all page: print every page in navigation order and join them
        unite = shutil.which("pdfunite")
        assert unite, "pdfunite is missing: install poppler-utils"
        parts = [
            print_pdf(page, site, base_url, path, pdf_dir / "manual" / f"{number:03d}.pdf", printed)
            for number, path in enumerate(nav_order(page, base_url, site))
        ]
        subprocess.run([unite, *map(str, parts), str(manual)], check=True)
    text = squeeze(pdf_text(pdftotext, manual))
    missing = [role.title for role in handbook.roles if role.title not in text]
    assert not missing, f"role titles missing from the manual PDF: {missing}"
    assert all(squeeze(process.title) in text for process in handbook.processes)

"""``opsbook pdf``: each role's booklet and the whole manual as PDF files, printed offline by Chromium.

The print pages of the built site (``print/roles/<id>/``, ``print/manual/``, see
``handbook/print_pages.py``) are opened from ``file://`` by Debian's chromium in
headless mode and printed with the site's print stylesheet: A4, no header or
footer (so no date or file path on the sheets), after a virtual-time budget in
which mermaid draws the diagrams. Nothing is fetched from the network: the site
holds its own scripts and chromium's host resolver answers nothing. Each PDF is
written beside its target and renamed into place, so a failed run leaves the
previous file whole.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from opsbook import argtypes, exitcodes, interrupt, safepath
from opsbook.i18n import tr
from opsbook.loader import find_root

from . import links
from .cli import build_site

INSTALL = "install Debian's chromium (apt-get install chromium fonts-noto-cjk)"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: no host name resolves
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=30000",  # ms of page time for scripts (mermaid) before printing
)
TIMEOUT = 300  # s for one page; the whole manual takes some 15 s
JOBS = 2  # pages printed at once: chromium keeps about two cores busy per page


class PdfError(Exception):
    """A problem the user can fix: printed as one line, exit code 2."""


@dataclass(frozen=True)
class Job:
    page: Path  # the print page's index.html in the built site
    pdf: Path  # where its PDF goes


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "pdf",
        help="print each role's booklet and the whole manual to PDF (offline, with chromium)",
        description="Print the built site's print pages to PDF with Debian's chromium, offline: one booklet "
        "per role (OUT/roles/<id>.pdf) and the whole manual (OUT/manual.pdf), OUT being pdf/ in the handbook "
        "folder unless --out names another (beside the site, so `opsbook build` never deletes them). "
        "Builds the site first when "
        "--site-dir holds none; after changing the YAML, run `opsbook build` again. "
        "Chromium is OPSBOOK_CHROMIUM, /usr/bin/chromium or `chromium` on PATH.",
    )
    argtypes.add_handbook_path(p)
    p.add_argument(
        "--site-dir", default=None, type=argtypes.path, help="the built site (default: site/ in the handbook folder)"
    )
    p.add_argument(
        "--out",
        default=None,
        type=argtypes.path,
        metavar="DIR",
        help="where to write the PDFs (default: pdf/ in the handbook folder): new, empty, or written by an earlier opsbook pdf",
    )
    p.add_argument(
        "--roles",
        default=None,
        type=argtypes.text,
        metavar="ID,...",
        help="print only these roles' booklets (an empty list: the manual only)",
    )
    p.add_argument(
        "--changes-only",
        default=None,
        type=argtypes.text,
        metavar="VERSION",
        help="print, for each role a change touches, only what changed since this release (OUT/changes/<id>.pdf, "
        "with a line to sign as read): the retraining sheets. Builds its own site in a temporary folder.",
    )
    p.add_argument(
        "--jobs", type=argtypes.whole(1, 64), default=None, metavar="N", help=f"pages printed at once (default: {JOBS})"
    )
    p.set_defaults(func=cmd_pdf)
    return p


def find_chromium() -> Path:
    configured = os.environ.get("OPSBOOK_CHROMIUM")
    if configured:
        if not os.access(configured, os.X_OK):
            raise PdfError(f"OPSBOOK_CHROMIUM={configured} is not an executable: {INSTALL}, or unset it")
        return Path(configured)
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return Path(candidate)
    raise PdfError(f"chromium was not found: {INSTALL}")


def jobs(site_dir: Path, out_dir: Path, roles: list[str] | None) -> list[Job]:
    """Booklets (all, or ``roles``, in that order) then the manual, from the site's print pages."""
    manual = site_dir / links.PAGES["manual"] / "index.html"
    if not manual.is_file():
        raise PdfError(f"{site_dir} has no print pages (built by an older opsbook?): run `opsbook build` first")
    available = sorted(page.parent.name for page in site_dir.glob(f"{links.booklet('*')}index.html"))
    wanted = available if roles is None else roles
    unknown = [r for r in wanted if r not in available]
    if unknown:
        raise PdfError(f"no booklet for role(s) {', '.join(unknown)}; the roles are: {', '.join(available)}")
    found = [Job(site_dir / links.booklet(r) / "index.html", out_dir / "roles" / f"{r}.pdf") for r in wanted]
    return found + [Job(manual, out_dir / "manual.pdf")]


def change_jobs(site_dir: Path, out_dir: Path, roles: list[str] | None) -> list[Job]:
    """The retraining sheets (all, or those of ``roles`` that have one) from a site built with ``changes_since``."""
    available = sorted(page.parent.name for page in site_dir.glob(f"{links.changes_booklet('*')}index.html"))
    wanted = available if roles is None else [r for r in roles if r in available]
    return [Job(site_dir / links.changes_booklet(r) / "index.html", out_dir / "changes" / f"{r}.pdf") for r in wanted]


def check_release(root: Path, since: str) -> None:
    """A valid handbook that lists release ``since``, else PdfError (before any output folder is made)."""
    from opsbook import releases
    from opsbook.loader import load

    handbook = load(root).handbook
    if handbook is None:
        raise PdfError(tr("cli", "pdf.not-valid"))
    if releases.find(handbook, since) is None:
        known = ", ".join(r.version for r in handbook.releases) or "—"
        raise PdfError(tr("cli", "pdf.no-release", version=since, known=known))


def print_changes(root: Path, since: str, out_dir: Path, roles: list[str] | None, chromium: Path, workers: int) -> int:
    """``--changes-only``: build a site whose baseline is ``since`` aside, print its retraining sheets."""
    check_release(root, since)
    with tempfile.TemporaryDirectory(prefix="opsbook-changes-") as folder:
        site_dir = Path(folder) / "site"
        ok, messages = build_site(root, site_dir, hant=False, extra={"changes_since": since})
        if not ok:
            raise PdfError("\n".join([*messages, "the build failed; fix the handbook, then try again"]))
        todo = change_jobs(site_dir, out_dir, roles)
        if todo:
            print(f"printing {len(todo)} PDFs into {out_dir} with {chromium}", file=sys.stderr)
            print_all(chromium, todo, out_dir, workers)
    return len(todo)


def command(chromium: Path, job: Job, target: Path, profile: Path) -> list[str]:
    return [str(chromium), *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={target}", job.page.as_uri()]


def print_pdf(chromium: Path, job: Job) -> float:
    """Print one page to ``job.pdf`` (replaced only by a complete PDF); the seconds it took."""
    job.pdf.parent.mkdir(parents=True, exist_ok=True)
    partial = job.pdf.with_name(f".{job.pdf.stem}-{uuid.uuid4().hex[:12]}.pdf")  # chromium creates it
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="opsbook-chromium-") as profile:
            done = _run(command(chromium, job, partial, Path(profile)))
        complete = partial.is_file() and partial.read_bytes()[:5] == b"%PDF-"
        if done.returncode != 0 or not complete:
            detail = " / ".join(done.stderr.strip().splitlines()[-3:]) or f"exit code {done.returncode}"
            raise PdfError(f"chromium could not print {job.page}: {detail}")
        partial.replace(job.pdf)
    finally:
        partial.unlink(missing_ok=True)
    return time.monotonic() - started


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise PdfError(f"chromium took more than {TIMEOUT} s to print {argv[-1]}") from exc


def print_all(chromium: Path, todo: list[Job], out_dir: Path, workers: int) -> None:
    """Print every job, ``workers`` at a time, with a line on stderr as each PDF is done; stop at the first failure."""

    def one(job: Job) -> None:
        seconds = print_pdf(chromium, job)
        print(f"  {job.pdf.relative_to(out_dir)}  ({seconds:.1f} s)", file=sys.stderr, flush=True)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(one, job) for job in todo]
        try:
            for future in futures:
                future.result()
        except BaseException:
            pool.shutdown(cancel_futures=True)  # the pages under way finish (or die with Ctrl-C), no others start
            raise


def ensure_site(root: Path, site_dir: Path) -> None:
    """Build the site when ``site_dir`` holds none; a failed build is a PdfError with its messages."""
    if (site_dir / "index.html").is_file():
        return
    print(f"no site in {site_dir}: building it first (opsbook build)", file=sys.stderr)
    ok, messages = build_site(root, site_dir)
    if not ok:
        raise PdfError("\n".join([*messages, "the build failed; fix the handbook, then run `opsbook build`"]))


def cmd_pdf(args: argparse.Namespace) -> int:
    root = find_root(Path(args.path))
    site_dir = Path(args.site_dir) if args.site_dir else root / "site"
    # As the user named it (for messages); not in the site, which a build replaces.
    shown = Path(args.out) if args.out else root / "pdf"
    roles = [r.strip() for r in args.roles.split(",") if r.strip()] if args.roles is not None else None
    guarded = {"option": "--out", "kind": "pdf", "handbook": root}
    safepath.guard(shown, **guarded)  # before the site is built: refuse early
    try:
        if args.jobs is not None and args.jobs < 1:
            raise PdfError("--jobs must be 1 or more")
        chromium = find_chromium()
        if args.changes_only is not None:
            started, since = time.monotonic(), args.changes_only
            check_release(root, since)  # an unknown release leaves no output folder behind
            out_dir = safepath.prepare(shown, **guarded)
            with interrupt.interruptible():
                count = print_changes(root, since, out_dir, roles, chromium, args.jobs or JOBS)
            seconds = f"{time.monotonic() - started:.0f}"
            print(tr("cli", "pdf.changes-written", count=count, version=since, folder=shown / "changes",
                     seconds=seconds) if count else tr("cli", "pdf.no-changes", version=since))  # fmt: skip
            return exitcodes.OK
        ensure_site(root, site_dir)
        out_dir = safepath.prepare(shown, **guarded)  # after the build, which replaces a site holding it
        todo = jobs(site_dir.resolve(), out_dir, roles)
        print(f"printing {len(todo)} PDFs into {shown} with {chromium}", file=sys.stderr)
        started = time.monotonic()
        with interrupt.interruptible():  # Ctrl-C or SIGTERM: the partial PDFs are removed (print_pdf)
            print_all(chromium, todo, out_dir, args.jobs or JOBS)
    except PdfError as exc:
        for line in str(exc).splitlines():
            print(f"opsbook pdf: error: {line}", file=sys.stderr)
        return exitcodes.BAD_INPUT
    elapsed = time.monotonic() - started
    print(f"wrote {len(todo)} PDFs into {shown} in {elapsed:.0f} s  (已生成 {len(todo)} 个 PDF：{shown})")
    return exitcodes.OK

"""Load a handbook folder: discover files, validate them, build the typed model.

``load(root)`` never raises for bad content; it returns every problem found
(syntax, schema, cross-reference) and a Handbook only when there is no error.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import build
from .crossref import CrossChecker, role_index
from .model import Handbook
from .problems import ERROR, Problem
from .schemas import schema_problems
from .suggest import Index
from .yamldoc import Document, load_yaml

SETTINGS_FILE = "handbook.yaml"
SCHEMA_COMMENT = "# yaml-language-server: $schema="


@dataclass(frozen=True)
class LoadResult:
    handbook: Handbook | None
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity != ERROR)


def find_root(start: Path) -> Path:
    """The handbook root: ``start`` itself or the nearest parent holding handbook.yaml."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / SETTINGS_FILE).is_file():
            return candidate
    return start


def discover(root: Path) -> tuple[Path | None, list[Path], list[Path]]:
    settings = root / SETTINGS_FILE
    roles = sorted((root / "roles").glob("*.yaml")) + sorted((root / "roles").glob("*.yml"))
    processes = sorted((root / "processes").glob("*.yaml")) + sorted((root / "processes").glob("*.yml"))
    return (settings if settings.is_file() else None), roles, processes


def content_digest(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def git_revision(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def load(root: Path) -> LoadResult:
    root = root.resolve()
    settings_path, role_paths, process_paths = discover(root)
    problems: list[Problem] = []
    if settings_path is None:
        problems.append(Problem.of(SETTINGS_FILE, 1, 1, "Y004", "file.no-settings", file=SETTINGS_FILE, root=str(root)))

    def read(path: Path, kind: str) -> tuple[Document | None, bool]:
        doc, found = load_yaml(path, path.relative_to(root).as_posix())
        problems.extend(found)
        if doc is None:
            return None, False
        if not doc.first_line.startswith(SCHEMA_COMMENT):
            problems.append(
                Problem.of(
                    doc.label,
                    1,
                    1,
                    "W003",
                    "file.schema-comment",
                    expected=f"{SCHEMA_COMMENT}…/schema/{kind}.schema.json",
                )
            )
        schema_found = schema_problems(doc, kind)
        problems.extend(schema_found)
        return doc, not found and not schema_found

    settings, settings_ok = read(settings_path, "handbook") if settings_path else (None, False)
    roles, processes, known_roles = [], [], set()
    unsound: tuple[list, list] = ([], [])
    for path in role_paths:
        doc, ok = read(path, "role")
        if doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            known_roles.add(doc.data["id"])
        else:  # unreadable: its file name is the best guess of its id, and avoids cascades
            known_roles.add(path.stem)
        _sort(doc, ok, roles, unsound[0])
    for path in process_paths:
        doc, ok = read(path, "process")
        _sort(doc, ok, processes, unsound[1])
    index = role_index(roles + unsound[0])
    problems = [_with_role_hint(p, index) for p in problems]
    settings_data = settings.data if settings and isinstance(settings.data, dict) else None
    checker = CrossChecker(settings if settings_ok else None, roles, processes, unsound, settings_data)
    complete = settings_ok and len(roles) == len(role_paths) and len(processes) == len(process_paths)
    # a cross-reference problem where the schema already reported one would say the same twice
    taken = {(p.file, p.line, p.column) for p in problems if p.severity == ERROR}
    problems.extend(
        p for p in checker.run(known_roles=known_roles, usage=complete) if (p.file, p.line, p.column) not in taken
    )

    files = ([settings_path] if settings_path else []) + role_paths + process_paths
    problems = sorted(set(problems))
    handbook = None
    if not any(p.severity == ERROR for p in problems):
        handbook = build.handbook(
            settings.data,
            [d.data for d in roles],
            [d.data for d in processes],
            files=[d.label for d in roles],
            process_files=[d.label for d in processes],
            digest=content_digest(root, files),
            revision=git_revision(root),
        )
    return LoadResult(handbook, tuple(problems), tuple(files))


def _sort(doc: Document | None, ok: bool, sound: list, unsound: list) -> None:
    """Schema-valid documents are checked fully; readable mappings that are not, as far as they allow."""
    if ok:
        sound.append(doc)
    elif doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
        unsound.append(doc)


ROLE_FIELDS = {"reports_to", "owner", "responsible", "accountable", "consulted", "informed", "keeper", "role"}


def _with_role_hint(problem: Problem, index: Index) -> Problem:
    """A title or alias typed where a role id belongs (reports_to: 售后服务专员): name the role's id."""
    params = dict(problem.params)
    where = params.get("where")
    if problem.msgid != "schema.not-an-id" or not isinstance(where, str):
        return problem
    field = next((part for part in reversed(where.split("/")) if not part.isdigit()), "")
    if field not in ROLE_FIELDS:
        return problem
    return problem.with_message(problem.msgid, suggest=tuple(index.suggest(params["value"])))

"""The rule catalogue, read from the checker's own metadata.

The source of truth is ``checker.rules.REGISTRY`` (code → rule module with its
docstring, CODE, NAME, TITLE, SEVERITY, EXAMPLE_FAIL, EXAMPLE_PASS). It is
imported lazily, so the manual builds without the checker; while the registry
does not exist yet, whatever rule modules import cleanly are listed instead,
and ``Catalogue.origin`` says so on the page.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from types import ModuleType

PACKAGE = "checker.rules"


@dataclass(frozen=True)
class RuleDoc:
    code: str
    name: str
    title_zh: str
    title_en: str
    severity: str
    doc: str  # the module docstring: Markdown written by the checker's authors
    example_fail: str
    example_pass: str


@dataclass(frozen=True)
class Catalogue:
    rules: tuple[RuleDoc, ...]
    origin: str  # "registry", "modules" (registry missing) or "none"
    notes: tuple[str, ...] = ()  # modules that could not be imported, and why

    def get(self, code: str) -> RuleDoc | None:
        return next((r for r in self.rules if r.code == code), None)


def _doc(module: ModuleType) -> RuleDoc:
    title = getattr(module, "TITLE", {}) or {}
    return RuleDoc(
        code=module.CODE,
        name=getattr(module, "NAME", ""),
        title_zh=title.get("zh", ""),
        title_en=title.get("en", ""),
        severity=getattr(module, "SEVERITY", ""),
        doc=inspect.cleandoc(module.__doc__ or ""),
        example_fail=getattr(module, "EXAMPLE_FAIL", ""),
        example_pass=getattr(module, "EXAMPLE_PASS", ""),
    )


def _scan(package: ModuleType) -> tuple[list[ModuleType], list[str]]:
    modules, notes = [], []
    for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
        try:
            module = importlib.import_module(f"{PACKAGE}.{info.name}")
        except Exception as exc:  # a rule being written must not break the manual
            notes.append(f"{PACKAGE}.{info.name}: {type(exc).__name__}: {exc}")
            continue
        if isinstance(getattr(module, "CODE", None), str):
            modules.append(module)
    return modules, notes


def catalogue() -> Catalogue:
    try:
        package = importlib.import_module(PACKAGE)
    except ImportError as exc:
        return Catalogue((), "none", (f"{PACKAGE}: {exc}",))
    registry = getattr(package, "REGISTRY", None)
    if isinstance(registry, dict) and registry:
        rules = tuple(_doc(registry[code]) for code in sorted(registry))
        return Catalogue(rules, "registry")
    modules, notes = _scan(package)
    rules = tuple(sorted((_doc(m) for m in modules), key=lambda r: r.code))
    return Catalogue(rules, "modules" if rules else "none", tuple(notes))

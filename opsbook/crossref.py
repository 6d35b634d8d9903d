"""Cross-reference checks over all schema-valid documents.

Everything named must exist, ids and activity labels must be unique, reporting
lines and step orders must be acyclic, and deadlines must be anchored on steps
that can come at the right time. Every problem points at the node that names
the offending thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .order import OrderChecks, boss_of
from .problems import Msg, Problem
from .suggest import Index
from .urls import RESERVED_IDS
from .yamldoc import Document

ROLE_ITEM_LISTS = ("responsibilities", "kpis", "qualifications", "authorities", "conduct", "onboarding")


class CrossChecker(OrderChecks):
    def __init__(
        self,
        settings: Document | None,
        roles: list[Document],
        processes: list[Document],
        unsound: tuple[list[Document], list[Document]] = ([], []),
        settings_data: dict | None = None,
    ):
        """``roles`` and ``processes`` passed the schema; ``unsound`` (roles, processes) did not but
        could be read: their references are still checked where the data allows, so an editor sees
        schema and cross-reference problems in one run. ``settings_data`` names forms and sources
        even when handbook.yaml failed the schema."""
        self.settings = settings
        self.roles = roles
        self.processes = processes
        self.unsound = unsound
        self.problems: list[Problem] = []
        s = settings.data if settings else settings_data or {}
        self.role_ids = {d.data["id"] for d in roles}
        self.form_ids = _ids(s.get("forms"))
        self.source_ids = _ids(s.get("sources"))
        self.used_forms: set[str] = set()
        self.role_index = role_index(roles + unsound[0])

    def run(self, *, known_roles: set[str], usage: bool = True) -> list[Problem]:
        """All cross-reference problems; usage warnings only when every file could be read."""
        # Roles whose files failed the schema still exist: do not cascade
        # "unknown role" errors from a typo elsewhere in their file.
        self.role_ids |= known_roles
        if self.settings:
            self.check_settings(self.settings)
        self.check_unique([(d, ("id",), d.data["id"]) for d in self.roles], Msg("kind.role"))
        self.check_unique([(d, ("id",), d.data["id"]) for d in self.processes], Msg("kind.process"))
        for kind, docs in ((Msg("kind.role"), self.roles), (Msg("kind.process"), self.processes)):
            for doc in docs:
                if doc.data["id"].lower() in RESERVED_IDS:  # its page would overwrite one of the generator's
                    self.add(doc, ("id",), "X017", "xref.reserved-id", kind=kind, id=doc.data["id"])
        for doc in self.roles:
            self.check_role(doc)
        self.check_reporting_cycles()
        labels: dict[str, tuple[Document, tuple]] = {}
        for doc in self.processes:
            self.check_process(doc, labels)
        for doc in (*self.roles, *self.processes, *([self.settings] if self.settings else [])):
            self.check_sources(doc)
        roles, processes = self.unsound
        for check, doc in [*((self.check_role, d) for d in roles), *((self.check_process, d) for d in processes)]:
            # as far as the data allows: the schema problem already says what is wrong
            with suppress(KeyError, TypeError, AttributeError, IndexError, ValueError):
                check(doc, *([labels] if check == self.check_process else []))
            self.check_sources(doc)
        if usage:
            self.check_usage()
        return self.problems

    # -- helpers ---------------------------------------------------------
    def add(self, doc: Document, path: tuple, code: str, msgid: str, *, key: bool = False, **params: object):
        self.problems.append(doc.problem(path, code, msgid, key=key, **params))

    def check_unique(self, entries: list[tuple[Document, tuple, str]], what: Msg):
        first: dict[str, tuple[Document, tuple]] = {}
        for doc, path, value in entries:
            if value in first:
                other_doc, other_path = first[value]
                line, _ = other_doc.where(other_path)
                self.add(
                    doc, path, "X006", "xref.duplicate-id", what=what, value=value, other=f"{other_doc.label}:{line}"
                )
            else:
                first[value] = (doc, path)

    def unknown_attribute(self, doc: Document, path: tuple, name: str, attributes: set[str]):
        self.add(doc, path, "X004", "xref.unknown-attribute", value=name, suggest=self._near(name, attributes))

    @staticmethod
    def _near(typed: str, known) -> tuple[str, ...]:
        return tuple(Index().extend((k, ()) for k in sorted(known)).suggest(typed))

    def role_ref(self, doc: Document, path: tuple, role_id: str):
        if role_id not in self.role_ids:
            self.add(
                doc, path, "X001", "xref.unknown-role", value=role_id, suggest=tuple(self.role_index.suggest(role_id))
            )

    def form_refs(self, doc: Document, path: tuple, forms: list[str]):
        for i, form in enumerate(forms):
            self.used_forms.add(form)
            if form not in self.form_ids:
                self.add(
                    doc, path + (i,), "X003", "xref.unknown-form", value=form, suggest=self._near(form, self.form_ids)
                )

    # -- settings and roles ------------------------------------------------
    def check_settings(self, doc: Document):
        data = doc.data
        for kind in ("sources", "glossary", "forms"):
            self.check_unique(
                [(doc, (kind, i, "id"), x["id"]) for i, x in enumerate(data.get(kind, []))],
                Msg(f"kind.{kind.removesuffix('s')}"),
            )
        for i, form in enumerate(data.get("forms", [])):
            if "keeper" in form:
                self.role_ref(doc, ("forms", i, "keeper"), form["keeper"])
        terms = {g["id"] for g in data.get("glossary", [])}
        for i, term in enumerate(data.get("glossary", [])):
            for j, other in enumerate(term.get("see_also", [])):
                if other not in terms:
                    here, near = ("glossary", i, "see_also", j), self._near(other, terms)
                    self.add(doc, here, "X015", "xref.unknown-term", value=other, suggest=near)
        for i, exception in enumerate(data.get("calendar", {}).get("office", {}).get("exceptions", [])):
            try:
                date.fromisoformat(exception["date"])
            except ValueError:
                path = ("calendar", "office", "exceptions", i, "date")
                self.add(doc, path, "X014", "xref.not-a-date", value=exception["date"])
        try:
            ZoneInfo(data.get("timezone", "Asia/Shanghai"))
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: 'Asia' is a tzdata folder
            self.add(doc, ("timezone",), "X014", "xref.unknown-timezone", value=str(data["timezone"]))
        from .calendar import WorkCalendar

        years = WorkCalendar.china().covered_years
        for i, override in enumerate(data.get("calendar", {}).get("overrides", [])):
            try:
                day = date.fromisoformat(override["date"])
            except ValueError:
                self.add(doc, ("calendar", "overrides", i, "date"), "X014", "xref.not-a-date", value=override["date"])
                continue
            if day.year not in years:
                here = ("calendar", "overrides", i, "date")
                self.add(doc, here, "X014", "xref.no-calendar", year=day.year, first=years.start, last=years.stop - 1)

        from .releases import settings_problems

        for path, msgid, params in settings_problems(data):
            self.add(doc, path, "X014", msgid, **params)

    def check_role(self, doc: Document):
        data = doc.data
        if Path(doc.label).stem != data["id"]:
            self.add(doc, ("id",), "X012", "xref.file-name-role", id=data["id"])
        if "reports_to" in data:
            line = data["reports_to"]
            self.role_ref(doc, ("reports_to",) if isinstance(line, str) else ("reports_to", "role"), boss_of(line))
        anchors = [
            (doc, (kind, i, "id"), item["id"]) for kind in ROLE_ITEM_LISTS for i, item in enumerate(data.get(kind, []))
        ]
        self.check_unique(anchors, Msg.of("kind.role-item", role=data["id"]))

    # -- processes ---------------------------------------------------------
    def check_process(self, doc: Document, labels: dict):
        data = doc.data
        pid = data["id"]
        if Path(doc.label).stem != pid:
            self.add(doc, ("id",), "X012", "xref.file-name-process", id=pid)
        self.role_ref(doc, ("owner",), data["owner"])
        attributes = {a["name"] for a in data.get("attributes", [])}
        self.check_unique(
            [(doc, ("attributes", i, "name"), a["name"]) for i, a in enumerate(data.get("attributes", []))],
            Msg("kind.attribute"),
        )
        steps = data.get("steps", [])
        obligations = data.get("obligations", [])
        self.check_unique(
            [(doc, ("steps", i, "id"), s["id"]) for i, s in enumerate(steps)]
            + [(doc, ("obligations", i, "id"), o["id"]) for i, o in enumerate(obligations)],
            Msg.of("kind.step", process=pid),
        )
        step_ids = {s["id"] for s in steps}
        for i, step in enumerate(steps):
            self.check_step(doc, ("steps", i), step, step_ids, attributes)
        for i, ob in enumerate(obligations):
            self.check_obligation(doc, ("obligations", i), ob, attributes)
        for kind, things in (("steps", steps), ("obligations", obligations)):
            for i, thing in enumerate(things):
                for j, label in enumerate(thing["activities"]):
                    here = (kind, i, "activities", j)
                    if label in labels:
                        other_doc, other_path = labels[label]
                        line, _ = other_doc.where(other_path)
                        self.add(
                            doc, here, "X007", "xref.duplicate-activity", label=label, other=f"{other_doc.label}:{line}"
                        )
                    else:
                        labels[label] = (doc, here)
        if steps:
            self.check_step_order(doc, steps)
            if not any(s.get("final") for s in steps):
                self.add(doc, ("steps",), "X011", "xref.no-final", key=True, process=pid)

    def check_step(self, doc, path, step, step_ids, attributes):
        raci = step["raci"]
        for kind in ("responsible", "consulted", "informed"):
            for j, role in enumerate(raci.get(kind, [])):
                self.role_ref(doc, path + ("raci", kind, j), role)
        if "accountable" in raci:
            self.role_ref(doc, path + ("raci", "accountable"), raci["accountable"])
        for kind in ("after", "separate_from"):
            for j, other in enumerate(step.get(kind, [])):
                if other not in step_ids:
                    near = self._near(other, step_ids)
                    self.add(doc, path + (kind, j), "X002", "xref.unknown-step", value=other, field=kind, suggest=near)
                elif other == step["id"]:
                    self.add(doc, path + (kind, j), "X002", "xref.self-step", value=other, field=kind)
        deadline = step.get("deadline")
        if deadline:
            key = "from" if "from" in deadline else "of"
            anchor = deadline[key]
            if isinstance(anchor, dict) and "step" in anchor and anchor["step"] not in step_ids:
                here, near = path + ("deadline", key, "step"), self._near(anchor["step"], step_ids)
                self.add(doc, here, "X002", "xref.unknown-anchor", value=anchor["step"], suggest=near)
            if isinstance(anchor, dict) and "attribute" in anchor and anchor["attribute"] not in attributes:
                self.unknown_attribute(doc, path + ("deadline", key, "attribute"), anchor["attribute"], attributes)
        if "when" in step and step["when"]["attribute"] not in attributes:
            self.unknown_attribute(doc, path + ("when", "attribute"), step["when"]["attribute"], attributes)
        self.form_refs(doc, path + ("forms",), step.get("forms", []))
        lo, hi, k = step.get("min_count"), step.get("max_count"), step.get("min_performers")
        if lo and hi and lo > hi:
            self.add(doc, path + ("min_count",), "X013", "xref.min-max", low=lo, high=hi)
        if k and hi and k > hi:
            self.add(doc, path + ("min_performers",), "X013", "xref.performers-max", people=k, high=hi)

    def check_obligation(self, doc, path, ob, attributes):
        for j, role in enumerate(ob.get("responsible", [])):
            self.role_ref(doc, path + ("responsible", j), role)
        scope = ob["scope"]
        confirm = ob["cadence"].get("confirm")
        if (confirm is None) != (scope != "every-role"):
            self.add(doc, path + ("cadence" if confirm else "scope",), "X016", "xref.confirm-scope")
        if confirm and confirm["version"] not in attributes:
            self.unknown_attribute(doc, path + ("cadence", "confirm", "version"), confirm["version"], attributes)
        if isinstance(scope, dict) and "role" in scope:
            self.role_ref(doc, path + ("scope", "role"), scope["role"])
        if isinstance(scope, dict) and "entity" in scope:
            for sub, name in (
                (("entity",), scope["entity"]),
                (("when", "attribute"), scope.get("when", {}).get("attribute")),
            ):
                if name and name not in attributes:
                    self.unknown_attribute(doc, path + ("scope", *sub), name, attributes)
        self.form_refs(doc, path + ("forms",), ob.get("forms", []))

    # -- sources and usage ------------------------------------------------
    def check_sources(self, doc: Document):
        for path, ref in _walk_sources(doc.data, ()):
            if ref not in self.source_ids:
                self.add(doc, path, "X005", "xref.unknown-source", value=ref, suggest=self._near(ref, self.source_ids))

    def check_usage(self):
        for doc in self.roles:
            rid = doc.data["id"]
            if rid not in self.used_roles_in_processes():
                self.add(doc, ("id",), "W001", "xref.orphan-role", value=rid)
        if self.settings:
            for i, form in enumerate(self.settings.data.get("forms", [])):
                if form["id"] not in self.used_forms:
                    self.add(self.settings, ("forms", i, "id"), "W002", "xref.unused-form", value=form["id"])

    def used_roles_in_processes(self) -> set[str]:
        used = set()
        for doc in self.processes:
            data = doc.data
            used.add(data["owner"])
            for step in data.get("steps", []):
                raci = step["raci"]
                used.update(raci.get("responsible", []), raci.get("consulted", []), raci.get("informed", []))
                if "accountable" in raci:
                    used.add(raci["accountable"])
            for ob in data.get("obligations", []):
                used.update(ob.get("responsible", []))
                if isinstance(ob["scope"], dict) and "role" in ob["scope"]:
                    used.add(ob["scope"]["role"])
        return used


def _walk_sources(node, path) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, dict) and "doc" in value:
                yield path + (key, "doc"), value["doc"]
            elif key == "sources" and isinstance(value, list) and path == ():
                for i, src in enumerate(value):
                    if isinstance(src, dict) and "doc" in src:
                        yield path + (key, i, "doc"), src["doc"]
            else:
                yield from _walk_sources(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_sources(value, path + (i,))


def role_index(roles: list[Document]) -> Index:
    """Role ids under their ids, titles and aliases: what an editor may type for a role."""
    index = Index()
    for doc in roles:
        data = doc.data if isinstance(doc.data, dict) else {}
        ident = data.get("id") if isinstance(data.get("id"), str) else Path(doc.label).stem
        aliases = data.get("aliases") if isinstance(data.get("aliases"), list) else []
        index.add(ident, data.get("title"), data.get("title_en"), *[a for a in aliases if isinstance(a, str)])
    return index


def _ids(items: object) -> set[str]:
    if not isinstance(items, list):
        return set()
    return {x["id"] for x in items if isinstance(x, dict) and isinstance(x.get("id"), str)}

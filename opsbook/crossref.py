"""Cross-reference checks over all schema-valid documents.

Everything named must exist, ids and activity labels must be unique, reporting
lines and step orders must be acyclic, and deadlines must be anchored on steps
that can come at the right time. Every problem points at the node that names
the offending thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .problems import Problem
from .urls import RESERVED_IDS
from .yamldoc import Document

ROLE_ITEM_LISTS = ("responsibilities", "kpis", "qualifications", "authorities", "conduct", "onboarding")


class CrossChecker:
    def __init__(self, settings: Document | None, roles: list[Document], processes: list[Document]):
        self.settings = settings
        self.roles = roles
        self.processes = processes
        self.problems: list[Problem] = []
        s = settings.data if settings else {}
        self.role_ids = {d.data["id"] for d in roles}
        self.form_ids = {f["id"] for f in s.get("forms", [])}
        self.source_ids = {x["id"] for x in s.get("sources", [])}
        self.used_forms: set[str] = set()

    def run(self, *, known_roles: set[str], usage: bool = True) -> list[Problem]:
        """All cross-reference problems; usage warnings only when every file could be read."""
        # Roles whose files failed the schema still exist: do not cascade
        # "unknown role" errors from a typo elsewhere in their file.
        self.role_ids |= known_roles
        if self.settings:
            self.check_settings(self.settings)
        self.check_unique([(d, ("id",), d.data["id"]) for d in self.roles], "role")
        self.check_unique([(d, ("id",), d.data["id"]) for d in self.processes], "process")
        for kind, docs in (("role", self.roles), ("process", self.processes)):
            for doc in docs:
                if doc.data["id"].lower() in RESERVED_IDS:
                    self.add(doc, ("id",), "X015", f"{kind} id '{doc.data['id']}' is the name of a page of the manual")
        for doc in self.roles:
            self.check_role(doc)
        self.check_reporting_cycles()
        labels: dict[str, tuple[Document, tuple]] = {}
        for doc in self.processes:
            self.check_process(doc, labels)
        for doc in (*self.roles, *self.processes, *([self.settings] if self.settings else [])):
            self.check_sources(doc)
        if usage:
            self.check_usage()
        return self.problems

    # -- helpers ---------------------------------------------------------
    def add(self, doc: Document, path: tuple, code: str, message: str, *, key: bool = False):
        self.problems.append(doc.problem(path, code, message, key=key))

    def check_unique(self, entries: list[tuple[Document, tuple, str]], what: str):
        first: dict[str, tuple[Document, tuple]] = {}
        for doc, path, value in entries:
            if value in first:
                other_doc, other_path = first[value]
                line, _ = other_doc.where(other_path)
                self.add(doc, path, "X006", f"duplicate {what} id '{value}' (also at {other_doc.label}:{line})")
            else:
                first[value] = (doc, path)

    def role_ref(self, doc: Document, path: tuple, role_id: str):
        if role_id not in self.role_ids:
            self.add(doc, path, "X001", f"unknown role '{role_id}'")

    def form_refs(self, doc: Document, path: tuple, forms: list[str]):
        for i, form in enumerate(forms):
            self.used_forms.add(form)
            if form not in self.form_ids:
                self.add(doc, path + (i,), "X003", f"unknown form '{form}'")

    # -- settings and roles ------------------------------------------------
    def check_settings(self, doc: Document):
        data = doc.data
        for kind in ("sources", "glossary", "forms"):
            self.check_unique(
                [(doc, (kind, i, "id"), x["id"]) for i, x in enumerate(data.get(kind, []))],
                kind[:-1] if kind != "glossary" else "glossary term",
            )
        for i, form in enumerate(data.get("forms", [])):
            if "keeper" in form:
                self.role_ref(doc, ("forms", i, "keeper"), form["keeper"])
        try:
            ZoneInfo(data.get("timezone", "Asia/Shanghai"))
        except (ZoneInfoNotFoundError, ValueError):
            self.add(
                doc,
                ("timezone",),
                "X014",
                f"unknown time zone '{data['timezone']}' (use an IANA name such as Asia/Shanghai)",
            )
        from .calendar import WorkCalendar

        years = WorkCalendar.china().covered_years
        for i, override in enumerate(data.get("calendar", {}).get("overrides", [])):
            try:
                day = date.fromisoformat(override["date"])
            except ValueError:
                self.add(doc, ("calendar", "overrides", i, "date"), "X014", f"'{override['date']}' is not a date")
                continue
            if day.year not in years:
                self.add(
                    doc,
                    ("calendar", "overrides", i, "date"),
                    "X014",
                    f"no working-day calendar for {day.year} (covered: {years.start}–{years.stop - 1})",
                )

    def check_role(self, doc: Document):
        data = doc.data
        if Path(doc.label).stem != data["id"]:
            self.add(doc, ("id",), "X012", f"the file of role '{data['id']}' must be named {data['id']}.yaml")
        if "reports_to" in data:
            self.role_ref(doc, ("reports_to",), data["reports_to"])
        anchors = [
            (doc, (kind, i, "id"), item["id"]) for kind in ROLE_ITEM_LISTS for i, item in enumerate(data.get(kind, []))
        ]
        self.check_unique(anchors, f"item (anchor) in role '{data['id']}'")

    def check_reporting_cycles(self):
        boss = {d.data["id"]: d.data.get("reports_to") for d in self.roles}
        docs = {d.data["id"]: d for d in self.roles}
        reported: set[str] = set()
        for start in sorted(boss):
            seen: list[str] = []
            node = start
            while node in boss and node not in seen:
                seen.append(node)
                node = boss[node]
            if node in seen:
                cycle = seen[seen.index(node) :]
                if not reported.intersection(cycle):
                    reported.update(cycle)
                    first = min(cycle)
                    ring = " → ".join(cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first])
                    self.add(docs[first], ("reports_to",), "X008", f"reporting lines form a cycle: {ring}")

    # -- processes ---------------------------------------------------------
    def check_process(self, doc: Document, labels: dict):
        data = doc.data
        pid = data["id"]
        if Path(doc.label).stem != pid:
            self.add(doc, ("id",), "X012", f"the file of process '{pid}' must be named {pid}.yaml")
        self.role_ref(doc, ("owner",), data["owner"])
        attributes = {a["name"] for a in data.get("attributes", [])}
        self.check_unique(
            [(doc, ("attributes", i, "name"), a["name"]) for i, a in enumerate(data.get("attributes", []))], "attribute"
        )
        steps = data.get("steps", [])
        obligations = data.get("obligations", [])
        self.check_unique(
            [(doc, ("steps", i, "id"), s["id"]) for i, s in enumerate(steps)]
            + [(doc, ("obligations", i, "id"), o["id"]) for i, o in enumerate(obligations)],
            f"step or obligation in process '{pid}'",
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
                            doc,
                            here,
                            "X007",
                            f"activity label '{label}' already records another step or obligation ({other_doc.label}:{line})",
                        )
                    else:
                        labels[label] = (doc, here)
        if steps:
            self.check_step_order(doc, steps)
            if not any(s.get("final") for s in steps):
                self.add(doc, ("steps",), "X011", f"process '{pid}' has no step marked 'final: true'", key=True)

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
                    self.add(doc, path + (kind, j), "X002", f"unknown step '{other}' in '{kind}'")
                elif other == step["id"]:
                    self.add(doc, path + (kind, j), "X002", f"step '{other}' names itself in '{kind}'")
        deadline = step.get("deadline")
        if deadline:
            key = "from" if "from" in deadline else "of"
            anchor = deadline[key]
            if isinstance(anchor, dict) and "step" in anchor and anchor["step"] not in step_ids:
                self.add(
                    doc, path + ("deadline", key, "step"), "X002", f"unknown step '{anchor['step']}' as deadline anchor"
                )
            if isinstance(anchor, dict) and "attribute" in anchor and anchor["attribute"] not in attributes:
                self.add(
                    doc,
                    path + ("deadline", key, "attribute"),
                    "X004",
                    f"attribute '{anchor['attribute']}' is not declared in the process's 'attributes'",
                )
        if "when" in step and step["when"]["attribute"] not in attributes:
            self.add(
                doc,
                path + ("when", "attribute"),
                "X004",
                f"attribute '{step['when']['attribute']}' is not declared in the process's 'attributes'",
            )
        self.form_refs(doc, path + ("forms",), step.get("forms", []))
        lo, hi, k = step.get("min_count"), step.get("max_count"), step.get("min_performers")
        if lo and hi and lo > hi:
            self.add(doc, path + ("min_count",), "X013", f"min_count {lo} is more than max_count {hi}")
        if k and hi and k > hi:
            self.add(
                doc,
                path + ("min_performers",),
                "X013",
                f"{k} distinct performers need at least {k} events, but max_count is {hi}",
            )

    def check_obligation(self, doc, path, ob, attributes):
        for j, role in enumerate(ob["responsible"]):
            self.role_ref(doc, path + ("responsible", j), role)
        scope = ob["scope"]
        if isinstance(scope, dict) and "role" in scope:
            self.role_ref(doc, path + ("scope", "role"), scope["role"])
        if isinstance(scope, dict) and "entity" in scope:
            for sub, name in (
                (("entity",), scope["entity"]),
                (("when", "attribute"), scope.get("when", {}).get("attribute")),
            ):
                if name and name not in attributes:
                    self.add(
                        doc,
                        path + ("scope", *sub),
                        "X004",
                        f"attribute '{name}' is not declared in the process's 'attributes'",
                    )
        self.form_refs(doc, path + ("forms",), ob.get("forms", []))

    def check_step_order(self, doc: Document, steps: list[dict]):
        after = {s["id"]: [a for a in s.get("after", []) if a != s["id"]] for s in steps}
        index = {s["id"]: i for i, s in enumerate(steps)}
        state: dict[str, int] = {}  # 1 = on the stack, 2 = done
        cycles: list[list[str]] = []

        def visit(node: str, stack: list[str]):
            state[node] = 1
            for pred in after.get(node, []):
                if pred not in after:
                    continue
                if state.get(pred) == 1:
                    cycles.append(stack[stack.index(pred) :] + [node] if pred in stack else [pred, node])
                elif not state.get(pred):
                    visit(pred, stack + [node])
            state[node] = 2

        for sid in after:
            if not state.get(sid):
                visit(sid, [])
        for cycle in cycles:
            closing = cycle[-1]
            i = index[closing]
            j = steps[i]["after"].index(cycle[0]) if cycle[0] in steps[i]["after"] else 0
            ring = " → ".join(cycle + [cycle[0]])
            self.add(
                doc,
                ("steps", i, "after", j),
                "X009",
                f"steps form a cycle through 'after' (each comes after the next): {ring}",
            )
        if cycles:
            return
        ancestors = {sid: self._ancestors(sid, after) for sid in after}
        for i, step in enumerate(steps):
            deadline = step.get("deadline") or {}
            key = "from" if "from" in deadline else "of"
            anchor = deadline.get(key)
            if not (isinstance(anchor, dict) and anchor.get("step") in after):
                continue
            other = anchor["step"]
            here = ("steps", i, "deadline", key, "step")
            if other == step["id"]:
                self.add(doc, here, "X010", f"step '{other}' cannot be its own deadline anchor")
            elif key == "from" and other not in ancestors[step["id"]]:
                self.add(
                    doc,
                    here,
                    "X010",
                    f"'within … from {other}': step '{other}' must come before '{step['id']}' (add it to 'after', directly or through other steps)",
                )
            elif key == "of" and step["id"] not in ancestors[other]:
                self.add(
                    doc,
                    here,
                    "X010",
                    f"'before {other}': step '{other}' must come after '{step['id']}' (it should list '{step['id']}' in 'after', directly or through other steps)",
                )

    @staticmethod
    def _ancestors(sid: str, after: dict[str, list[str]]) -> set[str]:
        seen: set[str] = set()
        todo = list(after.get(sid, []))
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(after.get(node, []))
        return seen

    # -- sources and usage ------------------------------------------------
    def check_sources(self, doc: Document):
        for path, ref in _walk_sources(doc.data, ()):
            if ref not in self.source_ids:
                self.add(
                    doc, path, "X005", f"unknown source document '{ref}' (list it under 'sources' in handbook.yaml)"
                )

    def check_usage(self):
        for doc in self.roles:
            rid = doc.data["id"]
            if rid not in self.used_roles_in_processes():
                self.add(doc, ("id",), "W001", f"role '{rid}' takes part in no process step or obligation")
        if self.settings:
            for i, form in enumerate(self.settings.data.get("forms", [])):
                if form["id"] not in self.used_forms:
                    self.add(
                        self.settings,
                        ("forms", i, "id"),
                        "W002",
                        f"form '{form['id']}' is used by no step or obligation",
                    )

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
                used.update(ob["responsible"])
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

"""Order checks over the cross-references: reporting lines and step predecessors without cycles,
deadline anchors that can come at the right time. A mixin of ``CrossChecker`` (it supplies
``roles`` and ``add``)."""

from __future__ import annotations

from .yamldoc import Document


def boss_of(line) -> str | None:
    """The role a reports_to names, in its plain or its {role: ...} form."""
    return line.get("role") if isinstance(line, dict) else line


class OrderChecks:
    roles: list[Document]  # and add(), both from CrossChecker

    def check_reporting_cycles(self):
        boss = {d.data["id"]: boss_of(d.data.get("reports_to")) for d in self.roles}
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
                    self.add(docs[first], ("reports_to",), "X008", "xref.reporting-cycle", ring=ring)

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
            self.add(doc, ("steps", i, "after", j), "X009", "xref.step-cycle", ring=ring)
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
                self.add(doc, here, "X010", "xref.own-anchor", value=other)
            elif key == "from" and other not in ancestors[step["id"]]:
                self.add(doc, here, "X010", "xref.anchor-before", other=other, step=step["id"])
            elif key == "of" and step["id"] not in ancestors[other]:
                self.add(doc, here, "X010", "xref.anchor-after", other=other, step=step["id"])

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

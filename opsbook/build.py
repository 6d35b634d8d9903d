"""Build typed model objects from validated plain data."""

from __future__ import annotations

from datetime import date

from .durations import Duration
from .model import (
    Anchor,
    Attribute,
    Cadence,
    Condition,
    Deadline,
    Form,
    GlossaryTerm,
    Handbook,
    Headcount,
    Item,
    Obligation,
    OfficeCalendar,
    OnboardingItem,
    Process,
    Raci,
    Release,
    ReportingLine,
    Role,
    Scope,
    Source,
    SourceDoc,
    SourcePart,
    Step,
)


def _source(data: dict | None) -> Source | None:
    return Source(data["doc"], data.get("section")) if data else None


def _items(data: list[dict] | None) -> tuple[Item, ...]:
    return tuple(Item(d["id"], d["text"], _source(d.get("source")), d.get("assumption")) for d in data or [])


def _condition(data: dict | None) -> Condition | None:
    if not data:
        return None
    values = tuple(data["in"]) if "in" in data else (data["equals"],)
    return Condition(data["attribute"], values)


def _anchor(data) -> Anchor:
    if data == "case_start":
        return Anchor("case_start")
    if "step" in data:
        return Anchor("step", data["step"])
    return Anchor("attribute", data["attribute"])


def _deadline(data: dict | None) -> Deadline | None:
    if not data:
        return None
    kind = "within" if "within" in data else "before"
    anchor = data["from"] if kind == "within" else data["of"]
    return Deadline(
        kind, Duration.parse(data[kind]), _anchor(anchor), _source(data.get("source")), data.get("assumption")
    )


def _reporting(data) -> ReportingLine | None:
    if data is None:
        return None
    if isinstance(data, str):
        return ReportingLine(data)
    return ReportingLine(data["role"], _source(data.get("source")), data.get("assumption"), data.get("disputed"))


def _headcount(data: dict | None) -> Headcount | None:
    if not data:
        return None
    return Headcount(data["count"], data.get("note"), _source(data.get("source")), data.get("assumption"))


def _office(data: dict | None) -> OfficeCalendar:
    if not data:
        return OfficeCalendar()
    exceptions = tuple((date.fromisoformat(e["date"]), e["open"], e.get("note")) for e in data.get("exceptions", []))
    return OfficeCalendar(
        tuple(sorted(data["weekdays"])), exceptions, _source(data.get("source")), data.get("assumption")
    )


def role(data: dict, file: str) -> Role:
    reporting = _reporting(data.get("reports_to"))
    return Role(
        id=data["id"],
        title=data["title"],
        department=data["department"],
        purpose=data["purpose"],
        responsibilities=_items(data["responsibilities"]),
        title_en=data.get("title_en"),
        aliases=tuple(data.get("aliases", [])),
        reports_to=reporting.role if reporting else None,
        reporting=reporting,
        headcount=_headcount(data.get("headcount")),
        kpis=_items(data.get("kpis")),
        qualifications=_items(data.get("qualifications")),
        authorities=_items(data.get("authorities")),
        conduct=_items(data.get("conduct")),
        onboarding=tuple(
            OnboardingItem(o["id"], o["topic"], o["due_days"], _source(o.get("source")), o.get("assumption"))
            for o in data.get("onboarding", [])
        ),
        sources=tuple(_source(s) for s in data.get("sources", [])),
        file=file,
    )


def step(data: dict) -> Step:
    raci = data["raci"]
    return Step(
        id=data["id"],
        title=data["title"],
        activities=tuple(data["activities"]),
        raci=Raci(
            tuple(raci["responsible"]),
            raci.get("accountable"),
            tuple(raci.get("consulted", [])),
            tuple(raci.get("informed", [])),
        ),
        description=data.get("description"),
        after=tuple(data.get("after", [])),
        deadline=_deadline(data.get("deadline")),
        when=_condition(data.get("when")),
        optional=data.get("optional", False),
        final=data.get("final", False),
        separate_from=tuple(data.get("separate_from", [])),
        min_performers=data.get("min_performers"),
        min_count=data.get("min_count"),
        max_count=data.get("max_count"),
        forms=tuple(data.get("forms", [])),
        source=_source(data.get("source")),
        assumption=data.get("assumption"),
    )


def obligation(data: dict) -> Obligation:
    scope = data["scope"]
    if scope in ("organisation", "every-role"):
        sc = Scope(scope)
    elif "role" in scope:
        sc = Scope("role", role=scope["role"])
    else:
        sc = Scope("entity", entity=scope["entity"], when=_condition(scope.get("when")))
    cad = data["cadence"]
    due = cad.get("due", {})
    cadence = Cadence(
        every=cad.get("every"),
        due_day=due.get("day"),
        due_weekday=due.get("weekday"),
        due_time=due.get("time"),
        interval=Duration.parse(cad["interval"]) if "interval" in cad else None,
        confirm_within=Duration.parse(cad["confirm"]["within"]) if "confirm" in cad else None,
        confirm_version=cad["confirm"]["version"] if "confirm" in cad else None,
        calendar=cad.get("calendar"),
    )
    return Obligation(
        id=data["id"],
        title=data["title"],
        activities=tuple(data["activities"]),
        responsible=tuple(data.get("responsible", ())),
        scope=sc,
        cadence=cadence,
        description=data.get("description"),
        forms=tuple(data.get("forms", [])),
        source=_source(data.get("source")),
        assumption=data.get("assumption"),
    )


def process(data: dict, file: str) -> Process:
    case = data.get("case", {})
    return Process(
        id=data["id"],
        title=data["title"],
        owner=data["owner"],
        purpose=data["purpose"],
        title_en=data.get("title_en"),
        trigger=data.get("trigger"),
        case_description=case.get("description"),
        case_id_label=case.get("id_label"),
        attributes=tuple(
            Attribute(a["name"], a["type"], a["description"], tuple(a.get("values", [])))
            for a in data.get("attributes", [])
        ),
        steps=tuple(step(s) for s in data.get("steps", [])),
        obligations=tuple(obligation(o) for o in data.get("obligations", [])),
        sources=tuple(_source(s) for s in data.get("sources", [])),
        file=file,
    )


def handbook(
    settings: dict,
    roles: list[dict],
    processes: list[dict],
    *,
    files: list[str],
    process_files: list[str],
    digest: str,
    revision: str | None,
) -> Handbook:
    org = settings["organisation"]
    return Handbook(
        organisation=org["name"],
        organisation_en=org.get("name_en"),
        description=org.get("description"),
        version=settings["version"],
        timezone=settings.get("timezone", "Asia/Shanghai"),
        manual_url=settings.get("manual_url"),
        roles=tuple(sorted((role(d, f) for d, f in zip(roles, files, strict=True)), key=lambda r: r.id)),
        processes=tuple(
            sorted((process(d, f) for d, f in zip(processes, process_files, strict=True)), key=lambda p: p.id)
        ),
        office=_office(settings.get("calendar", {}).get("office")),
        calendar_overrides=tuple(
            (o["date"], o["working"], o.get("note")) for o in settings.get("calendar", {}).get("overrides", [])
        ),
        sources=tuple(
            SourceDoc(
                s["id"],
                s["title"],
                s.get("file"),
                s.get("description"),
                tuple(SourcePart(x["part"], x["used"], x["reason"]) for x in s.get("scope", [])),
            )
            for s in settings["sources"]
        ),
        glossary=tuple(
            GlossaryTerm(
                g["id"],
                g["term"],
                g["definition"],
                g.get("term_en"),
                tuple(g.get("aliases", [])),
                _source(g.get("source")),
                tuple(g.get("see_also", [])),
                g.get("assumption"),
            )
            for g in settings.get("glossary", [])
        ),
        forms=tuple(
            Form(
                f["id"],
                f["title"],
                f["purpose"],
                f.get("title_en"),
                tuple(f.get("fields", [])),
                f.get("keeper"),
                _source(f.get("source")),
                f.get("assumption"),
            )
            for f in settings.get("forms", [])
        ),
        digest=digest,
        revision=revision,
        releases=tuple(
            Release(r["version"], r["date"], r["summary"], r.get("commit")) for r in settings.get("releases", [])
        ),
    )

"""Validation problems: one small immutable value each, and the table of codes.

Codes never change meaning once published; the table feeds the editors'
reference in the manual.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .terminal import printable

ERROR = "error"
WARNING = "warning"

# code: (severity, short name, what it means)
CODES: dict[str, tuple[str, str, str]] = {
    "Y001": (ERROR, "yaml-syntax", "The file is not valid YAML (bad indentation, a tab, an unclosed quote ...)."),
    "Y002": (ERROR, "duplicate-key", "A mapping names the same key twice; YAML parsers would silently keep the last."),
    "Y003": (ERROR, "yaml-alias", "Anchors and aliases (&, *) are not allowed in policy files."),
    "Y004": (ERROR, "unreadable", "The file cannot be read: not UTF-8, empty, or not a file."),
    "Y005": (ERROR, "too-large", "The file is larger than a policy file can sensibly be (1 MiB)."),
    "S001": (ERROR, "missing-field", "A required field is missing."),
    "S002": (ERROR, "unknown-field", "A field the schema does not define (often a typo)."),
    "S003": (ERROR, "wrong-type", "A field has the wrong type (text where a list is expected ...)."),
    "S004": (ERROR, "invalid-value", "A field's value is not allowed (pattern, range, choice)."),
    "X001": (ERROR, "unknown-role", "A role id is named that no file in roles/ defines."),
    "X002": (ERROR, "unknown-step", "A step id is named that the process does not define."),
    "X003": (ERROR, "unknown-form", "A form id is named that the forms catalogue does not define."),
    "X004": (ERROR, "unknown-attribute", "A case attribute is used that the process does not declare."),
    "X005": (ERROR, "unknown-source", "A source document id is cited that handbook.yaml does not list."),
    "X006": (ERROR, "duplicate-id", "Two things of the same kind share an id."),
    "X007": (
        ERROR,
        "duplicate-activity",
        "An activity label records two steps or obligations; a log event must map to one.",
    ),
    "X008": (ERROR, "reporting-cycle", "The reports_to lines form a cycle."),
    "X009": (ERROR, "step-cycle", "The steps' predecessors (after) form a cycle."),
    "X010": (
        ERROR,
        "anchor-order",
        "A deadline is anchored on a step that cannot come at the right time (a 'within ... from' anchor must precede the step, a 'before' anchor must follow it).",
    ),
    "X011": (
        ERROR,
        "no-final-step",
        "A process with steps has no step marked final, so no case could ever be complete.",
    ),
    "X012": (ERROR, "file-name", "The file name does not match the id inside it (the id is the page URL)."),
    "X013": (ERROR, "inconsistent-counts", "Count or performer limits contradict each other."),
    "X014": (
        ERROR,
        "bad-setting",
        "A handbook setting is unusable (unknown time zone, calendar date outside the covered years).",
    ),
    "X015": (
        ERROR,
        "reserved-id",
        "A role or process id is the name of a page the generator writes (index, search, assets ...).",
    ),
    "W001": (WARNING, "orphan-role", "A role takes part in no process step or obligation."),
    "W002": (WARNING, "unused-form", "A form in the catalogue is used by no step or obligation."),
    "W003": (
        WARNING,
        "no-schema-comment",
        "The first line does not name the schema, so editors cannot check the file as it is typed.",
    ),
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place. Sorted by file, line, column, code."""

    file: str
    line: int
    column: int
    code: str
    message: str

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    def __str__(self) -> str:
        return printable(f"{self.file}:{self.line}:{self.column}: {self.code} {self.message}")

    def to_dict(self) -> dict:
        return {**asdict(self), "severity": self.severity, "name": CODES[self.code][1]}

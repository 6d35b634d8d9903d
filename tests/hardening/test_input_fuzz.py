"""Rosters and mappings from random YAML: a LogError naming the file, or a result; never another exception.

Same budget and alphabet as test_fuzz.py (derandomized, a fixed number of
examples). Aliases must be refused, never expanded.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given

from checker.mapping import Mapping
from checker.readers import LogError
from checker.roster import read_roster
from opsbook.loader import load

from .helpers import make_handbook
from .test_fuzz import budget, scratch, yaml_text  # noqa: F401 - scratch is a fixture

ROSTER_CRASHES = ["- &a {person: p, role: clerk}\n- *a\n", "- {person: p, role: clerk, from: 2026-02-30}\n", "- 1\n"]


@pytest.fixture(scope="module")
def roles(tmp_path_factory):
    return load(make_handbook(tmp_path_factory.mktemp("hb"))).handbook.roles


@budget(300)
@given(text=yaml_text)
@example(text=ROSTER_CRASHES[0])
@example(text=ROSTER_CRASHES[1])
@example(text=ROSTER_CRASHES[2])
def test_read_roster_raises_only_log_error(scratch, roles, text):  # noqa: F811
    path = scratch / "roster.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        read_roster(path, roles)
    except LogError as error:
        assert str(error).startswith(str(path)) and "\n" not in error.message


@budget(300)
@given(text=yaml_text)
@example(text="case_id: &a x\nactivity: *a\n")
@example(text="attributes: {a: [1]}\n")
def test_mapping_load_raises_only_log_error(scratch, text):  # noqa: F811
    path = scratch / "mapping.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        Mapping.load(path)
    except LogError as error:
        assert str(error).startswith(str(path))

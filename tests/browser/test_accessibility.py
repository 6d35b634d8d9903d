"""axe-core (from node_modules) finds no serious or critical violation on the main kinds of page."""

from __future__ import annotations

import pytest

from .conftest import REPO
from .helpers import diagrams, mermaid_blocks, page_url

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ("", "roles/sales-consultant/", "processes/mortgage/")
RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
    }));
}"""


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_no_serious_violations(page, site, base_url, path):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci`")
    page.goto(page_url(base_url, path))
    if mermaid_blocks(site, path):
        diagrams(page, mermaid_blocks(site, path))
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}" for v in serious)

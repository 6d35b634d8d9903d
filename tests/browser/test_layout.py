"""Layout at an office screen's 1280 px: wide matrices fit, names do not break inside."""

from __future__ import annotations

import pytest

from handbook import links

from .helpers import diagrams, page_url

pytestmark = pytest.mark.browser

OVERFLOW = """() => {
    const content = document.querySelector('.md-content__inner').getBoundingClientRect();
    return [...document.querySelectorAll('.md-typeset table')].map(t => ({
        head: t.querySelector('th').innerText,
        right: t.getBoundingClientRect().right - content.right,
        hidden: t.scrollWidth - t.clientWidth,
    })).filter(t => t.right > 1 || t.hidden > 1);
}"""

BROKEN_NAMES = """() => [...document.querySelectorAll('.md-typeset td a[href*="roles/"]')]
    .filter(a => a.getClientRects().length > 1)
    .map(a => a.innerText)"""


def test_the_raci_matrices_fit_at_1280_px(page, base_url):
    assert page.viewport_size["width"] == 1280
    page.goto(page_url(base_url, links.PAGES["raci"]))
    assert page.locator(".md-typeset table").count() >= 5
    assert page.evaluate(OVERFLOW) == []


@pytest.mark.parametrize("process", ["mortgage", "handover", "contract-filing", "subscription-signing"])
def test_role_names_in_step_tables_do_not_break_inside(page, base_url, process):
    page.goto(page_url(base_url, f"processes/{process}/"))
    assert page.locator('.md-typeset td a[href*="roles/"]').count() > 3
    assert page.evaluate(BROKEN_NAMES) == []


LANES = """() => {
    const svg = document.querySelector('div.mermaid').shadowRoot.querySelector('svg');
    const inside = (r, b) => r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
    const lanes = [...svg.querySelectorAll('g.cluster')].map(c => ({id: c.id, box: c.querySelector('rect').getBoundingClientRect()}));
    const steps = [...svg.querySelectorAll('g.node')].filter(n => !n.id.includes('-start-'));
    const overlapping = lanes.flatMap((a, i) => lanes.slice(i + 1).filter(b =>
        a.box.left < b.box.right - 1 && b.box.left < a.box.right - 1 && a.box.top < b.box.bottom - 1 && b.box.top < a.box.bottom - 1
    ).map(b => [a.id, b.id]));
    return {
        steps: steps.length,
        lanes: lanes.length,
        misplaced: steps.filter(n => lanes.filter(l => inside(n.getBoundingClientRect(), l.box)).length !== 1).map(n => n.id),
        overlapping,
    };
}"""


@pytest.mark.parametrize("process", ["handover", "mortgage", "complaint-handling", "subscription-signing"])
def test_every_step_sits_in_exactly_one_swimlane(page, base_url, process):
    page.goto(page_url(base_url, f"processes/{process}/"))
    diagrams(page, 1)
    found = page.evaluate(LANES)
    assert found["steps"] >= 3 and found["lanes"] >= 2
    assert found["misplaced"] == [] and found["overlapping"] == []
